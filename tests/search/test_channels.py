"""Feeds (feedparser), calendars (icalendar), saved-search alerts (once per new item, double
opt-in, one-click unsubscribe, rate limit) and the embeddable widget (framing policy)."""

import datetime

import feedparser
import icalendar
import pytest
import time_machine
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from alerts import services as alerts
from alerts.models import SavedSearch, SentItem
from events.models import Event
from programs.models import Program
from tests import factories as f

FLAGSHIP = "region-led-ai-transformation"


# --- Atom feeds ---------------------------------------------------------------------------------


def test_program_feed_is_valid_atom_newest_change_first(client, demo):
    response = client.get("/feeds/programs.atom")
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0
    assert len(feed.entries) == Program.objects.count()
    updated = [e.updated_parsed for e in feed.entries]
    assert updated == sorted(updated, reverse=True)


def test_feeds_per_region_and_per_program(client, demo):
    feed = feedparser.parse(client.get("/feeds/programs.atom", {"program": FLAGSHIP}).content)
    assert [e.title for e in feed.entries] == ["[지원사업] 지역 주도형 AI 대전환사업"]
    feed = feedparser.parse(client.get("/feeds/events.atom", {"region": "48"}).content)
    assert feed.bozo == 0
    assert len(feed.entries) == Event.objects.published().filter(region__code="48").count()
    assert client.get("/feeds/events.atom", {"region": "99"}).status_code == 404


def test_an_updated_program_keeps_its_entry_id(client, demo):
    program = Program.objects.get(slug=FLAGSHIP)
    before = feedparser.parse(client.get("/feeds/programs.atom").content).entries
    program.summary = "바뀐 요약"
    program.save()
    after = feedparser.parse(client.get("/feeds/programs.atom").content).entries
    assert after[0].id == next(e.id for e in before if e.title.endswith("대전환사업"))
    assert after[0].summary.startswith("바뀐 요약")


def test_an_embargoed_event_enters_the_feeds_once_public(client, db):
    now = timezone.now()
    f.EventFactory(name="엠바고피드표식", embargo_until=now + datetime.timedelta(days=1))
    assert (
        b"\xec\x97\xa0\xeb\xb0\x94\xea\xb3\xa0\xed\x94\xbc\xeb\x93\x9c"
        not in client.get("/feeds/events.atom").content
    )
    with time_machine.travel(now + datetime.timedelta(days=2)):
        titles = [
            e.title for e in feedparser.parse(client.get("/feeds/events.atom").content).entries
        ]
        assert any("엠바고피드표식" in t for t in titles)


# --- iCalendar ----------------------------------------------------------------------------------


def events_of(response):
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return list(icalendar.Calendar.from_ical(response.content).walk("VEVENT"))


def test_event_calendar_parses_and_filters_by_region_and_kind(client, demo):
    entries = events_of(client.get("/calendars/events.ics"))
    assert len(entries) == Event.objects.published().count()
    ceremony = events_of(client.get("/calendars/events.ics", {"kind": "ceremony"}))
    assert [str(e["summary"]) for e in ceremony] == ["지역 AI 대전환 비전선포식"]
    assert len(events_of(client.get("/calendars/events.ics", {"region": "48"}))) == (
        Event.objects.published().filter(region__code="48").count()
    )


def test_multi_day_events_are_all_day_and_a_change_keeps_uid_and_raises_sequence(client, db):
    start = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)
    event = f.EventFactory(
        slug="three-days",
        starts_at=start,
        ends_at=start + datetime.timedelta(days=2),
        time_is_known=True,
    )
    (entry,) = events_of(client.get(f"/events/{event.slug}/event.ics"))
    assert entry["dtstart"].dt == datetime.date(2026, 3, 2)
    assert entry["dtend"].dt == datetime.date(2026, 3, 5)  # exclusive: the day after the last
    uid, sequence = str(entry["uid"]), int(entry["sequence"])
    assert uid == f"event-{event.pk}@testserver"
    event.name = "이름을 고친 행사"
    event.save()
    (changed,) = events_of(client.get(f"/events/{event.slug}/event.ics"))
    assert str(changed["uid"]) == uid
    assert int(changed["sequence"]) == sequence + 1
    assert str(changed["summary"]) == "이름을 고친 행사"


def test_a_timed_one_day_event_has_times(client, db):
    start = datetime.datetime(2026, 3, 2, 1, 0, tzinfo=datetime.UTC)
    event = f.EventFactory(
        slug="timed",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        time_is_known=True,
    )
    (entry,) = events_of(client.get(f"/events/{event.slug}/event.ics"))
    assert entry["dtstart"].dt == start
    assert entry["dtend"].dt == start + datetime.timedelta(hours=2)


