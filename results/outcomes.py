"""Targets computed from the verified outcomes of a program's participating companies.

A target with ``outcome_statistic`` takes the verified outcomes (``Outcome.Verification.VERIFIED``)
named ``outcome_metric`` of the companies taking part in its program (and, for a regional
target, in its region): ``mean_change`` is their mean change (%), ``share_meeting`` the share of
those companies whose change meets ``outcome_threshold`` (≥ for higher-is-better outcomes, ≤ for
lower-is-better ones, by each outcome's direction). Staff see the companies behind the figure; the public sees the figure and the
counts only, and the company list only through ``Outcome.objects.published()`` (consent).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from programs.models import Outcome, Target


@dataclass
class OutcomeFigure:
    value: Decimal | None
    companies: int = 0
    meeting: int | None = None
    measured_on: datetime.date | None = None
    outcomes: list = field(default_factory=list)


def target_outcomes(target: Target, *, public: bool = False):
    """The verified outcomes behind ``target``'s figure (the published ones when ``public``)."""
    program_id = target.owner_program_id
    queryset = Outcome.objects.published() if public else Outcome.objects.all()
    queryset = queryset.filter(
        verification=Outcome.Verification.VERIFIED,
        metric=target.outcome_metric,
        participation__program_id=program_id,
        change_pct__isnull=False,
    )
    if target.regional_participation_id:
        region_id = target.regional_participation.region_id
        queryset = queryset.filter(
            Q(participation__region_id=region_id)
            | Q(participation__region__isnull=True, company__region_id=region_id)
        )
    return queryset.select_related("company").order_by("company__name", "id")


def outcome_figure(target: Target) -> OutcomeFigure:
    """The figure computed from every verified outcome (consent does not change the figure;
    it only hides which companies are behind it)."""
    from .progress import percent, q2

    outcomes = list(target_outcomes(target))
    if not outcomes:
        return OutcomeFigure(None)
    changes = [Decimal(o.change_pct) for o in outcomes]
    measured = [o.measured_on for o in outcomes if o.measured_on]
    figure = OutcomeFigure(None, companies=len({o.company_id for o in outcomes}), outcomes=outcomes)
    figure.measured_on = max(measured) if measured else None
    if target.outcome_statistic == Target.OutcomeStatistic.MEAN_CHANGE:
        figure.value = q2(sum(changes, Decimal(0)) / len(changes))
    else:
        threshold = Decimal(target.outcome_threshold or 0)
        met = [
            o
            for o in outcomes
            if (
                o.change_pct <= threshold
                if o.direction == Target.Direction.LOWER
                else o.change_pct >= threshold
            )
        ]
        figure.meeting = len(met)
        figure.value = percent(len(met), len(changes))
    return figure
