"""Public pages that draw on every app: home, program detail, region, company, search.

Every row comes through its model's visibility rule (``Model.objects.published()``, see
``core.publication``): an event under press embargo, its agenda, participants and awards, and a
company's outcomes without its consent appear on no page until they are public. Budgets are
read with the one budget rule (``programs.budget``).
"""

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from core.models import Organization, Person, Region, Source, region_usual_order
from core.templatetags.public import tr_text
from core.views import CHOICE_ERRORS, Citations, public_page, region_choices, valid_filters
from events.models import AgendaItem, Award, Event, EventOrganization, EventParticipant
from indicators.models import StatisticSeries
from programs.budget import headline_subquery, program_budget
from programs.models import (
    BudgetLine,
    Hub,
    Outcome,
    Participation,
    Program,
    ProgramOrganization,
    RegionalParticipation,
    Target,
)
from results.models import FollowUp, ReportingPeriod, ResultUpdate

# Every table a public page may read: a change in any of them changes the pages' ETags.
PUBLIC_MODELS = (
    Region,
    Source,
    Organization,
    Person,
    Company,
    Program,
    ProgramOrganization,
    Hub,
    RegionalParticipation,
    BudgetLine,
    Target,
    ReportingPeriod,
    ResultUpdate,
    FollowUp,
    Participation,
    Outcome,
    Event,
    EventOrganization,
    AgendaItem,
    EventParticipant,
    Award,
    StatisticSeries,
)
EVENT_PAGE_SIZE = 20
DETAIL_LIST_SIZE = 50  # longest list on a detail page; the page says how many there are in all
HOME_LIST_SIZE = 4
SEARCH_LIMIT = 20


# --- shared reads -------------------------------------------------------------------------


def public_outcomes_prefetch(to_attr: str | None = None):
    return Prefetch(
        "outcomes",
        queryset=Outcome.objects.published().select_related("source").order_by("id"),
        to_attr=to_attr,
    )


def public_awards():
    return (
        Award.objects.published()
        .select_related("recipient_company", "recipient_person", "event")
        .prefetch_related(public_outcomes_prefetch(), "sources")
    )


def targets_queryset():
    """Targets with their periods and, per period, the published (approved) updates."""
    return (
        Target.objects.select_related("source")
        .order_by("id")
        .prefetch_related(
            Prefetch(
                "periods",
                queryset=ReportingPeriod.objects.order_by("start", "id").prefetch_related(
                    Prefetch(
                        "updates",
                        queryset=ResultUpdate.objects.published()
                        .select_related("source")
                        .order_by("as_of", "id"),
                    )
                ),
            )
        )
    )


def target_sources(targets):
    """The sources a list of targets cites: each target's, and its approved updates'."""
    for target in targets:
        yield target.source
        for period in target.periods.all():
            for update in period.updates.all():
                yield update.source


def regional_participations_queryset():
    return (
        RegionalParticipation.objects.published()
        .select_related("program", "region", "executing_organization", "official__organization")
        .prefetch_related(
            Prefetch(
                "hubs",
                queryset=Hub.objects.published()
                .select_related("operator")
                .prefetch_related("sources"),
            ),
            Prefetch("targets", queryset=targets_queryset()),
            Prefetch("linked_programs", queryset=Program.objects.published().order_by("name")),
            "sources",
            Prefetch(
                "budget_lines",
                queryset=BudgetLine.objects.select_related("source").order_by("-amount_krw", "id"),
            ),
        )
    )


def headline_budget_total() -> int:
    """Sum over programs of each program's headline figure (one source's figure each).

    Figures of different sources of one program are never added (two sources, one budget),
    and a child program is left out when its parent has a figure of its own (it is part of the
    parent's).
    """
    with_own_figures = BudgetLine.objects.values("program_id")
    total = (
        Program.objects.published()
        .filter(Q(parent__isnull=True) | ~Q(parent_id__in=with_own_figures))
        .annotate(headline=headline_subquery())
        .aggregate(total=Sum("headline"))["total"]
    )
    return total or 0


