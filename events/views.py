"""Public pages that draw on every app: home, program detail, region, company, events, search.

They live in the top app because they read events and awards next to programs and companies
(apps depend one way only: core ← companies ← programs ← events).
"""

import datetime

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q, Sum
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from core.models import Organization, Person, Region, Source
from core.templatetags.public import choice_label
from core.views import CHOICE_ERRORS, Citations, public_page, region_choices, valid_filters
from indicators.models import StatisticSeries
from programs.budget import largest_figure_subquery
from programs.models import (
    BudgetLine,
    Hub,
    Outcome,
    Participation,
    Program,
    ProgramOrganization,
    RegionalParticipation,
    Target,
    TargetActual,
)

from .models import SEOUL, AgendaItem, Award, Event, EventOrganization, EventParticipant

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
    TargetActual,
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


def published_outcomes(queryset):
    """Company-level outcomes the public may see: consented participations, or none (award-cited)."""
    return queryset.filter(
        Q(participation__isnull=True) | Q(participation__consent_to_publish=True)
    )


def public_outcomes_prefetch():
    return Prefetch("outcomes", queryset=published_outcomes(Outcome.objects.order_by("id")))


def targets_queryset():
    return (
        Target.objects.select_related("source")
        .order_by("id")
        .prefetch_related(
            Prefetch(
                "actuals",
                queryset=TargetActual.objects.select_related("source").order_by("period_end", "id"),
            )
        )
    )


def regional_participations_queryset():
    return RegionalParticipation.objects.select_related(
        "program", "region", "executing_organization", "official__organization"
    ).prefetch_related(
        Prefetch(
            "hubs", queryset=Hub.objects.select_related("operator").prefetch_related("sources")
        ),
        Prefetch("targets", queryset=targets_queryset()),
        Prefetch("linked_programs", queryset=Program.objects.order_by("name")),
        "sources",
        Prefetch(
            "budget_lines",
            queryset=BudgetLine.objects.select_related("source").order_by("-amount_krw", "id"),
        ),
    )


def largest_budget_subquery():
    """The public rule for a program's figure (``programs.budget``, shared with the API)."""
    return largest_figure_subquery()


def headline_budget() -> int:
    """Sum over programs of the largest figure any source states for each.

    Conflicting figures of one program are not added up (two sources, one budget), and a child
    program is left out when its parent has a figure of its own (it is part of the parent's).
    """
    with_own_figures = BudgetLine.objects.values("program_id")
    total = (
        Program.objects.filter(Q(parent__isnull=True) | ~Q(parent_id__in=with_own_figures))
        .annotate(largest=largest_budget_subquery())
        .aggregate(total=Sum("largest"))["total"]
    )
    return total or 0


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
    """The per-program XLSX report, once the background-jobs work provides it."""
    try:
        return reverse("program-report", kwargs={"slug": program.slug})
    except NoReverseMatch:
        return None


def budget_comparison(lines):
    """Group program-level figures by fiscal year / period; a group with several sources is a
    comparison of the same budget as the sources state it, shown side by side."""
    groups: dict[str, list] = {}
    for line in lines:
        if line.regional_participation_id:
            continue
        groups.setdefault(line.period_display, []).append(line)
    return [
        {"period": period, "lines": group, "disagree": len({ln.source_id for ln in group}) > 1}
        for period, group in groups.items()
    ]


# --- home -----------------------------------------------------------------------------------


