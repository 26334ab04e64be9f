"""Pagination of every API list: keyset cursors (``?cursor=``) and page numbers (``?page=``).

* **Cursor** (the default: ``next``/``previous`` of a list without ``page`` are cursor links):
  the cursor is an opaque token holding the sort key of the last (or first) row shown; the
  next page is ``WHERE (sort key) > (that key) ORDER BY sort key LIMIT n``, so page 190 costs
  what page 1 does (no ``OFFSET`` that grows with the depth). It follows the list's ordering
  (``ordering=``, ties broken by id) and its filters; a cursor made for another ordering
  answers 400.
* **Page number** (``?page=``, kept for compatibility): ``OFFSET``; a page past the end 404.

Both answer ``{count, next, previous, results}`` and an RFC 8288 ``Link`` header with
``rel="next"``, ``rel="prev"`` and ``rel="first"``.
"""

import base64
import binascii
import datetime
import decimal
import hashlib

import orjson
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import InvalidPage
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.pagination import PageNumberPagination as BasePageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

CURSOR_PARAM = "cursor"


class PageNumberPagination(BasePageNumberPagination):
    """`page` and `page_size` (max 500); answers {count, next, previous, results}.

    Unlike DRF's default, a malformed `page` or `page_size` answers 400 with the parameter's
    error instead of being ignored; a page past the end answers 404.
    """

    page_size_query_param = "page_size"
    max_page_size = 500
    page_query_description = _(
        "Page number, from 1 (offset pagination, kept for compatibility; prefer `cursor`). "
        "A page past the end answers 404."
    )
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
            raise NotFound(_past_the_end())
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
            raise NotFound(_past_the_end()) from exc
        return list(self.page)

    def get_first_link(self):
        url = self.request.build_absolute_uri()
        return remove_query_param(url, self.page_query_param)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        _add_link_header(response, self.get_next_link(), self.get_previous_link(), self)
        return response

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
                    "example": "http://127.0.0.1:8000/api/v1/programs/?cursor=WyJ2IixbMTJdXQ",
                },
                "previous": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "example": "http://127.0.0.1:8000/api/v1/programs/?cursor=WyJwIixbMTFdXQ",
                },
                "results": schema,
            },
        }


