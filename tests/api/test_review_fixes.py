"""Fixes from the API review: bounded versions and If-Match, bounded search, clear page-size and
updated_since messages."""

import datetime

import pytest
from django.urls import resolve
from django.utils import timezone

from programs.models import Program
from tests import factories as f
from tests.api.endpoints import ENDPOINTS

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"
VERSION_ERROR = "버전은 1부터 9223372036854775807까지의 정수여야 합니다."


def program_row(program) -> dict:
    return Program.objects.filter(pk=program.pk).values().get()


@pytest.mark.parametrize(
    "body",
    [{"version": int(HUGE)}, {"version": True}, {"version": 0}, {"version": -3}, {"version": 1.5}],
    ids=["huge", "bool", "zero", "negative", "fraction"],
)
def test_patch_with_an_invalid_version_is_400_and_changes_nothing(staff_client, body):
    program = f.ProgramFactory()
    before = program_row(program)
    # when
    response = staff_client.patch(
        f"/api/v1/programs/{program.pk}/", {**body, "name": "바뀐 이름"}, format="json"
    )
    # then
    assert response.status_code == 400
    assert response.json()["errors"] == {"version": [VERSION_ERROR]}
    assert program_row(program) == before


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_a_huge_if_match_is_400_and_changes_nothing(staff_client, method):
    program = f.ProgramFactory()
    before = program_row(program)
    # when
    response = getattr(staff_client, method)(
        f"/api/v1/programs/{program.pk}/",
        {"name": "바뀐 이름"} if method == "patch" else None,
        format="json",
        HTTP_IF_MATCH=f'"{HUGE}"',
    )
    # then
    assert response.status_code == 400
    assert response.json()["errors"] == {"If-Match": [VERSION_ERROR]}
    assert program_row(program) == before


def test_the_largest_version_is_accepted_as_a_stale_one(staff_client):
    program = f.ProgramFactory()
    # when
    response = staff_client.patch(
        f"/api/v1/programs/{program.pk}/",
        {"name": "바뀐 이름"},
        format="json",
        HTTP_IF_MATCH=f'"{2**63 - 1}"',
    )
    # then
    assert response.status_code == 412
    assert program_row(program)["name"] == program.name


def test_search_with_too_many_words_is_400(anon_client):
    # when
    response = anon_client.get("/api/v1/programs/", {"search": " ".join(["AI"] * 1000)})
    # then
    assert response.status_code == 400
    assert response.json()["errors"] == {"search": ["검색어는 200자까지입니다."]}


def test_search_with_eleven_short_words_is_400(anon_client):
    # when
    response = anon_client.get("/api/v1/programs/", {"search": " ".join("abcdefghijk")})
    # then
    assert response.status_code == 400
    assert response.json()["errors"] == {"search": ["검색어는 10개 단어까지입니다."]}


def test_search_with_ten_words_works(anon_client):
    program = f.ProgramFactory(name="a b c d e f g h i j")
    # when
    response = anon_client.get("/api/v1/programs/", {"search": " ".join("abcdefghij")})
    # then
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [program.pk]


@pytest.mark.parametrize("value", ["-1", "0", "501", "x"])
def test_page_size_out_of_range_says_the_range(anon_client, value):
    # when
    response = anon_client.get("/api/v1/programs/", {"page_size": value})
    # then
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "page_size": ["페이지 크기는 1부터 500까지의 정수여야 합니다."]
    }


def model_of(endpoint):
    return resolve(endpoint.path).func.cls.queryset.model


CHANGING = [e for e in ENDPOINTS if any(f.name == "updated_at" for f in model_of(e)._meta.fields)]


def test_every_list_with_updated_at_is_covered():
    assert {e.name for e in CHANGING} >= {"programs", "participations", "companies", "events"}


@pytest.mark.parametrize("endpoint", CHANGING, ids=str)
@pytest.mark.parametrize(
    "since", ["2026-01-01T00:00:00+09:00", "2026-01-01T00:00:00 09:00", "2025-12-31T15:00:00Z"]
)
def test_updated_since_lists_only_rows_changed_since(endpoint, since, anon_client, staff_client):
    rows = endpoint.make(2)
    model = model_of(endpoint)
    old = datetime.datetime(2025, 12, 31, 14, 59, 59, tzinfo=datetime.UTC)  # a second before
    model.objects.update(updated_at=old)
    model.objects.filter(pk=rows[0].pk).update(updated_at=timezone.now())
    client = staff_client if endpoint.staff_only else anon_client
    # when
    response = client.get(endpoint.path, {"updated_since": since, "page_size": 500})
    # then
    assert response.status_code == 200, response.content
    assert [row["id"] for row in response.json()["results"]] == [rows[0].pk], response.json()


@pytest.mark.parametrize(
    "value",
    [
        "yesterday",
        "2026-13-01T00:00:00",
        "2026-01-01T25:00",
        "0034-09-07T18:17:50-23:02",
        "0001-01-01T00:00:00+09:00",
    ],
)
def test_updated_since_with_a_bad_value_is_400(anon_client, value):
    # when
    response = anon_client.get("/api/v1/programs/", {"updated_since": value})
    # then
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["updated_since"]