@public_page(models=PUBLIC_MODELS)
def home(request):
    now = timezone.now()
    marked = list(
        RegionalParticipation.objects.filter(status=RegionalParticipation.Status.SELECTED)
        .order_by("region__code")
        .values_list("region__code", flat=True)
        .distinct()
    )
    events = Event.objects.filter(parent__isnull=True).select_related("region")
    featured = (
        Program.objects.filter(kind=Program.Kind.PROGRAM, parent__isnull=True)
        .annotate(
            largest_budget=largest_budget_subquery(), regions_n=Count("regional_participations")
        )
        .select_related("lead_ministry")
        .order_by("-regions_n", "-largest_budget", "name")[:6]
    )
    context = {
        "figures": {
            "programs": Program.objects.count(),
            "budget": headline_budget(),
            "regions": len(marked),
            "companies": Company.objects.count(),
            "awards": Award.objects.count(),
        },
        "marked_codes": marked,
        "regions": list(Region.objects.all()),
        "featured": featured,
        "upcoming": events.upcoming(now)[:HOME_LIST_SIZE],
        "recent": events.past(now)[:HOME_LIST_SIZE],
        "awards": Award.objects.select_related("recipient_company", "recipient_person", "event")
        .prefetch_related(public_outcomes_prefetch(), "sources")
        .order_by("-year", F("recipient_company").asc(nulls_last=True), "-id")[:HOME_LIST_SIZE],
    }
    return render(request, "public/home.html", context)


# --- program detail -------------------------------------------------------------------------


