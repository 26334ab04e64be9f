"""The program summary shows each region's compliance with the program's co-financing rules
(programs.cofinancing), as the schema declares it, in a fixed number of queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Region
from programs.models import CofinancingRule
from tests import factories as f

pytestmark = pytest.mark.django_db

EOK = 100_000_000
Rule = CofinancingRule


def region(code):
    return Region.objects.get(code=code)


def lines(rp, source, **amounts):
    for funding, eok in amounts.items():
        f.BudgetLineFactory(
            program=rp.program,
            regional_participation=rp,
            source=source,
            funding_source=funding,
            amount_krw=eok * EOK,
            fiscal_year=2025,
        )


@pytest.fixture
def ruled():
    """국비 ≤ 70 % of a regional budget; 자부담 ≥ 20 % of a company's project cost. 경남 keeps
    the budget rule, 부산 breaks it, 울산 states no split; one 경남 company breaks 자부담."""
    program = f.ProgramFactory(slug="ruled", name="공동재원 시험 사업")
    national = f.CofinancingRuleFactory(program=program, share=Rule.Share.NATIONAL, percent=70)
    own = f.CofinancingRuleFactory(
        program=program,
        scope=Rule.Scope.COMPANY_SUPPORT,
        share=Rule.Share.SELF_FUNDING,
        bound=Rule.Bound.AT_LEAST,
        percent=Decimal("20"),
    )
    gn = f.RegionalParticipationFactory(program=program, region=region("48"))
    bs = f.RegionalParticipationFactory(program=program, region=region("26"))
    us = f.RegionalParticipationFactory(program=program, region=region("31"))
    lines(gn, f.SourceFactory(key="gn-plan"), national=210, local=140)
    lines(bs, f.SourceFactory(key="bs-plan"), national=300, local=50)
    lines(us, f.SourceFactory(key="us-plan"), national=100)
    company = f.CompanyFactory(region=region("48"))
    f.ParticipationFactory(
        program=program, company=company, support_amount_krw=2 * EOK, self_funding_krw=EOK // 10
    )
    f.ParticipationFactory(
        program=program,
        company=f.CompanyFactory(region=region("48")),
        support_amount_krw=2 * EOK,
        self_funding_krw=EOK,
    )
    return program, national, own


def test_summary_shows_compliance_per_region(anon_client, ruled):
    program, national, own = ruled

    body = anon_client.get(f"/api/v1/programs/{program.pk}/summary/").json()["cofinancing"]

    assert [(r["id"], r["scope"], r["share"], r["bound"], r["percent"]) for r in body["rules"]] == [
        (own.pk, "company_support", "self_funding", "at_least", 20),
        (national.pk, "regional_budget", "national", "at_most", 70),
    ]
    assert "note" not in body["rules"][0]
    regions = {r["region"]["code"]: r for r in body["regions"]}
    assert list(regions) == ["26", "31", "48"]
    assert (regions["48"]["status"], regions["48"]["budget_status"]) == ("violation", "compliant")
    assert regions["48"]["companies"] == {"compliant": 1, "violation": 1, "unknown": 0}
    assert [
        (c["rule"], c["source"]["key"], c["status"], c["share_pct"])
        for c in regions["48"]["budget_checks"]
    ] == [(national.pk, "gn-plan", "compliant", 60)]
    assert regions["26"]["status"] == "violation"
    assert regions["26"]["budget_checks"][0]["share_pct"] == pytest.approx(85.7)
    assert regions["26"]["companies"] == {"compliant": 0, "violation": 0, "unknown": 0}
    assert (regions["31"]["status"], regions["31"]["budget_checks"][0]["reason"]) == (
        "unknown",
        "이 출처는 재원별로 나누어 밝히지 않음",
    )
    assert regions["31"]["region"] == {
        "code": "31",
        "name": "울산광역시",
        "short_name": "울산",
        "name_en": "Ulsan",
    }


def test_a_program_without_rules_has_empty_lists(anon_client):
    program = f.ProgramFactory()
    f.RegionalParticipationFactory(program=program, region=region("48"))

    body = anon_client.get(f"/api/v1/programs/{program.pk}/summary/").json()

    assert body["cofinancing"] == {"rules": [], "regions": []}


def test_staff_see_the_rule_note(staff_client, ruled):
    program, national, _own = ruled
    CofinancingRule.objects.filter(pk=national.pk).update(note="지침 3.2")

    body = staff_client.get(f"/api/v1/programs/{program.pk}/summary/").json()

    assert [r["note"] for r in body["cofinancing"]["rules"]] == ["", "지침 3.2"]


def count(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_compliance_takes_the_same_queries_for_2_and_20_regions(anon_client, ruled):
    program, _national, _own = ruled
    path = f"/api/v1/programs/{program.pk}/summary/"
    before = count(anon_client, path)
    for code in ["11", "27", "28", "29", "30", "36", "41", "43", "44", "46", "47", "50"]:
        rp = f.RegionalParticipationFactory(program=program, region=region(code))
        lines(rp, f.SourceFactory(), national=50, local=50)
        f.ParticipationFactory(
            program=program,
            company=f.CompanyFactory(region=region(code)),
            support_amount_krw=EOK,
            self_funding_krw=EOK,
        )
    after = anon_client.get(path).json()["cofinancing"]
    assert len(after["regions"]) == 15
    assert count(anon_client, path) == before
