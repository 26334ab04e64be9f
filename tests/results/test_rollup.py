"""Roll-up of regional targets into a program target, and targets computed from outcomes."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from programs.models import Outcome, Target
from results import progress, rollup, services
from results.outcomes import outcome_figure, target_outcomes
from tests import factories as f

from .conftest import H2_2025, period

D = datetime.date


def regional_target(program, region, value, **kwargs):
    rp = f.RegionalParticipationFactory(program=program, region=region)
    child = f.TargetFactory(
        program=None,
        regional_participation=rp,
        unit=kwargs.pop("unit", "개사"),
        target_value=Decimal(value),
        **kwargs,
    )
    services.periods_generate(target=child)
    return child


def approve(target, start, **values):
    p = period(target, start)
    f.ResultUpdateFactory(period=p, as_of=p.end, status="approved", **values)
    progress.period_refresh(p)
    progress.target_refresh(target, today=D(2026, 1, 10))


@pytest.fixture
def national(program):
    return f.TargetFactory(
        program=program, unit="개사", target_value=Decimal("30"), rollup=Target.Rollup.SUM
    )


def test_program_target_sums_its_regions_with_contributions(program, gyeongnam, busan, national):
    # given: 경남 20 (8 approved), 부산 10 (4 approved)
    gn = regional_target(program, gyeongnam, "20", contributes_to=national)
    bs = regional_target(program, busan, "10", contributes_to=national)
    approve(gn, H2_2025, value=Decimal("8"))
    approve(bs, H2_2025, value=Decimal("4"))

    # when
    result = rollup.rollup_total(national)
    national.refresh_from_db()

    # then: 12 in all, 2/3 from 경남; the parts' targets add up to the program's 30
    assert result.total.value == Decimal("12.00")
    assert [(c.region_code, c.value, c.share_pct) for c in result.contributions] == [
        ("26", Decimal("4.00"), Decimal("33.33")),
        ("48", Decimal("8.00"), Decimal("66.67")),
    ]
    assert (result.parts_target_value, result.mismatch) == (Decimal("30.00"), False)
    # the program target's stored figures come from the roll-up (refreshed on approval)
    assert (national.current_value, national.achievement_pct) == (Decimal("12.00"), Decimal("40.0"))


def test_totals_that_do_not_equal_their_parts_are_flagged(program, gyeongnam, busan, national):
    # given: regional targets adding up to 25, not 30; the program reports 15 itself
    gn = regional_target(program, gyeongnam, "15", contributes_to=national)
    regional_target(program, busan, "10", contributes_to=national)
    approve(gn, H2_2025, value=Decimal("8"))
    services.periods_generate(target=national)
    approve(national, H2_2025, value=Decimal("15"))

    # when
    result = rollup.rollup_total(national)

    # then
    assert (result.total.value, result.reported_total) == (Decimal("8.00"), Decimal("15.00"))
    assert (result.total_mismatch, result.target_mismatch) == (True, True)
    assert result.parts_target_value == Decimal("25.00")


def test_weighted_roll_up_of_percentages_adds_numerators_and_denominators(
    program, gyeongnam, busan
):
    # given: 경남 45/50 (90 %), 부산 15/30 (50 %)
    national = f.TargetFactory(
        program=program,
        unit="%",
        target_value=Decimal("95"),
        measure=Target.Measure.PERCENTAGE,
        rollup=Target.Rollup.WEIGHTED,
    )
    kw = {"unit": "%", "measure": Target.Measure.PERCENTAGE, "contributes_to": national}
    gn = regional_target(program, gyeongnam, "95", **kw)
    bs = regional_target(program, busan, "95", **kw)
    approve(gn, H2_2025, numerator=Decimal("45"), denominator=Decimal("50"))
    approve(bs, H2_2025, numerator=Decimal("15"), denominator=Decimal("30"))

    # when
    result = rollup.rollup_total(national)

    # then: 60/80 = 75 %, not the mean of 90 % and 50 % (70 %); weights by denominator
    assert (result.total.value, result.total.numerator, result.total.denominator) == (
        Decimal("75.00"),
        Decimal("60.00"),
        Decimal("80.00"),
    )
    assert [(c.region_code, c.value, c.share_pct) for c in result.contributions] == [
        ("26", Decimal("50.00"), Decimal("37.50")),
        ("48", Decimal("90.00"), Decimal("62.50")),
    ]


def test_only_a_program_target_with_roll_up_of_the_same_program_takes_contributions(
    program, gyeongnam, national
):
    other = f.TargetFactory(program=program, rollup="")
    child = regional_target(program, gyeongnam, "5")
    child.contributes_to = other
    with pytest.raises(ValidationError) as refused:
        child.full_clean()
    assert refused.value.message_dict == {
        "contributes_to": ["같은 사업의, 지역 목표 집계를 하는 사업 단위 목표를 골라 주세요."]
    }
    child.contributes_to, child.unit = national, "명"
    with pytest.raises(ValidationError) as refused:
        child.full_clean()
    assert refused.value.message_dict == {
        "contributes_to": ["단위와 값의 종류가 같은 목표끼리만 집계할 수 있습니다."]
    }


# --- outcome-derived targets ---------------------------------------------------------------------


@pytest.fixture
def outcomes(program, gyeongnam, busan):
    """Sales change of 경남 participants: +15 (consented), +10 (no consent), +20 (consented);
    a claimed +50, a 부산 +30 and another program's +40 do not count."""

    def outcome(name, change, consent=True, region=gyeongnam, prog=program, **kwargs):
        company = f.CompanyFactory(name=name, region=region)
        participation = f.ParticipationFactory(
            company=company, program=prog, region=region, consent_to_publish=consent
        )
        return f.OutcomeFactory(
            company=company,
            participation=participation,
            metric="매출 증가율",
            change_pct=Decimal(change),
            verification=kwargs.pop("verification", Outcome.Verification.VERIFIED),
            measured_on=D(2025, 12, 31),
            direction=Target.Direction.HIGHER,
            **kwargs,
        )

    outcome("가나정밀", "15")
    outcome("다라산업", "10", consent=False)
    outcome("마바테크", "20")
    outcome("사아기계", "50", verification=Outcome.Verification.CLAIMED)
    outcome("자차부품", "30", region=busan)
    outcome("카타공업", "40", prog=f.ProgramFactory())


