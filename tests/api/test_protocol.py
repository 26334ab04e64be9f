"""HTTP behaviour shared by every endpoint: pagination input, formats, rate limit, CORS,
Last-Modified, the root listing, the schema and its docs page."""

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from openapi_spec_validator import validate
from rest_framework.settings import api_settings

from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("params", "status", "key"),
    [
        ({"page": "abc"}, 400, "page"),
        ({"page": "0"}, 400, "page"),
        ({"page": "-1"}, 400, "page"),
        ({"page": "1.5"}, 400, "page"),
        ({"page": "99"}, 404, "detail"),
        ({"page": "9" * 40}, 404, "detail"),
        ({"page_size": "-5"}, 400, "page_size"),
        ({"page_size": "0"}, 400, "page_size"),
        ({"page_size": "501"}, 400, "page_size"),
        ({"page_size": "ten"}, 400, "page_size"),
        ({"format": "xml"}, 400, "format"),
        ({"ordering": "name,,"}, 400, "ordering"),
        ({"search": "a\x00b"}, 400, "search"),
    ],
)
def test_bad_list_parameters(params, status, key, anon_client):
    # given
    f.CompanyFactory()

    # when
    response = anon_client.get("/api/v1/companies/", params)

    # then
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert key in (body["errors"] if status == 400 else body)
    expected = "invalid_characters" if "\x00" in "".join(params.values()) else "invalid_parameter"
    assert body["code"] == (expected if status == 400 else "not_found")


def test_page_size_500_and_next_previous_links(anon_client):
    # given
    for _ in range(3):
        f.SourceFactory()

    # when
    first = anon_client.get("/api/v1/sources/", {"page_size": 2, "page": 1}).json()
    second = anon_client.get(first["next"]).json()
    everything = anon_client.get("/api/v1/sources/", {"page_size": 500}).json()

    # then
    assert first["count"] == 3
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/sources/?page=2&page_size=2"
    # (without page= the links are cursors: tests/api/test_cursor.py)
    assert second["previous"] == "http://testserver/api/v1/sources/?page_size=2"
    assert second["next"] is None
    assert len(everything["results"]) == 3


def test_csv_of_an_error_is_json(anon_client):
    response = anon_client.get("/api/v1/companies/", {"format": "csv", "region": "x"})
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid_parameter",
        "detail": "요청 매개변수가 올바르지 않습니다: region.",
        "errors": {"region": ["A two-digit region code."]},
    }


