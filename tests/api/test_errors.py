"""Strict parameters and the one error shape: an unknown query parameter answers 400 naming the
allowed ones (every endpoint and action), invalid values answer 400 (region=99 included), and
every error — CSRF, authentication, permission, throttling, 404, 405, 412, 428 — carries a stable
``code`` and a Korean message (English with Accept-Language: en); RateLimit headers everywhere."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import resolve
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from core.api.exceptions import ERROR_CODES
from tests import factories as f
from tests.api.conftest import api_key
from tests.api.endpoints import ENDPOINTS

pytestmark = pytest.mark.django_db

COMMON = ["format", "scope"]
PAGING = ["cursor", "page", "page_size"]

#: The allowed query parameters of every list, spelled out (derived in the code from each
#: view's FilterSet, search and ordering fields and the pagination).
LIST_PARAMETERS = {
    "regions": ["is_capital_area", "ordering", "search"],
    "organizations": ["kind", "ordering", "parent", "region", "search", "updated_since"],
    "sources": ["kind", "ordering", "publisher", "search", "updated_since"],
    "people": ["ordering", "organization", "search", "updated_since"],
    "companies": ["ordering", "program", "region", "role", "search", "size", "updated_since"],
}


@pytest.fixture
def client_for(anon_client, staff_client):
    return lambda endpoint: staff_client if endpoint.staff_only else anon_client


def allowed_of(endpoint) -> list[str]:
    view = resolve(endpoint.path).func.cls
    return list(view.allowed_query_parameters("list"))


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_an_unknown_list_parameter_is_400_naming_the_allowed_ones(endpoint, client_for):
    # given
    endpoint.make(1)

    # when
    response = client_for(endpoint).get(endpoint.path, {"regoin": "48", "ordering": "id"})

    # then
    body = response.json()
    allowed = allowed_of(endpoint)
    assert response.status_code == 400
    assert body["code"] == "unknown_parameter"
    assert body["allowed"] == allowed
    assert (
        body["detail"] == f"알 수 없는 매개변수: regoin. 쓸 수 있는 매개변수: {', '.join(allowed)}."
    )
    assert list(body["errors"]) == ["regoin"]
    assert set(COMMON + PAGING) <= set(allowed)
    if endpoint.name in LIST_PARAMETERS:
        assert allowed == sorted(LIST_PARAMETERS[endpoint.name] + COMMON + PAGING)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_a_detail_reads_only_format_and_scope(endpoint, client_for):
    # given
    row = endpoint.make(1)[0]
    path = f"{endpoint.path}{endpoint.lookups(row)[0]}/"

    # when
    paged = client_for(endpoint).get(path, {"page": "2"})
    filtered = client_for(endpoint).get(path, {"region": "48", "search": "x"})

    # then
    assert paged.status_code == filtered.status_code == 400
    assert paged.json()["allowed"] == COMMON
    assert sorted(filtered.json()["errors"]) == ["region", "search"]


def test_the_issue_cases(anon_client):
    # given
    f.ProgramFactory()

    # when
    misspelt = anon_client.get("/api/v1/programs/", {"regoin": "48"})
    no_region = anon_client.get("/api/v1/programs/", {"region": "99"})
    bogus_status = anon_client.get("/api/v1/programs/", {"status": "bogus"})
    empty = anon_client.get("/api/v1/programs/", {"region": "", "kind": "program"})
    bad_scope = anon_client.get("/api/v1/programs/", {"scope": "all"})
    empty_unknown = anon_client.get("/api/v1/programs/", {"colour": ""})

    # then
    assert misspelt.status_code == 400
    assert misspelt.json()["code"] == "unknown_parameter"
    assert no_region.status_code == 400
    assert no_region.json() == {
        "code": "invalid_parameter",
        "detail": "요청 매개변수가 올바르지 않습니다: region.",
        "errors": {
            "region": ["99은(는) 없는 지역 코드입니다. 17개 시도의 두 자리 코드(예: 48)를 쓰세요."]
        },
    }
    assert bogus_status.status_code == 400
    assert bogus_status.json()["code"] == "invalid_parameter"
    assert empty.status_code == 200
    assert bad_scope.status_code == 400
    assert list(bad_scope.json()["errors"]) == ["scope"]
    assert empty_unknown.status_code == 400


def filters_by_region(endpoint) -> bool:
    view = resolve(endpoint.path).func.cls
    return view.filterset_class is not None and "region" in view.filterset_class.base_filters


@pytest.mark.parametrize(
    "endpoint", [e for e in ENDPOINTS if e.name != "regions" and filters_by_region(e)], ids=str
)
def test_region_99_is_400_wherever_region_filters(endpoint, client_for):
    response = client_for(endpoint).get(endpoint.path, {"region": "99"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["region"]


def test_a_write_with_an_unknown_query_parameter_is_400_and_changes_nothing(staff_client):
    # when
    response = staff_client.post("/api/v1/companies/?dry_run=1", {"name": "새 회사"}, format="json")

    # then
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_parameter"
    assert response.json()["allowed"] == COMMON
    assert not f.CompanyFactory._meta.model.objects.filter(name="새 회사").exists()


# --- one error shape, every code ----------------------------------------------------------------


def test_authentication_permission_csrf_404_405_errors_have_codes(
    anon_client, staff_without_perms_client, staff_client
):
    # given
    company = f.CompanyFactory()
    user = get_user_model().objects.create_user(
        "session-staff", password="pw-123456", is_staff=True
    )
    session = APIClient(enforce_csrf_checks=True)
    session.force_login(user)
    bad_token = APIClient()
    bad_token.credentials(HTTP_AUTHORIZATION="Token ax_not-a-key")

    # when
    answers = {
        "not_authenticated": anon_client.post("/api/v1/companies/", {}, format="json"),
        "authentication_failed": bad_token.get("/api/v1/companies/"),
        "permission_denied": staff_without_perms_client.post(
            "/api/v1/companies/", {}, format="json"
        ),
        "csrf_failed": session.post("/api/v1/companies/", {}, format="json"),
        "not_found": anon_client.get("/api/v1/companies/999999/"),
        "method_not_allowed": staff_client.put("/api/v1/companies/", {}, format="json"),
    }
    unknown_url = anon_client.get("/api/v1/nothing-here/")

    # then
    assert {code: (r.status_code, r.json()) for code, r in answers.items()} == {
        code: (ERROR_CODES[code][0], {"code": code, "detail": str(ERROR_CODES[code][1])})
        for code in answers
        if code != "method_not_allowed"
    } | {
        "method_not_allowed": (
            405,
            {"code": "method_not_allowed", "detail": "PUT 메서드는 이 주소에서 쓸 수 없습니다."},
        )
    }
    assert answers["not_authenticated"]["WWW-Authenticate"] == "Token"
    assert unknown_url.status_code == 404
    assert unknown_url.json() == {"code": "not_found", "detail": "찾을 수 없습니다."}
    assert company.pk


def test_412_and_428_carry_their_codes(staff_client):
    # given
    company = f.CompanyFactory()

    # when
    required = staff_client.patch(f"/api/v1/companies/{company.pk}/", {"name": "x"}, format="json")
    stale = staff_client.patch(
        f"/api/v1/companies/{company.pk}/", {"name": "x"}, format="json", HTTP_IF_MATCH='"7"'
    )

    # then
    assert (required.status_code, required.json()["code"]) == (428, "precondition_required")
    assert (stale.status_code, stale.json()["code"]) == (412, "stale_version")


def test_errors_are_english_with_accept_language_en(anon_client):
    # given
    f.CompanyFactory()

    # when
    unknown = anon_client.get("/api/v1/companies/", {"regoin": "48"}, HTTP_ACCEPT_LANGUAGE="en")
    region = anon_client.get(
        "/api/v1/companies/", {"region": "99"}, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
    )
    missing = anon_client.get("/api/v1/companies/999999/", HTTP_ACCEPT_LANGUAGE="en")
    anonymous = anon_client.post("/api/v1/companies/", {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    korean = anon_client.get("/api/v1/companies/999999/", HTTP_ACCEPT_LANGUAGE="ko-KR,en;q=0.5")

    # then
    assert unknown.json()["detail"].startswith(
        "Unknown parameter: regoin. Allowed parameters: cursor, "
    )
    assert region.json()["detail"] == "Invalid query parameter: region."
    assert region.json()["errors"] == {
        "region": [
            "There is no region with code 99. Use a two-digit code of the 17 regions (e.g. 48)."
        ]
    }
    assert missing.json() == {"code": "not_found", "detail": "Not found."}
    assert anonymous.json() == {
        "code": "not_authenticated",
        "detail": "Sign in or send a token (Authorization: Token …).",
    }
    assert korean.json()["detail"] == "찾을 수 없습니다."
    assert "Accept-Language" in missing["Vary"]


def test_every_code_has_an_english_message():
    from django.utils import translation

    with translation.override("en"):
        english = {code: str(message) for code, (_status, message) in ERROR_CODES.items()}
    with translation.override("ko"):
        korean = {code: str(message) for code, (_status, message) in ERROR_CODES.items()}
    assert [code for code in ERROR_CODES if english[code] == korean[code]] == []


# --- rate limit headers -------------------------------------------------------------------------


@pytest.fixture
def rates(monkeypatch):
    monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, "anon", "3/min")
    monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, "user", "5/min")


def test_ratelimit_headers_count_down_and_429_has_retry_after(rates, anon_client, staff_user):
    # given
    staff = APIClient()
    staff.credentials(HTTP_AUTHORIZATION=f"Token {api_key(staff_user)}")

    # when
    answers = [anon_client.get("/api/v1/regions/") for _ in range(4)]
    signed_in = staff.get("/api/v1/regions/")

    # then
    assert [r.status_code for r in answers] == [200, 200, 200, 429]
    assert [r["RateLimit-Limit"] for r in answers] == ["3"] * 4
    assert [r["RateLimit-Remaining"] for r in answers] == ["2", "1", "0", "0"]
    assert all(1 <= int(r["RateLimit-Reset"]) <= 60 for r in answers)
    assert answers[0]["RateLimit-Policy"] == "3;w=60"
    assert answers[3]["Retry-After"] == answers[3]["RateLimit-Reset"]
    assert (signed_in["RateLimit-Limit"], signed_in["RateLimit-Remaining"]) == ("5", "4")


def test_ratelimit_headers_on_errors_details_and_unknown_urls(rates, anon_client):
    # given
    region = anon_client.get("/api/v1/regions/48/")

    # when
    error = anon_client.get("/api/v1/regions/", {"colour": "red"})
    unknown = anon_client.get("/api/v1/nothing/")
    bad_token = APIClient().get("/api/v1/regions/", HTTP_AUTHORIZATION="Token nope")

    # then
    assert region["RateLimit-Remaining"] == "2"
    assert error["RateLimit-Remaining"] == "1"
    assert unknown["RateLimit-Remaining"] == "1"  # not counted, but announced
    assert bad_token["RateLimit-Limit"] == "3"


def test_no_ratelimit_headers_when_the_limit_is_off(monkeypatch, anon_client):
    monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, "anon", "none")
    assert "RateLimit-Limit" not in anon_client.get("/api/v1/regions/")
