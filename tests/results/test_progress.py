"""Indicator arithmetic and status: periods from a schedule, cumulative/latest/average and
percentage combination, the trajectory on given dates, roll-up, outcome-derived targets."""

import datetime
from decimal import Decimal

import pytest

from programs.models import ReportingSchedule, Target
from results import progress, services
from results.models import ReportingPeriod
from results.progress import PeriodValue
from results.schedule import period_spans
from tests import factories as f

from .conftest import H1_2025, H1_2026, H2_2025, period

D = datetime.date


def approve(target, start, value=None, *, numerator=None, denominator=None, as_of=None):
    p = period(target, start)
    f.ResultUpdateFactory(
        period=p,
        value=value,
        numerator=numerator,
        denominator=denominator,
        as_of=as_of or p.end,
        status="approved",
    )
    progress.period_refresh(p)


# --- periods -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schedule", "start", "end", "expected"),
    [
        (
            ReportingSchedule.QUARTERLY,
            D(2025, 2, 15),
            D(2025, 12, 31),
            [
                (D(2025, 2, 15), D(2025, 3, 31)),
                (D(2025, 4, 1), D(2025, 6, 30)),
                (D(2025, 7, 1), D(2025, 9, 30)),
                (D(2025, 10, 1), D(2025, 12, 31)),
            ],
        ),
        (
            ReportingSchedule.HALF_YEARLY,
            D(2025, 1, 1),
            D(2026, 3, 31),
            [
                (D(2025, 1, 1), D(2025, 6, 30)),
                (D(2025, 7, 1), D(2025, 12, 31)),
                (D(2026, 1, 1), D(2026, 3, 31)),
            ],
        ),
        (
            ReportingSchedule.YEARLY,
            D(2024, 10, 1),
            D(2026, 6, 30),
            [
                (D(2024, 10, 1), D(2024, 12, 31)),
                (D(2025, 1, 1), D(2025, 12, 31)),
                (D(2026, 1, 1), D(2026, 6, 30)),
            ],
        ),
        (ReportingSchedule.CUSTOM, D(2025, 1, 1), D(2025, 12, 31), []),
        (ReportingSchedule.YEARLY, D(2025, 1, 1), None, []),
    ],
    ids=["quarterly", "half-yearly", "yearly", "custom", "no-end"],
)
def test_period_spans_follow_the_calendar_cut_to_the_window(schedule, start, end, expected):
    assert period_spans(schedule, start, end) == expected


def test_periods_are_generated_from_the_programs_schedule_with_deadlines(target):
    # then: half-yearly from the program, 20 days to report
    assert list(target.periods.values_list("start", "end", "deadline")) == [
        (D(2025, 1, 1), D(2025, 6, 30), D(2025, 7, 20)),
        (D(2025, 7, 1), D(2025, 12, 31), D(2026, 1, 20)),
        (D(2026, 1, 1), D(2026, 6, 30), D(2026, 7, 20)),
        (D(2026, 7, 1), D(2026, 12, 31), D(2027, 1, 20)),
    ]
    assert [p.label for p in target.periods.all()] == [
        "2025 상반기",
        "2025 하반기",
        "2026 상반기",
        "2026 하반기",
    ]
    # a second run creates nothing; the target's own schedule wins over the program's
    assert services.periods_generate(target=target) == []
    target.reporting_schedule = ReportingSchedule.YEARLY
    target.period_start, target.period_end = D(2027, 1, 1), D(2027, 12, 31)
    assert [(p.start, p.end) for p in services.periods_generate(target=target)] == [
        (D(2027, 1, 1), D(2027, 12, 31))
    ]


# --- arithmetic ----------------------------------------------------------------------------------