@pytest.mark.parametrize(
    ("statistic", "threshold", "value", "meeting"),
    [("mean_change", None, Decimal("15.00"), None), ("share_meeting", "12", Decimal("66.67"), 2)],
)
def test_outcome_derived_targets(rp, outcomes, statistic, threshold, value, meeting):
    # given: 경남's expected sales +12 %: the mean change, or the share meeting +12 %
    target = f.TargetFactory(
        program=None,
        regional_participation=rp,
        metric="매출 증가율",
        unit="%",
        target_value=Decimal("12") if statistic == "mean_change" else Decimal("50"),
        outcome_statistic=statistic,
        outcome_metric="매출 증가율",
        outcome_threshold=Decimal(threshold) if threshold else None,
        period_start=D(2025, 1, 1),
        period_end=D(2026, 12, 31),
    )

    # when
    figure = outcome_figure(target)
    progress.target_refresh(target, today=D(2026, 1, 10))
    target.refresh_from_db()

    # then: three verified 경남 outcomes, whatever their consent; staff see all three companies,
    # the public only the consented ones
    assert (figure.value, figure.companies, figure.meeting) == (value, 3, meeting)
    assert [o.company.name for o in target_outcomes(target)] == ["가나정밀", "다라산업", "마바테크"]
    assert [o.company.name for o in target_outcomes(target, public=True)] == [
        "가나정밀",
        "마바테크",
    ]
    assert (target.current_value, target.status) == (value, Target.Status.ACHIEVED)


def test_staff_see_the_companies_behind_an_outcome_figure_in_the_admin(
    client, rp, outcomes, ministry
):
    target = f.TargetFactory(
        program=None,
        regional_participation=rp,
        unit="%",
        target_value=Decimal("12"),
        outcome_statistic="mean_change",
        outcome_metric="매출 증가율",
    )
    client.force_login(ministry)
    page = client.get(f"/admin/programs/target/{target.pk}/change/")
    assert page.status_code == 200
    assert "가나정밀: +15.0%; 다라산업: +10.0% (비공개); 마바테크: +20.0%" in page.content.decode()
