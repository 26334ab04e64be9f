"""Request guards that answer before any view, database query or body parsing runs.

- ``InvalidCharactersMiddleware``: a NUL or other control character in the path answers 404
  (no page has such an address), in a query parameter or a header 400. PostgreSQL refuses NUL
  in text, so such a value reaching a query would be a 500; one check here covers every
  public, API and admin route.
- ``RequestSizeMiddleware``: a body larger than ``REQUEST_MAX_BYTES`` (by its Content-Length)
  answers 413 before anything reads it.

Both answer in the caller's language: JSON ``{"detail", "code"}`` under ``/api/``, a short
Korean page elsewhere.
"""

import re

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.html import escape
from django.utils.translation import gettext as _

from core.characters import PATH_FORBIDDEN_CLASS, QUERY_FORBIDDEN_CLASS
from core.formatting import format_bytes

#: C0 control characters and DEL: never part of a URL path or a header value.
PATH_FORBIDDEN = re.compile(f"[{PATH_FORBIDDEN_CLASS}]")
#: In query values, tab and line breaks may come from a form's textarea; the rest may not
#: (the API schema gives every free-text query parameter the same rule as a pattern).
QUERY_FORBIDDEN = re.compile(f"[{QUERY_FORBIDDEN_CLASS}]")


def is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def error_response(request, status: int, message: str, code: str) -> HttpResponse:
    """An error answered by a guard: JSON for the API, a small Korean page for the rest."""
    if is_api(request):
        return JsonResponse(
            {"code": code, "detail": message},
            status=status,
            json_dumps_params={"ensure_ascii": False},
        )
    body = (
        '<!doctype html><html lang="ko"><head><meta charset="utf-8">'
        f"<title>{escape(message)}</title></head><body><h1>{escape(message)}</h1>"
        f'<p><a href="/">{escape(_("홈으로"))}</a></p></body></html>'
    )
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


def _forbidden_query_keys(request) -> list[str]:
    """Query parameters whose name or a value holds a forbidden character."""
    return [
        QUERY_FORBIDDEN.sub("?", key)
        for key, values in request.GET.lists()
        if QUERY_FORBIDDEN.search(key) or any(QUERY_FORBIDDEN.search(v) for v in values)
    ]


def _has_forbidden_header(request) -> bool:
    """A NUL in a header, or a control character in a cookie (a quoted cookie may spell a NUL
    as ``\\000``, which only the parsed value shows)."""
    if any(
        "\x00" in value
        for key, value in request.META.items()
        if key.startswith("HTTP_") and isinstance(value, str)
    ):
        return True
    return any(
        PATH_FORBIDDEN.search(key) or PATH_FORBIDDEN.search(value)
        for key, value in request.COOKIES.items()
    )


class InvalidCharactersMiddleware:
    """404 for control characters in the path, 400 in the query or a header (module doc)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if PATH_FORBIDDEN.search(request.path_info):
            return error_response(
                request,
                404,
                _("주소에 쓸 수 없는 문자(NUL 등 제어 문자)가 있어 찾을 수 없습니다."),
                "not_found",
            )
        message = _("요청에 쓸 수 없는 문자(NUL 등 제어 문자)가 있습니다.")
        if _has_forbidden_header(request):
            return error_response(request, 400, message, "invalid_characters")
        keys = _forbidden_query_keys(request)
        if keys:
            if is_api(request):  # the API's error shape, with one entry per query parameter
                return JsonResponse(
                    {
                        "code": "invalid_characters",
                        "detail": message,
                        "errors": {
                            key: [_("쓸 수 없는 문자(NUL 등 제어 문자)가 있습니다.")]
                            for key in keys
                        },
                    },
                    status=400,
                    json_dumps_params={"ensure_ascii": False},
                )
            return error_response(request, 400, message, "invalid_characters")
        return self.get_response(request)


def request_max_bytes() -> int:
    return getattr(settings, "REQUEST_MAX_BYTES", 12 * 1024 * 1024)


class RequestSizeMiddleware:
    """413 for a declared body larger than ``REQUEST_MAX_BYTES``, before it is read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return error_response(
                request, 400, _("Content-Length 헤더가 올바르지 않습니다."), "bad_length"
            )
        limit = request_max_bytes()
        if length > limit:
            return error_response(
                request,
                413,
                _("요청 본문이 너무 큽니다(%(size)s). 한 번에 보낼 수 있는 크기는 %(limit)s입니다.")
                % {"size": format_bytes(length), "limit": format_bytes(limit)},
                "request_too_large",
            )
        return self.get_response(request)


