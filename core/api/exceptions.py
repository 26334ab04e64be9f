"""The one exception handler of the API: every error answers the same JSON.

``{"code": "<stable code>", "detail": "<message>", ...}`` — the message in Korean, or in
English with ``Accept-Language: en`` (``core.api.language``); field and parameter errors add
``errors`` (``{"<field or parameter>": ["message", …]}``), an unknown parameter adds ``allowed``,
a 429 ``retry_after``. The codes are ``ERROR_CODES`` (documented in the schema and docs/api.md);
clients branch on ``code``, never on the message.

Model validation becomes 400, protected rows 409; never a 500.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.response import Response

#: Every ``code`` an API error may carry, with its HTTP status and default message.
ERROR_CODES: dict[str, tuple[int, object]] = {
    "invalid_parameter": (400, _("요청 매개변수가 올바르지 않습니다.")),
    "unknown_parameter": (400, _("알 수 없는 요청 매개변수입니다.")),
    "invalid_cursor": (400, _("cursor가 올바르지 않습니다.")),
    "invalid": (400, _("보낸 내용이 올바르지 않아 아무것도 저장하지 않았습니다.")),
    "parse_error": (400, _("요청 본문을 JSON으로 읽을 수 없습니다.")),
    "invalid_characters": (400, _("요청에 쓸 수 없는 문자(NUL 등 제어 문자)가 있습니다.")),
    "not_authenticated": (401, _("로그인하거나 토큰(Authorization: Token …)을 보내야 합니다.")),
    "authentication_failed": (401, _("토큰이 올바르지 않거나 폐기되었습니다.")),
    "token_expired": (401, _("토큰의 유효 기간이 지났습니다. 관리 화면에서 새 토큰을 만드세요.")),
    "csrf_failed": (
        403,
        _("CSRF 확인에 실패했습니다. 세션으로 쓰기 요청을 하려면 X-CSRFToken 헤더를 보내세요."),
    ),
    "permission_denied": (403, _("이 요청을 할 권한이 없습니다.")),
    "read_only_token": (403, _("읽기 전용 토큰으로는 기록을 바꿀 수 없습니다.")),
    "not_found": (404, _("찾을 수 없습니다.")),
    "method_not_allowed": (405, _("이 주소에서는 쓸 수 없는 메서드입니다.")),
    "not_acceptable": (406, _("요청한 형식(Accept)으로 답할 수 없습니다.")),
    "cursor_expired": (410, _("cursor가 보관 기간이 지난 위치를 가리킵니다.")),
    "conflict": (409, _("다른 기록과 충돌하여 아무것도 저장하지 않았습니다.")),
    "stale_version": (412, _("기록이 그 버전 이후에 바뀌었습니다.")),
    "request_too_large": (413, _("요청 본문이 너무 큽니다.")),
    "unsupported_media_type": (
        415,
        _("지원하지 않는 본문 형식입니다. application/json으로 보내세요."),
    ),
    "precondition_required": (428, _("어느 버전을 보고 고쳤는지 If-Match로 알려 주세요.")),
    "throttled": (429, _("요청이 너무 많습니다. %(wait)s초 뒤에 다시 시도하세요.")),
    # The results workflow's refusals (results/services.py WorkflowError; their own messages).
    "reason_required": (400, _("사유를 적어 주세요.")),
    "unknown_action": (400, _("알 수 없는 처리입니다.")),
    "self_approval": (403, _("자기가 보고한 실적은 승인할 수 없습니다.")),
    "transition_not_allowed": (409, _("지금 상태에서는 할 수 없는 처리입니다.")),
    "period_locked": (409, _("잠긴 보고 기간입니다.")),
}

#: The codes as choices (the schema's ErrorCodeEnum).
ERROR_CODE_CHOICES = [(code, code) for code in ERROR_CODES]

#: DRF's own codes mapped to ours (the rest are the same name).
_DRF_CODES = {
    "parse_error": "parse_error",
    "unsupported_media_type": "unsupported_media_type",
    "error": "conflict",
}


#: Codes always answered with our message (DRF's detail is English or names internals).
_OWN_MESSAGE = {
    "csrf_failed",
    "parse_error",
    "unsupported_media_type",
    "not_acceptable",
    "not_authenticated",
    "authentication_failed",
}


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = _("다른 기록과 충돌하여 아무것도 저장하지 않았습니다.")
    default_code = "conflict"


class TokenExpired(exceptions.AuthenticationFailed):
    default_detail = ERROR_CODES["token_expired"][1]
    default_code = "token_expired"


class ReadOnlyToken(exceptions.PermissionDenied):
    default_detail = ERROR_CODES["read_only_token"][1]
    default_code = "read_only_token"


class UnknownParameter(exceptions.ValidationError):
    """A query parameter the endpoint does not read: 400 naming the allowed ones."""

    def __init__(self, unknown: list[str], allowed: list[str]):
        self.unknown, self.allowed = unknown, allowed
        message = _("알 수 없는 매개변수입니다. 쓸 수 있는 매개변수: %(ok)s.") % {
            "ok": ", ".join(allowed) or "-"
        }
        super().__init__({name: [message] for name in unknown}, code="unknown_parameter")


def django_errors(exc: DjangoValidationError) -> dict:
    """A model ValidationError as DRF field errors (``__all__`` becomes ``non_field_errors``)."""
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if field == NON_FIELD_ERRORS else field): [
                str(message) for error in errors for message in error.messages
            ]
            for field, errors in exc.error_dict.items()
        }
    return {"non_field_errors": [str(m) for m in exc.messages]}


def error_body(code: str, detail=None, **extra) -> dict:
    """The body of an API error with this ``code`` (message: ``detail`` or the code's own)."""
    message = detail if detail is not None else ERROR_CODES[code][1]
    return {"code": code, "detail": str(message), **extra}


def error_json(code: str, detail=None, **extra) -> JsonResponse:
    """An API error answered outside DRF (unknown URL, middleware guards)."""
    return JsonResponse(
        error_body(code, detail, **extra),
        status=ERROR_CODES[code][0],
        json_dumps_params={"ensure_ascii": False},
    )


def _validation_code(exc: exceptions.ValidationError, request) -> str:
    codes = exc.get_codes()
    flat = set()
    stack = [codes]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        else:
            flat.add(item)
    for special in ("unknown_parameter", "invalid_cursor", "invalid_parameter"):
        if special in flat:
            return special
    if request is not None and request.method in ("GET", "HEAD", "OPTIONS"):
        return "invalid_parameter"
    return "invalid"


def _is_default(exc) -> bool:
    return str(exc.detail) == str(exc.default_detail)


def api_exception_handler(exc, context):
    """Every exception of an API view as ``{"code", "detail", …}`` (module doc)."""
    from rest_framework.views import set_rollback  # here: rest_framework.views imports us

    request = context.get("request")
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(django_errors(exc))
    elif isinstance(exc, (ProtectedError, RestrictedError)):
        names = sorted({obj._meta.verbose_name for obj in exc.args[1]}) if len(exc.args) > 1 else []
        exc = Conflict(
            gettext("다른 기록이 이 기록을 참조합니다(%(names)s). 먼저 그 기록을 지우세요.")
            % {"names": ", ".join(str(n) for n in names)}
        )
    elif isinstance(exc, IntegrityError):
        exc = Conflict()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if not isinstance(exc, exceptions.APIException):
        return None
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        code = _validation_code(exc, request)
        extra = {"errors": errors}
        if isinstance(exc, UnknownParameter):
            extra["allowed"] = exc.allowed
            detail = gettext("알 수 없는 매개변수: %(bad)s. 쓸 수 있는 매개변수: %(ok)s.") % {
                "bad": ", ".join(exc.unknown),
                "ok": ", ".join(exc.allowed) or "-",
            }
        elif code == "invalid_parameter" or code == "invalid_cursor":
            detail = gettext("요청 매개변수가 올바르지 않습니다: %(names)s.") % {
                "names": ", ".join(str(k) for k in errors)
            }
        else:
            detail = None
        body = error_body(code, detail, **extra)
    elif isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait) if exc.wait is not None else 1
        headers["Retry-After"] = str(wait)
        body = error_body(
            "throttled",
            gettext(str(ERROR_CODES["throttled"][1])) % {"wait": wait},
            retry_after=wait,
        )
    elif isinstance(exc, exceptions.MethodNotAllowed):
        method = request.method if request is not None else ""
        body = error_body(
            "method_not_allowed",
            gettext("%(method)s 메서드는 이 주소에서 쓸 수 없습니다.") % {"method": method},
        )
    else:
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
        code = _DRF_CODES.get(code, code)
        if code not in ERROR_CODES:
            code = {401: "not_authenticated", 403: "permission_denied", 404: "not_found"}.get(
                exc.status_code, "invalid"
            )
        if code == "permission_denied" and str(exc.detail).startswith("CSRF Failed"):
            code = "csrf_failed"
        keep = not _is_default(exc) and code not in _OWN_MESSAGE
        body = error_body(code, exc.detail if keep else None)
    set_rollback()
    return Response(body, status=exc.status_code, headers=headers)