def test_cumulative_target_adds_approved_values_of_periods_and_updates(target):
    # given: 5 in 2025 H1; 3 + 4 in 2025 H2 (two updates); a submitted 9 that does not count
    approve(target, H1_2025, Decimal("5"))
    approve(target, H2_2025, Decimal("3"), as_of=D(2025, 9, 30))
    approve(target, H2_2025, Decimal("4"))
    f.ResultUpdateFactory(period=period(target, H1_2026), value=Decimal("9"), status="submitted")
    progress.period_refresh(period(target, H1_2026))

    # when
    result = progress.target_progress(target, today=D(2026, 2, 1))

    # then: 12 by the end of 2025, judged against 15 expected then (half of 730 days)
    assert [p.approved_value for p in target.periods.all()] == [
        Decimal("5.00"),
        Decimal("7.00"),
        None,
        None,
    ]
    assert (result.value, result.expected, result.judged_on) == (
        Decimal("12.00"),
        Decimal("15.00"),
        D(2025, 12, 31),
    )
    assert (result.achievement_pct, result.status) == (Decimal("40.0"), Target.Status.AT_RISK)


def test_gyeongnam_30_smes_with_12_reported_mid_program_is_not_off_track(target):
    # given: the case that used to show 미흡 40 %: 12 of 30 reported in the middle of the program
    approve(target, H2_2025, Decimal("12"))

    # when
    services.periods_generate(target=target)
    progress.target_refresh(target, today=D(2026, 1, 15))
    target.refresh_from_db()

    # then
    assert (target.current_value, target.achievement_pct, target.status) == (
        Decimal("12.00"),
        Decimal("40.0"),
        Target.Status.AT_RISK,
    )


def test_no_period_is_기간_미정_and_no_approved_value_is_실적_없음(rp, target):
    # given
    without_periods = f.TargetFactory(program=None, regional_participation=rp)
    f.ResultUpdateFactory(period=period(target, H1_2025), value=Decimal("30"), status="submitted")

    # when
    progress.target_refresh(without_periods, today=D(2025, 12, 1))
    progress.target_refresh(target, today=D(2025, 12, 1))

    # then
    assert Target.objects.get(pk=without_periods.pk).get_status_display() == "기간 미정"
    assert Target.objects.get(pk=target.pk).get_status_display() == "실적 없음"


@pytest.mark.parametrize(
    ("aggregation", "expected"),
    [("sum", Decimal("95.00")), ("latest", Decimal("55.00")), ("average", Decimal("47.50"))],
)
def test_latest_and_average_combine_period_values(target, aggregation, expected):
    # given: 40 in 2025 H1, 55 in 2025 H2
    target.aggregation = aggregation
    target.save()
    approve(target, H1_2025, Decimal("40"))
    approve(target, H2_2025, Decimal("55"))

    # then
    assert progress.target_progress(target, today=D(2026, 1, 2)).value == expected


def test_latest_within_a_period_takes_the_latest_as_of_date(target):
    target.aggregation = Target.Aggregation.LATEST
    target.save()
    approve(target, H1_2025, Decimal("70"), as_of=D(2025, 6, 30))
    approve(target, H1_2025, Decimal("60"), as_of=D(2025, 3, 31))

    assert period(target, H1_2025).approved_value == Decimal("70.00")


@pytest.mark.parametrize(
    ("aggregation", "value", "numerator", "denominator"),
    [
        # 19/20 and (9/10 + 28/30): 56/60, not the mean of 95 % and 92.5 % (93.75)
        ("sum", Decimal("93.33"), Decimal("56.00"), Decimal("60.00")),
        ("average", Decimal("93.33"), Decimal("56.00"), Decimal("60.00")),
        ("latest", Decimal("92.50"), Decimal("37.00"), Decimal("40.00")),
    ],
)
def test_percentage_targets_combine_numerators_and_denominators(
    target, aggregation, value, numerator, denominator
):
    # given: 납기 준수율 (on-time delivery), two updates in the second period
    target.measure, target.aggregation = Target.Measure.PERCENTAGE, aggregation
    target.unit, target.comparator, target.target_value = "%", "gte", Decimal("95")
    target.save()
    approve(target, H1_2025, numerator=Decimal("19"), denominator=Decimal("20"))
    approve(target, H2_2025, numerator=Decimal("9"), denominator=Decimal("10"))
    approve(target, H2_2025, numerator=Decimal("28"), denominator=Decimal("30"))

    # when
    result = progress.target_progress(target, today=D(2026, 1, 2))

    # then
    h2 = period(target, H2_2025)
    assert (h2.approved_value, h2.approved_numerator, h2.approved_denominator) == (
        Decimal("92.50"),
        Decimal("37.00"),
        Decimal("40.00"),
    )
    assert (result.value, result.numerator, result.denominator) == (value, numerator, denominator)


