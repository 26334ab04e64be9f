"""English pages use the English texts of positions, ranks, hours, target scope and date notes."""

import pytest
from django.core.management import call_command
from django.urls import reverse, translate_url

from events.models import Award

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    call_command("load_demo", verbosity=0)
    return EnglishClient(client)


class EnglishClient:
    """A test client that asks for the English page (/en/...) of every public URL."""

    def __init__(self, client):
        self.client = client

    def get(self, path, *args, **kwargs):
        return self.client.get(translate_url(path, "en"), *args, **kwargs)


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


def test_event_page_in_english_shows_city_people_awards_and_agenda_column(english):
    body = english.get(
        reverse("event-detail", args=["2025-regional-ai-vision-ceremony"])
    ).content.decode()
    assert "Changwon Convention Center · Changwon ·" in body
    assert "창원시" not in body
    assert "10 companies selected; Minister&#x27;s awards and others presented" in body
    assert "Preliminary rounds at the regional SME offices from August 2025 → final round" in body
    assert "Han Seong-sook" in body and "한성숙" not in body
    council = english.get(reverse("event-detail", args=["2026-ai-plus-policy-council"]))
    body = council.content.decode()
    assert '<th scope="col">Presentation</th>' in body
    assert "Announced" not in body
    assert "Noh Yong-seok" in body and "노용석" not in body
    assert "Meeting room, Osong Station" in body
    assert "(Morning papers of July 2, 2026)" in body


def test_hub_address_statistics_notes_and_units_in_english(english):
    body = english.get(reverse("region-detail", args=["48"])).content.decode()
    assert "Gyeongnam Changwon Industry-Academia Convergence Institute · Palyong-dong" in body
    body = english.get(reverse("statistics")).content.decode()
    assert "AX policy directions for SME manufacturers (Kim Ju-mi, presented 2026-05-18)" in body
    assert "Printed as 0.25, recorded as 0.2" in body
    assert "(×" in body and "(배" not in body
    assert "Approximate values. The source gives no reference date" in body


def test_sources_keep_their_korean_titles_marked_as_korean(english):
    body = english.get(
        reverse("event-detail", args=["2025-regional-ai-vision-ceremony"])
    ).content.decode()
    assert '<span lang="ko">지역 AI 대전환 비전선포식 (2025-11-19) 기사</span>' in body
    assert "The article prints no date; recorded as November 2025" in body
    assert 'title="시사뉴스피플 — 지역 AI 대전환 비전선포식 (2025-11-19) 기사" lang="ko">' in body


def test_company_page_in_english_shows_industry_and_ceo(english):
    award = Award.objects.get(rank="대상")
    body = english.get(
        reverse("company-detail", args=[award.recipient_company_id])
    ).content.decode()
    assert "Cho Hwan-soo" in body
    assert "Automotive parts" in body


def test_a_missing_english_text_falls_back_to_korean_marked_lang_ko(english):
    from events.models import Event

    Event.objects.filter(slug="2025-ai-supplier-ir").update(summary_en="")
    body = english.get(reverse("event-detail", args=["2025-ai-supplier-ir"])).content.decode()
    assert (
        '<div lang="ko"><p>스케일업팁스 운영사와 동남권 VC를 대상으로 한 AI 공급기업 투자설명회.</p></div>'
        in body
    )


def test_the_api_carries_the_new_english_fields(english):
    event = english.get(reverse("api:event-list"), {"search": "비전선포식"}).json()["results"][0]
    assert event["city"] == "창원시"
    assert event["city_en"] == "Changwon"
    award = english.get(reverse("api:award-list")).json()["results"]
    by_rank = {row["rank"]: row for row in award}
    assert by_rank["대상"]["recipient_note_en"] == (
        "10 companies selected; Minister's awards and others presented"
    )
    assert by_rank["대상"]["selection_stages_en"].startswith("Preliminary rounds")