# --- admin URLs that name a row ----------------------------------------------------------------


def _model_admin_of(view_func):
    """The ModelAdmin behind an admin view (Django's own views carry it; views added by
    packages such as simple-history are bound methods under ``admin_view``'s wrapper)."""
    from django.contrib.admin import ModelAdmin

    func, seen = view_func, 0
    while func is not None and seen < 10:
        model_admin = getattr(func, "model_admin", None) or getattr(func, "__self__", None)
        if isinstance(model_admin, ModelAdmin):
            return model_admin
        func, seen = getattr(func, "__wrapped__", None), seen + 1
    return None


def _valid_value(field, value: str) -> bool:
    from django.core.exceptions import ValidationError

    try:
        field.to_python(value)
    except (ValidationError, ValueError, TypeError, OverflowError):
        return False
    if field.get_internal_type() in (
        "AutoField",
        "BigAutoField",
        "IntegerField",
        "BigIntegerField",
    ):
        return -(2**63) <= int(value) < 2**63
    return True


def _query_field(model, key: str):
    """The model field an admin GET parameter sets directly (``region=5``, ``region__in=1,2``,
    ``region__id__exact=5``: prefill of the add form, export filters), else None."""
    name = key
    for suffix in ("__id__exact", "__pk__exact", "__exact", "__in", "__id", "__pk"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    try:
        field = model._meta.get_field(name.removesuffix("_id") if name.endswith("_id") else name)
    except Exception:
        return None
    if field.is_relation and field.many_to_one:
        return field.target_field
    if field.concrete and not field.is_relation:
        return field
    return None


class AdminLookupMiddleware:
    """A model admin URL whose row id cannot be an id of that model (``../history/``, a
    3,000-character id, ``history/<not a number>/``) answers 404, and a prefill or filter value
    that cannot be a value of its field (``?region=%FF`` on an add or export page) answers 400 —
    before the view passes it to a query, where it would be a 500. One check for every admin
    page, whichever package added it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        model_admin = _model_admin_of(view_func)
        if model_admin is None:
            return None
        from django.contrib.admin.utils import unquote

        model = model_admin.model
        ids = []
        if "object_id" in view_kwargs:
            ids.append((model._meta.pk, unquote(view_kwargs["object_id"])))
        elif view_args:
            ids.append((model._meta.pk, unquote(view_args[0])))
            history = getattr(model, "history", None)
            if len(view_args) > 1 and history is not None and hasattr(history, "model"):
                ids.append((history.model._meta.pk, view_args[1]))
        if any(not _valid_value(field, value) for field, value in ids):
            return error_response(
                request, 404, _("주소에 적힌 번호의 기록을 찾을 수 없습니다."), "not_found"
            )
        for key, values in request.GET.lists():
            field = _query_field(model, key)
            if field is None:
                continue
            parts = [p for v in values for p in (v.split(",") if key.endswith("__in") else [v])]
            if any(p != "" and not _valid_value(field, p) for p in parts):
                return error_response(
                    request,
                    400,
                    _("주소의 조건 %(key)s에 쓸 수 없는 값이 있습니다.") % {"key": key},
                    "invalid_lookup",
                )
        return None


class ApiLanguageMiddleware:
    """The API answers in the language of ``Accept-Language`` (Korean, or English when asked
    for first): a dashboard sends a header, not the site's language cookie. Without the header
    the site's choice stands (Korean unless the language switch chose English). Placed after
    the site's locale middleware; API answers vary with Accept-Language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_api(request):
            return self.get_response(request)
        language = api_language(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
        if language is None:
            response = self.get_response(request)
        else:
            with translation.override(language):
                request.LANGUAGE_CODE = language
                response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",))
        return response


def api_language(header: str) -> str | None:
    """The first of the site's languages named in an Accept-Language header, or None."""
    from django.utils.translation.trans_real import parse_accept_lang_header

    supported = dict(settings.LANGUAGES)
    for tag, _quality in parse_accept_lang_header(header[:200]):
        base = tag.split("-")[0].lower()
        if base in supported:
            return base
    return None
