"""The per-program XLSX report: budget, regions, targets vs actuals, companies, awards, events.

Only public data: no personal contact data, no staff notes, company-level outcomes only where
the company consented to publication (or the outcome was published outside a participation).
A fixed number of queries whatever the size of the program.
"""

import datetime
import io
import zoneinfo

from django.db.models import Prefetch, Q
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.formatting import format_krw
from events.models import Award, Event
from programs.models import (
    BudgetLine,
    Outcome,
    Participation,
    Program,
    RegionalParticipation,
    Target,
    TargetActual,
)

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
KRW_FORMAT = "#,##0"
HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")
SHEETS = ("개요", "예산", "지역", "목표 대비 실적", "기업", "포상", "행사")


def _local(value: datetime.datetime | None):
    """openpyxl stores naive datetimes: write Seoul wall-clock time."""
    if value is None:
        return None
    return timezone.localtime(value, SEOUL).replace(tzinfo=None)


def _sheet(workbook: Workbook, title: str, headers: list[str], rows, money_columns=()):
    sheet = workbook.create_sheet(title)
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for row in rows:
        sheet.append(list(row))
    for index, header in enumerate(headers, start=1):
        letter = get_column_letter(index)
        width = max([len(str(header)) * 2] + [len(str(c.value or "")) for c in sheet[letter][1:]])
        sheet.column_dimensions[letter].width = min(max(width + 2, 10), 60)
        if header in money_columns:
            for cell in sheet[letter][1:]:
                cell.number_format = KRW_FORMAT
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    return sheet


def _source(source) -> str:
    return f"{source.publisher} — {source.title}" if source else ""


def _outcome_is_public(outcome: Outcome, participation: Participation | None) -> bool:
    return participation is None or participation.consent_to_publish


def program_report_data(program: Program) -> dict[str, list]:
    """The rows of every sheet, read with a fixed number of queries."""
    budget_lines = list(
        BudgetLine.objects.filter(program=program)
        .select_related("source", "regional_participation__region")
        .order_by("-fiscal_year", "-amount_krw", "id")
    )
    regional = list(
        RegionalParticipation.objects.filter(program=program)
        .select_related("region", "executing_organization")
        .prefetch_related("hubs")
        .order_by("region__code")
    )
    latest_actuals = Prefetch(
        "actuals", queryset=TargetActual.objects.order_by("-period_end", "-id"), to_attr="by_date"
    )
    targets = list(
        Target.objects.filter(Q(program=program) | Q(regional_participation__program=program))
        .select_related("regional_participation__region", "source")
        .prefetch_related(latest_actuals)
        .order_by("regional_participation__region__code", "id")
    )
    participations = list(
        Participation.objects.filter(program=program)
        .select_related("company__region", "region", "supplier")
        .prefetch_related(Prefetch("outcomes", queryset=Outcome.objects.order_by("id")))
        .order_by("company__name", "id")
    )
    awards = list(
        Award.objects.filter(program=program)
        .select_related("recipient_company", "recipient_person", "event")
        .order_by("-year", "name", "id")
    )
    events = list(
        Event.objects.filter(programs=program).select_related("region").order_by("starts_at", "id")
    )
    return {
        "budget_lines": budget_lines,
        "regional": regional,
        "targets": targets,
        "participations": participations,
        "awards": awards,
        "events": events,
    }


