"""Every admin changelist, add and change page answers 200 for staff, with a flat query count."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Region, SearchDocument, SearchWord
from tests import factories

DOMAIN_APPS = ["core", "companies", "programs", "events", "indicators"]
MODELS = [
    model
    for app in DOMAIN_APPS
    for model in apps.get_app_config(app).get_models()
    if admin.site.is_registered(model) and not model.__name__.startswith("Historical")
]

# Derived data: the search index is written by every save and ``rebuild_search_index``, never by
# hand. Its admin is read-only on purpose — no add page (403), a change page that shows the row
# without a save button.
READ_ONLY = {SearchDocument, SearchWord}


def make_rows(model, count, start=0):
    if model is Region:
        for i in range(start, start + count):
            Region.objects.create(
                code=f"{60 + i:02d}", name=f"시험지역{i}", short_name=f"시험{i}", name_en=f"T{i}"
            )
        return
    getattr(factories, f"{model.__name__}Factory").create_batch(count)


def url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("staff", "staff@example.org", "pw-123456")
    client.force_login(user)
    return client


def changelist_queries(client, model):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url(model, "changelist"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_query_count_does_not_grow_with_rows(staff_client, model):
    # given two rows
    make_rows(model, 2)
    two = changelist_queries(staff_client, model)
    # when there are twenty
    make_rows(model, 18, start=2)
    twenty = changelist_queries(staff_client, model)
    # then the changelist makes the same number of queries
    assert twenty == two


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_add_and_change_pages_answer_200(staff_client, model):
    # given one row
    make_rows(model, 1)
    obj = model.objects.order_by("-pk").first()
    # when staff open the add and change pages
    add = staff_client.get(url(model, "add"))
    change = staff_client.get(url(model, "change", obj.pk))
    # then both render, except the add page of a read-only admin, which is deliberately absent
    assert add.status_code == (403 if model in READ_ONLY else 200)
    assert change.status_code == 200
    assert ('name="_save"' in change.content.decode()) is (model not in READ_ONLY)


def test_admin_index_is_korean(staff_client):
    response = staff_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert '<html lang="ko"' in response.content.decode()
    assert "사업·정책" in response.content.decode()


def test_money_reads_as_eok_beside_exact_krw(staff_client):
    # given a budget line of 350억 원
    line = factories.BudgetLineFactory(amount_krw=35_000_000_000)
    # when staff open the budget changelist
    body = staff_client.get(url(type(line), "changelist")).content.decode()
    # then the amount reads as 억 원 with the exact KRW beside it
    assert "350억 원" in body
    assert "35,000,000,000 원" in body


def test_bad_business_number_shows_korean_error_and_saves_nothing(staff_client):
    from companies.models import Company

    # when staff submit a company with a wrong checksum
    response = staff_client.post(
        url(Company, "add"),
        {
            "name": "검증실패기업",
            "business_number": "123-45-67890",
            "size": "small",
            "participations-TOTAL_FORMS": "0",
            "participations-INITIAL_FORMS": "0",
        },
    )
    # then the form comes back with the Korean message on the field and nothing is saved
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["business_number"] == [
        "사업자등록번호의 검증번호(마지막 자리)가 맞지 않습니다. 번호를 다시 확인해 주세요."
    ]
    assert not Company.objects.filter(name="검증실패기업").exists()


def test_negative_budget_amount_is_refused_in_the_admin(staff_client):
    from programs.models import BudgetLine

    program = factories.ProgramFactory()
    source = factories.SourceFactory()
    response = staff_client.post(
        url(BudgetLine, "add"),
        {
            "program": program.pk,
            "amount_krw": "-1",
            "funding_source": "national",
            "vehicle": "main",
            "status": "announced",
            "source": source.pk,
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["amount_krw"] == [
        "금액은 0원 이상이어야 합니다: '-1'"
    ]
    assert BudgetLine.objects.count() == 0


def test_event_ending_before_it_starts_is_refused_in_the_admin(staff_client):
    from events.models import Event

    response = staff_client.post(
        url(Event, "add"),
        {
            "name": "역순 행사",
            "slug": "backwards",
            "kind": "conference",
            "starts_at_0": "2026-07-01",
            "starts_at_1": "16:00",
            "ends_at_0": "2026-07-01",
            "ends_at_1": "14:00",
            "time_is_known": "on",
            "open_to_press": "on",
            **{
                f"{prefix}-{k}": "0"
                for prefix in ("event_roles", "agenda_items", "participants", "side_events")
                for k in ("TOTAL_FORMS", "INITIAL_FORMS")
            },
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["__all__"] == [
        "종료 시각은 시작 시각보다 빠를 수 없습니다."
    ]
    assert not Event.objects.filter(slug="backwards").exists()
