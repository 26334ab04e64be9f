"""Writes on programs, companies, participations and events: who may write, full_clean(), bad
bodies — and every refused request leaves the database exactly as it was."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import models

from companies.models import Company
from events.models import SEOUL, Event
from programs.models import Participation, Program
from tests import factories as f

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Writable:
    name: str
    model: type[models.Model]
    make: Callable[[], models.Model]
    valid: Callable[[], dict]
    # a body that passes the field checks but fails the model's full_clean(), and the error keys
    unclean: Callable[[], dict]
    unclean_keys: tuple[str, ...]
    patch: dict

    @property
    def path(self) -> str:
        return f"/api/v1/{self.name}/"

    def __str__(self):
        return self.name


def company_payload() -> dict:
    return {
        "name": "천일엔지니어링",
        "business_number": f.make_business_number("123456789"),
        "size": "small",
        "is_ai_demand": True,
        "region": "48",
    }


def wrong_checksum(first_nine: str) -> str:
    right = f.business_number_check_digit(first_nine)
    return f"{first_nine[:3]}-{first_nine[3:5]}-{first_nine[5:]}{(right + 1) % 10}"


def participation_payload() -> dict:
    return {
        "company": f.CompanyFactory().pk,
        "program": f.ProgramFactory().pk,
        "status": "selected",
        "region": "48",
        "applied_on": "2025-02-01",
        "selected_on": "2025-03-14",
        "support_amount_krw": 200_000_000,
    }


def unclean_participation() -> dict:
    company = f.CompanyFactory()
    return {**participation_payload(), "company": company.pk, "supplier": company.pk}


WRITABLE = (
    Writable(
        "programs",
        Program,
        f.ProgramFactory,
        lambda: {
            "slug": "ai-factory",
            "name": "AI팩토리사업",
            "kind": "program",
            "status": "planned",
        },
        lambda: {
            "slug": "bad-dates",
            "name": "날짜가 거꾸로인 사업",
            "kind": "program",
            "status": "planned",
            "planned_start": "2026-01-01",
            "planned_end": "2025-01-01",
        },
        ("non_field_errors",),
        {"status": "completed"},
    ),
    Writable(
        "companies",
        Company,
        f.CompanyFactory,
        company_payload,
        lambda: {**company_payload(), "business_number": wrong_checksum("123456789")},
        ("business_number",),
        {"size": "medium"},
    ),
    Writable(
        "participations",
        Participation,
        f.ParticipationFactory,
        participation_payload,
        unclean_participation,
        ("non_field_errors",),
        {"status": "completed"},
    ),
    Writable(
        "events",
        Event,
        f.EventFactory,
        lambda: {
            "slug": "2026-ax-forum",
            "name": "AX 포럼",
            "kind": "conference",
            "starts_at": "2026-07-01T14:00:00+09:00",
            "ends_at": "2026-07-01T16:00:00+09:00",
            "region": "43",
        },
        lambda: {
            "slug": "backwards",
            "name": "거꾸로 행사",
            "kind": "conference",
            "starts_at": "2026-07-01T14:00:00+09:00",
            "ends_at": "2026-07-01T12:00:00+09:00",
        },
        ("non_field_errors",),
        {"attendee_count_approx": 20},
    ),
)


def snapshot(model) -> list[dict]:
    return list(model.objects.order_by("pk").values())


# --- allowed writes ---------------------------------------------------------------------------


@pytest.mark.parametrize("writable", WRITABLE, ids=str)
def test_staff_with_permission_creates_and_gets_the_detail(writable, staff_client):
    # given
    payload = writable.valid()
    before = writable.model.objects.count()

    # when
    response = staff_client.post(writable.path, payload, format="json")

    # then
    assert response.status_code == 201, response.json()
    body = response.json()
    assert writable.model.objects.count() == before + 1
    assert response["Location"] == body["url"]
    assert body["version"] == 1
    assert staff_client.get(body["url"]).json() == body


@pytest.mark.parametrize("writable", WRITABLE, ids=str)
def test_staff_with_permission_patches_and_the_version_goes_up(writable, staff_client):
    # given
    row = writable.make()
    field, value = next(iter(writable.patch.items()))

    # when
    response = staff_client.patch(
        f"{writable.path}{row.pk}/", writable.patch, format="json", HTTP_IF_MATCH=f'"{row.version}"'
    )

    # then
    assert response.status_code == 200, response.json()
    row.refresh_from_db()
    assert getattr(row, field) == value
    assert row.version == 2
    assert response.json()["version"] == 2


@pytest.mark.parametrize("writable", WRITABLE, ids=str)
def test_staff_with_permission_deletes(writable, staff_client):
    # given
    row = writable.make()

    # when
    response = staff_client.delete(f"{writable.path}{row.pk}/", HTTP_IF_MATCH=f'"{row.version}"')

    # then
    assert response.status_code == 204
    assert not writable.model.objects.filter(pk=row.pk).exists()


def test_put_replaces_the_program_and_its_links(staff_client):
    # given
    program = f.ProgramFactory(name="옛 이름", summary="옛 요약")
    source = f.SourceFactory()
    related = f.ProgramFactory()

    # when
    response = staff_client.put(
        f"/api/v1/programs/{program.slug}/",
        {
            "slug": program.slug,
            "name": "새 이름",
            "kind": "program",
            "status": "open",
            "sources": [source.pk],
            "related": [related.pk],
            "link": "https://www.mss.go.kr/",
        },
        format="json",
        HTTP_IF_MATCH=f'"{program.version}"',
    )

    # then
    assert response.status_code == 200, response.json()
    program.refresh_from_db()
    assert (program.name, program.summary, program.url) == (
        "새 이름",
        "옛 요약",
        "https://www.mss.go.kr/",
    )
    assert list(program.sources.all()) == [source]
    assert list(program.related.all()) == [related]
    assert [s["id"] for s in response.json()["sources"]] == [source.pk]


# --- refused writes change nothing ------------------------------------------------------------

REFUSERS = {
    "anonymous": ("anon_client", 401),
    "staff without permission": ("staff_without_perms_client", 403),
    "permission but not staff": ("non_staff_with_perms_client", 403),
}


@pytest.mark.parametrize("who", REFUSERS)
@pytest.mark.parametrize("writable", WRITABLE, ids=str)
def test_refused_user_changes_nothing(writable, who, request):
    # given
    client_fixture, status = REFUSERS[who]
    client = request.getfixturevalue(client_fixture)
    row = writable.make()
    payload = writable.valid()
    before = snapshot(writable.model)

    # when
    responses = [
        client.post(writable.path, payload, format="json"),
        client.put(f"{writable.path}{row.pk}/", payload, format="json"),
        client.patch(f"{writable.path}{row.pk}/", writable.patch, format="json"),
        client.delete(f"{writable.path}{row.pk}/"),
    ]

    # then
    assert [r.status_code for r in responses] == [status] * 4
    assert snapshot(writable.model) == before


@pytest.mark.parametrize("writable", WRITABLE, ids=str)
def test_full_clean_errors_answer_400_per_field_and_change_nothing(writable, staff_client):
    # given
    row = writable.make()
    body = writable.unclean()
    before = snapshot(writable.model)

    # when
    created = staff_client.post(writable.path, body, format="json")
    replaced = staff_client.put(
        f"{writable.path}{row.pk}/", body, format="json", HTTP_IF_MATCH=f'"{row.version}"'
    )

    # then
    assert created.status_code == 400
    assert tuple(created.json()["errors"]) == writable.unclean_keys
    assert replaced.status_code == 400
    assert tuple(replaced.json()["errors"]) == writable.unclean_keys
    assert snapshot(writable.model) == before


BAD_BODIES = {
    "unknown field": ({"colour": "blue"}, "colour"),
    "wrong type": ({"name": ["not", "a", "string"]}, "name"),
    "not an object": ([1, 2, 3], "non_field_errors"),
    "null character": ({"name": "a\x00b"}, "name"),
    "unknown region": ({"region": "99"}, "region"),
}


@pytest.mark.parametrize("case", BAD_BODIES)
@pytest.mark.parametrize("writable", WRITABLE, ids=str)
def test_bad_body_answers_400_with_the_field_and_changes_nothing(writable, case, staff_client):
    # given
    row = writable.make()
    extra, key = BAD_BODIES[case]
    if key == "name" and "name" not in writable.valid():
        extra, key = {"status": ["x"]}, "status"
    body = extra if isinstance(extra, list) else {**writable.valid(), **extra}
    before = snapshot(writable.model)

    # when
    created = staff_client.post(writable.path, body, format="json")
    patched = staff_client.patch(
        f"{writable.path}{row.pk}/", extra, format="json", HTTP_IF_MATCH=f'"{row.version}"'
    )

    # then
    assert created.status_code == 400, created.json()
    assert created.json()["code"] == "invalid"
    assert key in created.json()["errors"]
    assert patched.status_code == 400
    assert key in patched.json()["errors"]
    assert snapshot(writable.model) == before


@pytest.mark.parametrize("writable", WRITABLE, ids=str)
def test_malformed_json_and_form_bodies_are_refused(writable, staff_client):
    # given
    before = snapshot(writable.model)

    # when
    malformed = staff_client.post(writable.path, b'{"name": ', content_type="application/json")
    lone_surrogate = staff_client.post(
        writable.path, b'{"name": "\\ud800"}', content_type="application/json"
    )
    form = staff_client.post(writable.path, {"name": "x"}, format="multipart")

    # then
    assert malformed.status_code == 400
    assert malformed.json() == {
        "code": "parse_error",
        "detail": "요청 본문을 JSON으로 읽을 수 없습니다.",
    }
    assert lone_surrogate.status_code == 400
    assert form.status_code == 415
    assert form.json()["code"] == "unsupported_media_type"
    assert snapshot(writable.model) == before


def test_deleting_a_program_that_companies_take_part_in_is_409_and_changes_nothing(staff_client):
    # given
    participation = f.ParticipationFactory()
    before = snapshot(Program)

    # when
    response = staff_client.delete(
        f"/api/v1/programs/{participation.program_id}/",
        HTTP_IF_MATCH=f'"{participation.program.version}"',
    )

    # then
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert snapshot(Program) == before


def test_duplicate_business_number_is_400_and_changes_nothing(staff_client):
    # given
    existing = f.CompanyFactory()
    before = snapshot(Company)

    # when
    response = staff_client.post(
        "/api/v1/companies/",
        {"name": "다른 회사", "business_number": existing.business_number},
        format="json",
    )

    # then
    assert response.status_code == 400
    assert list(response.json()["errors"]) in (["non_field_errors"], ["business_number"])
    assert snapshot(Company) == before


def test_side_event_on_another_day_is_refused_by_the_model_rule(staff_client):
    # given
    main = f.EventFactory(starts_at=datetime.datetime(2025, 11, 19, 10, tzinfo=SEOUL))
    before = snapshot(Event)

    # when
    response = staff_client.post(
        "/api/v1/events/",
        {
            "slug": "side",
            "name": "부대행사",
            "kind": "exhibition",
            "parent": main.pk,
            "starts_at": "2025-11-20T10:00:00+09:00",
        },
        format="json",
    )

    # then
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["starts_at"]
    assert snapshot(Event) == before


def test_read_only_fields_in_the_body_are_ignored(staff_client):
    # given
    company = f.CompanyFactory()

    # when
    response = staff_client.patch(
        f"/api/v1/companies/{company.pk}/",
        {"id": 999, "name": "새 이름"},
        format="json",
        HTTP_IF_MATCH=f'"{company.version}"',
    )

    # then
    assert response.status_code == 200
    company.refresh_from_db()
    assert (company.pk, company.version) == (response.json()["id"], 2)