def test_application_periods_are_two_all_day_entries(client, db):
    program = f.ProgramFactory(
        slug="call-x",
        name="시험 공고",
        kind="call",
        application_start=datetime.date(2026, 5, 19),
        application_end=datetime.date(2026, 6, 8),
    )
    entries = events_of(
        client.get("/calendars/applications.ics", {"kind": "call", "program": "call-x"})
    )
    assert [(str(e["summary"]), e["dtstart"].dt) for e in entries] == [
        ("접수 시작: 시험 공고", datetime.date(2026, 5, 19)),
        ("접수 마감: 시험 공고", datetime.date(2026, 6, 8)),
    ]
    assert [str(e["uid"]) for e in entries] == [
        f"program-{program.pk}-application-start@testserver",
        f"program-{program.pk}-application-end@testserver",
    ]


def test_event_page_links_to_add_to_calendar_and_webcal(client, demo):
    html = client.get("/events/2025-regional-ai-vision-ceremony/").content.decode()
    assert 'href="/events/2025-regional-ai-vision-ceremony/event.ics"' in html
    assert 'href="webcal://testserver/calendars/events.ics?region=48"' in html


# --- saved searches and alerts -------------------------------------------------------------------


def sign_up(client, **extra):
    data = {
        "email": "reader@example.org",
        "frequency": "daily",
        "consent": "on",
        "q": "대전환사업",
        **extra,
    }
    return client.post("/alerts/", data)


def test_sign_up_is_double_opt_in_and_alerts_once_per_new_item(client, db):
    f.ProgramFactory(name="기존 대전환사업 하나")
    response = sign_up(client)
    assert response.status_code == 200
    saved = SavedSearch.objects.get()
    assert saved.confirmed_at is None
    (confirmation,) = mail.outbox
    assert f"/alerts/confirm/{saved.token}/" in confirmation.body
    assert confirmation.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # unconfirmed: nothing sent, whatever is new
    f.ProgramFactory(name="새 대전환사업 둘")
    assert alerts.digests_send(frequency="daily") == 0
    # a GET (a link scanner) confirms nothing; the button (POST) does
    client.get(f"/alerts/confirm/{saved.token}/")
    saved.refresh_from_db()
    assert saved.confirmed_at is None
    client.post(f"/alerts/confirm/{saved.token}/")
    saved.refresh_from_db()
    assert saved.confirmed_at is not None
    mail.outbox.clear()
    # what matched at confirmation is known; a new match is sent once
    f.ProgramFactory(name="세 번째 대전환사업")
    assert alerts.digests_send(frequency="daily") == 1
    (digest,) = mail.outbox
    assert "세 번째 대전환사업" in digest.body
    assert "기존 대전환사업 하나" not in digest.body and "새 대전환사업 둘" not in digest.body
    assert digest.extra_headers["List-Unsubscribe"] == (
        f"<http://127.0.0.1:8000/alerts/unsubscribe/{saved.token}/>"
    )
    assert alerts.digests_send(frequency="daily") == 0  # again: nothing new, nothing sent
    assert alerts.digests_send(frequency="weekly") == 0
    assert len(mail.outbox) == 1
    assert SentItem.objects.filter(saved_search=saved, sent_at__isnull=False).count() == 1


def test_one_click_unsubscribe_deletes_the_address(client, db):
    saved = f.SavedSearchFactory(confirmed_at=timezone.now())
    response = client.post(
        f"/alerts/unsubscribe/{saved.token}/",
        {"List-Unsubscribe": "One-Click"},
        enforce_csrf_checks=True,
    )
    assert response.status_code == 200
    assert not SavedSearch.objects.filter(email=saved.email).exists()


def test_sign_up_needs_consent_and_a_valid_address(client, db):
    assert sign_up(client, consent="").status_code == 400
    assert sign_up(client, email="not-an-address").status_code == 400
    assert SavedSearch.objects.count() == 0
    assert mail.outbox == []


@override_settings(ALERT_SIGNUPS_PER_HOUR=2)
def test_sign_ups_are_rate_limited_per_address(client, db):
    from django.core.cache import cache

    cache.clear()
    assert [sign_up(client, email=f"r{i}@example.org").status_code for i in range(3)] == [
        200,
        200,
        429,
    ]
    assert SavedSearch.objects.count() == 2


def test_alerts_match_embargoed_events_once_public(client, db):
    now = timezone.now()
    saved = f.SavedSearchFactory(query="엠바고알림표식", frequency="daily")
    alerts.saved_search_confirm(saved=saved)
    f.EventFactory(name="엠바고알림표식 행사", embargo_until=now + datetime.timedelta(days=1))
    assert alerts.digest_send(saved_search_id=saved.pk) == 0
    with time_machine.travel(now + datetime.timedelta(days=2)):
        assert alerts.digest_send(saved_search_id=saved.pk) == 1
        assert alerts.digest_send(saved_search_id=saved.pk) == 0


