"""Nested-list queries compiled once (core/api/compiled.py): the cached SQL answers what the
queryset would, at every moment, and a query it cannot prove is built every time."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.api import compiled
from events.models import Event, EventOrganization
from tests.factories import EventFactory, EventOrganizationFactory
from tests.services import require_service

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
BEFORE = datetime.datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
EMBARGO = datetime.datetime(2026, 7, 2, 0, 0, tzinfo=UTC)
AFTER = datetime.datetime(2026, 7, 2, 0, 1, tzinfo=UTC)


def hosts(ids, at):
    """An event's hosts as the public sees them at ``at`` (the embargo rule through a join)."""
    return (
        EventOrganization.objects.filter(event_id__any=ids)
        .filter(EventOrganization.objects.published_q(at, ""))
        .order_by("event_id", "id")
        .values_list("event_id", "id", "organization__name")
    )


@pytest.fixture
def postgres():
    require_service("postgresql", connection.vendor == "postgresql", "compiles for PostgreSQL")
    compiled._compiled.clear()
    yield
    compiled._compiled.clear()


def test_the_compiled_query_follows_the_moment_and_the_ids(postgres):
    embargoed = EventFactory(embargo_until=EMBARGO)
    other = EventFactory()
    host = EventOrganizationFactory(event=embargoed, organization__name="중소벤처기업부")
    other_host = EventOrganizationFactory(event=other, organization__name="경상남도")
    ids = [embargoed.pk, other.pk]

    with CaptureQueriesContext(connection) as queries:
        before = compiled.rows("hosts", hosts, ids, BEFORE)
        after = compiled.rows("hosts", hosts, ids, AFTER)
        only_other = compiled.rows("hosts", hosts, [other.pk], AFTER)

    assert compiled._compiled["hosts"] is not None  # compiled, not built each time
    assert len(queries) == 3
    assert before == [(other.pk, other_host.pk, "경상남도")]
    assert before == list(hosts(ids, BEFORE))
    assert sorted(after) == sorted(
        [(embargoed.pk, host.pk, "중소벤처기업부"), (other.pk, other_host.pk, "경상남도")]
    )
    assert after == list(hosts(ids, AFTER))
    assert only_other == [(other.pk, other_host.pk, "경상남도")]


def test_a_value_derived_from_the_moment_is_not_compiled(postgres):
    EventFactory(starts_at=datetime.datetime(2026, 7, 1, 9, 0, tzinfo=UTC))

    def by_day(ids, at):  # the moment's date is a parameter the markers cannot find
        return Event.objects.filter(id__any=ids, starts_at__date__lte=at.date()).values_list("id")

    assert compiled.compile_once(by_day) is None
    ids = list(Event.objects.values_list("id", flat=True))
    assert compiled.rows("by-day", by_day, ids, BEFORE) == [(ids[0],)]
    assert compiled.rows("by-day", by_day, ids, BEFORE - datetime.timedelta(days=1)) == []


def test_only_plain_values_lists_are_compiled(postgres):
    assert compiled.compile_once(lambda ids, at: Event.objects.filter(id__any=ids)) is None
    assert (
        compiled.compile_once(
            lambda ids, at: Event.objects.filter(id__any=ids).values_list("id", flat=True)
        )
        is None
    )
    assert (
        compiled.compile_once(lambda ids, at: Event.objects.filter(id__any=ids).values_list("id"))
        is not None
    )
    assert (
        compiled.compile_once(lambda ids, at: Event.objects.filter(id__any=ids).values("id"))
        is None
    )


def test_a_query_without_the_ids_is_not_compiled(postgres):
    assert compiled.compile_once(lambda ids, at: Event.objects.values_list("id")) is None


# --- whole requests: a list page, its count and a record, compiled once per URL ---------------