class ApiPagination(BasePagination):
    """Cursor pagination unless the request names ``page`` (then page numbers).

    The view's ordering filter leaves the effective ordering as ``view.api_ordering`` (a list
    of ``"-path"``/``"path"`` ending with a unique tie-breaker); the list reads the
    ordering's values (``cursor_columns``) with each row to build the cursors.
    """

    page_query_param = "page"
    page_size_query_param = "page_size"
    cursor_query_param = CURSOR_PARAM
    cursor_query_description = _(
        "Opaque position in the list, taken from `next`/`previous` or the `Link` header. "
        "Without `page`, lists are paged by cursor: deep pages cost what the first does."
    )
    max_page_size = PageNumberPagination.max_page_size
    page_size = PageNumberPagination.page_size

    def __init__(self):
        self.numbers = PageNumberPagination()
        self.mode = "cursor"

    # --- which mode ---------------------------------------------------------------------------

    def is_numbered(self, request) -> bool:
        return request.query_params.get(self.page_query_param, "") != ""

    def query_params(self) -> tuple[str, ...]:
        """The query parameters pagination reads (for the strict-parameter check)."""
        return (self.page_query_param, self.page_size_query_param, self.cursor_query_param)

    def is_paged(self, request) -> bool:
        """Whether the request asked for one page (a CSV without these is every row)."""
        return any(request.query_params.get(p, "") != "" for p in self.query_params())

    # --- cursor columns -----------------------------------------------------------------------

    @staticmethod
    def cursor_columns(view) -> list[str]:
        return [term.lstrip("-") for term in getattr(view, "api_ordering", ["id"])]

    def paginate_queryset(
        self, queryset, request, view=None, count_queryset=None, key_positions=()
    ):
        """The page's rows. ``key_positions``: where each ``cursor_columns`` value is in a row."""
        self.request = request
        if self.is_numbered(request):
            if request.query_params.get(self.cursor_query_param, "") != "":
                raise ValidationError(
                    {
                        self.cursor_query_param: [
                            _("cursor와 page는 함께 쓸 수 없습니다. 하나만 쓰세요.")
                        ]
                    },
                    code="invalid_parameter",
                )
            self.mode = "page"
            return self.numbers.paginate_queryset(
                queryset, request, view=view, count_queryset=count_queryset
            )
        self.mode = "cursor"
        self.page_size_value = self.numbers.get_page_size(request)
        ordering = list(getattr(view, "api_ordering", ["id"]))
        self.ordering = ordering
        model = (count_queryset if count_queryset is not None else queryset).model
        nullable = [_is_nullable(model, term.lstrip("-")) for term in ordering]
        cursor = self.decode_cursor(request, ordering)
        self.count = (count_queryset if count_queryset is not None else queryset).count()
        n = self.page_size_value
        reverse = bool(cursor and cursor["back"])
        if cursor is not None:
            condition = _after_q(ordering, nullable, cursor["key"], reverse)
            queryset = queryset.filter(condition)
        if reverse:
            queryset = queryset.order_by(*_order_expressions(_reversed(ordering)))
        try:
            rows = list(queryset[: n + 1])
        except (ValueError, TypeError, DjangoValidationError) as exc:
            raise _bad_cursor() from exc
        more = len(rows) > n
        rows = rows[:n]
        if reverse:
            rows.reverse()
        keys = [[row[p] for p in key_positions] for row in rows] if key_positions else []
        self.next_key = self.prev_key = None
        if keys:
            if reverse:  # rows before the cursor: more before them, and the cursor's row after
                self.prev_key = keys[0] if more else None
                self.next_key = keys[-1]
            else:
                self.next_key = keys[-1] if more else None
                self.prev_key = keys[0] if cursor is not None else None
        return rows

    def encode_cursor(self, key: list, back: bool) -> str:
        payload = orjson.dumps(
            ["p" if back else "n", [_jsonable(v) for v in key], _ordering_tag(self.ordering)]
        )
        return base64.urlsafe_b64encode(payload).decode().rstrip("=")

    def decode_cursor(self, request, ordering: list[str]) -> dict | None:
        raw = request.query_params.get(self.cursor_query_param, "")
        if raw == "":
            return None
        try:
            padded = raw + "=" * (-len(raw) % 4)
            direction, key, cursor_ordering = orjson.loads(base64.urlsafe_b64decode(padded))
        except (ValueError, TypeError, binascii.Error, orjson.JSONDecodeError) as exc:
            raise _bad_cursor() from exc
        if (
            direction not in ("n", "p")
            or not isinstance(key, list)
            or len(key) != len(ordering)
            or not all(v is None or isinstance(v, str | int | float) for v in key)
        ):
            raise _bad_cursor()
        if cursor_ordering != _ordering_tag(ordering):
            raise ValidationError(
                {
                    self.cursor_query_param: [
                        _(
                            "이 cursor는 다른 정렬(ordering)의 목록에서 나왔습니다. 같은 ordering으로 "
                            "요청하거나 cursor 없이 처음부터 읽으세요."
                        )
                    ]
                },
                code="invalid_cursor",
            )
        return {"back": direction == "p", "key": key}

    # --- links --------------------------------------------------------------------------------

    def base_url(self) -> str:
        url = self.request.build_absolute_uri()
        return remove_query_param(url, self.cursor_query_param)

    def get_next_link(self):
        if self.mode == "page":
            return self.numbers.get_next_link()
        if self.next_key is None:
            return None
        return replace_query_param(
            self.base_url(), self.cursor_query_param, self.encode_cursor(self.next_key, False)
        )

    def get_previous_link(self):
        if self.mode == "page":
            return self.numbers.get_previous_link()
        if self.prev_key is None:
            return None
        return replace_query_param(
            self.base_url(), self.cursor_query_param, self.encode_cursor(self.prev_key, True)
        )

    def get_first_link(self):
        if self.mode == "page":
            return self.numbers.get_first_link()
        return self.base_url()

    def get_paginated_response(self, data):
        count = self.numbers.page.paginator.count if self.mode == "page" else self.count
        next_link, previous_link = self.get_next_link(), self.get_previous_link()
        response = Response(
            {"count": count, "next": next_link, "previous": previous_link, "results": data}
        )
        _add_link_header(response, next_link, previous_link, self)
        return response

    def get_page_size(self, request):
        return self.numbers.get_page_size(request)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": str(self.cursor_query_description),
                "schema": {"type": "string", "pattern": "^[-A-Za-z0-9_]{1,2000}$"},
            },
            *self.numbers.get_schema_operation_parameters(view),
        ]

    def get_paginated_response_schema(self, schema):
        return self.numbers.get_paginated_response_schema(schema)


def _add_link_header(response, next_link, prev_link, paginator) -> None:
    """RFC 8288 ``Link``: next, prev and first."""
    links = []
    if next_link:
        links.append(f'<{next_link}>; rel="next"')
    if prev_link:
        links.append(f'<{prev_link}>; rel="prev"')
    links.append(f'<{paginator.get_first_link()}>; rel="first"')
    response["Link"] = ", ".join(links)


