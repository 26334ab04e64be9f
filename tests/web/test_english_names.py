"""English pages name regions and people in English wherever the record has an English name."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from core.models import Region
from tests.factories import (
    AgendaItemFactory,
    AwardFactory,
    EventFactory,
    EventParticipantFactory,
    PersonFactory,
    ProgramFactory,
    RegionalParticipationFactory,
)


def en_url(name: str, *args) -> str:
    """The English URL of a page (/en/...)."""
    with translation.override("en"):
        return reverse(name, args=args)


@pytest.mark.parametrize("page", ["program-list", "event-list"])
def test_region_filter_lists_english_names_on_english_pages(client, db, page):
    # when a list with a region filter is shown on the English site
    response = client.get(en_url(page), {"region": "48"})
    html = response.content.decode()
    # then the drop-down names every region in English
    assert '<option value="48" selected>Gyeongnam</option>' in html
    assert '<option value="11">Seoul</option>' in html
    select = re.search(r'<select name="region".*?</select>', html, re.S).group()
    assert "경상남도" not in select
    assert select.count("<option value=") == 1 + Region.objects.count()


@pytest.mark.parametrize("page", ["program-list", "event-list"])
def test_region_filter_lists_korean_names_on_korean_pages(client, db, page):
    html = client.get(reverse(page)).content.decode()
    select = re.search(r'<select name="region".*?</select>', html, re.S).group()
    assert '<option value="48">경상남도</option>' in select
    assert "Gyeongnam" not in select


def test_region_filter_falls_back_to_the_korean_name(client, db):
    # given a region whose English name is missing
    Region.objects.filter(code="48").update(name_en="")
    html = client.get(en_url("event-list")).content.decode()
    assert '<option value="48">경상남도</option>' in html


def test_people_are_named_in_english_on_english_pages(client, db):
    # given an event whose speaker, presenter and award recipient have English names
    event = EventFactory(slug="people-event")
    speaker = PersonFactory(name="김민지", name_en="Kim Min-ji")
    presenter = PersonFactory(name="이서준", name_en="Lee Seo-jun")
    awardee = PersonFactory(name="박하늘", name_en="Park Ha-neul")
    EventParticipantFactory(event=event, person=speaker)
    AgendaItemFactory(event=event, presenter_person=presenter)
    AwardFactory(event=event, recipient_company=None, recipient_person=awardee)
    # when the event page is shown in English
    html = client.get(en_url("event-detail", event.slug)).content.decode()
    # then each person has the English name
    for english, korean in [
        ("Kim Min-ji", "김민지"),
        ("Lee Seo-jun", "이서준"),
        ("Park Ha-neul", "박하늘"),
    ]:
        assert english in html
        assert korean not in html
    # and in Korean the Korean names
    html = client.get(reverse("event-detail", args=[event.slug])).content.decode()
    assert "김민지" in html and "이서준" in html and "박하늘" in html
    assert "Kim Min-ji" not in html


def test_a_regional_official_is_named_in_english_on_english_pages(client, db):
    # given a regional participation with an official who has an English name
    program = ProgramFactory(slug="official-program")
    official = PersonFactory(name="최유진", name_en="Choi Yu-jin")
    RegionalParticipationFactory(
        program=program, region=Region.objects.get(code="48"), official=official
    )
    html = client.get(en_url("program-detail", program.slug)).content.decode()
    assert "Choi Yu-jin" in html
    assert "최유진" not in html


def test_a_person_without_an_english_name_keeps_the_korean_one(client, db):
    event = EventFactory(slug="korean-only")
    EventParticipantFactory(event=event, person=PersonFactory(name="정다은", name_en=""))
    assert "정다은" in client.get(en_url("event-detail", event.slug)).content.decode()
