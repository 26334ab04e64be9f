"""The API's filter backends: django-filter (skipped when no filter is named), search and the
strict ordering. The filters themselves are declared in each app's ``filters.py`` with the
building blocks of ``core.filtering``.
"""

import re

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend, SearchFilter

from core.search import filter_queryset as search_filter_queryset
from core.search import spec_of


class ApiFilterBackend(DjangoFilterBackend):
    """django-filter, skipped when the request names none of the view's filters.

    Building a FilterSet copies every filter and validates a form (about half a millisecond);
    most dashboard requests carry no filter at all.
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is None:
            return queryset
        params = request.query_params
        if not any(name in params for name in filterset_class.base_filters):
            return queryset
        return super().filter_queryset(request, queryset, view)


class ApiSearchFilter(SearchFilter):
    """``search=``: the site's search (``core.search``: morphemes, spacing, aliases such as
    중기부 = 중소벤처기업부) for resources whose model is indexed; words matched
    (case-insensitively) in the view's ``search_fields`` for the others."""

    search_description = _(
        "Words to look for (all must match). Indexed resources (programs, events, hubs, "
        "companies, awards, people, regions, statistics) match like the site search: spacing "
        "and particles ignored, short names and aliases (중기부, 팁스) understood."
    )

    def filter_queryset(self, request, queryset, view):
        terms = self.get_search_terms(request)
        if not terms:
            return queryset
        if spec_of(queryset.model) is not None:
            return search_filter_queryset(queryset, " ".join(terms))
        return super().filter_queryset(request, queryset, view)

    max_terms = 10
    max_length = 200

    def get_schema_operation_parameters(self, view):
        # Documented where it is read: a view without search fields refuses search=
        # (``unknown_parameter``, ApiViewSet.allowed_query_parameters).
        if not getattr(view, "search_fields", None):
            return []
        return super().get_schema_operation_parameters(view)

    def get_search_terms(self, request):
        raw = request.query_params.get(self.search_param, "")
        if len(raw) > self.max_length:
            raise ValidationError(
                {self.search_param: [_("검색어는 %(n)d자까지입니다.") % {"n": self.max_length}]}
            )
        try:
            terms = super().get_search_terms(request)
        except ValidationError as exc:
            raise ValidationError({self.search_param: exc.detail}) from exc
        if len(terms) > self.max_terms:
            raise ValidationError(
                {self.search_param: [_("검색어는 %(n)d개 단어까지입니다.") % {"n": self.max_terms}]}
            )
        return terms


class StrictOrderingFilter(BaseFilterBackend):
    """``ordering=name,-updated_at``: public names mapped to columns; unknown names answer 400.

    The view declares ``ordering_fields = {"public name": "orm__path", ...}`` and a default
    ``ordering``. The primary key is always added last, so pages never overlap or skip rows.
    """

    ordering_param = "ordering"

    def get_ordering(self, request, view) -> list[str]:
        fields: dict = getattr(view, "ordering_fields", {}) or {}
        raw = request.query_params.get(self.ordering_param, "")
        ordering: list[str] = []
        if raw.strip():
            errors = []
            for term in (t.strip() for t in raw.split(",")):
                name = term[1:] if term.startswith("-") else term
                if name not in fields:
                    errors.append(term)
                    continue
                prefix = "-" if term.startswith("-") else ""
                paths = fields[name]
                for path in (paths,) if isinstance(paths, str) else paths:
                    ordering.append(prefix + path)
            if errors:
                raise ValidationError(
                    {
                        self.ordering_param: [
                            _("알 수 없는 정렬 필드: %(bad)s. 다음 중 하나를 쓰세요: %(ok)s.")
                            % {"bad": ", ".join(errors), "ok": ", ".join(sorted(fields))}
                        ]
                    }
                )
        if not ordering:
            ordering = list(view.ordering)
        tiebreaker = getattr(view, "ordering_tiebreaker", "id")
        if tiebreaker not in {o.lstrip("-") for o in ordering}:
            ordering.append(tiebreaker)
        return ordering

    def filter_queryset(self, request, queryset, view):
        from core.api.pagination import _order_expressions

        ordering = self.get_ordering(request, view)
        view.api_ordering = ordering  # the cursor pagination's sort key
        return queryset.order_by(*_order_expressions(ordering))

    def get_schema_operation_parameters(self, view):
        fields = sorted(getattr(view, "ordering_fields", {}) or {})
        if not fields or getattr(view, "action", "list") != "list":
            return []
        names = "|".join(re.escape(f) for f in fields)
        default = ",".join(getattr(view, "ordering_public", None) or [])
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": (
                    "Sort order: comma-separated field names, `-` for descending. "
                    f"Fields: {', '.join(f'`{f}`' for f in fields)}."
                    + (f" Default: `{default}`." if default else "")
                    + " Ties are broken by id, so pages are stable."
                ),
                "schema": {"type": "string", "pattern": f"^-?({names})(,-?({names}))*$"},
            }
        ]
