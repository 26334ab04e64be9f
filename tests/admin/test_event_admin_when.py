"""The event changelist shows a start time only when it is known (otherwise the date alone)."""

import datetime
import re

import pytest
from django.urls import reverse

from events.models import SEOUL
from tests.factories import EventFactory

CHANGELIST = reverse("admin:events_event_changelist")


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("staff", "staff@example.org", "pw-123456")
    client.force_login(user)
    return client


def when_cells(html: str) -> list[str]:
    return re.findall(r'<td class="field-when[^"]*">(.*?)</td>', html)


def test_an_event_known_by_its_date_only_shows_the_date(staff_client):
    # given an event stored at midnight because only its day is known, and one with a time
    EventFactory(
        name="날짜만",
        starts_at=datetime.datetime(2025, 11, 19, tzinfo=SEOUL),
        ends_at=None,
        time_is_known=False,
    )
    EventFactory(name="시각도", starts_at=datetime.datetime(2025, 11, 20, 14, 30, tzinfo=SEOUL))
    # when staff open the changelist (newest first)
    html = staff_client.get(CHANGELIST).content.decode()
    # then the first has no invented "12:00 오전", the second its time
    assert when_cells(html) == ["2025년 11월 20일 14:30", "2025년 11월 19일"]
    assert '<th scope="col" class="sortable column-when' in html


def test_the_start_column_still_sorts_by_start(staff_client):
    EventFactory(name="나중", starts_at=datetime.datetime(2025, 12, 1, 10, 0, tzinfo=SEOUL))
    EventFactory(
        name="먼저",
        starts_at=datetime.datetime(2025, 1, 5, tzinfo=SEOUL),
        ends_at=None,
        time_is_known=False,
    )
    # "when" is the fourth column of list_display: o=4 ascending, o=-4 descending
    ascending = when_cells(staff_client.get(CHANGELIST, {"o": "4"}).content.decode())
    descending = when_cells(staff_client.get(CHANGELIST, {"o": "-4"}).content.decode())
    assert ascending == ["2025년 1월 5일", "2025년 12월 1일 10:00"]
    assert descending == list(reversed(ascending))
