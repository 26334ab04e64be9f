"""Region scope: role × region × resource × action, in the admin and the API.

Every cell is asserted: a regional editor (경남) sees and changes only 경남's rows; ministry editors
and administrators see and change everything; viewers see everything and change nothing;
anonymous API clients read the public data of every region. A refused change leaves the row as
it was, and no list, export or aggregate carries another region's row.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.messages import get_messages
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from companies.models import Company
from events.models import AgendaItem, Event
from programs.models import Hub, Outcome, Participation, RegionalParticipation
from tests import factories as f
from tests.staff.conftest import change_form_data

pytestmark = pytest.mark.django_db

ROLES = ("regional", "ministry", "administrator", "viewer")
REGIONS = ("own", "other")


def allowed(role: str, region: str, action: str) -> bool:
    """The expected answer of every cell."""
    if role == "anonymous":
        return action in ("list", "view", "csv")
    if role == "regional":
        return region == "own"
    if role in ("ministry", "administrator"):
        return True
    return action in ("list", "view", "csv")  # viewer


@dataclass(frozen=True)
class Resource:
    name: str
    model: type[models.Model]
    make: Callable  # region -> row
    text_field: str  # a plain text field the change test edits

    def __str__(self):
        return self.name

    def url(self, action: str, *args) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{action}", args=args)


def company_in(region):
    return f.CompanyFactory(region=region)


def participation_in(region):
    return f.ParticipationFactory(region=region, company=company_in(region))


RESOURCES = (
    Resource("company", Company, company_in, "ceo_name"),
    Resource("participation", Participation, participation_in, "solution_name"),
    Resource("hub", Hub, lambda r: f.HubFactory(region=r), "site_name"),
    Resource(
        "regional-participation",
        RegionalParticipation,
        lambda r: f.RegionalParticipationFactory(region=r),
        "strategy_title",
    ),
    Resource("event", Event, lambda r: f.EventFactory(region=r), "venue_name"),
    Resource(
        "agenda-item",
        AgendaItem,
        lambda r: f.AgendaItemFactory(event=f.EventFactory(region=r)),
        "presenter_note",
    ),
    Resource(
        "outcome",
        Outcome,
        lambda r: f.OutcomeFactory(participation=participation_in(r)),
        "metric_en",
    ),
)


@pytest.fixture
def rows(own_region, other_region):
    def make(resource: Resource):
        return {"own": resource.make(own_region), "other": resource.make(other_region)}

    return make


def text_of(obj) -> dict:
    """Every stored column of the row, to prove that a refused request changed nothing."""
    fresh = type(obj)._base_manager.get(pk=obj.pk)
    return {field.attname: getattr(fresh, field.attname) for field in fresh._meta.concrete_fields}


# --- admin ----------------------------------------------------------------------------------


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
@pytest.mark.parametrize("role", ROLES)
def test_admin_changelist_lists_only_rows_in_scope(client, users, rows, resource, role):
    # given a row in 경남 and one in 부산
    made = rows(resource)
    client.force_login(users[role])
    # when
    response = client.get(resource.url("changelist"))
    # then
    assert response.status_code == 200
    listed = {obj.pk for obj in response.context["cl"].result_list}
    expected = {made[region].pk for region in REGIONS if allowed(role, region, "list")}
    assert listed == expected


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("resource", RESOURCES, ids=str)
@pytest.mark.parametrize("role", ROLES)
def test_admin_change_page_opens_only_in_scope(client, users, rows, resource, role, region):
    obj = rows(resource)[region]
    client.force_login(users[role])
    # when
    response = client.get(resource.url("change", obj.pk))
    # then: a row out of scope is another region's for this user (redirect to the list)
    if allowed(role, region, "view"):
        assert response.status_code == 200
        assert response.context["original"].pk == obj.pk
    else:
        assert response.status_code == 302
        assert response.url == resource.url("changelist")
        assert [str(m) for m in get_messages(response.wsgi_request)] == [
            "다른 지역의 기록이라 볼 수 없습니다. 담당 지역의 기록만 열 수 있습니다."
        ]


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("resource", RESOURCES, ids=str)
@pytest.mark.parametrize("role", ROLES)
def test_admin_change_is_saved_only_in_scope(
    client, superuser, users, rows, resource, role, region
):
    # given the change form as rendered (built by a superuser, who sees every row)
    obj = rows(resource)[region]
    client.force_login(superuser)
    data = change_form_data(client.get(resource.url("change", obj.pk)))
    data[resource.text_field] = "바뀐 값"
    before = text_of(obj)
    # when the role submits it
    client.force_login(users[role])
    response = client.post(resource.url("change", obj.pk), data)
    # then
    after = text_of(obj)
    if allowed(role, region, "change"):
        assert response.status_code == 302, response.context and response.context.get("errors")
        assert after[resource.text_field] == "바뀐 값"
        assert after["version"] == before["version"] + 1
    else:
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert response.url == resource.url("changelist")
        assert after == before


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("resource", RESOURCES, ids=str)
@pytest.mark.parametrize("role", ROLES)
def test_admin_delete_only_in_scope(client, users, rows, resource, role, region):
    obj = rows(resource)[region]
    client.force_login(users[role])
    # when
    response = client.post(resource.url("delete", obj.pk), {"post": "yes"})
    # then
    exists = type(obj)._base_manager.filter(pk=obj.pk).exists()
    if allowed(role, region, "delete"):
        assert response.status_code == 302
        assert not exists
    else:
        assert response.status_code in (302, 403)
        assert exists


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
@pytest.mark.parametrize("role", ROLES)
def test_admin_export_carries_only_rows_in_scope(client, users, rows, resource, role):
    # given
    made = rows(resource)
    client.force_login(users[role])
    # when the changelist is exported as CSV (format 0)
    response = client.post(resource.url("export"), {"format": "0", "resource": "0"})
    # then: UTF-8 with BOM, and exactly the rows the changelist shows
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    expected = [made[r] for r in REGIONS if allowed(role, r, "list")]
    assert len(list(csv.reader(io.StringIO(text)))) == 1 + len(expected)


# --- moving or creating a record outside the regional editor's regions ------------------------


MOVES = {
    "company": lambda data, other, other_rows: {**data, "region": str(other.pk)},
    "hub": lambda data, other, other_rows: {**data, "region": str(other.pk)},
    "regional-participation": lambda data, other, other_rows: {**data, "region": str(other.pk)},
    "event": lambda data, other, other_rows: {**data, "region": str(other.pk)},
    "participation": lambda data, other, other_rows: {
        **data,
        "region": str(other.pk),
        "company": str(other_rows.company.pk),
    },
    "agenda-item": lambda data, other, other_rows: {**data, "event": str(other_rows.event.pk)},
    "outcome": lambda data, other, other_rows: {
        **data,
        "company": str(other_rows.company.pk),
        "participation": str(other_rows.participation.pk),
    },
}


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_regional_editor_cannot_move_a_record_to_another_region(
    client, regional_editor, rows, other_region, resource
):
    # given the editor's own row, and the other region's row whose references it would borrow
    made = rows(resource)
    client.force_login(regional_editor)
    data = change_form_data(client.get(resource.url("change", made["own"].pk)))
    before = text_of(made["own"])
    # when it points the row at 부산
    response = client.post(
        resource.url("change", made["own"].pk),
        MOVES[resource.name](data, other_region, made["other"]),
    )
    # then the form refuses (other regions are not valid choices) and nothing changed
    assert response.status_code == 200
    assert response.context["errors"]
    assert text_of(made["own"]) == before


def test_regional_editor_cannot_create_a_company_in_another_region(
    client, regional_editor, other_region
):
    client.force_login(regional_editor)
    data = change_form_data(client.get(reverse("admin:companies_company_add")))
    data.update(
        {"name": "부산 제조", "business_number": f.make_business_number("601810001"), "region": ""}
    )
    # when: first 부산, then no region at all
    refused_other = client.post(
        reverse("admin:companies_company_add"), {**data, "region": str(other_region.pk)}
    )
    refused_none = client.post(reverse("admin:companies_company_add"), data)
    # then both are refused and no company exists
    assert refused_other.status_code == 200
    assert "region" in refused_other.context["adminform"].form.errors
    assert refused_none.status_code == 200
    assert "담당 지역이 아닌 기록은" in str(refused_none.context["adminform"].form.errors)
    assert not Company.objects.filter(name="부산 제조").exists()


def test_regional_editor_creates_a_company_in_its_region(client, regional_editor, own_region):
    client.force_login(regional_editor)
    data = change_form_data(client.get(reverse("admin:companies_company_add")))
    data.update(
        {
            "name": "경남 제조",
            "business_number": f.make_business_number("601810001"),
            "region": str(own_region.pk),
        }
    )
    # when
    response = client.post(reverse("admin:companies_company_add"), data)
    # then
    assert response.status_code == 302
    assert Company.objects.get(name="경남 제조").region == own_region


def test_autocomplete_offers_only_companies_in_scope(client, regional_editor, rows):
    made = rows(RESOURCES[0])
    client.force_login(regional_editor)
    # when the participation form asks for companies
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "programs",
            "model_name": "participation",
            "field_name": "company",
            "term": "",
        },
    )
    # then
    assert response.status_code == 200
    assert [int(r["id"]) for r in response.json()["results"]] == [made["own"].pk]


def test_region_choices_are_only_the_editors_regions(client, regional_editor, own_region):
    client.force_login(regional_editor)
    # when
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "programs", "model_name": "hub", "field_name": "region", "term": ""},
    )
    form = client.get(reverse("admin:programs_hub_add")).context["adminform"].form
    # then
    assert [r["id"] for r in response.json()["results"]] == [str(own_region.pk)]
    assert list(form.fields["region"].queryset) == [own_region]


def test_program_page_inlines_show_only_the_editors_regions(
    client, regional_editor, own_region, other_region
):
    program = f.ProgramFactory()
    own = f.RegionalParticipationFactory(program=program, region=own_region)
    f.RegionalParticipationFactory(program=program, region=other_region)
    client.force_login(regional_editor)
    # when
    response = client.get(reverse("admin:programs_program_change", args=[program.pk]))
    # then: the program is readable, its regional participations only 경남's
    assert response.status_code == 200
    inline = next(
        i
        for i in response.context["inline_admin_formsets"]
        if i.formset.model is RegionalParticipation
    )
    assert [form.instance.pk for form in inline.formset.forms] == [own.pk]


# --- API ------------------------------------------------------------------------------------

API_ROLES = ("regional", "ministry", "viewer", "anonymous")


@dataclass(frozen=True)
class ApiResource:
    name: str
    resource: Resource
    patch: dict
    create: Callable  # region -> body

    def __str__(self):
        return self.name


API_RESOURCES = (
    ApiResource(
        "companies",
        RESOURCES[0],
        {"ceo_name": "김대표"},
        lambda region: {
            "name": "새 기업",
            "business_number": f.make_business_number("601810002"),
            "region": region.code,
        },
    ),
    ApiResource(
        "participations",
        RESOURCES[1],
        {"solution_name": "비전 검사 AI"},
        lambda region: {
            "company": company_in(region).pk,
            "program": f.ProgramFactory().pk,
            "status": "selected",
            "region": region.code,
        },
    ),
    ApiResource(
        "events",
        RESOURCES[4],
        {"venue_name": "창원컨벤션센터"},
        lambda region: {
            "slug": "new-event",
            "name": "새 행사",
            "kind": "conference",
            "starts_at": "2025-06-25T14:00:00+09:00",
            "region": region.code,
        },
    ),
)


@pytest.fixture
def api_client(users):
    def make(role: str) -> APIClient:
        client = APIClient()
        if role != "anonymous":
            client.force_authenticate(users[role])
        return client

    return make


@pytest.mark.parametrize("api", API_RESOURCES, ids=str)
@pytest.mark.parametrize("role", API_ROLES)
def test_api_list_and_csv_carry_every_public_row_whatever_the_readers_scope(
    api_client, rows, api, role
):
    made = rows(api.resource)
    client = api_client(role)
    # when
    listed = client.get(f"/api/v1/{api.name}/")
    exported = client.get(f"/api/v1/{api.name}/", {"format": "csv"})
    # then: the region scope narrows what a regional editor may write, not what it reads
    expected = {made[r].pk for r in REGIONS}
    assert listed.status_code == 200
    assert {row["id"] for row in listed.json()["results"]} == expected
    assert exported.status_code == 200
    body = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert {int(row["id"]) for row in body} == expected


@pytest.mark.parametrize("api", API_RESOURCES, ids=str)
@pytest.mark.parametrize("role", API_ROLES)
def test_api_scope_mine_narrows_a_regional_editors_reads_to_its_regions(
    api_client, rows, api, role
):
    made = rows(api.resource)
    client = api_client(role)
    # when
    listed = client.get(f"/api/v1/{api.name}/", {"scope": "mine"})
    exported = client.get(f"/api/v1/{api.name}/", {"scope": "mine", "format": "csv"})
    # then
    expected = {made[r].pk for r in REGIONS if allowed(role, r, "list")}
    assert {row["id"] for row in listed.json()["results"]} == expected
    body = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert {int(row["id"]) for row in body} == expected


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("api", API_RESOURCES, ids=str)
@pytest.mark.parametrize("role", API_ROLES)
def test_api_detail_is_readable_by_everyone(api_client, rows, api, role, region):
    obj = rows(api.resource)[region]
    # when
    response = api_client(role).get(f"/api/v1/{api.name}/{obj.pk}/")
    mine = api_client(role).get(f"/api/v1/{api.name}/{obj.pk}/", {"scope": "mine"})
    # then
    assert response.status_code == 200
    assert mine.status_code == (200 if allowed(role, region, "view") else 404)


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("api", API_RESOURCES, ids=str)
@pytest.mark.parametrize("role", API_ROLES)
def test_api_update_only_in_scope(api_client, rows, api, role, region):
    obj = rows(api.resource)[region]
    before = text_of(obj)
    # when
    response = api_client(role).patch(
        f"/api/v1/{api.name}/{obj.pk}/", api.patch, format="json", HTTP_IF_MATCH=f'"{obj.version}"'
    )
    # then
    after = text_of(obj)
    if allowed(role, region, "change"):
        assert response.status_code == 200, response.content
        field, value = next(iter(api.patch.items()))
        assert after[field] == value
    else:
        expected = {"regional": 403, "viewer": 403, "anonymous": 401}[role]
        assert response.status_code == expected
        assert after == before


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("api", API_RESOURCES, ids=str)
@pytest.mark.parametrize("role", API_ROLES)
def test_api_delete_only_in_scope(api_client, rows, api, role, region):
    obj = rows(api.resource)[region]
    # when
    response = api_client(role).delete(
        f"/api/v1/{api.name}/{obj.pk}/", HTTP_IF_MATCH=f'"{obj.version}"'
    )
    # then
    exists = type(obj)._base_manager.filter(pk=obj.pk).exists()
    if allowed(role, region, "delete"):
        assert response.status_code == 204
        assert not exists
    else:
        assert response.status_code == {"regional": 403, "viewer": 403, "anonymous": 401}[role]
        assert exists


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("api", API_RESOURCES, ids=str)
@pytest.mark.parametrize("role", API_ROLES)
def test_api_create_only_in_scope(api_client, own_region, other_region, api, role, region):
    body = api.create(own_region if region == "own" else other_region)
    count = api.resource.model.objects.count()
    # when
    response = api_client(role).post(f"/api/v1/{api.name}/", body, format="json")
    # then
    if allowed(role, region, "create"):
        assert response.status_code == 201, response.content
        assert api.resource.model.objects.count() == count + 1
    else:
        assert response.status_code == {"regional": 403, "viewer": 403, "anonymous": 401}[role]
        assert api.resource.model.objects.count() == count


def test_api_regional_editor_cannot_move_its_company_to_another_region(
    api_client, rows, other_region
):
    obj = rows(RESOURCES[0])["own"]
    before = text_of(obj)
    # when
    response = api_client("regional").patch(
        f"/api/v1/companies/{obj.pk}/",
        {"region": other_region.code},
        format="json",
        HTTP_IF_MATCH=f'"{obj.version}"',
    )
    # then
    assert response.status_code == 403
    assert text_of(obj) == before


def participation_row(participation) -> dict:
    return Participation.objects.filter(pk=participation.pk).values().get()


@pytest.mark.parametrize("region_value", ["other", None], ids=["other-region", "emptied"])
def test_api_regional_editor_cannot_move_a_participation_of_its_company_elsewhere(
    api_client, own_region, other_region, region_value
):
    # given a participation in 경남 of a company in 경남 (so the company path alone would pass)
    participation = participation_in(own_region)
    before = participation_row(participation)
    body = {"region": other_region.code if region_value == "other" else None}
    # when
    response = api_client("regional").patch(
        f"/api/v1/participations/{participation.pk}/",
        body,
        format="json",
        HTTP_IF_MATCH=f'"{participation.version}"',
    )
    # then
    assert response.status_code == 403, response.content
    assert participation_row(participation) == before


def test_api_regional_editor_cannot_create_a_participation_in_another_region_for_its_company(
    api_client, own_region, other_region
):
    company = company_in(own_region)
    program = f.ProgramFactory()
    count = Participation.objects.count()
    # when
    response = api_client("regional").post(
        "/api/v1/participations/",
        {
            "program": program.pk,
            "company": company.pk,
            "region": other_region.code,
            "status": "selected",
        },
        format="json",
    )
    # then
    assert response.status_code == 403, response.content
    assert Participation.objects.count() == count


def test_api_regional_editor_cannot_point_an_event_at_another_regions_parent(
    api_client, own_region, other_region
):
    event = f.EventFactory(region=own_region)
    foreign_parent = f.EventFactory(region=other_region)
    # when
    response = api_client("regional").patch(
        f"/api/v1/events/{event.pk}/",
        {"parent": foreign_parent.pk},
        format="json",
        HTTP_IF_MATCH=f'"{event.version}"',
    )
    # then
    assert response.status_code == 403, response.content
    event.refresh_from_db()
    assert event.parent_id is None


def test_api_regional_editor_may_point_an_event_at_its_own_regions_parent(api_client, own_region):
    event = f.EventFactory(region=own_region)
    parent = f.EventFactory(region=own_region)
    # when
    response = api_client("regional").patch(
        f"/api/v1/events/{event.pk}/",
        {"parent": parent.pk},
        format="json",
        HTTP_IF_MATCH=f'"{event.version}"',
    )
    # then
    assert response.status_code == 200, response.content
    event.refresh_from_db()
    assert event.parent_id == parent.pk


def test_api_ministry_editor_may_move_a_participation_to_another_region(
    api_client, own_region, other_region
):
    participation = participation_in(own_region)
    # when
    response = api_client("ministry").patch(
        f"/api/v1/participations/{participation.pk}/",
        {"region": other_region.code},
        format="json",
        HTTP_IF_MATCH=f'"{participation.version}"',
    )
    # then
    assert response.status_code == 200, response.content
    participation.refresh_from_db()
    assert participation.region_id == other_region.pk


@pytest.mark.parametrize("role", API_ROLES)
def test_api_program_summary_aggregates_every_region_unless_scope_mine(
    api_client, own_region, other_region, role
):
    # given a program carried out in 경남 and 부산, with a company in each
    program = f.ProgramFactory()
    for region, amount in ((own_region, 100), (other_region, 1000)):
        f.RegionalParticipationFactory(program=program, region=region)
        f.ParticipationFactory(
            program=program, region=region, company=company_in(region), support_amount_krw=amount
        )
    # when
    summary = api_client(role).get(f"/api/v1/programs/{program.pk}/summary/").json()
    mine = api_client(role).get(f"/api/v1/programs/{program.pk}/summary/?scope=mine").json()
    # then
    assert sorted(r["region"]["code"] for r in summary["regions"]) == ["26", "48"]
    assert summary["companies"]["support_total_krw"] == 1100
    mine_codes = sorted(r["region"]["code"] for r in mine["regions"])
    assert mine_codes == (["48"] if role == "regional" else ["26", "48"])
    assert mine["companies"]["support_total_krw"] == (100 if role == "regional" else 1100)


# --- query counts: the scope adds a filter, never a query per row --------------------------


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_scoped_changelist_query_count_does_not_grow_with_rows(
    client, regional_editor, own_region, resource
):
    client.force_login(regional_editor)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(resource.url("changelist"))
        assert response.status_code == 200
        return len(ctx.captured_queries), len(response.context["cl"].result_list)

    for _ in range(2):
        resource.make(own_region)
    two = queries()
    for _ in range(18):
        resource.make(own_region)
    twenty = queries()
    # then
    assert (two[1], twenty[1]) == (2, 20)
    assert twenty[0] == two[0]


@pytest.mark.parametrize(
    "changelist", ["admin:staff_importjob_changelist", "admin:auth_user_changelist"]
)
def test_staff_changelists_query_count_does_not_grow_with_rows(client, administrator, changelist):
    from django.contrib.auth import get_user_model

    from staff.models import ImportJob

    client.force_login(administrator)

    def add(count, start):
        for i in range(start, start + count):
            user = get_user_model().objects.create_user(f"u{i}", is_staff=True)
            user.groups.add(*administrator.groups.all())
            ImportJob.objects.create(kind="companies", original_name=f"{i}.csv", user=user)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(changelist)).status_code == 200
        return len(ctx.captured_queries)

    add(2, 0)
    two = queries()
    add(18, 2)
    assert queries() == two
