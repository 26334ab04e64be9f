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
    text = raw.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 30:
        raise ValidationError({name: [_("A whole number is required.")]})
    value = int(text)
    if value < low or (high is not None and value > high):
        limit = f"{low}–{high}" if high is not None else f"≥ {low}"
        raise ValidationError({name: [_("Must be in the range %(limit)s.") % {"limit": limit}]})
    return value
