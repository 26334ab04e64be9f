"""Nested-list queries compiled once (core/api/compiled.py): the cached SQL answers what the
queryset would, at every moment, and a query it cannot prove is built every time."""

import datetime

import pytest
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