# --- the widget ----------------------------------------------------------------------------------


@override_settings(EMBED_ALLOWED_ORIGINS=["https://partner.example.org"])
def test_widget_is_framable_by_allowed_origins_only(client, demo):
    response = client.get(f"/embed/programs/{FLAGSHIP}/")
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert response["Content-Security-Policy"].endswith(
        "frame-ancestors https://partner.example.org"
    )
    page = client.get(f"/programs/{FLAGSHIP}/")
    assert page["X-Frame-Options"] == "DENY"


def test_widget_without_allowed_origins_is_not_framable(client, demo):
    response = client.get("/embed/regions/48/")
    assert response["Content-Security-Policy"].endswith("frame-ancestors 'none'")


def test_widget_shows_each_budget_figure_with_its_source_in_korean_or_english(client, demo):
    html = client.get(f"/embed/programs/{FLAGSHIP}/").content.decode()
    assert "350억 원" in html and "234억 원" in html
    assert "시사뉴스피플" in html
    english = client.get(f"/en/embed/programs/{FLAGSHIP}/").content.decode()
    assert "KRW 35 billion" in english
    assert '<html lang="en">' in english


def test_program_page_has_the_copy_paste_snippet(client, demo):
    html = client.get(f"/programs/{FLAGSHIP}/").content.decode()
    assert f"&lt;iframe src=&quot;http://testserver/embed/programs/{FLAGSHIP}/&quot;" in html or (
        f'&lt;iframe src="http://testserver/embed/programs/{FLAGSHIP}/"' in html
    )


@pytest.mark.parametrize("origin", ["partner.example.org", "https://x.org/path", "javascript:x"])
def test_bad_embed_origins_are_refused_at_startup(origin):
    import re

    assert not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?", origin)


# --- query counts: the channels do not grow with the data ---------------------------------------


def queries_for(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/programs.atom?region=11",
        "/feeds/events.atom?region=11",
        "/calendars/events.ics?region=11",
        "/calendars/applications.ics?region=11",
        "/embed/regions/11/",
    ],
)
def test_channel_queries_do_not_grow_with_rows(client, db, url):
    seoul = f.RegionFactory(code="11")

    def grow(n):
        for _ in range(n):
            program = f.ProgramFactory(application_start=datetime.date(2026, 5, 1))
            f.RegionalParticipationFactory(program=program, region=seoul)
            event = f.EventFactory(region=seoul)
            event.programs.add(program)

    grow(2)
    few = queries_for(client, url)
    grow(18)
    assert queries_for(client, url) == few


def test_program_card_queries_do_not_grow_with_figures(client, db):
    from core.models import Region

    program = f.ProgramFactory(slug="counted")
    regions = list(Region.objects.order_by("code"))
    for region in regions[:2]:
        f.BudgetLineFactory(program=program)
        f.RegionalParticipationFactory(program=program, region=region)
    few = queries_for(client, "/embed/programs/counted/")
    for region in regions[2:17]:
        f.BudgetLineFactory(program=program)
        f.RegionalParticipationFactory(program=program, region=region)
    assert queries_for(client, "/embed/programs/counted/") == few


# --- schedules -----------------------------------------------------------------------------------


def test_beat_runs_the_digests_and_the_nightly_index_rebuild(db):
    from django_celery_beat.models import PeriodicTask

    from config.celery import app as celery_app

    rows = {
        (t.task, t.args, t.crontab.minute, t.crontab.hour, t.crontab.day_of_week)
        for t in PeriodicTask.objects.filter(
            task__in=["alerts.tasks.alert_digests_send", "core.tasks.search_index_rebuild"]
        ).select_related("crontab")
    }
    assert rows == {
        ("alerts.tasks.alert_digests_send", '["daily"]', "0", "7", "*"),
        ("alerts.tasks.alert_digests_send", '["weekly"]', "30", "7", "1"),
        ("core.tasks.search_index_rebuild", "[]", "0", "4", "*"),
    }
    celery_app.loader.import_default_modules()
    for name in ("alerts.tasks.alert_digests_send", "core.tasks.search_index_rebuild"):
        task = celery_app.tasks[name]
        assert (task.acks_late, task.reject_on_worker_lost) == (True, True)


def test_the_rebuild_task_restores_a_lost_document(db):
    from core.search import SearchDocument
    from core.tasks import search_index_rebuild

    program = f.ProgramFactory(name="재구성시험 사업")
    SearchDocument.objects.filter(model="programs.program", object_id=program.pk).delete()
    search_index_rebuild.delay()
    assert SearchDocument.objects.filter(model="programs.program", object_id=program.pk).exists()
