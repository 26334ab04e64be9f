"""The schema says exactly what the server accepts (issue 15, point 7): for each rule the
committed openapi.yaml states, a value on each side of it, sent to the server and matched
against the schema's own pattern or enum."""

import re
from functools import cache

import pytest
import yaml
from django.conf import settings

from companies.models import Company
from core.api.writing import REGION_CODES
from core.models import Region
from tests import factories as f

pytestmark = pytest.mark.django_db


@cache
def schema() -> dict:
    return yaml.safe_load((settings.BASE_DIR / "openapi.yaml").read_text(encoding="utf-8"))


def query_schema(path: str, name: str) -> dict:
    parameters = schema()["paths"][path]["get"]["parameters"]
    return next(p["schema"] for p in parameters if p["name"] == name and p["in"] == "query")


def body_schema(component: str, name: str) -> dict:
    return schema()["components"]["schemas"][component]["properties"][name]


def first_branch(field: dict) -> dict:
    """The non-empty branch of a text that may be blank ({"oneOf": [text, ""]})."""
    return field["oneOf"][0] if "oneOf" in field else field


def matches(pattern: str, value: str) -> bool:
    return re.search(pattern, value) is not None


@pytest.mark.parametrize(
    ("since", "accepted"),
    [
        ("2026-11-21T09:00:00+09:00", True),
        ("2026-11-21T09:00:00.5+14:00", True),
        ("2026-11-21T09:00:00-14:00", True),
        ("2026-11-21T00:00:00Z", True),
        ("2026-11-21T09:00:00+14:01", False),
        ("7326-06-12T00:11:03.333394+23:28", False),
        ("0236-02-08T14:10:32.57-20:23", False),
    ],
)
def test_updated_since_offsets_as_the_schema_says(anon_client, since, accepted):
    pattern = query_schema("/api/v1/companies/", "updated_since")["pattern"]
    response = anon_client.get("/api/v1/companies/", {"updated_since": since})
    assert (response.status_code == 200) is accepted
    assert matches(pattern, since) is accepted


@pytest.mark.parametrize(
    ("search", "accepted"),
    [("한빛 정밀", True), ("tab\there", True), ("\x10", False), ("a\x0b", False)],
)
def test_free_text_query_values_refuse_control_characters_as_the_schema_says(
    anon_client, search, accepted
):
    for path in ("/api/v1/companies/", "/api/v1/programs/", "/api/v1/statistic-series/"):
        pattern = query_schema(path, "search")["pattern"]
        response = anon_client.get(path, {"search": search})
        assert (response.status_code == 200) is accepted, path
        assert matches(pattern, search) is accepted


def test_region_codes_are_the_enum_of_the_17_regions():
    assert set(REGION_CODES) == set(Region.objects.values_list("code", flat=True)) - {"97", "98"}
    assert len(REGION_CODES) == 17
    assert schema()["components"]["schemas"]["RegionEnum"]["enum"] == list(REGION_CODES)


def company_body(**fields) -> dict:
    return {"name": "한빛정밀", "region": "48", **fields}


@pytest.mark.parametrize(
    ("number", "status"),
    [
        ("220-81-62517", 201),
        ("2208162517", 201),
        ("220 81 62517", 201),
        ("", 201),
        ("22-0816-2517", 400),  # ten digits, but not written as the pattern says
        ("2208162518", 400),  # the pattern holds, the check digit does not (format)
        ("0", 400),
    ],
)
def test_business_numbers_as_the_schema_says(staff_client, number, status):
    field = body_schema("CompanyWriteRequest", "business_number")
    response = staff_client.post(
        "/api/v1/companies/", company_body(business_number=number), format="json"
    )
    assert response.status_code == status, response.json()
    assert field["oneOf"][0]["format"] == "kr-business-number"
    in_schema = number == "" or matches(field["oneOf"][0]["pattern"], number)
    assert in_schema is (number not in {"22-0816-2517", "0"})
    if status == 201:
        assert Company.objects.get().business_number == number.replace("-", "").replace(" ", "")


@pytest.mark.parametrize(
    ("ksic", "status"), [("C29", 201), ("29271", 201), ("", 201), ("0", 400), ("c29", 400)]
)
def test_ksic_codes_as_the_schema_says(staff_client, ksic, status):
    field = body_schema("CompanyWriteRequest", "ksic_code")
    response = staff_client.post("/api/v1/companies/", company_body(ksic_code=ksic), format="json")
    assert response.status_code == status
    assert (ksic == "" or matches(field["oneOf"][0]["pattern"], ksic)) is (status == 201)


