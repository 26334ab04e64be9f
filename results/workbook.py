"""The program-wide results workbook (openpyxl): every target, period, value, status, region
and breakdown. The public file holds approved values only (``ResultUpdate.objects.published()``);
the staff file adds a sheet with every update and its review record."""

import io

from django.db.models import Prefetch, Q
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from programs.models import Program, Target

from . import progress, rollup
from .models import ReportingPeriod, ResultBreakdown, ResultUpdate

BOLD = Font(bold=True)


def _sheet(workbook, title, header, rows):
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = BOLD
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    return sheet


def _region(target) -> str:
    if target.regional_participation_id:
        return target.regional_participation.region.short_name
    return "사업 전체"


def program_targets(program: Program):
    return (
        Target.objects.filter(Q(program=program) | Q(regional_participation__program=program))
        .select_related("regional_participation__region", "contributes_to")
        .prefetch_related(
            Prefetch("periods", queryset=ReportingPeriod.objects.order_by("start", "id"))
        )
        .order_by("regional_participation__region__code", "id")
    )


def build_results_workbook(program: Program, *, staff: bool = False) -> bytes:
    today = timezone.localdate()
    targets = list(program_targets(program))
    workbook = Workbook()
    workbook.remove(workbook.active)
    target_rows, period_rows = [], []
    for t in targets:
        state = progress.target_progress(t, today)
        rolled = rollup.rollup_total(t) if t.rollup else None
        target_rows.append(
            [
                t.pk,
                _region(t),
                t.metric,
                t.unit,
                t.get_measure_display(),
                t.get_aggregation_display(),
                f"{t.get_comparator_display()} {t.target_value}",
                state.value,
                state.achievement_pct,
                t.get_status_display(),
                t.contributes_to.metric if t.contributes_to_id else "",
                ("합계 불일치" if rolled and rolled.mismatch else "") if rolled else "",
            ]
        )
        for p in t.periods.all():
            period_rows.append(
                [
                    t.pk,
                    _region(t),
                    t.metric,
                    p.label,
                    p.start,
                    p.end,
                    p.deadline,
                    "잠김" if p.locked else "",
                    p.milestone_value,
                    p.approved_value,
                    p.approved_numerator,
                    p.approved_denominator,
                ]
            )
    _sheet(
        workbook,
        "목표",
        [
            "목표 번호",
            "지역",
            "지표",
            "단위",
            "값의 종류",
            "기간 합산",
            "목표",
            "승인된 실적",
            "달성률 (%)",
            "진행 상태",
            "집계 대상",
            "집계 점검",
        ],
        target_rows,
    )
    _sheet(
        workbook,
        "기간별 실적",
        [
            "목표 번호",
            "지역",
            "지표",
            "기간",
            "시작",
            "종료",
            "제출 기한",
            "잠김",
            "중간 목표",
            "승인된 값",
            "분자",
            "분모",
        ],
        period_rows,
    )
    ids = [t.pk for t in targets]
    updates = ResultUpdate.objects.filter(period__target_id__in=ids)
    parts = ResultBreakdown.objects.filter(update__period__target_id__in=ids)
    if not staff:
        updates, parts = updates.published(), parts.published()
    by_target = {t.pk: t for t in targets}
    _sheet(
        workbook,
        "세부",
        ["목표 번호", "지역", "지표", "기간", "기준일", "구분", "구분값", "값", "분자", "분모"],
        [
            [
                b.update.period.target_id,
                _region(by_target[b.update.period.target_id]),
                by_target[b.update.period.target_id].metric,
                b.update.period.label,
                b.update.as_of,
                b.update.get_breakdown_dimension_display(),
                b.category,
                b.value,
                b.numerator,
                b.denominator,
            ]
            for b in parts.select_related("update__period").order_by(
                "update__period__target_id", "update_id", "id"
            )
        ],
    )
    if staff:
        _sheet(
            workbook,
            "보고 (직원용)",
            [
                "목표 번호",
                "지역",
                "지표",
                "기간",
                "상태",
                "값",
                "분자",
                "분모",
                "기준일",
                "제출자",
                "제출 시각",
                "검토자",
                "검토 시각",
                "반려 사유",
                "세부 합계 불일치",
            ],
            [
                [
                    u.period.target_id,
                    _region(by_target[u.period.target_id]),
                    by_target[u.period.target_id].metric,
                    u.period.label,
                    u.get_status_display(),
                    u.value,
                    u.numerator,
                    u.denominator,
                    u.as_of,
                    u.submitted_by.get_username() if u.submitted_by else "",
                    timezone.localtime(u.submitted_at).replace(tzinfo=None)
                    if u.submitted_at
                    else None,
                    u.reviewed_by.get_username() if u.reviewed_by else "",
                    timezone.localtime(u.reviewed_at).replace(tzinfo=None)
                    if u.reviewed_at
                    else None,
                    u.return_reason,
                    "예" if u.breakdown_incomplete else "",
                ]
                for u in updates.select_related("period", "submitted_by", "reviewed_by").order_by(
                    "period__target_id", "period__start", "id"
                )
            ],
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
