"""The data-quality page: records without a source, targets past their period without actuals,
participations without outcomes, likely duplicate companies — in the editor's scope."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from staff.views import normalized_company_name
from tests import factories as f

pytestmark = pytest.mark.django_db
URL = reverse("staff:data-quality")


def section(response, title):
    for item in response.context["without_sources"]:
        if str(item["title"]) == title:
            return item
    raise AssertionError(title)


def labels(section) -> list[str]:
    return [row["label"] for row in section["rows"]]


def test_page_is_linked_from_the_admin_index(client, ministry_editor):
    client.force_login(ministry_editor)
    assert URL in client.get(reverse("admin:index")).content.decode()


def test_lists_records_without_a_source(client, ministry_editor):
    cited = f.ProgramFactory(name="출처 있는 사업")
    cited.sources.add(f.SourceFactory())
    f.ProgramFactory(name="출처 없는 사업")
    f.TargetFactory(program=cited, metric="출처 없는 목표", source=None)
    client.force_login(ministry_editor)
    # when
    response = client.get(URL)
    # then
    programs = section(response, "사업·정책")
    assert (programs["total"], labels(programs)) == (1, ["출처 없는 사업"])
    targets = section(response, "목표")
    assert targets["total"] == 1
    assert labels(targets)[0].startswith("출처 없는 목표")


def test_lists_targets_past_their_period_without_actuals(client, ministry_editor):
    today = datetime.date.today()
    overdue = f.TargetFactory(metric="지난 목표", period_end=today - datetime.timedelta(days=1))
    measured = f.TargetFactory(
        metric="실적 있는 목표", period_end=today - datetime.timedelta(days=1)
    )
    f.TargetActualFactory(target=measured)
    f.TargetFactory(metric="진행 중 목표", period_end=today + datetime.timedelta(days=30))
    client.force_login(ministry_editor)
    # when
    rows = client.get(URL).context["overdue_targets"]
    # then
    assert rows["total"] == 1
    assert rows["rows"][0]["url"] == reverse("admin:programs_target_change", args=[overdue.pk])


def test_lists_participations_without_outcomes_in_scope_only(
    client, regional_editor, own_region, other_region
):
    bare = f.ParticipationFactory(region=own_region, company=f.CompanyFactory(region=own_region))
    f.OutcomeFactory(
        participation=f.ParticipationFactory(
            region=own_region, company=f.CompanyFactory(region=own_region)
        )
    )
    f.ParticipationFactory(region=other_region, company=f.CompanyFactory(region=other_region))
    client.force_login(regional_editor)
    # when
    rows = client.get(URL).context["no_outcomes"]
    # then only 경남's participation without outcomes
    assert [row["url"] for row in rows["rows"]] == [
        reverse("admin:programs_participation_change", args=[bare.pk])
    ]


def test_groups_likely_duplicate_companies(client, ministry_editor):
    a = f.CompanyFactory(name="(주)한빛정밀")
    b = f.CompanyFactory(name="한빛 정밀 주식회사")
    f.CompanyFactory(name="대성기계")
    client.force_login(ministry_editor)
    # when
    groups = client.get(URL).context["duplicates"]
    # then
    assert len(groups) == 1
    assert groups[0]["reason"] == "같은 이름(정규화): 한빛정밀"
    assert sorted(c["url"] for c in groups[0]["companies"]) == sorted(
        reverse("admin:companies_company_change", args=[c.pk]) for c in (a, b)
    )


@pytest.mark.parametrize(
    ("name", "normalized"),
    [("(주)한빛정밀", "한빛정밀"), ("㈜ 한빛정밀", "한빛정밀"), ("Hanbit Co., Ltd.", "hanbit")],
)
def test_company_names_are_normalized(name, normalized):
    assert normalized_company_name(name) == normalized


def test_query_count_does_not_grow_with_rows(client, ministry_editor):
    client.force_login(ministry_editor)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    f.ParticipationFactory.create_batch(2)
    two = queries()
    f.ParticipationFactory.create_batch(18)
    assert queries() == two


def test_viewer_without_participation_view_is_refused(client, django_user_model):
    user = django_user_model.objects.create_user("plain", password="x-123456789", is_staff=True)
    client.force_login(user)
    assert client.get(URL).status_code == 403