@public_page(models=PUBLIC_MODELS)
def program_detail(request, slug):
    program = get_object_or_404(
        Program.objects.select_related("lead_ministry", "parent"), slug=slug
    )
    budget_lines = list(
        program.budget_lines.select_related("source", "regional_participation__region").order_by(
            "-amount_krw", "id"
        )
    )
    participations = list(
        regional_participations_queryset().filter(program=program).order_by("region__code")
    )
    targets = list(targets_queryset().filter(program=program))
    companies = list(
        program.participations.select_related("company", "region", "supplier")
        .prefetch_related(
            Prefetch(
                "outcomes",
                queryset=published_outcomes(Outcome.objects.select_related("source")).order_by(
                    "id"
                ),
                to_attr="public_outcomes",
            )
        )
        .order_by("company__name", "id")[:DETAIL_LIST_SIZE]
    )
    awards = list(
        Award.objects.filter(program=program)
        .select_related("recipient_company", "recipient_person", "event")
        .prefetch_related(public_outcomes_prefetch(), "sources")
        .order_by("-year", F("recipient_company").asc(nulls_last=True), "id")[:DETAIL_LIST_SIZE]
    )
    latest_events = (
        Event.objects.filter(programs=program)
        .select_related("region", "parent")
        .order_by("-starts_at", "-id")[:DETAIL_LIST_SIZE]
    )
    events = list(reversed(latest_events))  # the most recent ones, oldest first
    linked_from = list(
        RegionalParticipation.objects.filter(linked_programs=program)
        .select_related("program", "region")
        .order_by("program__name", "region__code")
    )
    for rp in participations:
        rp.has_details = has_details(rp)
    citations = Citations().add_all(program.sources.all())
    citations.add(*(line.source for line in budget_lines))
    for rp in participations:
        citations.add_all(rp.sources.all())
        for hub in rp.hubs.all():
            citations.add_all(hub.sources.all())
        citations.add(*(t.source for t in rp.targets.all()))
    citations.add(*(t.source for t in targets))
    for participation in companies:
        citations.add(*(o.source for o in participation.public_outcomes))
    for award in awards:
        citations.add_all(award.sources.all())
    context = {
        "program": program,
        "roles": program.roles.select_related("organization").order_by("role", "id"),
        "budget_groups": budget_comparison(budget_lines),
        "budget_lines": budget_lines,
        "participations": participations,
        "detailed_participations": [rp for rp in participations if rp.has_details],
        "marked_codes": [
            rp.region.code
            for rp in participations
            if rp.status == RegionalParticipation.Status.SELECTED
        ],
        "regions": list(Region.objects.all()),
        "targets": targets,
        "companies": companies,
        "companies_total": program.participations.count(),
        "awards": awards,
        "awards_total": Award.objects.filter(program=program).count(),
        "events": events,
        "events_total": Event.objects.filter(programs=program).count(),
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
        citations.add(*(t.source for t in rp.targets.all()))
    context = {
        "region": region,
        "regions": list(Region.objects.all()),
        "marked_codes": [region.code],
        "participations": participations,
        "hubs": list(
            Hub.objects.filter(region=region)
            .select_related("operator")
            .annotate(programs_n=Count("regional_participations"))
        ),
        "companies": list(Company.objects.filter(region=region).order_by("name")[:50]),
        "companies_total": Company.objects.filter(region=region).count(),
        "events": list(
            Event.objects.filter(region=region, parent__isnull=True)
            .select_related("region")
            .prefetch_related(
                Prefetch("side_events", queryset=Event.objects.order_by("starts_at", "name"))
            )
            .order_by("-starts_at", "id")[:EVENT_PAGE_SIZE]
        ),
        "citations": citations,
    }
    return render(request, "public/region_detail.html", context)


# --- company --------------------------------------------------------------------------------


@public_page(models=PUBLIC_MODELS)
def company_detail(request, pk):
    company = get_object_or_404(Company.objects.select_related("region"), pk=pk)
    outcomes = list(
        published_outcomes(company.outcomes.all())
        .select_related("source", "participation__program")
        .order_by("id")
    )
    awards = list(
        company.awards.select_related("event", "program")
        .prefetch_related(public_outcomes_prefetch(), "sources")
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


# --- events ---------------------------------------------------------------------------------


# Months the event filter accepts: far wider than any event, narrow enough that the first and
# the following month are dates Python and both databases can hold (0000-01 and 9999-12 are not).
MONTH_YEARS = range(1900, 3000)


class EventFilterForm(forms.Form):
    """The filters of the event list; an invalid value is dropped and named in a notice."""

    kind = forms.ChoiceField(label=_("종류"), required=False, error_messages=CHOICE_ERRORS)
    region = forms.ChoiceField(label=_("지역"), required=False, error_messages=CHOICE_ERRORS)
    month = forms.RegexField(
        label=_("월"),
        required=False,
        regex=r"^[0-9]{4}-(0[1-9]|1[0-2])$",
        error_messages={"invalid": _("2025-11처럼 연도 네 자리와 월 두 자리로 적어 주세요.")},
        widget=forms.DateInput(attrs={"type": "month", "aria-describedby": "month-help"}),
    )

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["kind"].choices = [("", _("전체 종류")), *Event.Kind.choices]
        self.fields["region"].choices = [("", _("전체 지역")), *region_choices(regions)]

    def clean_month(self):
        month = self.cleaned_data["month"]
        if month and int(month[:4]) not in MONTH_YEARS:
            raise forms.ValidationError(
                _("%(first)d년부터 %(last)d년 사이의 월을 골라 주세요."),
                code="out_of_range",
                params={"first": MONTH_YEARS[0], "last": MONTH_YEARS[-1]},
            )
        return month


def filter_events(queryset, data: dict):
    if data.get("kind"):
        queryset = queryset.filter(kind=data["kind"])
    else:
        queryset = queryset.filter(parent__isnull=True)
    if data.get("region"):
        queryset = queryset.filter(region__code=data["region"])
    if data.get("month"):
        year, month = (int(part) for part in data["month"].split("-"))
        start = datetime.datetime(year, month, 1, tzinfo=SEOUL)
        end = datetime.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=SEOUL)
        queryset = queryset.filter(starts_at__gte=start, starts_at__lt=end)
    return queryset


@public_page(models=PUBLIC_MODELS)
def event_list(request):
    regions = list(Region.objects.all())
    form = EventFilterForm(request.GET or None, regions=regions)
    data = valid_filters(form)
    now = timezone.now()
    events = filter_events(
        Event.objects.select_related("region", "parent").prefetch_related(
            Prefetch("side_events", queryset=Event.objects.order_by("starts_at", "name"))
        ),
        data,
    )
    context = {
        "form": form,
        "filtered": bool(data),
        "upcoming": list(events.upcoming(now)[:EVENT_PAGE_SIZE]),
        "past": Paginator(events.past(now), EVENT_PAGE_SIZE).get_page(request.GET.get("page")),
    }
    if request.headers.get("HX-Request"):
        response = render(request, "public/event_list_results.html", context)
    else:
        response = render(request, "public/event_list.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


ROLE_ORDER = [
    EventParticipant.Role.HOST,
    EventParticipant.Role.SPEAKER,
    EventParticipant.Role.PRESENTER,
    EventParticipant.Role.DISCUSSANT,
    EventParticipant.Role.GUEST,
    EventParticipant.Role.AWARDEE,
    EventParticipant.Role.ATTENDEE,
]


@public_page(models=PUBLIC_MODELS)
def event_detail(request, slug):
    event = get_object_or_404(Event.objects.select_related("region", "parent"), slug=slug)
    participants = (
        event.participants.filter(is_public=True)
        .exclude(role=EventParticipant.Role.PRESS_CONTACT)
        .select_related("person__organization", "organization")
        .order_by("order", "id")
    )
    by_role: dict[str, list] = {}
    for participant in participants:
        by_role.setdefault(participant.role, []).append(participant)
    groups = [
        {
            "label": choice_label(
                "eventparticipant", "role", role, EventParticipant.Role(role).label
            ),
            "people": by_role[role],
        }
        for role in ROLE_ORDER
        if role in by_role
    ]
    awards = list(
        event.awards.select_related("recipient_company", "recipient_person", "event")
        .prefetch_related(public_outcomes_prefetch(), "sources")
        .order_by("name", "id")
    )
    citations = Citations().add_all(event.sources.all())
    for award in awards:
        citations.add_all(award.sources.all())
    context = {
        "event": event,
        "roles": event.event_roles.select_related("organization").order_by("role", "id"),
        "agenda": event.agenda_items.select_related(
            "presenter_organization", "presenter_person"
        ).order_by("order"),
        "side_events": event.side_events.select_related("region").order_by("starts_at", "name"),
        "siblings": (
            event.parent.side_events.exclude(pk=event.pk).order_by("starts_at", "name")
            if event.parent_id
            else []
        ),
        "participant_groups": groups,
        "programs": event.programs.order_by("name"),
        "awards": awards,
        "citations": citations,
        "now": timezone.now(),
    }
    return render(request, "public/event_detail.html", context)


# --- search ---------------------------------------------------------------------------------


@public_page(models=PUBLIC_MODELS)
def search(request):
    # NUL cannot be sent to PostgreSQL in a query parameter (and no name contains it).
    q = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    results = {}
    if q:
        results = {
            "programs": list(
                Program.objects.filter(
                    Q(name__icontains=q)
                    | Q(name_en__icontains=q)
                    | Q(short_name__icontains=q)
                    | Q(summary__icontains=q)
                    | Q(summary_en__icontains=q)
                ).order_by("name")[:SEARCH_LIMIT]
            ),
            "regions": list(
                Region.objects.filter(
                    Q(name__icontains=q) | Q(short_name__icontains=q) | Q(name_en__icontains=q)
                )
            ),
            "events": list(
                Event.objects.filter(
                    Q(name__icontains=q)
                    | Q(name_en__icontains=q)
                    | Q(venue_name__icontains=q)
                    | Q(summary__icontains=q)
                ).order_by("-starts_at")[:SEARCH_LIMIT]
            ),
            "companies": list(
                Company.objects.filter(
                    Q(name__icontains=q) | Q(name_en__icontains=q) | Q(industry__icontains=q)
                )
                .select_related("region")
                .order_by("name")[:SEARCH_LIMIT]
            ),
            "awards": list(
                Award.objects.filter(
                    Q(name__icontains=q)
                    | Q(name_en__icontains=q)
                    | Q(recipient_company__name__icontains=q)
                    | Q(citation__icontains=q)
                )
                .select_related("recipient_company")
                .order_by("-year", "name")[:SEARCH_LIMIT]
            ),
            "statistics": list(
                StatisticSeries.objects.filter(
                    Q(name__icontains=q) | Q(name_en__icontains=q) | Q(description__icontains=q)
                ).order_by("name")[:SEARCH_LIMIT]
            ),
        }
    context = {"q": q, "results": results, "total": sum(len(v) for v in results.values())}
    return render(request, "public/search.html", context)
