"""Generic checks of every API endpoint, driven by the one table in tests/api/endpoints.py:
list, detail, filters, ordering, anonymous access, CSV, conditional GET and query counts."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers

from tests.api.endpoints import ENDPOINTS, FILTER_CASES

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(anon_client, staff_client):
    """The client that may read an endpoint: anonymous, or staff for staff-only ones."""
    return lambda endpoint: staff_client if endpoint.staff_only else anon_client


def shape_errors(data, serializer, where="") -> list[str]:
    """Differences between the keys of ``data`` and the fields the schema serializer documents."""
    fields = serializer.fields
    errors = []
    # Fields documented as not required (staff-only notes) are left out for anonymous callers.
    required = {name for name, field in fields.items() if field.required}
    if not required <= set(data) <= set(fields):
        errors.append(
            f"{where or '<root>'}: {sorted((set(data) ^ set(fields)) | required - set(data))}"
        )
    for name, field in fields.items():
        value = data.get(name)
        if isinstance(field, serializers.ListSerializer) and value:
            for item in value:
                errors += shape_errors(item, field.child, f"{where}{name}[].")
        elif isinstance(field, serializers.Serializer) and value is not None:
            errors += shape_errors(value, field, f"{where}{name}.")
    return errors


def result_ids(response) -> list:
    return [row["id"] for row in response.json()["results"]]


# --- list and detail --------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_list_has_every_row_in_the_documented_shape(endpoint, client_for):
    # given
    rows = endpoint.make(3)

    # when
    response = client_for(endpoint).get(endpoint.path, {"page_size": 500})

    # then
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == endpoint.total()
    assert {r.pk for r in rows} <= set(result_ids(response))
    for item in body["results"]:
        assert shape_errors(item, endpoint.serializer()) == []
        assert item["url"].startswith(f"http://testserver{endpoint.path}")
        assert "updated_at" in item


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_detail_by_every_lookup_and_by_its_url(endpoint, client_for):
    # given
    row = endpoint.make(1)[0]
    client = client_for(endpoint)
    serializer = (endpoint.detail_serializer or endpoint.serializer)()

    for lookup in endpoint.lookups(row):
        # when
        response = client.get(f"{endpoint.path}{lookup}/")

        # then
        assert response.status_code == 200, lookup
        body = response.json()
        assert body["id"] == row.pk
        assert shape_errors(body, serializer) == []
        assert client.get(body["url"]).json() == body


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_unknown_record_is_404(endpoint, client_for):
    # given
    endpoint.make(1)
    missing = "00" if endpoint.name == "regions" else "999999"

    # when
    response = client_for(endpoint).get(f"{endpoint.path}{missing}/")

    # then
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "찾을 수 없습니다."}


# --- anonymous access -------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_anonymous_reads_public_endpoints_and_not_staff_ones(endpoint, anon_client):
    # given
    row = endpoint.make(1)[0]

    # when
    listed = anon_client.get(endpoint.path)
    detail = anon_client.get(f"{endpoint.path}{endpoint.lookups(row)[0]}/")

    # then
    expected = 401 if endpoint.staff_only else 200
    assert (listed.status_code, detail.status_code) == (expected, expected)


# --- filters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("endpoint", "case"), FILTER_CASES, ids=[f"{e}-{c.name}" for e, c in FILTER_CASES]
)
def test_filter_selects_exactly_the_matching_rows(endpoint, case, client_for):
    # given
    params, expected = case.setup()
    client = client_for(endpoint)

    # when
    response = client.get(endpoint.path, {**params, "page_size": 500})
    as_csv = client.get(endpoint.path, {**params, "format": "csv"})

    # then
    assert response.status_code == 200, response.content
    assert set(result_ids(response)) == expected
    assert response.json()["count"] == len(expected)
    rows = list(csv.DictReader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert {int(row["id"]) for row in rows} == expected


FREE_TEXT = ("search", "publisher")  # every value is valid
CHECKED = [(e, c) for e, c in FILTER_CASES if c.name not in FREE_TEXT]


@pytest.mark.parametrize(("endpoint", "case"), CHECKED, ids=[f"{e}-{c.name}" for e, c in CHECKED])
def test_filter_with_a_malformed_value_is_400(endpoint, case, client_for):
    # given
    params, _expected = case.setup()
    name = next(iter(params))
    bad = "\x00" if name == "segment" else "not valid!"

    # when
    response = client_for(endpoint).get(endpoint.path, {name: bad})

    # then
    assert response.status_code == 400
    assert response.json()["code"] == (
        "invalid_characters" if bad == "\x00" else "invalid_parameter"
    )
    assert list(response.json()["errors"]) == [name]


# --- ordering ---------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_ordering_by_id_both_ways_and_unknown_field_is_400(endpoint, client_for):
    # given
    endpoint.make(3)
    client = client_for(endpoint)
    field = "code" if endpoint.name == "regions" else "id"

    # when
    ascending = client.get(endpoint.path, {"ordering": field, "page_size": 500})
    descending = client.get(endpoint.path, {"ordering": f"-{field}", "page_size": 500})
    unknown = client.get(endpoint.path, {"ordering": "colour"})

    # then
    assert result_ids(ascending) == list(reversed(result_ids(descending)))
    assert len(result_ids(ascending)) >= 3
    assert unknown.status_code == 400
    assert list(unknown.json()["errors"]) == ["ordering"]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_default_order_is_stable_across_pages(endpoint, client_for):
    # given
    endpoint.make(5)
    client = client_for(endpoint)

    # when
    whole = result_ids(client.get(endpoint.path, {"page_size": 500}))
    paged = []
    for page in range(1, len(whole) // 2 + 2):
        response = client.get(endpoint.path, {"page_size": 2, "page": page})
        if response.status_code == 404:
            break
        paged += result_ids(response)

    # then
    assert paged == whole


# --- CSV --------------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_csv_has_bom_header_and_one_line_per_row(endpoint, client_for):
    # given
    endpoint.make(2)
    expected_rows = endpoint.total()

    # when
    response = client_for(endpoint).get(endpoint.path, {"format": "csv"})

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = table[0]
    assert header[:2] == ["id", "url"]
    assert "updated_at" in header
    assert len(table) == 1 + expected_rows
    assert all(len(line) == len(header) for line in table)


# --- conditional GET --------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_etag_answers_304_until_the_data_changes(endpoint, client_for):
    # given
    rows = endpoint.make(2)
    client = client_for(endpoint)
    first = client.get(endpoint.path)
    etag = first["ETag"]

    # when
    unchanged = client.get(endpoint.path, HTTP_IF_NONE_MATCH=etag)
    detail_path = f"{endpoint.path}{endpoint.lookups(rows[0])[0]}/"
    detail = client.get(detail_path)
    detail_unchanged = client.get(detail_path, HTTP_IF_NONE_MATCH=detail["ETag"])
    endpoint.make(1)
    changed = client.get(endpoint.path, HTTP_IF_NONE_MATCH=etag)

    # then
    assert first.status_code == 200
    assert etag.startswith('"') and etag.endswith('"')
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged["ETag"] == etag
    assert detail_unchanged.status_code == 304
    if endpoint.name != "regions":  # reference data: the list cannot grow
        assert changed.status_code == 200
        assert changed["ETag"] != etag


# --- query counts -----------------------------------------------------------------------------


def count_queries(client, path, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_list_query_count_is_the_same_for_2_and_20_rows(endpoint, client_for):
    # given
    client = client_for(endpoint)
    endpoint.make(2)
    client.get(endpoint.path)  # warm up per-process caches (content types, permissions)
    with_2 = count_queries(client, endpoint.path, {"page_size": 2})
    endpoint.make(18)

    # when
    with_20 = count_queries(client, endpoint.path, {"page_size": 20})
    csv_20 = count_queries(client, endpoint.path, {"format": "csv"})

    # then
    assert with_20 == with_2
    assert csv_20 <= with_2
