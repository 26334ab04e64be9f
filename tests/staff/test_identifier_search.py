"""Searching the admin by identifiers as staff type them, and the header's region scope."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from companies.models import Company
from tests import factories

from .conftest import make_staff


@pytest.fixture
def hanbit(db):
    return factories.CompanyFactory(name="한빛정밀", business_number="2208162517", ksic_code="C29")


def found(client, model, term):
    opts = model._meta
    response = client.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"), {"q": term}
    )
    assert response.status_code == 200
    return sorted(str(obj) for obj in response.context["cl"].result_list)


@pytest.mark.parametrize(
    "term",
    [
        "220-81-62517",
        "2208162517",
        "220 81 62517",
        "220-81",
        "81-62517",
        "C29",
        "c29",
        "C-29",
        "c 29",
        "(C29)",
        "한빛",
    ],
)
def test_company_is_found_by_business_number_with_or_without_hyphens(
    client, superuser, hanbit, term
):
    factories.CompanyFactory(name="다른기업", business_number="1234567891", ksic_code="J62")
    client.force_login(superuser)
    assert found(client, Company, term) == ["한빛정밀"]


@pytest.mark.parametrize(
    ("stored", "term"), [("29271", "C29271"), ("29271", "C-29"), ("C29271", "29")]
)
def test_a_ksic_code_is_found_with_or_without_its_section_letter(client, superuser, stored, term):
    factories.CompanyFactory(name="정밀기계", ksic_code=stored)
    factories.CompanyFactory(name="소프트웨어", ksic_code="J62")
    client.force_login(superuser)
    assert found(client, Company, term) == ["정밀기계"]


def test_a_ksic_code_with_a_name_narrows_the_search(client, superuser, hanbit):
    factories.CompanyFactory(name="한빛소프트", ksic_code="J62")
    client.force_login(superuser)
    assert found(client, Company, "한빛 C-29") == ["한빛정밀"]


@pytest.mark.parametrize("term", ["220-81-62517", "2208162517"])
def test_outcomes_and_awards_are_found_by_the_company_business_number(
    client, superuser, hanbit, term
):
    from events.models import Award
    from programs.models import Outcome

    factories.OutcomeFactory(participation=factories.ParticipationFactory(company=hanbit))
    factories.OutcomeFactory()
    mine = factories.AwardFactory(recipient_company=hanbit, rank="우수상")
    factories.AwardFactory(rank="장려상")
    client.force_login(superuser)
    assert len(found(client, Outcome, term)) == 1
    assert found(client, Award, term) == [str(mine)]


def test_participations_are_found_by_their_company_business_number(client, superuser, hanbit):
    from programs.models import Participation

    factories.ParticipationFactory(company=hanbit)
    factories.ParticipationFactory()
    client.force_login(superuser)
    assert [p.split(" · ")[0] for p in found(client, Participation, "220-81-62517")] == ["한빛정밀"]


def test_people_are_found_by_phone_as_typed(client, superuser, db):
    from core.models import Person

    factories.PersonFactory(name="김담당", phone="055-211-3456", organization=None)
    factories.PersonFactory(name="이담당", phone="02-555-0000", organization=None)
    client.force_login(superuser)
    assert found(client, Person, "0552113456") == ["김담당"]
    assert found(client, Person, "055-211-3456") == ["김담당"]


def test_a_digit_search_does_not_add_queries(client, superuser, hanbit):
    client.force_login(superuser)
    url = reverse("admin:companies_company_changelist")
    with CaptureQueriesContext(connection) as plain:
        client.get(url, {"q": "한빛"})
    with CaptureQueriesContext(connection) as digits:
        client.get(url, {"q": "220-81-62517"})
    assert len(digits.captured_queries) == len(plain.captured_queries)


def test_header_shows_the_regional_editors_scope(client, regional_editor):
    client.force_login(regional_editor)
    body = client.get(reverse("admin:index")).content.decode()
    assert '<span class="staff-role">지역 편집자</span>' in body
    assert "담당 지역: 경남</span>" in body


def test_header_of_an_editor_of_two_regions_and_of_the_ministry(client, db):
    from core.scoping import MINISTRY_EDITOR, REGIONAL_EDITOR

    client.force_login(make_staff("two", REGIONAL_EDITOR, ["26", "48"]))
    assert "담당 지역: 부산, 경남</span>" in client.get(reverse("admin:index")).content.decode()
    client.force_login(make_staff("moe", MINISTRY_EDITOR))
    body = client.get(reverse("admin:index")).content.decode()
    assert '<span class="staff-role">중기부 편집자</span>' in body
    assert '<span class="staff-scope">전체 지역</span>' in body
    assert "담당 지역" not in body


@pytest.mark.parametrize("term", ["220-81", "C-29"])
def test_an_identifier_search_costs_the_same_queries_for_2_and_20_rows(client, superuser, term):
    def make(start, stop):
        for i in range(start, stop):
            factories.CompanyFactory(
                name=f"기업{i}",
                business_number=factories.make_business_number(f"220810{i:03d}"),
                ksic_code="C29",
            )

    client.force_login(superuser)
    url = reverse("admin:companies_company_changelist")
    make(0, 2)
    client.get(url, {"q": term})
    with CaptureQueriesContext(connection) as two:
        assert len(client.get(url, {"q": term}).context["cl"].result_list) == 2
    make(2, 20)
    with CaptureQueriesContext(connection) as twenty:
        assert len(client.get(url, {"q": term}).context["cl"].result_list) == 20
    assert len(twenty.captured_queries) == len(two.captured_queries)