# --- trajectory ----------------------------------------------------------------------------------

QUARTERS_2025 = [
    (D(2025, 1, 1), D(2025, 3, 31), Decimal("10")),
    (D(2025, 4, 1), D(2025, 6, 30), Decimal("30")),
    (D(2025, 7, 1), D(2025, 9, 30), Decimal("60")),
    (D(2025, 10, 1), D(2025, 12, 31), Decimal("100")),
]


def quarters(milestones=False):
    return [
        ReportingPeriod(start=s, end=e, deadline=e, milestone_value=m if milestones else None)
        for s, e, m in QUARTERS_2025
    ]


def higher(**kwargs):
    return f.TargetFactory.build(target_value=Decimal("100"), **kwargs)


def defect_rate(**kwargs):
    return f.TargetFactory.build(
        direction="lower",
        comparator="lte",
        baseline_value=Decimal("5.0"),
        target_value=Decimal("3.0"),
        **kwargs,
    )


JUNE_30 = D(2025, 6, 30)


@pytest.mark.parametrize(
    ("target", "milestones", "value", "judged_on", "today", "expected", "status"),
    [
        # linear 0 → 100 over 2025: 181 of 365 days by 30 June → 49.59 expected
        (higher(), False, "50", JUNE_30, D(2025, 7, 5), "49.59", "on_track"),
        (higher(), False, "40", JUNE_30, D(2025, 7, 5), "49.59", "at_risk"),  # 80.7 %
        (higher(), False, "37.20", JUNE_30, D(2025, 7, 5), "49.59", "at_risk"),  # 75.0 %
        (higher(), False, "37", JUNE_30, D(2025, 7, 5), "49.59", "off_track"),  # 74.6 %
        (higher(), False, "100", JUNE_30, D(2025, 7, 5), None, "achieved"),
        (higher(), False, "20", D(2025, 3, 31), D(2025, 4, 2), "24.66", "at_risk"),  # 90 days
        (higher(), False, "90", D(2025, 12, 31), D(2026, 1, 5), None, "off_track"),  # ended
        # a stated milestone per period: 30 expected by the end of Q2
        (higher(trajectory="milestone"), True, "25", JUNE_30, D(2025, 7, 5), "30", "at_risk"),
        (higher(trajectory="milestone"), True, "30", JUNE_30, D(2025, 7, 5), "30", "on_track"),
        (higher(trajectory="milestone"), True, "22", JUNE_30, D(2025, 7, 5), "30", "off_track"),
        # lower is better: defect rate 5.0 → 3.0, 4.01 expected by 30 June
        (defect_rate(), False, "4.0", JUNE_30, D(2025, 7, 5), "4.01", "on_track"),
        (defect_rate(), False, "4.2", JUNE_30, D(2025, 7, 5), "4.01", "at_risk"),
        (defect_rate(), False, "4.3", JUNE_30, D(2025, 7, 5), "4.01", "off_track"),
        (defect_rate(), False, "2.9", JUNE_30, D(2025, 7, 5), None, "achieved"),
    ],
)
def test_trajectory_status_on_given_dates(
    target, milestones, value, judged_on, today, expected, status
):
    result = progress.judge(
        target, quarters(milestones), PeriodValue(Decimal(value)), judged_on, today
    )
    assert (result.expected, result.status) == (
        None if expected is None else Decimal(expected),
        status,
    )
