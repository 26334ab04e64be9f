"""Public program list: filters (status, kind, region, year) and search, with htmx updates."""

from django import forms
from django.core.paginator import Paginator
from django.db.models import Case, F, Prefetch, Q, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _

from core import search as search_index
from core.models import Organization, Region, Source
from core.views import CHOICE_ERRORS, public_page, region_choices, valid_filters

from .budget import figure_count_subquery, headline_subquery
from .models import BudgetLine, Program, RegionalParticipation

PAGE_SIZE = 20
LIST_MODELS = (Program, RegionalParticipation, BudgetLine, Region, Organization, Source)


def year_choices():
    this_year = timezone.localdate().year
    return [("", _("전체 연도"))] + [(y, y) for y in range(this_year + 2, 2019, -1)]


class ProgramFilterForm(forms.Form):
    """The filters of the program list; an invalid value is dropped (not refused) and named
    in a notice."""

    q = forms.CharField(label=_("검색어"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("상태"), required=False, error_messages=CHOICE_ERRORS)
    kind = forms.ChoiceField(label=_("종류"), required=False, error_messages=CHOICE_ERRORS)
    region = forms.ChoiceField(label=_("지역"), required=False, error_messages=CHOICE_ERRORS)
    year = forms.TypedChoiceField(
        label=_("연도"), required=False, error_messages=CHOICE_ERRORS, coerce=int, empty_value=None
    )
    sort = forms.ChoiceField(
        label=_("정렬"),
        required=False,
        error_messages=CHOICE_ERRORS,
        choices=[
            ("", _("기본 (상위 사업 먼저)")),
            ("name", _("이름순")),
            ("newest", _("최신순")),
            ("deadline", _("접수 마감순")),
            ("budget", _("예산 큰 순")),
        ],
    )

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["status"].choices = [("", _("전체 상태")), *Program.Status.choices]
        self.fields["kind"].choices = [("", _("전체 종류")), *Program.Kind.choices]
        self.fields["region"].choices = [("", _("전체 지역")), *region_choices(regions)]
        self.fields["year"].choices = year_choices()


def filter_programs(queryset, data: dict):
    """Apply the cleaned filters; each one narrows the list."""
    if data.get("q"):  # the site search (core.search): spacing, morphemes, aliases
        queryset = search_index.filter_queryset(queryset, data["q"])
    if data.get("status"):
        queryset = queryset.filter(status=data["status"])
    if data.get("kind"):
        queryset = queryset.filter(kind=data["kind"])
    if data.get("region"):
        queryset = queryset.in_region(data["region"])
    if data.get("year"):
        queryset = queryset.active_in_year(data["year"])
    return queryset


def sort_programs(queryset, sort: str):
    """The list in the chosen order; the name and id break ties so pages never overlap.

    - ``name``: by name;
    - ``newest``: latest start (actual, else planned, else the call's opening) first;
    - ``deadline``: calls still open by nearest deadline (접수 마감일), then closed calls by
      latest deadline, then programs without one;
    - ``budget``: the headline figure of ``programs.budget`` (one source's figure), largest
      first, programs without a figure last.
    """
    if sort == "name":
        return queryset.order_by("name", "id")
    if sort == "newest":
        started = Coalesce("actual_start", "planned_start", "application_start")
        return queryset.order_by(started.desc(nulls_last=True), "name", "id")
    if sort == "deadline":
        today = timezone.localdate()
        still_open = Q(application_end__gte=today)
        bucket = Case(
            When(still_open, then=Value(0)),
            When(application_end__isnull=False, then=Value(1)),
            default=Value(2),
        )
        open_deadline = Case(When(still_open, then=F("application_end")))
        return queryset.order_by(
            bucket,
            open_deadline.asc(nulls_last=True),
            F("application_end").desc(nulls_last=True),
            "name",
            "id",
        )
    if sort == "budget":
        return queryset.order_by(F("largest_budget").desc(nulls_last=True), "name", "id")
    return queryset


def program_list_queryset():
    selected = RegionalParticipation.objects.filter(
        status=RegionalParticipation.Status.SELECTED
    ).select_related("region")
    return (
        Program.objects.published()
        .select_related("lead_ministry", "parent")
        .annotate(largest_budget=headline_subquery(), budget_figures=figure_count_subquery())
        .prefetch_related(
            Prefetch("regional_participations", queryset=selected, to_attr="selected_regions"),
            # regions whose participation in another program links this one (연계 사업)
            Prefetch(
                "linked_from_participations",
                queryset=RegionalParticipation.objects.select_related("region").order_by(
                    "region__code", "id"
                ),
                to_attr="linking_participations",
            ),
        )
        .order_by(F("parent").asc(nulls_first=True), "name", "id")
    )


@public_page(models=LIST_MODELS)
def program_list(request):
    regions = list(Region.objects.in_usual_order())
    form = ProgramFilterForm(request.GET or None, regions=regions)
    data = valid_filters(form)
    programs = sort_programs(filter_programs(program_list_queryset(), data), data.get("sort", ""))
    page = Paginator(programs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "filtered": any(data.get(k) for k in ("q", "status", "kind", "region", "year")),
    }
    if request.headers.get("HX-Request"):
        response = render(request, "public/program_list_results.html", context)
    else:
        response = render(request, "public/program_list.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response