def by_source_date(line):
    """Budget lines in the order of their sources' publication (undated sources last)."""
    published = line.source.published_at
    return (published is None, published or timezone.now(), line.source_id, line.id)


def has_details(rp) -> bool:
    """Whether a regional participation has more to show than its region and status."""
    return bool(
        rp.strategy_title
        or rp.summary
        or rp.plan_title
        or rp.executing_organization_id
        or rp.official_id
        or rp.budget_krw is not None
        or rp.hubs.all()
        or rp.targets.all()
        or rp.budget_lines.all()
    )


def report_url(program) -> str | None:
    """The per-program XLSX report."""
    try:
        return reverse("program-report", kwargs={"slug": program.slug})
    except NoReverseMatch:
        return None


# --- home -----------------------------------------------------------------------------------


@public_page(models=PUBLIC_MODELS)
def home(request):
    now = timezone.now()
    marked = list(
        RegionalParticipation.objects.published()
        .filter(status=RegionalParticipation.Status.SELECTED)
        .order_by("region__code")
        .values_list("region__code", flat=True)
        .distinct()
    )
    events = Event.objects.published(now).filter(parent__isnull=True).select_related("region")
    featured = (
        Program.objects.published()
        .filter(kind=Program.Kind.PROGRAM, parent__isnull=True)
        .annotate(largest_budget=headline_subquery(), regions_n=Count("regional_participations"))
        .select_related("lead_ministry")
        .order_by("-regions_n", F("largest_budget").desc(nulls_last=True), "name")[:6]
    )
    context = {
        "figures": {
            "programs": Program.objects.published().count(),
            "budget": headline_budget_total(),
            "regions": len(marked),
            "companies": Company.objects.published().count(),
            "awards": Award.objects.published(now).count(),
        },
        "marked_codes": marked,
        "regions": list(Region.objects.in_usual_order()),
        "featured": featured,
        "upcoming": events.upcoming(now)[:HOME_LIST_SIZE],
        "recent": events.past(now)[:HOME_LIST_SIZE],
        "awards": public_awards().order_by(
            "-year", F("recipient_company").asc(nulls_last=True), "-id"
        )[:HOME_LIST_SIZE],
    }
    return render(request, "public/home.html", context)


# --- program detail -------------------------------------------------------------------------


@public_page(models=PUBLIC_MODELS)
def program_detail(request, slug):
    program = get_object_or_404(
        Program.objects.published().select_related("lead_ministry", "parent"), slug=slug
    )
    budget_lines = list(
        program.budget_lines.select_related("source", "regional_participation__region").order_by(
            "-amount_krw", "id"
        )
    )
    budget = program_budget(sorted(budget_lines, key=by_source_date))
    participations = list(
        regional_participations_queryset()
        .filter(program=program)
        .order_by(region_usual_order("region__"), "id")
    )
    targets = list(targets_queryset().filter(program=program))
    companies = list(
        program.participations.select_related("company", "region", "supplier")
        .prefetch_related(public_outcomes_prefetch(to_attr="public_outcomes"))
        .order_by("company__name", "id")[:DETAIL_LIST_SIZE]
    )
    awards_all = public_awards().filter(program=program)
    awards = list(
        awards_all.order_by("-year", F("recipient_company").asc(nulls_last=True), "id")[
            :DETAIL_LIST_SIZE
        ]
    )
    program_events = Event.objects.published().filter(programs=program)
    latest_events = program_events.select_related("region", "parent").order_by("-starts_at", "-id")[
        :DETAIL_LIST_SIZE
    ]
    events = list(reversed(latest_events))  # the most recent ones, oldest first
    linked_from = list(
        RegionalParticipation.objects.published()
        .filter(linked_programs=program)
        .select_related("program", "region")
        .order_by("program__name", "region__code")
    )
    for rp in participations:
        rp.has_details = has_details(rp)
    citations = Citations().add_all(program.sources.all())
    citations.add(*(figure.source for figure in budget.figures))
    citations.add(*(line.source for line in budget_lines))
    for rp in participations:
        citations.add_all(rp.sources.all())
        for hub in rp.hubs.all():
            citations.add_all(hub.sources.all())
        citations.add(*target_sources(rp.targets.all()))
    citations.add(*target_sources(targets))
    for participation in companies:
        citations.add(*(o.source for o in participation.public_outcomes))
    for award in awards:
        citations.add_all(award.sources.all())
    context = {
        "program": program,
        "roles": program.roles.select_related("organization").order_by("role", "id"),
        "budget": budget,
        "budget_lines": budget_lines,
        "participations": participations,
        "detailed_participations": [rp for rp in participations if rp.has_details],
        "marked_codes": [
            rp.region.code
            for rp in participations
            if rp.status == RegionalParticipation.Status.SELECTED
        ],
        "regions": list(Region.objects.in_usual_order()),
        "targets": targets,
        "companies": companies,
        "companies_total": program.participations.count(),
        "awards": awards,
        "awards_total": awards_all.count(),
        "events": events,
        "events_total": program_events.count(),
        "children": list(program.children.order_by("name")[:DETAIL_LIST_SIZE]),
        "related": list(program.related.order_by("name")[:DETAIL_LIST_SIZE]),
        "linked_from": linked_from,
        "linked_by_region": [
            (rp, list(rp.linked_programs.all()))
            for rp in participations
            if rp.linked_programs.all()
        ],
        "citations": citations,
        "report_url": report_url(program),
    }
    return render(request, "public/program_detail.html", context)