def test_csv_is_only_for_lists(anon_client):
    company = f.CompanyFactory()
    response = anon_client.get(f"/api/v1/companies/{company.pk}/", {"format": "csv"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["format"]


def test_csv_quotes_formula_like_text_and_keeps_korean(anon_client):
    # given
    f.CompanyFactory(name='=HYPERLINK("x")', industry="자동차 부품")

    # when
    text = anon_client.get("/api/v1/companies/", {"format": "csv"}).content.decode("utf-8-sig")

    # then
    assert "'=HYPERLINK" in text
    assert "자동차 부품" in text


def test_huge_or_odd_lookups_are_404(anon_client):
    assert anon_client.get("/api/v1/companies/99999999999999999999999/").status_code == 404
    # a NUL is answered before any view, with the API's JSON error (config.middleware)
    response = anon_client.get("/api/v1/programs/%00/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_last_modified_on_flat_details_and_if_modified_since(anon_client):
    # given
    company = f.CompanyFactory()
    path = f"/api/v1/companies/{company.pk}/"
    first = anon_client.get(path)

    # when
    again = anon_client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    # then
    assert first["Last-Modified"].endswith("GMT")
    assert again.status_code == 304


def test_responses_vary_and_revalidate(anon_client, staff_client):
    # when
    anonymous = anon_client.get("/api/v1/regions/")
    staff = staff_client.get("/api/v1/regions/")

    # then
    assert anonymous["Cache-Control"] == "public, no-cache"
    assert staff["Cache-Control"] == "private, no-cache"
    assert {"Accept", "Authorization", "Cookie"} <= {
        v.strip() for v in anonymous["Vary"].split(",")
    }


@pytest.fixture
def throttle(monkeypatch):
    def set_rate(rate):
        monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, "anon", rate)

    return set_rate


def test_anonymous_rate_limit_answers_429_with_retry_after(throttle, anon_client, staff_client):
    # given
    throttle("3/min")

    # when
    answers = [anon_client.get("/api/v1/regions/").status_code for _ in range(4)]
    limited = anon_client.get("/api/v1/regions/")
    staff = staff_client.get("/api/v1/regions/")

    # then
    assert answers == [200, 200, 200, 429]
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert limited.json() == {
        "code": "throttled",
        "detail": f"요청이 너무 많습니다. {limited['Retry-After']}초 뒤에 다시 시도하세요.",
        "retry_after": int(limited["Retry-After"]),
    }
    assert staff.status_code == 200  # authenticated users are not throttled


def test_rate_limit_can_be_switched_off(throttle, anon_client):
    throttle("none")
    assert {anon_client.get("/api/v1/regions/").status_code for _ in range(5)} == {200}


@override_settings(CORS_ALLOWED_ORIGINS=["https://dashboard.example.kr"])
def test_cors_allows_only_listed_origins(anon_client):
    # when
    allowed = anon_client.get("/api/v1/regions/", HTTP_ORIGIN="https://dashboard.example.kr")
    other = anon_client.get("/api/v1/regions/", HTTP_ORIGIN="https://evil.example.com")

    # then
    assert allowed["Access-Control-Allow-Origin"] == "https://dashboard.example.kr"
    assert "Access-Control-Allow-Origin" not in other


def test_root_lists_every_resource(anon_client):
    body = anon_client.get("/api/v1/").json()
    assert sorted(body) == [
        "awards",
        "changes",
        "companies",
        "events",
        "follow-ups",
        "intake",
        "organizations",
        "participations",
        "people",
        "programs",
        "regions",
        "result-updates",
        "sources",
        "statistic-series",
        "statistics",
        "targets",
    ]
    assert body["programs"] == "http://testserver/api/v1/programs/"


def test_datetimes_carry_the_seoul_offset(anon_client):
    f.EventFactory()
    event = anon_client.get("/api/v1/events/").json()["results"][0]
    assert event["starts_at"] == "2025-06-25T14:00:00+09:00"
    assert event["updated_at"].endswith("+09:00")


# --- the OpenAPI schema -----------------------------------------------------------------------


def generated_schema(tmp_path) -> str:
    out = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(out), "--validate", "--fail-on-warn")
    return out.read_text()


def test_schema_is_valid_openapi_3_and_matches_the_committed_file(tmp_path):
    # when
    text = generated_schema(tmp_path)
    committed = (settings.BASE_DIR / "openapi.yaml").read_text()

    # then
    schema = yaml.safe_load(text)
    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert text == committed, "openapi.yaml is stale: run `make schema`"


def test_schema_documents_every_filter_and_error(tmp_path):
    schema = yaml.safe_load(generated_schema(tmp_path))
    params = {
        path: {p["name"] for p in ops["get"].get("parameters", [])}
        for path, ops in schema["paths"].items()
        if "get" in ops  # POST-only actions (result-updates/{id}/approve/ ...)
    }
    assert {"kind", "status", "region", "year", "organization", "parent", "search"} <= params[
        "/api/v1/programs/"
    ]
    assert {"region", "program", "size", "role", "search"} <= params["/api/v1/companies/"]
    assert {"program", "region", "company", "status"} <= params["/api/v1/participations/"]
    assert {"program", "event", "year", "company"} <= params["/api/v1/awards/"]
    assert {"kind", "region", "program", "date_from", "date_to", "parent", "search"} <= params[
        "/api/v1/events/"
    ]
    assert {"series", "segment", "period"} <= params["/api/v1/statistics/"]
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            assert "429" in op["responses"], (path, method)
            if method == "get":
                assert {"200", "304", "400"} <= set(op["responses"]), path
            for param in op.get("parameters", []):
                assert param.get("description"), (path, param["name"])


def test_schema_endpoint_and_docs_page_without_cdn(anon_client):
    # when
    schema = anon_client.get("/api/schema/")
    docs = anon_client.get("/api/docs/")

    # then
    assert schema.status_code == 200
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist" in html
    for cdn in ("cdn.jsdelivr", "unpkg.com", "cdnjs"):
        assert cdn not in html


def test_the_schema_lists_exactly_the_region_codes_of_the_reference_data(db):
    from core.filtering import REGION_CODES
    from core.models import Region

    assert list(REGION_CODES) == list(
        Region.objects.order_by("code").values_list("code", flat=True)
    )