def test_the_same_list_url_follows_the_embargo_and_the_data(postgres, anon_client):
    compiled._requests.clear()
    embargoed = EventFactory(slug="embargoed", name="가 행사", embargo_until=EMBARGO)
    EventFactory(slug="open", name="나 행사")
    url = "/api/v1/events/?page_size=1&ordering=name"
    numbered = url + "&page=1"

    with time_machine.travel(BEFORE, tick=False):
        first_sight = anon_client.get(url).json()  # a URL seen once is only remembered
        before = anon_client.get(url).json()
        numbered_before = anon_client.get(numbered).json()
        detail_before = anon_client.get(f"/api/v1/events/{embargoed.pk}/")
    with time_machine.travel(AFTER, tick=False):
        anon_client.get(url)
        anon_client.get(f"/api/v1/events/{embargoed.pk}/")
        with CaptureQueriesContext(connection) as queries:
            after = anon_client.get(url).json()
            detail_after = anon_client.get(f"/api/v1/events/{embargoed.pk}/")
        query_count = len(queries)  # read now: the next request resets the log
        numbered_after = anon_client.get(numbered).json()
        second = anon_client.get(after["next"]).json()
        second_again = anon_client.get(after["next"]).json()
    EventFactory(slug="another", name="다 행사")
    with time_machine.travel(AFTER, tick=False):
        later = anon_client.get(url).json()

    compiled_for_url = [v[0] for k, v in compiled._requests.items() if url in k]
    assert len(compiled_for_url) >= 4  # rows and count, on each day
    assert all(isinstance(c, compiled.Compiled) for c in compiled_for_url)
    assert first_sight == before
    assert (before["count"], [e["slug"] for e in before["results"]]) == (1, ["open"])
    assert (before["next"], numbered_before["next"]) == (None, None)
    assert detail_before.status_code == 404
    assert (after["count"], [e["slug"] for e in after["results"]]) == (2, ["embargoed"])
    assert [e["slug"] for e in second["results"]] == ["open"] and second["next"] is None
    assert second_again == second
    assert (numbered_after["count"], numbered_after["next"]) == (
        2,
        "http://testserver/api/v1/events/?ordering=name&page=2&page_size=1",
    )
    assert detail_after.status_code == 200 and detail_after.json()["slug"] == "embargoed"
    assert later["count"] == 3
    # a list page: count, rows, its 2 nested lists; the record: itself and its 6 nested lists
    assert query_count == 2 + 2 + 1 + 6


def test_a_refused_parameter_is_refused_on_every_request(postgres, anon_client):
    compiled._requests.clear()
    EventFactory()
    for _ in range(2):
        answer = anon_client.get("/api/v1/events/?ordering=bogus")
        assert answer.status_code == 400
        assert list(answer.json()["errors"]) == ["ordering"]
    assert anon_client.get("/api/v1/events/?ordering=name").status_code == 200
    assert anon_client.get("/api/v1/events/?ordering=name&page_size=0").status_code == 400


@pytest.mark.parametrize("suffix", ["", "summary/"])
def test_a_program_and_its_summary_build_no_query_from_the_third_request_on(
    postgres, anon_client, suffix, monkeypatch
):
    # given: a program with something in every list, read twice (seen, then compiled)
    from django.db.models.sql.compiler import SQLCompiler

    from tests import factories as f

    compiled._requests.clear()
    program = f.ProgramFactory()
    rp = f.RegionalParticipationFactory(program=program)
    rp.hubs.add(f.HubFactory(region=rp.region))
    f.BudgetLineFactory(program=program)
    f.TargetFactory(program=program)
    f.ParticipationFactory(program=program)
    f.AwardFactory(program=program)
    f.CofinancingRuleFactory(program=program)
    path = f"/api/v1/programs/{program.pk}/{suffix}"
    first = anon_client.get(path).json()
    anon_client.get(path)
    built = []
    as_sql = SQLCompiler.as_sql
    monkeypatch.setattr(
        SQLCompiler,
        "as_sql",
        lambda self, *a, **k: built.append(self.query) or as_sql(self, *a, **k),
    )

    # when
    third = anon_client.get(path).json()

    # then: the co-financing checks read model rows (built every time); nothing else is
    built_models = sorted({query.model.__name__ for query in built})
    assert third == first
    assert built_models == (
        ["BudgetLine", "CofinancingRule", "RegionalParticipation"] if suffix else []
    )