@pytest.mark.parametrize(
    ("link", "status"),
    [
        ("https://www.mss.go.kr/site/smba/main.do", 201),
        ("http://example.org", 201),
        ("", 201),
        ("https://0.a", 400),  # a one-letter top-level domain: valid "uri", refused by Django
        ("mailto:a@b.kr", 400),
        ("https://Eh.CzC7.3.GEWdZukxKm/\u0006x", 400),  # Django took it; not a URI
        ("https://news.example.kr/기사", 400),
        ("https://news.example.kr/%EA%B8%B0%EC%82%AC?id=3#top", 201),
    ],
)
def test_web_addresses_as_the_schema_says(staff_client, link, status):
    field = body_schema("ProgramWriteRequest", "link")
    response = staff_client.post(
        "/api/v1/programs/",
        {"slug": "p", "name": "사업", "kind": "program", "status": "planned", "link": link},
        format="json",
    )
    assert response.status_code == status, response.json()
    assert (link == "" or matches(first_branch(field)["pattern"], link)) is (status == 201)


@pytest.mark.parametrize(
    ("name", "status"), [("한빛", 201), ("  한빛  ", 201), ("   ", 400), ("a\x00b", 400)]
)
def test_required_text_is_not_only_whitespace_nor_nul_as_the_schema_says(
    staff_client, name, status
):
    field = body_schema("CompanyWriteRequest", "name")
    response = staff_client.post("/api/v1/companies/", company_body(name=name), format="json")
    assert response.status_code == status
    assert matches(field["pattern"], name) is (status == 201)


def test_optional_text_may_be_blank_or_spaces(staff_client):
    field = body_schema("CompanyWriteRequest", "industry")
    response = staff_client.post("/api/v1/companies/", company_body(industry="   "), format="json")
    assert response.status_code == 201
    assert Company.objects.get().industry == ""
    assert matches(field["oneOf"][0]["pattern"], "   ")
    assert field["oneOf"][1] == {"type": "string", "maxLength": 0}


def test_summary_year_keys_are_integers_as_the_schema_says(anon_client):
    program = f.ProgramFactory()
    f.BudgetLineFactory(program=program, fiscal_year=2025)
    year = schema()["components"]["schemas"]["AmountByYear"]["properties"]["key"]
    body = anon_client.get(f"/api/v1/programs/{program.pk}/summary/").json()
    assert year["type"] == "integer"
    assert body["budget"]["by_source"][0]["by_year"][0]["key"] == 2025


def test_unknown_keys_are_refused_as_the_schema_says(staff_client):
    for component in ("CompanyWriteRequest", "PatchedCompanyWriteRequest", "EventWriteRequest"):
        assert schema()["components"]["schemas"][component]["additionalProperties"] is False
    response = staff_client.post("/api/v1/companies/", company_body(colour="red"), format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"colour": ["알 수 없는 필드입니다."]}
    assert not Company.objects.exists()


@pytest.mark.parametrize(
    ("component", "field", "minimum", "maximum"),
    [
        ("ParticipationWriteRequest", "self_funding_krw", 0, 9223372036854775807),
        ("ParticipationWriteRequest", "support_amount_krw", 0, 9223372036854775807),
    ],
)
def test_bounds_of_check_constraints_are_in_the_schema(component, field, minimum, maximum):
    declared = body_schema(component, field)
    assert (declared["minimum"], declared["maximum"]) == (minimum, maximum)


def test_a_negative_amount_is_refused_at_its_field(staff_client):
    company, program = f.CompanyFactory(), f.ProgramFactory()
    response = staff_client.post(
        "/api/v1/participations/",
        {"company": company.pk, "program": program.pk, "status": "applied", "self_funding_krw": -1},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["self_funding_krw"]


def test_a_web_address_with_korean_letters_is_answered_in_korean(staff_client):
    response = staff_client.post(
        "/api/v1/programs/",
        {
            "slug": "p",
            "name": "사업",
            "kind": "program",
            "status": "planned",
            "link": "https://a.kr/기사",
        },
        format="json",
    )
    assert response.json()["errors"] == {
        "link": [
            "웹 주소는 http:// 또는 https://로 시작하는 주소여야 하고, 한글 등 ASCII가 아닌 "
            "문자는 퍼센트 인코딩(예: %ED%95%9C)해야 합니다."
        ]
    }
