"""The changes feed /api/v1/changes/: creates, updates and deletes of public records in order
(tombstones for deletes), resumable from the cursor, complete when two writers commit out of
order (PostgreSQL), embargo lifts as creations, becoming non-public as a delete, retention."""

import datetime
import threading

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from programs.models import Program
from tests import factories as f
from webhooks import changes, services
from webhooks.models import ChangeEntry

pytestmark = pytest.mark.django_db

FEED = "/api/v1/changes/"


def feed(client, **params) -> dict:
    response = client.get(FEED, params)
    assert response.status_code == 200, response.content
    return response.json()


def seen(body, type_=None) -> list[tuple]:
    return [
        (c["type"], c["id"], c["action"])
        for c in body["results"]
        if type_ is None or c["type"] == type_
    ]


def test_create_update_delete_are_listed_in_order_with_a_tombstone(anon_client):
    # given
    program = f.ProgramFactory(name="AI 확산")
    program.name = "AI 확산 2"
    program.save()
    program.save()  # no public field changed: no entry
    pk = program.pk
    program.delete()

    # when
    body = feed(anon_client, type="programs.program")

    # then
    assert seen(body) == [
        ("programs.program", str(pk), "created"),
        ("programs.program", str(pk), "updated"),
        ("programs.program", str(pk), "deleted"),
    ]
    assert [c["url"] for c in body["results"]] == [f"http://testserver/api/v1/programs/{pk}/"] * 3
    assert body["more"] is False
    times = [datetime.datetime.fromisoformat(c["time"]) for c in body["results"]]
    assert times == sorted(times)
    assert all(c["time"].endswith("+09:00") for c in body["results"])


def test_nested_records_point_at_the_record_that_shows_them(anon_client):
    # given
    line = f.BudgetLineFactory()

    # when
    body = feed(anon_client, type="programs.budgetline")

    # then
    assert body["results"] == [
        {
            "type": "programs.budgetline",
            "id": str(line.pk),
            "action": "created",
            "time": body["results"][0]["time"],
            "url": f"http://testserver/api/v1/programs/{line.program_id}/",
        }
    ]


def test_the_feed_resumes_from_its_cursor_and_next_is_always_given(anon_client):
    # given
    programs = [f.ProgramFactory() for _ in range(5)]

    # when
    pages, body = [], feed(anon_client, type="programs.program", limit=2)
    pages.append(seen(body))
    while body["more"]:
        body = anon_client.get(body["next"]).json()
        pages.append(seen(body))
    after_end = anon_client.get(body["next"]).json()
    later = f.ProgramFactory()
    resumed = anon_client.get(body["next"]).json()

    # then
    expected = [("programs.program", str(p.pk), "created") for p in programs]
    assert pages == [expected[0:2], expected[2:4], expected[4:5]]
    assert after_end["results"] == []
    assert after_end["cursor"] == body["cursor"]
    assert after_end["more"] is False
    assert seen(resumed) == [("programs.program", str(later.pk), "created")]
    assert resumed["next"].startswith("http://testserver/api/v1/changes/?cursor=")


# Real commits from two threads; the reference data is restored afterwards.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_writers_committing_out_of_order_lose_no_change(anon_client):
    """Writer A starts first (smaller transaction id) and commits last. While A runs, the feed
    hands out nothing after A's id — not even B's committed change — so the cursor cannot pass
    A's change; once A commits, both come, in transaction order. (The two programs share no
    word: the search index would otherwise make B wait for A's words.)"""
    # given
    if connection.vendor != "postgresql":
        pytest.skip("transaction ids are PostgreSQL's (SQLite orders by id)")
    start = feed(anon_client, type="programs.program")
    a_wrote, b_done, a_may_commit = threading.Event(), threading.Event(), threading.Event()
    made = {}

    def writer_a():
        try:
            with transaction.atomic():
                made["a"] = f.ProgramFactory(slug="alpha", name="가나다").pk
                a_wrote.set()
                assert a_may_commit.wait(30)
        finally:
            connections["default"].close()

    def writer_b():
        try:
            assert a_wrote.wait(30)
            with transaction.atomic():
                made["b"] = f.ProgramFactory(slug="bravo", name="라마바").pk
        finally:
            b_done.set()
            connections["default"].close()

    threads = [threading.Thread(target=writer_a), threading.Thread(target=writer_b)]
    for t in threads:
        t.start()
    assert b_done.wait(30)

    # when: B has committed, A has not
    while_a_runs = anon_client.get(start["next"]).json()
    committed_b = list(Program.objects.filter(slug="bravo").values_list("pk", flat=True))
    a_may_commit.set()
    for t in threads:
        t.join(30)
    after = anon_client.get(while_a_runs["next"]).json()

    # then
    assert committed_b == [made["b"]]
    assert while_a_runs["results"] == []
    assert while_a_runs["cursor"] == start["cursor"]
    assert seen(after) == [
        ("programs.program", str(made["a"]), "created"),
        ("programs.program", str(made["b"]), "created"),
    ]
    xids = list(
        ChangeEntry.objects.filter(record_type="programs.program").values_list("xid", flat=True)
    )
    assert xids == sorted(xids) and len(set(xids)) == 2


