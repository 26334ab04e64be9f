"""Public event pages: the list (filters, upcoming and past) and each event with its agenda,
participants, side events and awards — every row through its visibility rule (an event under
press embargo is nowhere until the embargo passes)."""

import datetime

from django import forms
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _

from core.models import Organization, Person, Region, Source
from core.templatetags.public import choice_label
from core.views import CHOICE_ERRORS, Citations, public_page, region_choices, valid_filters
from programs.models import Outcome, Program

from .models import SEOUL, AgendaItem, Award, Event, EventOrganization, EventParticipant

EVENT_MODELS = (
    Region,
    Source,
    Organization,
    Person,
    Program,
    Outcome,
    Event,
    EventOrganization,
    AgendaItem,
    EventParticipant,
    Award,
)
EVENT_PAGE_SIZE = 20


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


@public_page(models=EVENT_MODELS)
def event_list(request):
    regions = list(Region.objects.in_usual_order())
    form = EventFilterForm(request.GET or None, regions=regions)
    data = valid_filters(form)
    now = timezone.now()
    public = Event.objects.published(now)
    events = filter_events(
        public.select_related("region", "parent").prefetch_related(
            Prefetch("side_events", queryset=public.order_by("starts_at", "name"))
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


def agenda_queryset(now):
    return (
        AgendaItem.objects.published(now)
        .select_related("presenter_organization", "presenter_person")
        .order_by("order", "id")
    )


@public_page(models=EVENT_MODELS)
def event_detail(request, slug):
    now = timezone.now()
    public = Event.objects.published(now)
    event = get_object_or_404(public.select_related("region", "parent"), slug=slug)
    participants = (
        EventParticipant.objects.published(now)
        .filter(event=event)
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
    awards_queryset = (
        Award.objects.published(now)
        .select_related("recipient_company", "recipient_person", "event")
        .prefetch_related(
            Prefetch("outcomes", queryset=Outcome.objects.published().order_by("id")), "sources"
        )
        .order_by("name", "id")
    )
    awards = list(awards_queryset.filter(event=event))
    # What happened at the side events, on the main event's page: their awards and agendas.
    side_events = list(
        public.filter(parent=event)
        .select_related("region")
        .prefetch_related(
            Prefetch("awards", queryset=awards_queryset, to_attr="public_awards"),
            Prefetch(
                "agenda_items",
                queryset=agenda_queryset(now),
                to_attr="public_agenda",
            ),
        )
        .order_by("starts_at", "name")
    )
    citations = Citations().add_all(event.sources.all())
    for award in awards:
        citations.add_all(award.sources.all())
    for side in side_events:
        for award in side.public_awards:
            citations.add_all(award.sources.all())
    context = {
        "event": event,
        "roles": event.event_roles.select_related("organization").order_by("role", "id"),
        "agenda": agenda_queryset(now).filter(event=event),
        "side_events": side_events,
        "siblings": (
            public.filter(parent_id=event.parent_id)
            .exclude(pk=event.pk)
            .order_by("starts_at", "name")
            if event.parent_id
            else []
        ),
        "participant_groups": groups,
        "programs": event.programs.order_by("name"),
        "awards": awards,
        "citations": citations,
        "now": now,
    }
    return render(request, "public/event_detail.html", context)