# --- region ---------------------------------------------------------------------------------


@public_page(models=PUBLIC_MODELS)
def region_detail(request, code):
    region = get_object_or_404(Region, code=code)
    participations = list(
        regional_participations_queryset().filter(region=region).order_by("program__name")
    )
    citations = Citations()
    for rp in participations:
        citations.add_all(rp.sources.all())
        for hub in rp.hubs.all():
            citations.add_all(hub.sources.all())
        citations.add(*target_sources(rp.targets.all()))
    events = Event.objects.published()
    taking_part = {rp.program_id for rp in participations}
    linked = [
        (other, rp)
        for rp in participations
        for other in rp.linked_programs.all()
        if other.pk not in taking_part
    ]
    context = {
        "region": region,
        "regions": list(Region.objects.in_usual_order()),
        "marked_codes": [region.code],
        "participations": participations,
        # programs the region is linked to (연계 사업), each with the participation linking it
        "linked": sorted(linked, key=lambda pair: (pair[0].name, pair[0].pk)),
        "hubs": list(
            Hub.objects.published()
            .filter(region=region)
            .select_related("operator")
            .annotate(programs_n=Count("regional_participations"))
        ),
        "companies": list(Company.objects.published().filter(region=region).order_by("name")[:50]),
        "companies_total": Company.objects.published().filter(region=region).count(),
        "events": list(
            events.filter(region=region, parent__isnull=True)
            .select_related("region")
            .prefetch_related(
                Prefetch("side_events", queryset=events.order_by("starts_at", "name"))
            )
            .order_by("-starts_at", "id")[:EVENT_PAGE_SIZE]
        ),
        "citations": citations,
    }
    return render(request, "public/region_detail.html", context)


# --- company --------------------------------------------------------------------------------


@public_page(models=PUBLIC_MODELS)
def company_detail(request, pk):
    company = get_object_or_404(Company.objects.published().select_related("region"), pk=pk)
    outcomes = list(
        Outcome.objects.published()
        .filter(company=company)
        .select_related("source", "participation__program")
        .order_by("id")
    )
    awards = list(
        public_awards()
        .filter(recipient_company=company)
        .select_related("program")
        .order_by("-year", "-id")
    )
    participations = list(
        company.participations.select_related("program", "region", "supplier").order_by(
            "-selected_on", "program__name"
        )
    )
    supplied = list(
        company.supplied_participations.select_related("program", "company").order_by(
            "program__name"
        )
    )
    citations = Citations().add(*(o.source for o in outcomes))
    for award in awards:
        citations.add_all(award.sources.all())
    context = {
        "company": company,
        "outcomes": outcomes,
        "awards": awards,
        "participations": participations,
        "supplied": supplied,
        "citations": citations,
    }
    return render(request, "public/company_detail.html", context)


