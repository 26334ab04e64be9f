"""Request parsers: strict JSON through orjson, with a size limit checked before parsing."""

import orjson
from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import BaseParser

from core.formatting import format_bytes


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"


def max_json_bytes() -> int:
    return getattr(settings, "API_MAX_JSON_BYTES", 1024 * 1024)


class ORJSONParser(BaseParser):
    """``application/json``; malformed JSON, invalid UTF-8, lone surrogates and NaN answer 400.

    A body over ``API_MAX_JSON_BYTES`` answers 413 without being parsed: by its Content-Length
    when given, else after reading one byte more than the limit."""

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        limit = max_json_bytes()
        request = (parser_context or {}).get("request")
        declared = 0
        if request is not None:
            try:
                declared = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                declared = 0
        if declared > limit:
            raise self.too_large(declared, limit)
        data = stream.read(limit + 1) if stream is not None else b""
        if len(data) > limit:
            raise self.too_large(None, limit)
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc

    @staticmethod
    def too_large(size: int | None, limit: int) -> RequestTooLarge:
        if size is None:
            message = _("JSON 본문이 너무 큽니다. 최대 %(limit)s까지 받습니다.")
        else:
            message = _("JSON 본문이 너무 큽니다(%(size)s). 최대 %(limit)s까지 받습니다.")
        return RequestTooLarge(
            message % {"size": format_bytes(size or 0), "limit": format_bytes(limit)}
        )
