from django.core.paginator import InvalidPage
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination as BasePageNumberPagination


class PageNumberPagination(BasePageNumberPagination):
    """`page` and `page_size` (max 500); answers {count, next, previous, results}.

    Unlike DRF's default, a malformed `page` or `page_size` answers 400 with the parameter's
    error instead of being ignored; a page past the end answers 404.
    """

    page_size_query_param = "page_size"
    max_page_size = 500
    page_query_description = _("Page number, from 1. A page past the end answers 404.")
    page_size_query_description = _("Rows per page, 1–500 (default 50).")

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        return _bounded_int(self.page_size_query_param, raw, 1, self.max_page_size)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is None or raw == "":
            return 1
        if raw in self.last_page_strings:
            return paginator.num_pages
        if len(raw) > 30 and raw.isascii() and raw.isdigit():
            raise NotFound(
                self.invalid_page_message.format(page_number=raw, message="past the end")
            )
        return _bounded_int(self.page_query_param, raw, 1, None)

    def paginate_queryset(self, queryset, request, view=None, count_queryset=None):
        """A page of ``queryset``; ``count_queryset`` (e.g. the model rows before ``values()``
        added the joins of nested references) is counted instead when given."""
        self.request = request
        page_size = self.get_page_size(request)
        paginator = self.django_paginator_class(queryset, page_size)
        if count_queryset is not None:
            paginator.count = count_queryset.count()  # Paginator.count is a cached_property
        page_number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(page_number)
        except InvalidPage as exc:
            raise NotFound(
                self.invalid_page_message.format(page_number=page_number, message=str(exc))
            ) from exc
        return list(self.page)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": str(self.page_query_description),
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": str(self.page_size_query_description),
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {"type": "integer", "minimum": 0, "example": 123},
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "example": "http://127.0.0.1:8000/api/v1/programs/?page=3",
                },
                "previous": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "example": "http://127.0.0.1:8000/api/v1/programs/?page=1",
                },
                "results": schema,
            },
        }


def _bounded_int(name: str, raw: str, low: int, high: int | None) -> int:
    """``raw`` as a whole number in low..high; else one message saying the allowed range
    (also for "-1" or "x", which are not refused for a different reason)."""
    text = raw.strip()
    value = int(text) if text.isascii() and text.isdigit() and len(text) <= 30 else None
    if value is None or value < low or (high is not None and value > high):
        label = {"page_size": _("페이지 크기"), "page": _("페이지")}.get(name, name)
        if high is None:
            message = _("%(name)s는 %(low)d 이상의 정수여야 합니다.")
        else:
            message = _("%(name)s는 %(low)d부터 %(high)d까지의 정수여야 합니다.")
        raise ValidationError({name: [message % {"name": label, "low": low, "high": high}]})
    return value
