"""iCalendar feeds (the ``icalendar`` library), to subscribe to with a ``webcal://`` link:

* ``/calendars/events.ics`` — events; ``?region=48``, ``?program=<slug>``, ``?kind=ceremony``.
* ``/calendars/applications.ics`` — application periods of programs and calls: an all-day
  entry on the day applications open (접수 시작) and one on the closing day (접수 마감);
  ``?region``, ``?program``, ``?kind=call``.
* ``/events/<slug>/event.ics`` — one event ("add to calendar" on its page).

An event that lasts several days, or whose time is not known, is an all-day entry (``DATE``
values, ``DTEND`` the day after the last). Each entry's ``UID`` is fixed by the record
(``event-12@host``), and its ``SEQUENCE`` is the record's edit version, so a changed event
replaces the old entry in the subscriber's calendar instead of adding a second one.
"""

import datetime

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as VEvent

from events.models import Event
from programs.models import Program

from .channels import channel_filters, public_events, public_programs, tr

CALENDAR_SIZE = 500


def _calendar(request, name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//AX tracker//sme-ai-tracker//KO")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Seoul")
    return cal


def _response(cal: Calendar, filename: str) -> HttpResponse:
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _host(request) -> str:
    return request.get_host().split(":")[0] or "localhost"


def event_entry(request, event) -> VEvent:
    entry = VEvent()
    entry.add("uid", f"event-{event.pk}@{_host(request)}")
    entry.add("sequence", event.version)
    entry.add("dtstamp", event.updated_at)
    entry.add("last-modified", event.updated_at)
    entry.add("created", event.created_at)
    entry.add("summary", tr(event, "name"))
    start = timezone.localtime(event.starts_at)
    end = timezone.localtime(event.ends_at) if event.ends_at else None
    multi_day = end is not None and end.date() > start.date()
    if multi_day or not event.time_is_known:
        last = end.date() if end else start.date()
        entry.add("dtstart", start.date())
        entry.add("dtend", last + datetime.timedelta(days=1))
    else:
        entry.add("dtstart", event.starts_at.astimezone(datetime.UTC))
        if end:
            entry.add("dtend", event.ends_at.astimezone(datetime.UTC))
    venue = ", ".join(v for v in (tr(event, "venue_name"), event.venue_address) if v)
    if venue:
        entry.add("location", venue)
    summary = tr(event, "summary")
    if summary:
        entry.add("description", summary)
    entry.add(
        "url", request.build_absolute_uri(reverse("event-detail", kwargs={"slug": event.slug}))
    )
    entry.add("categories", [str(event.get_kind_display())])
    entry.add("status", "CONFIRMED")
    return entry


def application_entries(request, program) -> list[VEvent]:
    entries = []
    url = request.build_absolute_uri(reverse("program-detail", kwargs={"slug": program.slug}))
    for which, day, label in (
        ("start", program.application_start, _("접수 시작")),
        ("end", program.application_end, _("접수 마감")),
    ):
        if day is None:
            continue
        entry = VEvent()
        entry.add("uid", f"program-{program.pk}-application-{which}@{_host(request)}")
        entry.add("sequence", program.version)
        entry.add("dtstamp", program.updated_at)
        entry.add("last-modified", program.updated_at)
        entry.add("summary", f"{label}: {tr(program, 'name')}")
        entry.add("dtstart", day)
        entry.add("dtend", day + datetime.timedelta(days=1))
        period = _("접수 기간: %(start)s ~ %(end)s") % {
            "start": program.application_start or "",
            "end": program.application_end or "",
        }
        entry.add("description", " / ".join(x for x in (tr(program, "summary"), period) if x))
        entry.add("url", url)
        entry.add("categories", [str(program.get_kind_display())])
        entry.add("transp", "TRANSPARENT")
        entries.append(entry)
    return entries


def events_calendar(request):
    filters = channel_filters(request, Event.Kind.choices)
    cal = _calendar(request, _("행사 — 중소기업 AI 전환 지원사업 트래커"))
    for event in public_events(filters).order_by("starts_at", "id")[:CALENDAR_SIZE]:
        cal.add_component(event_entry(request, event))
    return _response(cal, "events.ics")


def applications_calendar(request):
    filters = channel_filters(request, Program.Kind.choices)
    cal = _calendar(request, _("접수 기간 — 중소기업 AI 전환 지원사업 트래커"))
    programs = (
        public_programs(filters)
        .exclude(application_start__isnull=True, application_end__isnull=True)
        .order_by("application_start", "id")[:CALENDAR_SIZE]
    )
    for program in programs:
        for entry in application_entries(request, program):
            cal.add_component(entry)
    return _response(cal, "applications.ics")


def event_calendar(request, slug):
    event = get_object_or_404(Event.objects.published(), slug=slug)
    cal = _calendar(request, tr(event, "name"))
    cal.add_component(event_entry(request, event))
    return _response(cal, f"{event.slug}.ics")
