"""Cursor pagination: every list, every ordering (both directions, NULLs included) gives the
same pages by cursor as by page number, forwards and backwards; RFC 8288 Link headers; a deep
cursor page costs the queries of the first; malformed or foreign cursors answer 400."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from tests import factories as f
from tests.api.endpoints import ENDPOINTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(anon_client, staff_client):
    return lambda endpoint: staff_client if endpoint.staff_only else anon_client


def ids(response) -> list:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def offset_pages(client, path, params) -> list[list]:
    pages, number = [], 1
    while True:
        response = client.get(path, {**params, "page": number})
        if response.status_code == 404:
            return pages
        pages.append(ids(response))
        number += 1


def cursor_pages(client, path, params) -> tuple[list[list], list[list]]:
    """Pages following ``next`` from the first, then following ``previous`` back from the
    last (in reading order)."""
    forward, response = [], client.get(path, params)
    while True:
        forward.append(ids(response))
        link = response.json()["next"]
        if link is None:
            break
        response = client.get(link)
    backward = [ids(response)]
    while response.json()["previous"] is not None:
        response = client.get(response.json()["previous"])
        backward.insert(0, ids(response))
    return forward, backward


def orderings(endpoint) -> list[str]:
    fields = sorted(resolve(endpoint.path).func.cls.ordering_fields)
    return ["", *fields, *(f"-{name}" for name in fields)]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_cursor_pages_equal_offset_pages_for_every_ordering(endpoint, client_for):
    # given: 5 rows (regions: the 17 of the reference data) in pages of 2
    endpoint.make(5)
    client = client_for(endpoint)

    for ordering in orderings(endpoint):
        params = {"page_size": 2, **({"ordering": ordering} if ordering else {})}

        # when
        by_number = offset_pages(client, endpoint.path, params)
        forward, backward = cursor_pages(client, endpoint.path, params)

        # then
        assert forward == by_number, ordering
        assert backward == by_number, ordering
        assert len(by_number) >= 3, ordering


def test_cursor_pages_order_nulls_as_offset_pages_do(anon_client):
    # given: sources without a publication date, and equal dates (ties broken by key, id)
    for _ in range(3):
        f.SourceFactory(published_at=None, published_precision="unknown")
    day = f.SourceFactory().published_at
    for _ in range(2):
        f.SourceFactory(published_at=day)
    for ordering in ("published_at", "-published_at", "-published_at,-id", "publisher,-id"):
        params = {"page_size": 2, "ordering": ordering}

        # when
        by_number = offset_pages(anon_client, "/api/v1/sources/", params)
        forward, backward = cursor_pages(anon_client, "/api/v1/sources/", params)

        # then
        assert forward == by_number == backward, ordering
        assert sum(len(p) for p in by_number) == 6


def test_companies_without_region_page_by_cursor_in_region_order(anon_client):
    # given
    for _ in range(2):
        f.CompanyFactory(region=None)
    for _ in range(3):
        f.CompanyFactory()
    for ordering in ("region", "-region", "region,-name"):
        params = {"page_size": 2, "ordering": ordering}

        # when
        by_number = offset_pages(anon_client, "/api/v1/companies/", params)
        forward, backward = cursor_pages(anon_client, "/api/v1/companies/", params)

        # then
        assert forward == by_number == backward, ordering
        assert sum(len(p) for p in by_number) == 5


def test_cursor_follows_filters_and_link_header_names_next_prev_first(anon_client):
    # given
    names = [f"기업{i}" for i in range(5)]
    companies = [f.CompanyFactory(name=name, size="small") for name in names]
    f.CompanyFactory(name="기업9", size="medium")

    # when
    first = anon_client.get("/api/v1/companies/", {"size": "small", "page_size": 2})
    second = anon_client.get(first.json()["next"])
    third = anon_client.get(second.json()["next"])

    # then
    base = "http://testserver/api/v1/companies/?page_size=2&size=small"  # sorted, as DRF does
    body = second.json()
    assert first.json()["count"] == 5
    assert ids(first) == [c.pk for c in companies[:2]]
    assert ids(second) == [c.pk for c in companies[2:4]]
    assert ids(third) == [companies[4].pk]
    assert first.json()["previous"] is None
    assert first["Link"] == f'<{first.json()["next"]}>; rel="next", <{base}>; rel="first"'
    assert second["Link"] == (
        f'<{body["next"]}>; rel="next", <{body["previous"]}>; rel="prev", <{base}>; rel="first"'
    )
    assert body["next"].startswith("http://testserver/api/v1/companies/?cursor=")
    assert body["next"].endswith("&page_size=2&size=small")
    assert third.json()["next"] is None
    assert third["Link"] == f'<{third.json()["previous"]}>; rel="prev", <{base}>; rel="first"'
    assert ids(anon_client.get(second.json()["previous"])) == [c.pk for c in companies[:2]]


def test_page_numbers_still_work_with_link_headers(anon_client):
    # given
    for _ in range(5):
        f.SourceFactory()

    # when
    second = anon_client.get("/api/v1/sources/", {"page": 2, "page_size": 2})

    # then
    body = second.json()
    assert body["next"] == "http://testserver/api/v1/sources/?page=3&page_size=2"
    assert body["previous"] == "http://testserver/api/v1/sources/?page_size=2"
    assert second["Link"] == (
        '<http://testserver/api/v1/sources/?page=3&page_size=2>; rel="next", '
        '<http://testserver/api/v1/sources/?page_size=2>; rel="prev", '
        '<http://testserver/api/v1/sources/?page_size=2>; rel="first"'
    )


def test_a_deep_cursor_page_costs_the_queries_of_the_first(anon_client):
    # given
    for _ in range(30):
        f.CompanyFactory()
    anon_client.get("/api/v1/companies/")  # warm per-process caches
    response = anon_client.get("/api/v1/companies/", {"page_size": 2})
    for _ in range(10):
        response = anon_client.get(response.json()["next"])
    deep = response.json()["next"]

    # when
    with CaptureQueriesContext(connection) as first:
        anon_client.get("/api/v1/companies/", {"page_size": 2})
    with CaptureQueriesContext(connection) as deep_page:
        last = anon_client.get(deep)

    # then
    assert len(ids(last)) == 2
    assert len(deep_page) == len(first)
    assert not any("OFFSET" in q["sql"] for q in deep_page.captured_queries)


@pytest.mark.parametrize(
    ("ordering", "bound"),
    [
        ("", '"core_organization"."name" >= '),  # name, id
        ("-updated_at", '"core_organization"."updated_at" <= '),
        ("region", None),  # nullable, ascending: its NULLs come after any cursor
    ],
)
def test_a_cursor_bounds_the_first_sort_column_so_the_scan_starts_there(
    ordering, bound, anon_client
):
    # given: the second page's cursor
    for _ in range(3):
        f.CompanyFactory()
    params = {"page_size": 1, **({"ordering": ordering} if ordering else {})}
    link = anon_client.get("/api/v1/companies/", params).json()["next"]

    # when
    with CaptureQueriesContext(connection) as page:
        anon_client.get(link)

    # then: the page's query (the last) starts at the cursor: "name >= x AND (name > x OR
    # id > y)", which PostgreSQL reads as an index range, rather than "name > x OR (...)"
    sql = page.captured_queries[-1]["sql"]
    where = sql[sql.index(" WHERE ") :]
    if bound is None:
        assert " >= " not in where and " <= " not in where, where
    else:
        assert where.startswith(f" WHERE ({bound}"), where


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"cursor": "not-a-cursor"}, "invalid_cursor"),
        ({"cursor": "WyJuIl0"}, "invalid_cursor"),  # ["n"]: no key
        ({"cursor": "eyJhIjoxfQ"}, "invalid_cursor"),  # {"a":1}
        ({"cursor": "!!!"}, "invalid_cursor"),
    ],
)
def test_malformed_cursor_is_400(params, code, anon_client):
    # given
    f.CompanyFactory()

    # when
    response = anon_client.get("/api/v1/companies/", params)

    # then
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert list(response.json()["errors"]) == ["cursor"]


def test_cursor_of_another_ordering_or_with_page_is_400(anon_client):
    # given
    for _ in range(3):
        f.CompanyFactory()
    by_name = anon_client.get("/api/v1/companies/", {"page_size": 1}).json()["next"]
    cursor = by_name.split("cursor=")[1]

    # when
    other = anon_client.get("/api/v1/companies/", {"cursor": cursor, "ordering": "-id"})
    both = anon_client.get("/api/v1/companies/", {"cursor": cursor, "page": 2})

    # then
    assert other.status_code == 400
    assert other.json()["code"] == "invalid_cursor"
    assert both.status_code == 400
    assert both.json()["code"] == "invalid_parameter"