def count_of(queryset, field: str = "region"):
    """A subquery counting the rows of ``queryset`` whose ``field`` is the outer row."""
    counted = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# --- regions --------------------------------------------------------------------------------


@public_page(models=PUBLIC_MODELS)
def region_list(request):
    """All 17 regions in the usual order, each with the programs carried out there."""
    participations = (
        RegionalParticipation.objects.published()
        .select_related("program")
        .order_by("program__name", "id")
    )
    regions = list(
        Region.objects.in_usual_order()
        .annotate(
            hubs_n=count_of(Hub.objects.published()),
            companies_n=count_of(Company.objects.published()),
        )
        .prefetch_related(
            Prefetch("participations", queryset=participations, to_attr="programs_here")
        )
    )
    marked = [
        region.code
        for region in regions
        if any(rp.status == RegionalParticipation.Status.SELECTED for rp in region.programs_here)
    ]
    context = {"regions": regions, "marked_codes": marked}
    return render(request, "public/region_list.html", context)


# --- companies ------------------------------------------------------------------------------

COMPANY_PAGE_SIZE = 20


class CompanyFilterForm(forms.Form):
    """The filters of the company list; an invalid value drops only its own filter."""

    ROLES = (("supplier", _("AI 공급기업")), ("demand", _("AI 수요기업")))

    region = forms.ChoiceField(label=_("지역"), required=False, error_messages=CHOICE_ERRORS)
    size = forms.ChoiceField(label=_("기업 규모"), required=False, error_messages=CHOICE_ERRORS)
    role = forms.ChoiceField(label=_("역할"), required=False, error_messages=CHOICE_ERRORS)
    program = forms.ChoiceField(label=_("사업"), required=False, error_messages=CHOICE_ERRORS)
    awarded = forms.BooleanField(label=_("포상 받은 기업만"), required=False)

    def __init__(self, *args, regions=(), programs=(), **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["region"].choices = [("", _("전체 지역")), *region_choices(regions)]
        self.fields["size"].choices = [("", _("전체 규모")), *Company.Size.choices]
        self.fields["role"].choices = [("", _("전체 역할")), *self.ROLES]
        self.fields["program"].choices = [
            ("", _("전체 사업")),
            *((program.slug, tr_text(program, "name")) for program in programs),
        ]


def filter_companies(queryset, data: dict):
    if data.get("region"):
        queryset = queryset.filter(region__code=data["region"])
    if data.get("size"):
        queryset = queryset.filter(size=data["size"])
    if data.get("role") == "supplier":
        queryset = queryset.filter(is_ai_supplier=True)
    elif data.get("role") == "demand":
        queryset = queryset.filter(is_ai_demand=True)
    if data.get("program"):
        queryset = queryset.filter(
            pk__in=Participation.objects.published()
            .filter(program__slug=data["program"])
            .values("company_id")
        )
    if data.get("awarded"):
        queryset = queryset.filter(
            pk__in=Award.objects.published()
            .filter(recipient_company__isnull=False)
            .values("recipient_company_id")
        )
    return queryset


@public_page(models=PUBLIC_MODELS)
def company_list(request):
    """Companies with filters (region, size, AI role, program), 20 per page."""
    regions = list(Region.objects.in_usual_order())
    programs = list(
        Program.objects.published()
        .filter(pk__in=Participation.objects.published().values("program_id"))
        .order_by("name")
    )
    form = CompanyFilterForm(request.GET or None, regions=regions, programs=programs)
    data = valid_filters(form)
    companies = filter_companies(
        Company.objects.published()
        .select_related("region")
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.published()
                .select_related("program")
                .order_by("program__name", "id"),
                to_attr="public_participations",
            ),
        )
        .annotate(awards_n=count_of(Award.objects.published(), "recipient_company"))
        .order_by("name", "id"),
        data,
    )
    page = Paginator(companies, COMPANY_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page}
    template = (
        "public/company_list_results.html"
        if request.headers.get("HX-Request")
        else "public/company_list.html"
    )
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response