def test_an_embargo_that_lifts_appears_as_the_creation_at_that_moment(anon_client):
    # given
    now = timezone.now()
    event = f.EventFactory(embargo_until=now + datetime.timedelta(minutes=10))
    before = feed(anon_client, type="events.event")

    # when
    released = now + datetime.timedelta(minutes=11)
    services.webhook_releases_dispatch(now=released)
    services.webhook_releases_dispatch(now=released + datetime.timedelta(minutes=1))  # again
    after = feed(anon_client, type="events.event")

    # then
    assert before["results"] == []
    assert seen(after) == [("events.event", str(event.pk), "created")]
    assert after["results"][0]["time"] == timezone.localtime(released).isoformat()


def test_a_record_that_stops_being_public_is_a_delete_and_staff_only_changes_are_not_listed(
    anon_client,
):
    # given
    event = f.EventFactory()
    person = f.PersonFactory(phone="010-0000-0000")
    person.phone = "010-1111-1111"  # staff-only field: no public change
    person.save()
    event.embargo_until = timezone.now() + datetime.timedelta(days=1)
    event.save()

    # when
    events = feed(anon_client, type="events.event")
    people = feed(anon_client, type="core.person")

    # then
    assert seen(events) == [
        ("events.event", str(event.pk), "created"),
        ("events.event", str(event.pk), "deleted"),
    ]
    assert seen(people) == [("core.person", str(person.pk), "created")]
    assert people["results"][0]["url"] is None  # people are staff-only in the API


def test_retention_purge_and_an_expired_cursor_is_410(anon_client, settings):
    # given
    settings.CHANGES_RETENTION_DAYS = 90
    f.ProgramFactory()
    f.ProgramFactory()
    old = timezone.now() - datetime.timedelta(days=91)
    oldest = ChangeEntry.objects.filter(record_type="programs.program").order_by("id").first()
    ChangeEntry.objects.filter(pk=oldest.pk).update(recorded_at=old)
    kept = ChangeEntry.objects.count() - 1
    first = feed(anon_client, type="programs.program", limit=1)  # the old entry, its cursor

    # when
    expired = anon_client.get(first["next"])
    purged = changes.changes_purge()

    # then
    assert expired.status_code == 410
    assert expired.json()["code"] == "cursor_expired"
    assert purged == 1
    assert ChangeEntry.objects.count() == kept


@pytest.mark.parametrize(
    ("params", "code", "key"),
    [
        ({"limit": "0"}, "invalid_parameter", "limit"),
        ({"limit": "1001"}, "invalid_parameter", "limit"),
        ({"limit": "x"}, "invalid_parameter", "limit"),
        ({"type": "programs.nothing"}, "invalid_parameter", "type"),
        ({"cursor": "bad!"}, "invalid_cursor", "cursor"),
        ({"cursor": "WzEsMl0"}, "invalid_cursor", "cursor"),  # [1,2]: no time
        ({"page": "2"}, "unknown_parameter", "page"),
        ({"format": "csv"}, "invalid_parameter", "format"),
    ],
)
def test_bad_feed_parameters_are_400(params, code, key, anon_client):
    response = anon_client.get(FEED, params)
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert list(response.json()["errors"]) == [key]


def test_every_public_record_type_says_which_resource_shows_it():
    from webhooks.serializers import PUBLIC_RECORDS

    assert set(changes.RESOURCE_OF) == set(PUBLIC_RECORDS)


def test_a_feed_page_costs_the_same_queries_for_2_and_20_changes(anon_client):
    from django.test.utils import CaptureQueriesContext

    # given
    for _ in range(2):
        f.ProgramFactory()
    feed(anon_client)  # warm per-process caches
    with CaptureQueriesContext(connection) as two:
        assert len(feed(anon_client, type="programs.program")["results"]) == 2
    for _ in range(18):
        f.ProgramFactory()

    # when
    with CaptureQueriesContext(connection) as twenty:
        assert len(feed(anon_client, type="programs.program")["results"]) == 20

    # then
    assert len(twenty) == len(two)