def _past_the_end() -> str:
    return _("페이지가 목록의 끝을 지났습니다. next 링크가 null이 될 때까지만 따라가세요.")


def _bad_cursor() -> ValidationError:
    return ValidationError(
        {
            CURSOR_PARAM: [
                _(
                    "cursor가 올바르지 않습니다. 목록 응답의 next·previous 링크에 있는 값을 그대로 쓰세요."
                )
            ]
        },
        code="invalid_cursor",
    )


def _ordering_tag(ordering: list[str]) -> str:
    """A short fingerprint of the ordering a cursor was made for."""
    return hashlib.blake2b(",".join(ordering).encode(), digest_size=4).hexdigest()


def _jsonable(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def _is_nullable(model, path: str) -> bool:
    """Whether the column at ``path`` (``region__code``) can be NULL for a row of ``model``."""
    current = model
    for part in path.split("__"):
        try:
            f = current._meta.get_field(part)
        except FieldDoesNotExist:
            return True
        if getattr(f, "null", False):
            return True
        if f.is_relation and f.related_model is not None:
            if f.one_to_many or f.many_to_many:
                return True
            current = f.related_model
    return False


def _reversed(ordering: list[str]) -> list[str]:
    return [t[1:] if t.startswith("-") else f"-{t}" for t in ordering]


def _order_expressions(ordering: list[str]) -> list:
    """``ordering`` as expressions with PostgreSQL's NULL placement on every database:
    ascending NULLs last, descending NULLs first (so a key comparison is the same order)."""
    out = []
    for term in ordering:
        if term.startswith("-"):
            out.append(F(term[1:]).desc(nulls_first=True))
        else:
            out.append(F(term).asc(nulls_last=True))
    return out


def _after_q(ordering: list[str], nullable: list[bool], key: list, reverse: bool) -> Q:
    """Rows strictly after ``key`` in ``ordering`` (strictly before when ``reverse``):
    (a > x) OR (a = x AND b > y) OR ..., with NULLs where ``_order_expressions`` puts them.

    When the first term bounds the rest (``a >= x``), the condition is written as ``a >= x
    AND (a > x OR (b, ...) after (y, ...))``: the same rows, but PostgreSQL starts the index
    scan of ``a`` at the cursor instead of filtering every row before it, and estimates the
    rows left well enough to keep reading the index in order — page 190 costs what page 1
    does."""
    terms = [
        _term(term, can_be_null, value, reverse)
        for term, can_be_null, value in zip(ordering, nullable, key, strict=True)
    ]
    bound = _leading_bound(ordering, nullable, key, reverse)
    if bound is not None:
        return bound & (terms[0][0] | _chain(terms[1:]))
    return _chain(terms)


def _term(term: str, can_be_null: bool, value, reverse: bool) -> tuple[Q, Q]:
    """(rows after ``value`` in this term, rows equal to it)."""
    path = term.lstrip("-")
    descending = term.startswith("-") != reverse
    # In the direction read, ascending has NULLs last and descending NULLs first (read
    # backwards, the mirror image: the same rule on the reversed terms).
    nulls_last = not descending
    if value is None:
        greater = Q(**{f"{path}__isnull": False}) if not nulls_last else Q(pk__in=[])
        return greater, Q(**{f"{path}__isnull": True})
    greater = Q(**{f"{path}__{'lt' if descending else 'gt'}": value})
    if can_be_null and nulls_last:
        greater |= Q(**{f"{path}__isnull": True})
    return greater, Q(**{path: value})


def _chain(terms: list[tuple[Q, Q]]) -> Q:
    """(a after x) OR (a = x AND b after y) OR ...; nothing for no terms."""
    condition = Q(pk__in=[])
    equal = Q()
    for greater, same in terms:
        condition |= equal & greater
        equal &= same
    return condition


def _leading_bound(ordering: list[str], nullable: list[bool], key: list, reverse: bool):
    """``a >= x`` (``<=`` descending) for the first term, when every row after ``key`` meets
    it and it can bound an index scan; None otherwise (a NULL key, or an ascending nullable
    column, whose NULLs come after the cursor: ``>= x OR IS NULL`` bounds nothing)."""
    path, value = ordering[0].lstrip("-"), key[0]
    if value is None:
        return None
    if ordering[0].startswith("-") != reverse:  # descending: NULLs came first, before it
        return Q(**{f"{path}__lte": value})
    return None if nullable[0] else Q(**{f"{path}__gte": value})


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
