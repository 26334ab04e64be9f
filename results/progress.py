"""Indicator arithmetic: what a target's approved values add up to, and its status on a date.

One place for the rules (used by the services, the nightly job, the pages, the API and the
workbook):

* **within a period** several approved updates combine by the target's aggregation: a
  cumulative (sum) target adds them, a latest or average target takes the latest (by as-of
  date); a percentage target adds numerators and denominators (never averages percentages);
* **across periods**: ``sum`` adds the period values, ``latest`` takes the last period that has
  one, ``average`` is their mean; percentage targets again combine numerators and denominators
  (``latest``: the last period's; ``sum``/``average``: all periods');
* **trajectory**: the value expected at a date — linear from the baseline (or 0) at the first
  period's start to the target at the last period's end, or the stated milestone of the period
  (``Target.Trajectory.MILESTONE``);
* **status** compares the approved value with the trajectory at the end of the latest period
  that has an approved value (a value is judged against what was expected when it was
  measured): 기간 미정 without periods, 실적 없음 without an approved value — never 미흡.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from programs.models import Target

from .models import ReportingPeriod, ResultUpdate

CENT = Decimal("0.01")
#: a value at least this share of the expected progress is 주의 (at risk), below it 미흡
AT_RISK_SHARE = Decimal("0.75")


def q2(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def percent(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    return q2(Decimal(numerator) / Decimal(denominator) * 100) if denominator else None


@dataclass(frozen=True)
class PeriodValue:
    """A period's approved value (numerator/denominator for percentage targets)."""

    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None


def combine_period(target: Target, updates: list[ResultUpdate]) -> PeriodValue:
    """The value of one period from its approved updates (see the module docstring)."""
    if not updates:
        return PeriodValue(None)
    if target.measure == Target.Measure.PERCENTAGE:
        num = sum((Decimal(u.numerator) for u in updates), Decimal(0))
        den = sum((Decimal(u.denominator) for u in updates), Decimal(0))
        return PeriodValue(percent(num, den), q2(num), q2(den))
    if target.aggregation == Target.Aggregation.SUM:
        return PeriodValue(q2(sum((Decimal(u.value) for u in updates), Decimal(0))))
    latest = max(updates, key=lambda u: (u.as_of, u.pk or 0))
    return PeriodValue(q2(latest.value))


def combine_periods(target: Target, values: list[PeriodValue]) -> PeriodValue:
    """The target's value from its periods' values, in period order."""
    values = [v for v in values if v.value is not None]
    if not values:
        return PeriodValue(None)
    if target.aggregation == Target.Aggregation.LATEST:
        return values[-1]
    if target.measure == Target.Measure.PERCENTAGE:
        num = sum((v.numerator for v in values), Decimal(0))
        den = sum((v.denominator for v in values), Decimal(0))
        return PeriodValue(percent(num, den), q2(num), q2(den))
    total = sum((v.value for v in values), Decimal(0))
    if target.aggregation == Target.Aggregation.SUM:
        return PeriodValue(q2(total))
    return PeriodValue(q2(total / len(values)))


def expected_at(target: Target, periods: list[ReportingPeriod], day: datetime.date) -> Decimal:
    """The value the trajectory expects on ``day``."""
    if target.trajectory == Target.Trajectory.MILESTONE:
        reached = [p for p in periods if p.milestone_value is not None and p.start <= day]
        if reached:
            return Decimal(reached[-1].milestone_value)
    start, end = periods[0].start, periods[-1].end
    baseline = Decimal(target.baseline_value or 0)
    goal = Decimal(target.target_value)
    if end <= start:
        share = Decimal(1)
    else:
        elapsed = min(max((day - start).days + 1, 0), (end - start).days + 1)
        share = Decimal(elapsed) / Decimal((end - start).days + 1)
    return q2(baseline + (goal - baseline) * share)


@dataclass
class Progress:
    """A target's approved value, achievement and status (and what they were judged on)."""

    status: str
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    achievement_pct: Decimal | None = None
    expected: Decimal | None = None
    judged_on: datetime.date | None = None
    periods: list = field(default_factory=list)


