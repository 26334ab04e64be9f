"""The data-quality page: every check with its count in the editor's scope, each linking to its
filtered changelist and export; checks with nothing to do folded away; the same checks mailed."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from companies.models import Company
from programs.models import CofinancingRule
from staff import selectors
from staff.selectors import normalized_company_name
from tests import factories as f

pytestmark = pytest.mark.django_db
URL = reverse("staff:data-quality")
EOK = 100_000_000


def result(response, key):
    for item in response.context["todo"] + response.context["done"]:
        if item.check.key == key:
            return item
    raise AssertionError(key)


def labels(item) -> list[str]:
    return [row["label"] for row in item.rows]


def test_page_is_linked_from_the_admin_index(client, ministry_editor):
    client.force_login(ministry_editor)
    assert URL in client.get(reverse("admin:index")).content.decode()


def test_companies_without_region_or_business_number_lead_to_their_filtered_list(
    client, ministry_editor, own_region
):
    f.CompanyFactory(name="지역없음", region=None, business_number="2208162517")
    f.CompanyFactory(name="번호없음", region=own_region, business_number="")
    f.CompanyFactory(name="둘다없음", region=None, business_number="")
    f.CompanyFactory(name="온전함", region=own_region)
    client.force_login(ministry_editor)

    response = client.get(URL)

    no_region = result(response, "companies-without-region")
    assert (no_region.count, sorted(labels(no_region))) == (
        2,
        ["둘다없음 · — · —", "지역없음 · 220-81-62517 · —"],
    )
    no_number = result(response, "companies-without-business-number")
    assert no_number.count == 2
    # the count links to exactly its rows, and they export
    listed = client.get(no_region.changelist_url)
    assert sorted(c.name for c in listed.context["cl"].result_list) == ["둘다없음", "지역없음"]
    assert no_region.changelist_url == "/admin/companies/company/?quality=companies-without-region"
    export = client.post(
        no_region.export_url, {"format": "0", "resource": "0", "companyresource_name": "on"}
    )
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert len(rows) == 3  # header + the two companies
    body = response.content.decode()
    assert 'href="/admin/companies/company/?quality=companies-without-region"' in body
    assert 'href="/admin/companies/company/export/?quality=companies-without-region"' in body


def test_targets_without_a_period_and_overdue_ones(client, ministry_editor):
    today = datetime.date.today()
    f.TargetFactory(metric="기간 없음", period_end=None)
    overdue = f.TargetFactory(metric="지난 목표", period_end=today - datetime.timedelta(days=1))
    measured = f.TargetFactory(metric="실적 있음", period_end=today - datetime.timedelta(days=1))
    f.approved_result(measured, datetime.date(2025, 6, 30), 10)
    client.force_login(ministry_editor)

    response = client.get(URL)

    assert result(response, "targets-without-period").count == 1
    assert labels(result(response, "targets-without-period"))[0].startswith("기간 없음")
    late = result(response, "targets-overdue-without-actuals")
    assert late.count == 1
    assert late.rows[0]["url"] == reverse("admin:programs_target_change", args=[overdue.pk])


def test_sources_without_url_and_records_without_english(client, ministry_editor):
    f.SourceFactory(url="")
    f.SourceFactory(url="https://www.mss.go.kr/")
    f.ProgramFactory(name="영문 없는 사업", name_en="")
    f.ProgramFactory(name="영문 있는 사업", name_en="An English name")
    client.force_login(ministry_editor)

    response = client.get(URL)

    assert result(response, "sources-without-url").count == 1
    english = result(response, "no-english-program")
    assert labels(english) == ["영문 없는 사업"]
    assert "영문 이름" in english.check.help


def test_records_without_a_source(client, ministry_editor):
    cited = f.ProgramFactory(name="출처 있는 사업")
    cited.sources.add(f.SourceFactory())
    f.ProgramFactory(name="출처 없는 사업")
    f.TargetFactory(program=cited, metric="출처 없는 목표", source=None)
    client.force_login(ministry_editor)

    response = client.get(URL)

    assert labels(result(response, "no-source-program")) == ["출처 없는 사업"]
    assert result(response, "no-source-target").count == 1


def test_cofinancing_violations_are_listed(client, ministry_editor):
    program = f.ProgramFactory()
    f.CofinancingRuleFactory(program=program, share="national", percent=70)
    f.CofinancingRuleFactory(
        program=program,
        scope=CofinancingRule.Scope.COMPANY_SUPPORT,
        share="self_funding",
        bound="at_least",
        percent=20,
    )
    rp = f.RegionalParticipationFactory(program=program)
    source = f.SourceFactory()
    for funding, eok in (("national", 300), ("local", 50)):
        f.BudgetLineFactory(
            program=program,
            regional_participation=rp,
            source=source,
            funding_source=funding,
            amount_krw=eok * EOK,
        )
    low = f.ParticipationFactory(program=program, support_amount_krw=EOK, self_funding_krw=1)
    f.ParticipationFactory(program=program, support_amount_krw=EOK, self_funding_krw=EOK)
    client.force_login(ministry_editor)

    response = client.get(URL)

    regional = result(response, "cofinancing-regional-budgets")
    assert regional.rows == [
        {
            "label": str(rp),
            "url": reverse("admin:programs_regionalparticipation_change", args=[rp.pk]),
        }
    ]
    companies = result(response, "cofinancing-company-support")
    assert [row["url"] for row in companies.rows] == [
        reverse("admin:programs_participation_change", args=[low.pk])
    ]
    listed = client.get(companies.changelist_url).context["cl"].result_list
    assert [p.pk for p in listed] == [low.pk]


def test_checks_are_counted_in_the_editors_scope(client, regional_editor, own_region, other_region):
    bare = f.ParticipationFactory(region=own_region, company=f.CompanyFactory(region=own_region))
    f.OutcomeFactory(
        participation=f.ParticipationFactory(
            region=own_region, company=f.CompanyFactory(region=own_region)
        )
    )
    f.ParticipationFactory(region=other_region, company=f.CompanyFactory(region=other_region))
    f.CompanyFactory(region=other_region, business_number="")
    client.force_login(regional_editor)

    response = client.get(URL)

    rows = result(response, "participations-without-outcomes")
    assert [row["url"] for row in rows.rows] == [
        reverse("admin:programs_participation_change", args=[bare.pk])
    ]
    assert result(response, "companies-without-business-number").count == 0
    assert "담당 지역(경남)의 기록만 셉니다" in response.content.decode()


def test_checks_with_nothing_to_do_fold_away(client, ministry_editor):
    f.CompanyFactory(region=None)
    client.force_login(ministry_editor)

    response = client.get(URL)

    todo = [r.check.key for r in response.context["todo"]]
    assert "companies-without-region" in todo
    assert "targets-without-period" not in todo
    body = response.content.decode()
    assert '<details class="module data-quality-done" id="quality-done">' in body
    assert "— 0건" not in body
    assert len(response.context["todo"]) + len(response.context["done"]) == len(selectors.CHECKS)


def test_groups_likely_duplicate_companies(client, ministry_editor):
    a = f.CompanyFactory(name="(주)한빛정밀", business_number="2208162517")
    b = f.CompanyFactory(name="한빛 정밀 주식회사", business_number="")
    f.CompanyFactory(name="대성기계")
    client.force_login(ministry_editor)

    response = client.get(URL)

    groups = response.context["duplicates"]
    assert [g["reason"] for g in groups] == ["같은 이름(정규화): 한빛정밀"]
    assert sorted(c["url"] for c in groups[0]["companies"]) == sorted(
        reverse("admin:companies_company_change", args=[c.pk]) for c in (a, b)
    )
    assert result(response, "duplicate-companies").count == 2


@pytest.mark.parametrize(
    ("name", "normalized"),
    [("(주)한빛정밀", "한빛정밀"), ("㈜ 한빛정밀", "한빛정밀"), ("Hanbit Co., Ltd.", "hanbit")],
)
def test_company_names_are_normalized(name, normalized):
    assert normalized_company_name(name) == normalized


def test_summary_downloads_as_csv(client, ministry_editor):
    f.CompanyFactory(region=None)
    client.force_login(ministry_editor)
    response = client.get(reverse("staff:data-quality-summary"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["분류", "점검", "건수", "목록", "내려받기"]
    assert ["기본 정보", "지역이 없는 기업", "1"] == rows[1][:3]
    assert (
        rows[1][3] == "http://testserver/admin/companies/company/?quality=companies-without-region"
    )
    assert len(rows) == 1 + len(selectors.CHECKS)


def test_query_count_does_not_grow_with_rows(client, ministry_editor):
    client.force_login(ministry_editor)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    f.ParticipationFactory.create_batch(2, company__region=None)
    two = queries()
    f.ParticipationFactory.create_batch(18, company__region=None)
    assert Company.objects.filter(region__isnull=True).count() == 20
    assert queries() == two


def test_viewer_without_participation_view_is_refused(client, django_user_model):
    user = django_user_model.objects.create_user("plain", password="x-123456789", is_staff=True)
    client.force_login(user)
    assert client.get(URL).status_code == 403
    assert client.get(reverse("staff:data-quality-summary")).status_code == 403
