"""Property-based run of schemathesis over the committed OpenAPI schema (openapi.yaml), in process.

Every operation — reads, and writes with a staff token that holds the model permissions — gets
generated valid and invalid requests; every response is checked by all of schemathesis's
checks: never a server error, every response as documented (status code, content type,
headers, body: ``response_schema_conformance``), every schema-valid request accepted
(``positive_data_acceptance``) and every schema-invalid one refused (``negative_data_rejection``).

Each example runs in a savepoint rolled back afterwards, so examples do not collide with rows an
earlier example wrote. A reference in a valid body (a company's id, a program's sources) is
pointed at a spare row of the referenced model, as a client names a record it has read; ids of
rows that do not exist are a matter of state, which no schema can describe. At least 1,000
requests are made (``test_enough_requests_were_made`` checks the count).
"""

import datetime
import re

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.exceptions import FieldDoesNotExist
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.urls import resolve
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from config.wsgi import application
from core.models import Region
from events.models import SEOUL
from tests import factories as f
from tests.api.conftest import all_write_perms, api_key, make_user

EXAMPLES_PER_OPERATION = 10
# Valid 사업자등록번호 for the schema's format (its pattern is in the schema; the check digit, the
# NTS rule, is what a regular expression cannot say).
schemathesis.openapi.format(
    "kr-business-number",
    st.integers(0, 10**9 - 1).map(lambda n: f.make_business_number(f"{n:09d}")),
)
REQUESTS = {"made": 0, "server_errors": 0}

schema = schemathesis.openapi.from_path(str(django_settings.BASE_DIR / "openapi.yaml"))
schema.app = application


@pytest.fixture
def in_process_requests():
    """Requests go straight to the WSGI app inside the test's transaction; like Django's test
    client, keep the request signals from closing that connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(db, in_process_requests):
    """A few rows of every kind, so generated requests reach existing records."""
    gyeongnam = Region.objects.get(code="48")
    program = f.ProgramFactory(slug="region-led-ai", lead_ministry=f.OrganizationFactory())
    rp = f.RegionalParticipationFactory(program=program, region=gyeongnam)
    rp.hubs.add(f.HubFactory(region=gyeongnam))
    f.approved_result(f.TargetFactory(program=program), datetime.date(2025, 6, 30), 10)
    f.BudgetLineFactory(program=program)
    company = f.CompanyFactory(region=gyeongnam)
    participation = f.ParticipationFactory(company=company, program=program, region=gyeongnam)
    f.OutcomeFactory(participation=participation)
    event = f.EventFactory(
        slug="vision-ceremony", starts_at=datetime.datetime(2025, 11, 19, 10, tzinfo=SEOUL)
    )
    event.programs.add(program)
    f.AgendaItemFactory(event=event, order=1)
    f.EventParticipantFactory(event=event)
    f.AwardFactory(event=event, program=program, recipient_company=company)
    f.ObservationFactory(series=f.StatisticSeriesFactory(slug="ai-utilization-rate"))
    f.PersonFactory(phone="044-204-7250")
    # Spare rows, referenced by valid bodies (the newest row of each model; no relations yet).
    for factory in (
        f.OrganizationFactory,
        f.SourceFactory,
        f.ProgramFactory,
        f.CompanyFactory,
        f.CompanyFactory,
        f.EventFactory,
        f.StatisticSeriesFactory,
        f.PersonFactory,
    ):
        factory()
    user = make_user("schemathesis-staff", is_staff=True, perms=all_write_perms())
    return api_key(user)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    # The same examples on every run: CI stays reproducible; widen EXAMPLES_PER_OPERATION or
    # drop this locally to explore further.
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error_and_every_response_as_documented(case, world):
    if case.meta.generation.mode == GenerationMode.POSITIVE:
        refer_to_existing_rows(case)
        # A cursor is a token the server issued (from a list's `next`), like an id: a valid
        # request sends one it was given or none, and never together with `page`.
        if isinstance(case.query, dict):
            case.query.pop("cursor", None)
    REQUESTS["made"] += 1
    with transaction.atomic():
        response = case.call(headers={"Authorization": f"Token {world}"})
        if response.status_code >= 500:
            REQUESTS["server_errors"] += 1
        case.validate_response(response, headers={"Authorization": f"Token {world}"})
        transaction.set_rollback(True)


def refer_to_existing_rows(case) -> None:
    """Point the ids of a valid body at spare rows: the newest row of the model each one refers
    to (a second reference to the same model, such as a participation's supplier beside its
    company, at the next newest), and no parent for a record's own kind (a side event must be on
    its main event's day, a program may not be its own ancestor: rules across rows)."""
    if not isinstance(case.body, dict):
        return
    model = resolve(re.sub(r"\{[^}]+\}", "48", case.path)).func.cls.queryset.model
    taken: dict = {}
    for key, value in case.body.items():
        try:
            field = model._meta.get_field(key)
        except FieldDoesNotExist:
            continue
        if not field.is_relation or field.related_model is Region:
            continue
        if field.related_model is model and not field.many_to_many:
            case.body[key] = None
            continue
        rank = taken.get(field.related_model, 0)
        taken[field.related_model] = rank + 1
        spare = field.related_model._base_manager.order_by("-pk").values_list("pk", flat=True)
        if field.many_to_many and isinstance(value, list):
            case.body[key] = [spare[rank] for _ in value[:1]]
        elif isinstance(value, int) and not isinstance(value, bool):
            case.body[key] = spare[rank]
    # a rule across fields the schema cannot say: an event ends no earlier than it starts
    starts, ends = case.body.get("starts_at"), case.body.get("ends_at")
    if isinstance(starts, str) and isinstance(ends, str):
        try:
            if datetime.datetime.fromisoformat(ends) < datetime.datetime.fromisoformat(starts):
                case.body["starts_at"], case.body["ends_at"] = ends, starts
        except ValueError:
            pass