def build_program_workbook(program: Program, *, generated_at: datetime.datetime) -> bytes:
    """The XLSX file of ``program`` as bytes."""
    data = program_report_data(program)
    workbook = Workbook()
    overview = workbook.active
    overview.title = SHEETS[0]
    total = sum(line.amount_krw for line in data["budget_lines"])
    for label, value in (
        ("사업명", program.name),
        ("영문명", program.name_en),
        ("종류", program.get_kind_display()),
        ("상태", program.get_status_display()),
        ("시작", program.start),
        ("종료", program.end),
        ("접수 마감", program.application_end),
        ("예산 항목 수", len(data["budget_lines"])),
        ("예산 항목 합계 (출처별 중복 포함)", format_krw(total, "ko")),
        ("참여 지역 수", len(data["regional"])),
        ("참여 기업 수", len(data["participations"])),
        ("생성 시각 (Asia/Seoul)", _local(generated_at)),
        (
            "안내",
            "공개 데이터만 담았습니다. 금액은 원 단위이며, 출처가 다른 같은 예산은 따로 적었습니다.",
        ),
    ):
        overview.append([label, value])
    overview.column_dimensions["A"].width = 34
    overview.column_dimensions["B"].width = 70
    for cell in overview["A"]:
        cell.font = Font(bold=True)

    _sheet(
        workbook,
        SHEETS[1],
        [
            "회계연도",
            "기간",
            "재원",
            "예산 구분",
            "상태",
            "금액 (원)",
            "금액",
            "용도",
            "지역",
            "출처",
            "출처 URL",
        ],
        (
            [
                line.fiscal_year,
                f"{line.period_start_year or ''}–{line.period_end_year or ''}"
                if line.period_start_year or line.period_end_year
                else "",
                line.get_funding_source_display(),
                line.get_vehicle_display(),
                line.get_status_display(),
                line.amount_krw,
                format_krw(line.amount_krw, "ko"),
                line.purpose,
                str(line.regional_participation.region) if line.regional_participation_id else "",
                _source(line.source),
                line.source.url,
            ]
            for line in data["budget_lines"]
        ),
        money_columns=("금액 (원)",),
    )
    _sheet(
        workbook,
        SHEETS[2],
        [
            "지역 코드",
            "지역",
            "선정 상태",
            "선정일",
            "추진 전략",
            "수행 기관",
            "지역 예산 (원)",
            "거점",
        ],
        (
            [
                rp.region.code,
                rp.region.name,
                rp.get_status_display(),
                rp.selected_on,
                rp.strategy_title,
                str(rp.executing_organization or ""),
                rp.budget_krw,
                ", ".join(hub.name for hub in rp.hubs.all()),
            ]
            for rp in data["regional"]
        ),
        money_columns=("지역 예산 (원)",),
    )
    target_rows = []
    for target in data["targets"]:
        latest = target.by_date[0] if target.by_date else None
        target_rows.append(
            [
                str(target.regional_participation.region)
                if target.regional_participation_id
                else "사업 전체",
                target.metric,
                target.unit,
                target.get_direction_display(),
                target.get_comparator_display(),
                target.baseline_value,
                target.target_value,
                latest.value if latest else None,
                latest.period_end if latest else None,
                target.achievement_pct,
                target.get_status_display(),
                target.period_start,
                target.period_end,
                _source(target.source),
            ]
        )
    _sheet(
        workbook,
        SHEETS[3],
        [
            "대상",
            "지표",
            "단위",
            "방향",
            "비교",
            "기준값",
            "목표값",
            "최근 실적",
            "실적 기준일",
            "달성률 (%)",
            "진행 상태",
            "기간 시작",
            "기간 종료",
            "출처",
        ],
        target_rows,
    )
    company_rows = []
    for participation in data["participations"]:
        outcomes = [
            f"{o.metric} {o.change_pct:+}%"
            if o.change_pct is not None
            else f"{o.metric} {o.result_value}"
            for o in participation.outcomes.all()
            if _outcome_is_public(o, participation)
        ]
        company_rows.append(
            [
                participation.company.name,
                str(participation.region or participation.company.region or ""),
                participation.company.get_size_display(),
                participation.get_status_display(),
                participation.support_amount_krw,
                participation.self_funding_krw,
                participation.solution_name,
                str(participation.supplier or ""),
                "; ".join(outcomes),
            ]
        )
    _sheet(
        workbook,
        SHEETS[4],
        [
            "기업",
            "지역",
            "규모",
            "상태",
            "지원금 (원)",
            "자부담 (원)",
            "AI 솔루션",
            "AI 공급기업",
            "공개 성과",
        ],
        company_rows,
        money_columns=("지원금 (원)", "자부담 (원)"),
    )
    _sheet(
        workbook,
        SHEETS[5],
        ["연도", "시상명", "등급", "포상", "수상", "시상 행사", "공적 요약"],
        (
            [
                award.year,
                award.name,
                award.rank,
                award.prize,
                str(award.recipient_company or award.recipient_person or award.recipient_note),
                award.event.name if award.event_id else "",
                award.citation,
            ]
            for award in data["awards"]
        ),
    )
    _sheet(
        workbook,
        SHEETS[6],
        ["시작 (Asia/Seoul)", "종료", "행사명", "종류", "장소", "도시", "지역", "참석 인원 (약)"],
        (
            [
                _local(event.starts_at) if event.time_is_known else _local(event.starts_at).date(),
                _local(event.ends_at),
                event.name,
                event.get_kind_display(),
                event.venue_name,
                event.city,
                str(event.region or ""),
                event.attendee_count_approx,
            ]
            for event in data["events"]
        ),
    )
    for sheet in workbook.worksheets[1:]:
        for column in sheet.iter_cols(min_row=2):
            for cell in column:
                if isinstance(cell.value, datetime.datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(cell.value, datetime.date):
                    cell.number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
