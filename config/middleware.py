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
from django.template.defaultfilters import filesizeformat
from django.utils.html import escape
from django.utils.translation import gettext as _

#: C0 control characters and DEL: never part of a URL path or a header value.
PATH_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f]")
#: In query values, tab and line breaks may come from a form's textarea; the rest may not.
QUERY_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def error_response(request, status: int, message: str, code: str) -> HttpResponse:
    """An error answered by a guard: JSON for the API, a small Korean page for the rest."""
    if is_api(request):
        return JsonResponse(
            {"detail": message, "code": code},
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
    return any(
        "\x00" in value
        for key, value in request.META.items()
        if key.startswith("HTTP_") and isinstance(value, str)
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
            if is_api(request):  # the API's field-error shape: one key per query parameter
                return JsonResponse(
                    {key: [_("쓸 수 없는 문자(NUL 등 제어 문자)가 있습니다.")] for key in keys},
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


def format_bytes(size: int) -> str:
    """10485760 → '10.0 MB' (Django's filesizeformat, with a plain space)."""
    return filesizeformat(size).replace("\xa0", " ")
