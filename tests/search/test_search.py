"""The site search (core/search.py): Korean-aware matching, ranking, facets, suggestions, the
API's search=, the program list, visibility and keeping the index current. Exact values on the
demo data; the ranking/suggestion/facet values are PostgreSQL's (tsvector + pg_trgm)."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from core import search
from core.search import SearchDocument, compact, query_words, tsquery
from programs.models import Hub, Program
from tests import factories as f

postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="exact ranking is PostgreSQL's"
)


def titles(query, **filters):
    return [d.title for d in search.search(query, filters=filters).documents]


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


FLAGSHIP = "지역 주도형 AI 대전환사업"


# --- terms --------------------------------------------------------------------------------------


def test_compact_drops_spaces_punctuation_and_case():
    assert compact("AI 대전환 (가칭)·TIPS") == "ai대전환가칭tips"


def test_aliases_are_data_and_expand_a_word():
    assert query_words("중기부 팁스") == [
        ("중기부", "중소벤처기업부", "중기청", "MSS", "Ministry of SMEs and Startups"),
        ("팁스", "TIPS"),
    ]
    assert query_words("Ministry of SMEs and Startups")[0][1] == "중소벤처기업부"


def test_a_word_is_its_morphemes_or_its_spaceless_bigrams_as_phrases():
    assert tsquery([("AI대전환",)]) == (
        "(('ai' <-> '대' <-> '전환') | ('_ai' <-> '_i대' <-> '_대전' <-> '_전환'))"
    )


# --- matching and ranking -----------------------------------------------------------------------


@postgres
def test_the_flagship_ranks_first_for_its_name_word(demo):
    assert titles("대전환")[:2] == [FLAGSHIP, "지역 AI 대전환 비전선포식"]


@postgres
def test_spacing_does_not_matter(demo):
    assert titles("AI대전환")[0] == FLAGSHIP
    assert titles("AI대전환")[:2] == titles("AI 대전환")[:2]
    assert titles("지역주도")[0] == FLAGSHIP  # "지역 주도형"


@postgres
def test_short_names_and_aliases_find_the_full_names(demo):
    assert titles("팁스")[:2] == ["TIPS (민간투자주도형 기술창업지원)", "스케일업팁스"]
    assert FLAGSHIP in titles("중기부")  # led by 중소벤처기업부


@postgres
def test_hubs_and_descriptions_are_searched(demo):
    assert titles("GPU") == [FLAGSHIP, "제조AI 데이터센터"]
    result = search.search("GPU")
    assert [d.record_type for d in result.documents] == ["program", "hub"]


@postgres
def test_a_name_match_comes_before_text_matches(demo):
    result = search.search("경남")
    assert result.documents[0].title == "경상남도"
    hits = [d.name_hit for d in result.documents]
    assert hits == sorted(hits, reverse=True)


@postgres
def test_typo_suggestions_come_from_the_index_vocabulary(demo):
    result = search.search("대전화")
    assert result.total == 0
    assert result.suggestions == ["대전환", "대전"]
    assert search.search("대전환").suggestions == []  # found as typed: nothing to suggest


@postgres
def test_facets_count_the_matches(demo):
    result = search.search("대전환")
    assert dict(result.facets["type"]) == {"program": 4, "event": 3, "person": 1}
    programs = search.search("대전환", filters={"type": "program"})
    assert programs.total == 4
    assert dict(programs.facets["status"]) == {("program", "in_progress"): 4}
    assert dict(programs.facets["region"]) == {"27": 1, "31": 1, "46": 1, "48": 1, "50": 1}
    assert dict(programs.facets["year"]) == {2024: 1, 2025: 4, 2026: 3, 2027: 2, 2028: 2}
    assert titles("대전환", type="program", region="27") == [FLAGSHIP]
    assert titles("대전환", type="program", year="2024") == titles("대전환", type="program")[-1:]


# --- visibility and freshness -------------------------------------------------------------------


def test_an_embargoed_event_is_indexed_but_found_only_once_public(db):
    now = timezone.now()
    event = f.EventFactory(
        name="엠바고검색표식 간담회",
        starts_at=now + datetime.timedelta(days=3),
        embargo_until=now + datetime.timedelta(days=1),
    )
    assert SearchDocument.objects.filter(model="events.event", object_id=event.pk).exists()
    assert titles("엠바고검색표식") == []
    with time_machine.travel(now + datetime.timedelta(days=2)):
        assert titles("엠바고검색표식") == ["엠바고검색표식 간담회"]


def test_the_index_follows_saves_and_deletes(db):
    program = f.ProgramFactory(name="새로운 색인시험 사업")
    assert titles("색인시험") == ["새로운 색인시험 사업"]
    program.name = "이름을 바꾼 사업"
    program.save()
    assert titles("색인시험") == []
    assert titles("이름을바꾼") == ["이름을 바꾼 사업"]
    program.delete()
    assert titles("이름을바꾼") == []


def test_rows_of_a_data_migration_are_indexed_after_migrate(db):
    from core.apps import _search_index_missing

    def regions_found(query):
        return [d.title for d in search.search(query).documents if d.model == "core.region"]

    # the 17 regions come from core/0002, before the index exists: migrate indexed them
    assert SearchDocument.objects.filter(model="core.region").count() == 17
    assert regions_found("경남") == ["경상남도"]
    # and a row that lost its document (written by raw SQL) gets it back at the next migrate
    SearchDocument.objects.filter(model="core.region", title="경상남도").delete()
    assert regions_found("경남") == []
    _search_index_missing(sender=None, using="default")  # core's post_migrate receiver
    assert regions_found("경남") == ["경상남도"]


def test_a_hub_renamed_reindexes_the_programs_that_name_it(db):
    rp = f.RegionalParticipationFactory()
    hub = f.HubFactory(region=rp.region, name="Alphaplace 거점")
    rp.hubs.add(hub)
    search.rebuild()  # many-to-many links are picked up by the rebuild
    assert rp.program.name in titles("alphaplace")
    hub.name = "Betaplace 거점"
    hub.save()
    assert sorted(titles("betaplace")) == sorted([rp.program.name, "Betaplace 거점"])
    assert titles("alphaplace") == []


def test_index_names_only_public_fields():
    for model in search.searchable_models():
        search.check_spec(model)  # raises on a staff-only or unknown field
    with pytest.raises(ValueError, match="not a public field"):
        from core.models import Person

        original = Person.search
        try:
            Person.search = search.SearchSpec(
                type="person", label="x", title=("name", "name_en"), texts=("phone",)
            )
            search.check_spec(Person)
        finally:
            Person.search = original


# --- the channels: page, program list, API ------------------------------------------------------


@postgres
def test_search_page_ranks_facets_and_suggests(client, demo):
    text = text_of(client.get(reverse("search"), {"q": "대전환"}))
    assert "“대전환” 검색 결과 8건" in text
    assert text.index(FLAGSHIP) < text.index("지역 AI 대전환 비전선포식")
    assert "사업·정책 4" in text and "행사 3" in text
    text = text_of(client.get(reverse("search"), {"q": "대전화"}))
    assert "이것을 찾으셨나요? 대전환 , 대전" in text
    response = client.get(reverse("search"), {"q": "대전환", "type": "program", "region": "48"})
    assert "“대전환” 검색 결과 1건" in text_of(response)


def test_search_page_drops_a_bad_facet_with_a_notice(client, demo):
    text = text_of(client.get(reverse("search"), {"q": "AI", "region": "x", "year": "0"}))
    assert "지역은 두 자리 지역 코드입니다." in text
    assert "연도는 1900–2999 사이의 네 자리 숫자입니다." in text


@postgres
def test_api_search_uses_the_same_index(client, demo):
    rows = client.get("/api/v1/programs/", {"search": "AI대전환"}).json()["results"]
    assert FLAGSHIP in [r["name"] for r in rows]
    rows = client.get("/api/v1/programs/", {"search": "팁스"}).json()["results"]
    assert sorted(r["name"] for r in rows) == ["TIPS (민간투자주도형 기술창업지원)", "스케일업팁스"]
    rows = client.get("/api/v1/events/", {"search": "대전화"}).json()["results"]
    assert rows == []


def test_program_list_q_uses_the_index(client, demo):
    text = text_of(client.get(reverse("program-list"), {"q": "지역주도"}))
    assert FLAGSHIP in text


def test_program_list_q_finds_by_alias(client, demo):
    assert Program.objects.filter(short_name="TIPS").exists()
    text = text_of(client.get(reverse("program-list"), {"q": "팁스"}))
    assert "TIPS (민간투자주도형 기술창업지원)" in text
    assert Hub.objects.exists()


def test_the_fallback_without_postgresql_matches_spaceless_substrings(demo, monkeypatch):
    # the SQLite path (substring of the spaceless text, difflib suggestions), run here
    monkeypatch.setattr(search, "_is_postgres", lambda: False)
    assert titles("AI대전환")[0] == FLAGSHIP
    assert FLAGSHIP in titles("지역주도")
    assert titles("팁스")[:2] == ["TIPS (민간투자주도형 기술창업지원)", "스케일업팁스"]
    result = search.search("대전화")
    assert result.total == 0
    assert result.suggestions[0] == "대전환"
