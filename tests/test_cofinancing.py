"""Co-financing rules: the rule model's own checks and the one computation (programs.cofinancing)."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from programs import cofinancing
from programs.models import BudgetLine, CofinancingRule
from tests import factories
from tests.staff.conftest import change_form_data

EOK = 100_000_000
Rule = CofinancingRule
National, Local = BudgetLine.FundingSource.NATIONAL, BudgetLine.FundingSource.LOCAL


@pytest.fixture
def ruled(db):
    """A program whose regional budgets must be 국비 ≤ 70 % and 지방비 ≥ 30 %, and whose
    companies must bring 자부담 ≥ 20 % of the project cost."""
    program = factories.ProgramFactory(name="공동재원 시험 사업")
    factories.CofinancingRuleFactory(program=program, share=Rule.Share.NATIONAL, percent=70)
    factories.CofinancingRuleFactory(
        program=program, share=Rule.Share.LOCAL, bound=Rule.Bound.AT_LEAST, percent=30
    )
    factories.CofinancingRuleFactory(
        program=program,
        scope=Rule.Scope.COMPANY_SUPPORT,
        share=Rule.Share.SELF_FUNDING,
        bound=Rule.Bound.AT_LEAST,
        percent=20,
    )
    return program


def lines(rp, source, **amounts):
    for funding, eok in amounts.items():
        factories.BudgetLineFactory(
            program=rp.program,
            regional_participation=rp,
            source=source,
            funding_source=funding,
            amount_krw=eok * EOK,
        )


def results(checks):
    return sorted(
        (str(c.source.key) if c.source else "-", c.rule.share, c.status, c.share_pct)
        for c in checks
    )


def test_regional_budget_is_judged_per_source(ruled):
    rp = factories.RegionalParticipationFactory(program=ruled, region__code="97")
    split = factories.SourceFactory(key="split")
    heavy = factories.SourceFactory(key="heavy")
    alone = factories.SourceFactory(key="alone")
    mixed = factories.SourceFactory(key="mixed")
    lines(rp, split, national=210, local=140)  # 60 % / 40 %
    lines(rp, heavy, national=300, local=50)  # 85.7 % / 14.3 %
    lines(rp, alone, national=234)  # states no split
    lines(rp, mixed, national=100, mixed=50)  # part of unknown funding

    checks = cofinancing.regional_participation_checks([rp])[rp.pk]

    assert results(checks) == [
        ("alone", "local", "unknown", None),
        ("alone", "national", "unknown", None),
        ("heavy", "local", "violation", Decimal("14.3")),
        ("heavy", "national", "violation", Decimal("85.7")),
        ("mixed", "local", "unknown", None),
        ("mixed", "national", "unknown", None),
        ("split", "local", "compliant", Decimal("40.0")),
        ("split", "national", "compliant", Decimal("60.0")),
    ]
    [alone_national] = [c for c in checks if c.source == alone and c.rule.share == "national"]
    assert alone_national.reason == "이 출처는 재원별로 나누어 밝히지 않음"


@pytest.mark.parametrize(
    ("support", "own", "basis", "status", "pct"),
    [
        (2 * EOK, 50_000_000, Rule.Basis.TOTAL, "compliant", Decimal("20.0")),
        (2 * EOK, 30_000_000, Rule.Basis.TOTAL, "violation", Decimal("13.0")),
        (2 * EOK, 30_000_000, Rule.Basis.SUPPORT, "violation", Decimal("15.0")),
        (2 * EOK, 40_000_000, Rule.Basis.SUPPORT, "compliant", Decimal("20.0")),
        (2 * EOK, None, Rule.Basis.TOTAL, "unknown", None),
        (None, 30_000_000, Rule.Basis.TOTAL, "unknown", None),
    ],
)
def test_company_self_funding(db, support, own, basis, status, pct):
    rule = factories.CofinancingRuleFactory(
        scope=Rule.Scope.COMPANY_SUPPORT,
        share=Rule.Share.SELF_FUNDING,
        bound=Rule.Bound.AT_LEAST,
        percent=20,
        basis=basis,
    )
    participation = factories.ParticipationFactory(
        program=rule.program, support_amount_krw=support, self_funding_krw=own
    )
    [check] = cofinancing.participation_checks([participation])[participation.pk]
    assert (check.status, check.share_pct) == (status, pct)


@pytest.mark.parametrize(
    ("existing", "new", "field", "message"),
    [
        (
            None,
            {"scope": Rule.Scope.REGIONAL_BUDGET, "share": Rule.Share.SELF_FUNDING},
            "share",
            "지역 예산 규칙의 재원은 국비, 지방비, 민간·자부담 가운데 하나입니다.",
        ),
        (
            None,
            {"scope": Rule.Scope.COMPANY_SUPPORT, "share": Rule.Share.NATIONAL},
            "share",
            "기업 지원 규칙의 재원은 기업 자부담 가운데 하나입니다.",
        ),
        (
            None,
            {"basis": Rule.Basis.SUPPORT},
            "basis",
            "지역 예산 규칙은 합계 대비로만 정합니다.",
        ),
        (
            {"share": Rule.Share.NATIONAL, "bound": Rule.Bound.AT_MOST, "percent": 30},
            {"share": Rule.Share.NATIONAL, "bound": Rule.Bound.AT_LEAST, "percent": 40},
            "percent",
            "같은 재원의 ‘이상’ 비율(40%)이 ‘이하’ 비율(30%)보다 커서 지킬 수 없는 규칙입니다.",
        ),
        (
            {"share": Rule.Share.LOCAL, "bound": Rule.Bound.AT_LEAST, "percent": 30},
            {"share": Rule.Share.NATIONAL, "bound": Rule.Bound.AT_LEAST, "percent": 80},
            "percent",
            "재원별 ‘이상’ 비율의 합이 110%로 100%를 넘어 지킬 수 없는 규칙입니다.",
        ),
    ],
)
def test_a_rule_that_cannot_hold_is_refused(db, existing, new, field, message):
    program = factories.ProgramFactory()
    if existing:
        factories.CofinancingRuleFactory(program=program, **existing)
    rule = factories.CofinancingRuleFactory.build(program=program, **new)
    with pytest.raises(ValidationError) as refused:
        rule.full_clean()
    assert refused.value.message_dict[field] == [message]


def test_rule_reads_as_staff_say_it(db):
    rule = factories.CofinancingRuleFactory(percent=Decimal("70.00"))
    assert str(rule) == "지역 예산: 국비 70% 이하"


def test_program_compliance_per_region(ruled):
    gn = factories.RegionalParticipationFactory(program=ruled, region__code="97")
    bs = factories.RegionalParticipationFactory(program=ruled, region__code="98")
    lines(gn, factories.SourceFactory(), national=210, local=140)
    lines(bs, factories.SourceFactory(), national=300, local=50)
    company = factories.CompanyFactory(region=gn.region)
    factories.ParticipationFactory(
        program=ruled, company=company, support_amount_krw=2 * EOK, self_funding_krw=10_000_000
    )
    factories.ParticipationFactory(
        program=ruled,
        company=factories.CompanyFactory(region=None),
        region=gn.region,
        support_amount_krw=2 * EOK,
        self_funding_krw=EOK,
    )

    summary = cofinancing.program_compliance(ruled)

    assert [str(r) for r in summary["rules"]] == [
        "기업 지원: 기업 자부담 20% 이상",
        "지역 예산: 지방비 30% 이상",
        "지역 예산: 국비 70% 이하",
    ]
    assert [(r.region.code, r.budget_status, r.companies) for r in summary["regions"]] == [
        ("97", "compliant", {"compliant": 1, "violation": 1, "unknown": 0}),
        ("98", "violation", {"compliant": 0, "violation": 0, "unknown": 0}),
    ]


def test_program_compliance_counts_companies_in_a_fixed_number_of_queries(
    ruled, django_assert_num_queries
):
    # given: no regional participation in 96; companies counted in their own region there
    elsewhere = factories.RegionFactory(
        code="96", name="시험특별자치도", short_name="시험", is_capital_area=True
    )
    for own in (EOK // 2, EOK // 2, EOK // 2, 0):
        factories.ParticipationFactory(
            program=ruled,
            company=factories.CompanyFactory(region=elsewhere),
            support_amount_krw=EOK,
            self_funding_krw=own,
        )
    factories.ParticipationFactory(
        program=ruled, company=factories.CompanyFactory(region=elsewhere), support_amount_krw=EOK
    )
    factories.ParticipationFactory(program=ruled, company=factories.CompanyFactory(region=None))

    # when: rules, regional participations (none, so no budget lines to read), companies' groups
    with django_assert_num_queries(3):
        summary = cofinancing.program_compliance(ruled)

    # then: 50/150 = 33.3 % ≥ 20 % three times, 0 % once, one without self-funding
    [entry] = summary["regions"]
    region = entry.region  # the whole region, read with the counts
    assert (region.pk, region.code, region.name, region.short_name, region.is_capital_area) == (
        elsewhere.pk,
        "96",
        "시험특별자치도",
        "시험",
        True,
    )
    assert (entry.budget_status, entry.status) == (None, "violation")
    assert entry.companies == {"compliant": 3, "violation": 1, "unknown": 1}


def test_program_compliance_of_a_program_without_rules_is_one_query(db, django_assert_num_queries):
    program = factories.ProgramFactory()
    factories.ParticipationFactory(program=program, support_amount_krw=EOK, self_funding_krw=0)

    with django_assert_num_queries(1):
        assert cofinancing.program_compliance(program) == {"rules": [], "regions": []}


def test_checks_take_the_same_queries_for_2_and_20_rows(ruled, django_assert_num_queries):
    rps = [
        factories.RegionalParticipationFactory(program=ruled, region__code=f"{60 + i}")
        for i in range(20)
    ]
    for rp in rps:
        lines(rp, factories.SourceFactory(), national=210, local=140)
    with django_assert_num_queries(2):
        cofinancing.regional_participation_checks(rps[:2])
    with django_assert_num_queries(2):
        cofinancing.regional_participation_checks(rps)


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(
        django_user_model.objects.create_superuser("staff", "staff@example.org", "pw-123456")
    )
    return client


def test_admin_warns_when_a_saved_budget_breaks_the_rule(admin_client, ruled):
    rp = factories.RegionalParticipationFactory(program=ruled, region__code="97")
    source = factories.SourceFactory(publisher="지역신문", title="예산 기사")
    lines(rp, source, national=210)
    add = reverse("admin:programs_budgetline_add")
    data = {
        "program": ruled.pk,
        "regional_participation": rp.pk,
        "amount_krw": "50억",
        "funding_source": "local",
        "vehicle": "main",
        "status": "announced",
        "source": source.pk,
        "fiscal_year": 2025,
    }
    response = admin_client.post(add, data, follow=True)
    assert response.redirect_chain[0][1] == 302
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert warnings == [
        f"공동 재원 규칙 위반: {rp} (출처: 지역신문 — 예산 기사): 지방비 비율 19.2% — "
        "규칙 ‘지역 예산: 지방비 30% 이상’ 위반",
        f"공동 재원 규칙 위반: {rp} (출처: 지역신문 — 예산 기사): 국비 비율 80.8% — "
        "규칙 ‘지역 예산: 국비 70% 이하’ 위반",
    ]
    assert BudgetLine.objects.filter(amount_krw=50 * EOK).exists()  # a warning, not a refusal

    # a budget within the rules saves without a word
    data["amount_krw"] = "90억"
    response = admin_client.post(add, data, follow=True)
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert warnings == []
    assert BudgetLine.objects.filter(amount_krw=90 * EOK).exists()


def test_admin_warns_when_a_company_brings_too_little(admin_client, ruled):
    participation = factories.ParticipationFactory(
        program=ruled, support_amount_krw=2 * EOK, self_funding_krw=EOK
    )
    change = reverse("admin:programs_participation_change", args=[participation.pk])
    data = change_form_data(admin_client.get(change))
    data["self_funding_krw"] = "1,000만"
    response = admin_client.post(change, data)
    assert response.status_code == 302
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert warnings == [
        f"공동 재원 규칙 위반: {participation}: 기업 자부담 비율 4.8% — "
        "규칙 ‘기업 지원: 기업 자부담 20% 이상’ 위반"
    ]


def test_rules_are_edited_on_the_program_page(admin_client, db):
    program = factories.ProgramFactory()
    change = reverse("admin:programs_program_change", args=[program.pk])
    page = admin_client.get(change)
    assert "공동 재원 규칙" in page.content.decode()
    data = change_form_data(page)
    data.update(
        {
            "cofinancing_rules-TOTAL_FORMS": "1",
            "cofinancing_rules-0-scope": "regional_budget",
            "cofinancing_rules-0-share": "national",
            "cofinancing_rules-0-bound": "at_most",
            "cofinancing_rules-0-percent": "70",
            "cofinancing_rules-0-basis": "total",
        }
    )
    assert admin_client.post(change, data).status_code == 302
    assert [str(r) for r in program.cofinancing_rules.all()] == ["지역 예산: 국비 70% 이하"]
