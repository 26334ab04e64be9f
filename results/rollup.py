"""Roll-up: a program-level target aggregating its regional targets (``Target.contributes_to``).

``sum`` adds the regions' approved values; ``weighted`` (percentage targets) adds their
numerators and denominators, so each region weighs by its denominator. The roll-up lists each
region's contribution and flags totals that do not equal their parts: a total reported on the
program target itself that differs from the sum of the regions, or a program target value that
differs from the sum of the regional target values.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from programs.models import Target

from .models import ReportingPeriod


@dataclass
class Contribution:
    target: Target
    region_code: str
    region_name: str
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    target_value: Decimal
    share_pct: Decimal | None = None


@dataclass
class Rollup:
    total: "object"  # progress.PeriodValue
    contributions: list[Contribution] = field(default_factory=list)
    periods: list = field(default_factory=list)
    judged_on: datetime.date | None = None
    reported_total: Decimal | None = None
    total_mismatch: bool = False
    target_mismatch: bool = False
    parts_target_value: Decimal | None = None

    @property
    def mismatch(self) -> bool:
        return self.total_mismatch or self.target_mismatch


def _child_value(child: Target):
    from .progress import PeriodValue, combine_periods

    periods = list(child.periods.order_by("start", "id"))
    values = [
        PeriodValue(p.approved_value, p.approved_numerator, p.approved_denominator) for p in periods
    ]
    ended = [p.end for p, v in zip(periods, values, strict=True) if v.value is not None]
    return combine_periods(child, values), periods, (ended[-1] if ended else None)


def rollup_total(target: Target) -> Rollup:
    """The roll-up of ``target``'s regional targets (empty for a target without roll-up)."""
    from .progress import PeriodValue, combine_periods, percent, q2

    if not target.rollup:
        return Rollup(PeriodValue(None))
    children = list(
        target.contributions.select_related("regional_participation__region").order_by(
            "regional_participation__region__code", "id"
        )
    )
    contributions, windows, judged = [], [], []
    for child in children:
        value, periods, last = _child_value(child)
        region = child.regional_participation.region
        contributions.append(
            Contribution(
                child,
                region.code,
                region.short_name,
                value.value,
                value.numerator,
                value.denominator,
                child.target_value,
            )
        )
        windows += periods
        if last:
            judged.append(last)
    reported = [c for c in contributions if c.value is not None]
    if not reported:
        total = PeriodValue(None)
    elif target.rollup == Target.Rollup.WEIGHTED:
        num = sum((c.numerator or 0 for c in reported), Decimal(0))
        den = sum((c.denominator or 0 for c in reported), Decimal(0))
        total = PeriodValue(percent(num, den), q2(num), q2(den))
        for c in reported:
            c.share_pct = percent(c.denominator or 0, den)
    else:
        total = PeriodValue(q2(sum((c.value for c in reported), Decimal(0))))
        for c in reported:
            c.share_pct = percent(c.value, total.value) if total.value else None
    span = []
    if windows:
        span = [
            ReportingPeriod(
                target=target,
                start=min(p.start for p in windows),
                end=max(p.end for p in windows),
                deadline=max(p.deadline for p in windows),
            )
        ]
    own_periods = list(target.periods.order_by("start", "id"))
    own = combine_periods(
        target,
        [
            PeriodValue(p.approved_value, p.approved_numerator, p.approved_denominator)
            for p in own_periods
        ],
    )
    rollup = Rollup(
        total,
        contributions,
        span,
        max(judged) if judged else None,
        reported_total=own.value,
    )
    if own.value is not None and total.value is not None and own.value != total.value:
        rollup.total_mismatch = True
    if target.rollup == Target.Rollup.SUM and children:
        parts = sum((Decimal(c.target_value) for c in contributions), Decimal(0))
        rollup.parts_target_value = q2(parts)
        rollup.target_mismatch = q2(parts) != q2(target.target_value)
    return rollup
