"""Template tags of the public results: the progress chart (a small server-rendered SVG, no
script, no CDN), a target's roll-up and its outcome figure."""

from decimal import Decimal

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from programs.models import Target

from ..outcomes import outcome_figure
from ..progress import expected_at
from ..rollup import rollup_total

register = template.Library()

WIDTH, HEIGHT, PAD = 260, 90, 8


def _plain(value) -> str:
    return "—" if value is None else f"{Decimal(value).normalize():f}"


def chart_points(target: Target, periods) -> list[dict]:
    """Per period: label, the approved value to plot (running total for cumulative targets)
    and the value the trajectory expects at its end."""
    points, running = [], Decimal(0)
    for p in periods:
        value = p.approved_value
        if (
            value is not None
            and target.aggregation == Target.Aggregation.SUM
            and target.measure == Target.Measure.NUMBER
        ):
            running += value
            value = running
        points.append(
            {"label": p.label, "value": value, "expected": expected_at(target, periods, p.end)}
        )
    return points


@register.simple_tag
def results_chart(target: Target):
    """Approved progress per period against the expected trajectory, as inline SVG."""
    periods = list(target.periods.all())
    if not periods:
        return ""
    points = chart_points(target, periods)
    values = [pt["value"] for pt in points if pt["value"] is not None]
    top = max(
        [Decimal(target.target_value), *values, *(pt["expected"] for pt in points), Decimal(1)]
    )
    bottom = min(
        [Decimal(0), *values, Decimal(target.baseline_value or 0), Decimal(target.target_value)]
    )
    span = (top - bottom) or Decimal(1)
    step = (WIDTH - 2 * PAD) / max(len(points), 1)

    def y(v):
        return round(HEIGHT - PAD - float((Decimal(v) - bottom) / span) * (HEIGHT - 2 * PAD), 1)

    def x(i):
        return round(PAD + step * (i + 0.5), 1)

    expected_line = " ".join(f"{x(i)},{y(pt['expected'])}" for i, pt in enumerate(points))
    bars = format_html_join(
        "",
        '<rect class="chart-bar" x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title></rect>',
        (
            (
                round(x(i) - step * 0.3, 1),
                y(pt["value"]),
                round(step * 0.6, 1),
                max(round(y(bottom) - y(pt["value"]), 1), 0.5),
                pt["label"],
                _plain(pt["value"]),
            )
            for i, pt in enumerate(points)
            if pt["value"] is not None
        ),
    )
    labels = format_html_join(
        "",
        '<text class="chart-label" x="{}" y="{}" text-anchor="middle">{}</text>',
        (
            (x(i), HEIGHT - 1, pt["label"].replace(" 상반기", " H1").replace(" 하반기", " H2"))
            for i, pt in enumerate(points)
        ),
    )
    described = "; ".join(f"{pt['label']}: {_plain(pt['value'])}" for pt in points)
    return format_html(
        '<svg class="results-chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        'aria-label="{aria}"><line class="chart-axis" x1="{p}" y1="{base}" x2="{end}" y2="{base}"/>'
        '<line class="chart-goal" x1="{p}" y1="{goal}" x2="{end}" y2="{goal}"/>{bars}'
        '<polyline class="chart-expected" fill="none" points="{line}"/>{labels}</svg>',
        w=WIDTH,
        h=HEIGHT + 10,
        aria=_("기간별 승인된 실적 (막대)과 기대 경로 (선): %(points)s") % {"points": described},
        p=PAD,
        end=WIDTH - PAD,
        base=y(bottom),
        goal=y(target.target_value),
        bars=bars,
        line=expected_line,
        labels=labels,
    )


@register.simple_tag
def results_rollup(target: Target):
    """The roll-up of a program target (None for others)."""
    return rollup_total(target) if target.rollup else None


@register.simple_tag
def results_outcome_figure(target: Target):
    """The figure of an outcome-derived target: value and counts only (never the companies)."""
    return outcome_figure(target) if target.outcome_statistic else None
