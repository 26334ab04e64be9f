"""Another region's record answers the same in the change, history and revert views: a redirect
to the list with "다른 지역의 기록이라 볼 수 없습니다", not a bare 403 page and not "deleted"."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from companies.models import Company
from tests import factories as f

pytestmark = pytest.mark.django_db


CHANGELIST = "/admin/companies/company/"


def not_found(pk) -> str:
    return "다른 지역의 기록이라 볼 수 없습니다. 담당 지역의 기록만 열 수 있습니다."


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def other_company(other_region):
    return f.CompanyFactory(name="부산정밀", region=other_region)


def test_change_view_of_another_regions_record_redirects_as_not_found(
    client, regional_editor, other_company
):
    client.force_login(regional_editor)
    response = client.get(reverse("admin:companies_company_change", args=[other_company.pk]))
    assert response.status_code == 302
    assert response["Location"] == CHANGELIST
    assert messages_of(response) == [not_found(other_company.pk)]


def test_history_of_another_regions_record_behaves_like_the_change_view(
    client, regional_editor, other_company
):
    client.force_login(regional_editor)
    # when
    response = client.get(reverse("admin:companies_company_history", args=[other_company.pk]))
    # then: the same redirect and message as the change view (test above)
    assert (response.status_code, response["Location"]) == (302, CHANGELIST)
    assert messages_of(response) == [not_found(other_company.pk)]


def test_revert_of_another_regions_record_behaves_like_the_change_view(
    client, regional_editor, other_company
):
    client.force_login(regional_editor)
    version = Company.history.filter(id=other_company.pk).latest("history_date")
    url = reverse(
        "admin:companies_company_simple_history", args=[other_company.pk, version.history_id]
    )
    # when
    got = client.get(url)
    posted = client.post(url, {"name": "바뀐 이름"})
    # then
    assert (got.status_code, got["Location"]) == (302, CHANGELIST)
    assert (posted.status_code, posted["Location"]) == (302, CHANGELIST)
    other_company.refresh_from_db()
    assert other_company.name == "부산정밀"
    assert Company.history.filter(id=other_company.pk).count() == 1


def test_history_of_a_deleted_record_of_another_region_is_not_found(
    client, regional_editor, other_company
):
    pk = other_company.pk
    other_company.delete()
    client.force_login(regional_editor)
    response = client.get(reverse("admin:companies_company_history", args=[pk]))
    assert (response.status_code, response["Location"]) == (302, CHANGELIST)


def test_history_of_an_own_regions_record_still_opens(client, regional_editor, own_region):
    company = f.CompanyFactory(region=own_region)
    client.force_login(regional_editor)
    response = client.get(reverse("admin:companies_company_history", args=[company.pk]))
    assert response.status_code == 200
