"""The benchmark cannot rot: its data generator fills every column of today's models, and every
benchmarked endpoint's floor (behind the middleware and bare) answers exactly the API's JSON.

A small data set (``benchmarks.generate.SMALL``: the full set's shape at a hundredth of the rows)
is built once for the module on the demo data; ``make bench`` measures the same endpoints at full
scale."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from benchmarks import generate as gen
from benchmarks.bare import bare_application
from benchmarks.endpoints import ENDPOINTS, differences
from tests.services import require_service

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(scope="module")
def bench_data(django_db_setup, django_db_blocker):
    """Demo data plus the small generated set, rolled back after the module."""
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            yield None
            return
        with transaction.atomic():
            call_command("load_demo", stdout=io.StringIO())
            counts = gen.generate(gen.SMALL, stdout=lambda *a: None, vacuum=False)
            from programs.models import Program

            flagship = Program.objects.get(slug=gen.FLAGSHIP).pk
            yield {"counts": counts, "ids": {"program": flagship}}
            transaction.set_rollback(True)


@pytest.fixture
def data(bench_data):
    require_service("postgresql", bench_data is not None, "the generator writes with COPY")
    return bench_data


def bare_get(path: str):
    """GET through the bare WSGI callable, as gunicorn would call it."""
    route, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": route,
        "QUERY_STRING": query,
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
    }
    answer = {}

    def start_response(status, headers):
        answer["status"] = status

    body = b"".join(bare_application(environ, start_response))
    return answer["status"], json.loads(body)


def test_the_generator_fills_every_column(data):
    assert data["counts"] == {
        "companies": 200,
        "programs": 20,
        "participations": 600,
        "events": 120,
        "agenda_items": 720,
        "awards": 10,
    }


def test_a_column_the_generator_cannot_fill_names_itself():
    from events.models import Event, EventOrganization

    with pytest.raises(gen.MissingColumn, match=r"^events.Event.slug: unique"):
        gen.filler(Event._meta.get_field("slug"))
    with pytest.raises(gen.MissingColumn, match=r"^events.EventOrganization.event: a required"):
        gen.filler(EventOrganization._meta.get_field("event"))


def test_a_row_naming_a_column_the_model_lacks_fails(data):
    from core.models import Source

    with connection.cursor() as cursor, pytest.raises(gen.MissingColumn, match="no column colour"):
        gen.copy(cursor.cursor, Source, [{"id": 10**6, "key": "x", "colour": "red"}])


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_every_floor_answers_the_api_payload(data, client, settings, endpoint):
    settings.ROOT_URLCONF = "benchmarks.urls"
    paths = endpoint.paths(data["ids"])
    api = client.get(paths["api"], HTTP_ACCEPT="application/json")
    floor = client.get(paths["floor"])
    status, bare = bare_get(paths["bare"])
    assert (api.status_code, floor.status_code, status) == (200, 200, "200 OK")
    api_json = api.json()
    if endpoint.is_list:  # a full page with a next page: the cursor link is compared too
        assert api_json["count"] > 100 and len(api_json["results"]) == 100
        assert "cursor=" in api_json["next"]
    assert list(endpoint.compare(api_json, floor.json()))[:10] == []
    assert list(endpoint.compare(api_json, bare))[:10] == []


def test_differences_name_the_path():
    api = {"a": [{"b": 1, "c": 2}], "d": 1}
    floor = {"a": [{"b": 2}], "e": 1}
    assert sorted(differences(api, floor)) == [
        "$.a[0].b: API 1, floor 2",
        "$.a[0].c: only in the API",
        "$.d: only in the API",
        "$.e: only in the floor",
    ]


@pytest.mark.parametrize("name", ["program detail", "program summary"])
def test_floor_answers_linked_regions_and_cofinancing(data, client, settings, name):
    """The flagship with a linked region (연계 사업), regional-budget and company rules and a
    split regional budget: the floors still answer the API's JSON, and the payload holds them."""
    from core.models import Region
    from programs.models import BudgetLine, Program
    from tests.factories import (
        BudgetLineFactory,
        CofinancingRuleFactory,
        RegionalParticipationFactory,
        RegionFactory,
        SourceFactory,
    )

    flagship = Program.objects.get(pk=data["ids"]["program"])
    taking_part = Region.objects.filter(participations__program=flagship)
    region = Region.objects.exclude(pk__in=taking_part).order_by("code").first()
    other = Program.objects.exclude(pk=flagship.pk).order_by("id").first()
    linking = RegionalParticipationFactory(program=other, region=region or RegionFactory(code="99"))
    linking.linked_programs.add(flagship)
    rp = flagship.regional_participations.order_by("region__code").first()
    source = SourceFactory()
    for funding, amount in (("national", 711), ("local", 289)):
        BudgetLineFactory(
            program=flagship,
            regional_participation=rp,
            source=source,
            funding_source=funding,
            amount_krw=amount,
        )
    CofinancingRuleFactory(
        program=flagship, scope="regional_budget", share="national", bound="at_most", percent=70
    )
    CofinancingRuleFactory(
        program=flagship,
        scope="company_support",
        share="self_funding",
        bound="at_least",
        percent=20,
    )
    assert BudgetLine.objects.filter(regional_participation=rp, source=source).count() == 2
    settings.ROOT_URLCONF = "benchmarks.urls"
    endpoint = next(e for e in ENDPOINTS if e.name == name)
    paths = endpoint.paths(data["ids"])
    api = client.get(paths["api"], HTTP_ACCEPT="application/json").json()
    floor = client.get(paths["floor"]).json()
    _status, bare = bare_get(paths["bare"])
    code = Region.objects.get(pk=linking.region_id).code
    if name == "program detail":
        assert code in api["linked_regions"]
    else:
        assert any(r["linked"] and r["region"]["code"] == code for r in api["regions"])
        assert len(api["cofinancing"]["rules"]) == 2
        checks = [c for r in api["cofinancing"]["regions"] for c in r["budget_checks"]]
        assert {"status": "violation", "share_pct": 71.1} in [
            {"status": c["status"], "share_pct": c["share_pct"]} for c in checks
        ]
    assert list(endpoint.compare(api, floor))[:10] == []
    assert list(endpoint.compare(api, bare))[:10] == []