def judge(
    target: Target,
    periods: list[ReportingPeriod],
    total: PeriodValue,
    judged_on: datetime.date | None,
    today: datetime.date,
) -> Progress:
    """Status of ``total`` against the trajectory on ``judged_on``."""
    if not periods:
        return Progress(Target.Status.NO_PERIOD, periods=periods)
    if total.value is None:
        return Progress(Target.Status.NO_DATA, periods=periods)
    value = total.value
    progress = Progress(
        Target.Status.ON_TRACK,
        value=value,
        numerator=total.numerator,
        denominator=total.denominator,
        achievement_pct=target.compute_achievement(value),
        periods=periods,
        judged_on=judged_on,
    )
    if target.is_met(value):
        progress.status = Target.Status.ACHIEVED
        return progress
    if today > periods[-1].end:
        progress.status = Target.Status.OFF_TRACK
        return progress
    expected = expected_at(target, periods, judged_on or today)
    progress.expected = expected
    baseline = Decimal(target.baseline_value or 0)
    higher = target.direction == Target.Direction.HIGHER
    if (value >= expected) if higher else (value <= expected):
        progress.status = Target.Status.ON_TRACK
        return progress
    span = expected - baseline
    share = (value - baseline) / span if span else Decimal(0)
    progress.status = Target.Status.AT_RISK if share >= AT_RISK_SHARE else Target.Status.OFF_TRACK
    return progress


def target_progress(target: Target, today: datetime.date | None = None) -> Progress:
    """The progress of one target from its periods' stored approved values (and, for a
    roll-up target without values of its own, its regional targets'; for an outcome-derived
    target, the verified outcomes)."""
    from .outcomes import outcome_figure
    from .rollup import rollup_total

    today = today or timezone.localdate()
    periods = list(target.periods.order_by("start", "id"))
    if target.outcome_statistic:
        figure = outcome_figure(target)
        total = PeriodValue(figure.value)
        judged_on = figure.measured_on or today
        if not periods:
            periods = _outcome_window(target)
        return judge(target, periods, total, judged_on, today)
    values = [
        PeriodValue(p.approved_value, p.approved_numerator, p.approved_denominator) for p in periods
    ]
    total = combine_periods(target, values)
    with_value = [p for p, v in zip(periods, values, strict=True) if v.value is not None]
    judged_on = min(with_value[-1].end, today) if with_value else None
    if target.rollup and total.value is None:
        rolled = rollup_total(target)
        total, periods = rolled.total, periods or rolled.periods
        judged_on = min(rolled.judged_on, today) if rolled.judged_on else None
    return judge(target, periods, total, judged_on, today)


def _outcome_window(target: Target) -> list:
    """An outcome-derived target without periods is judged over the target's own dates."""
    if target.period_start and target.period_end:
        return [
            ReportingPeriod(
                target=target,
                start=target.period_start,
                end=target.period_end,
                deadline=target.period_end,
            )
        ]
    return []


def period_refresh(period: ReportingPeriod) -> bool:
    """Recompute a period's stored approved value from its approved updates."""
    approved = list(period.updates.filter(status=ResultUpdate.Status.APPROVED))
    value = combine_period(period.target, approved)
    stored = (period.approved_value, period.approved_numerator, period.approved_denominator)
    new = (value.value, value.numerator, value.denominator)
    if stored == new:
        return False
    period.approved_value, period.approved_numerator, period.approved_denominator = new
    ReportingPeriod.objects.filter(pk=period.pk).update(
        approved_value=value.value,
        approved_numerator=value.numerator,
        approved_denominator=value.denominator,
    )
    return True


def target_refresh(target: Target, today: datetime.date | None = None) -> bool:
    """Store the target's approved value, achievement and status; then its roll-up parent's.
    Returns True when the target's stored figures changed."""
    progress = target_progress(target, today)
    new = (progress.value, progress.achievement_pct, progress.status)
    changed = new != (target.current_value, target.achievement_pct, target.status)
    if changed:
        target.current_value, target.achievement_pct, target.status = new
        Target.objects.filter(pk=target.pk).update(
            current_value=progress.value,
            achievement_pct=progress.achievement_pct,
            status=progress.status,
        )
    if target.contributes_to_id:
        parent = Target.objects.filter(pk=target.contributes_to_id).first()
        if parent is not None:
            target_refresh(parent, today)
    return changed


def targets_refresh_all(*, today: datetime.date | None = None) -> int:
    """Nightly: every target's status again (it depends on the date). Returns how many changed."""
    changed = 0
    for target in Target.objects.order_by("pk").iterator(chunk_size=500):
        if target_refresh(target, today):
            changed += 1
    return changed


def refresh_everything() -> None:
    """Every period's approved value, then every target (after a bulk load of the demo data)."""
    for period in ReportingPeriod.objects.select_related("target").order_by("pk"):
        period_refresh(period)
    targets_refresh_all()
