"""English pages use the English texts of positions, ranks, hours, target scope and date notes."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from events.models import Award

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    call_command("load_demo", verbosity=0)
    translation.activate("en")  # reverse() gives the English URLs (/en/...)
    yield client
    translation.deactivate()


def test_program_page_in_english_shows_english_notes_hours_and_scope(english):
    body = english.get(
        reverse("program-detail", args=["region-led-ai-transformation"]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Created by the 2nd supplementary budget of 2025 (start date unknown)" in body
    assert "24 hours" in body
    assert "Participating companies (expected effect)" in body
    assert "Vice-Governor for Economic Affairs" in body
    assert "24시간" not in body


def test_company_page_in_english_shows_the_english_rank(english):
    award = Award.objects.get(rank="대상")
    body = english.get(
        reverse("company-detail", args=[award.recipient_company_id])
    ).content.decode()
    assert "Grand prize" in body


def test_event_page_in_english_shows_english_titles(english):
    body = english.get(
        reverse("event-detail", args=["2026-ai-plus-policy-council"])
    ).content.decode()
    assert "1st Vice Minister (acting Minister)" in body
    assert "제1차관 (장관 직무대행)" not in body
