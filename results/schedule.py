"""Reporting periods generated from a schedule (quarterly, half-yearly, yearly; custom = by hand).

The target's schedule, or else its program's, over the target's dates (``period_start`` /
``period_end``), or else the program's (start and end, actual before planned). Periods follow the
calendar (quarters, halves, years) cut to that window; the deadline is ``RESULTS_DEADLINE_DAYS``
(20) days after a period's end.
"""

import datetime

from django.conf import settings

from programs.models import ReportingSchedule, Target

MONTHS = {
    ReportingSchedule.QUARTERLY: 3,
    ReportingSchedule.HALF_YEARLY: 6,
    ReportingSchedule.YEARLY: 12,
}


def deadline_days() -> int:
    return int(getattr(settings, "RESULTS_DEADLINE_DAYS", 20))


def schedule_of(target: Target) -> str:
    if target.reporting_schedule:
        return target.reporting_schedule
    program = target.program or (
        target.regional_participation.program if target.regional_participation_id else None
    )
    return program.reporting_schedule if program else ""


def window_of(target: Target) -> tuple[datetime.date | None, datetime.date | None]:
    """The dates the target's periods cover."""
    program = target.program or target.regional_participation.program
    start = target.period_start or program.actual_start or program.planned_start
    end = target.period_end or program.actual_end or program.planned_end
    return start, end


def _month_end(year: int, month: int) -> datetime.date:
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


def period_spans(
    schedule: str, start: datetime.date, end: datetime.date
) -> list[tuple[datetime.date, datetime.date]]:
    """Calendar-aligned (start, end) spans of ``schedule`` covering ``start``..``end``."""
    months = MONTHS.get(schedule)
    if months is None or start is None or end is None or end < start:
        return []
    spans = []
    month = ((start.month - 1) // months) * months + 1
    year = start.year
    while True:
        span_start = datetime.date(year, month, 1)
        last_month = month + months - 1
        span_end = _month_end(year, last_month)
        if span_start > end:
            break
        spans.append((max(span_start, start), min(span_end, end)))
        month += months
        if month > 12:
            month -= 12
            year += 1
    return spans
