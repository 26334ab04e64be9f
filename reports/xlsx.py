"""The per-program XLSX report, in Korean or English: overview, budget by source, regions,
targets vs approved values, companies, awards, events.

Public data only, by the same rules as every other channel: rows through their models'
visibility rule (``published()``: no event under embargo, no outcome without the company's
consent), fields from the public declarations (no contact data, no staff notes), the budget by
the one budget rule (``programs.budget``: a source's figure, never a sum across sources). A
fixed number of queries whatever the size of the program.
"""

import datetime
import io
import zoneinfo

from django.db.models import Prefetch, Q
from django.utils import timezone, translation
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from companies.models import Company
from core.formatting import format_krw
from core.models import Organization, Person, Region, Source
from core.templatetags.public import choice, region_full, tr
from events.models import Award, Event
from programs.budget import program_budget
from programs.models import (
    BudgetLine,
    Hub,
    Outcome,
    Participation,
    Program,
    RegionalParticipation,
    Target,
)
from results.models import ReportingPeriod, ResultUpdate

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
#: The tables a report reads: a change in any of them makes existing reports out of date.
REPORT_MODELS = (
    Region,
    Source,
    Organization,
    Person,
    Company,
    Program,
    BudgetLine,
    Hub,
    RegionalParticipation,
    Target,
    ReportingPeriod,
    ResultUpdate,
    Participation,
    Outcome,
    Award,
    Event,
)
KRW_FORMAT = "#,##0"
HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")
LANGUAGES = ("ko", "en")
# Sheet titles in Korean; the English workbook has their translations (context "report").
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


def _choice(obj, field: str) -> str:
    return str(choice(obj, field))


def _source(source) -> str:
    return f"{source.publisher} — {source.title}" if source else ""


def _region(region) -> str:
    return region_full(region) if region else ""


def program_report_data(program: Program) -> dict[str, list]:
    """The rows of every sheet, read with a fixed number of queries, public rows only."""
    at = timezone.now()
    budget_lines = list(
        BudgetLine.objects.published(at)
        .filter(program=program)
        .select_related("source", "regional_participation__region")
        .order_by("source__published_at", "source_id", "-fiscal_year", "-amount_krw", "id")
    )
    regional = list(
        RegionalParticipation.objects.published(at)
        .filter(program=program)
        .select_related("region", "executing_organization")
        .prefetch_related("hubs")
        .order_by("region__code")
    )
    latest_actuals = Prefetch(
        "periods",
        queryset=ReportingPeriod.objects.filter(approved_value__isnull=False).order_by(
            "-end", "-id"
        ),
        to_attr="by_date",
    )
    targets = list(
        Target.objects.published(at)
        .filter(Q(program=program) | Q(regional_participation__program=program))
        .select_related("regional_participation__region", "source")
        .prefetch_related(latest_actuals)
        .order_by("regional_participation__region__code", "id")
    )
    participations = list(
        Participation.objects.published(at)
        .filter(program=program)
        .select_related("company__region", "region", "supplier")
        .prefetch_related(
            Prefetch(
                "outcomes",
                queryset=Outcome.objects.published(at).order_by("id"),
                to_attr="public_outcomes",
            )
        )
        .order_by("company__name", "id")
    )
    awards = list(
        Award.objects.published(at)
        .filter(program=program)
        .select_related("recipient_company", "recipient_person", "event")
        .order_by("-year", "name", "id")
    )
    events = list(
        Event.objects.published(at)
        .filter(programs=program)
        .select_related("region")
        .order_by("starts_at", "id")
    )
    return {
        "budget": program_budget(budget_lines),
        "budget_lines": budget_lines,
        "regional": regional,
        "targets": targets,
        "participations": participations,
        "awards": awards,
        "events": events,
    }


def build_program_workbook(
    program: Program, *, generated_at: datetime.datetime, language: str = "ko"
) -> bytes:
    """The XLSX file of ``program`` as bytes, in ``language`` (ko or en)."""
    with translation.override(language):
        return _build(program, generated_at=generated_at, language=language)


def _build(program: Program, *, generated_at: datetime.datetime, language: str) -> bytes:
    data = program_report_data(program)
    budget = data["budget"]
    sheets = [pgettext("report", title) for title in SHEETS]
    krw = pgettext("report", "금액 (원)")
    workbook = Workbook()
    overview = workbook.active
    overview.title = sheets[0]
    headline = budget.headline
    rows = [
        (pgettext("report", "사업명"), tr(program, "name")),
        (pgettext("report", "종류"), program.get_kind_display()),
        (pgettext("report", "상태"), _choice(program, "status")),
        (pgettext("report", "시작"), program.start),
        (pgettext("report", "종료"), program.end),
        (pgettext("report", "접수 마감"), program.application_end),
        (
            pgettext("report", "대표 예산 (한 출처의 수치)"),
            format_krw(headline.amount_krw, language) if headline else "",
        ),
        (pgettext("report", "대표 예산 출처"), _source(headline.source) if headline else ""),
        (pgettext("report", "예산을 밝힌 출처 수"), budget.figure_count),
    ]
    rows += [
        (
            pgettext("report", "출처별 예산: %(source)s") % {"source": _source(figure.source)},
            format_krw(figure.amount_krw, language),
        )
        for figure in budget.figures
    ]
    rows += [
        (pgettext("report", "예산 항목 수"), len(data["budget_lines"])),
        (pgettext("report", "참여 지역 수"), len(data["regional"])),
        (pgettext("report", "참여 기업 수"), len(data["participations"])),
        (pgettext("report", "생성 시각 (Asia/Seoul)"), _local(generated_at)),
        (
            pgettext("report", "안내"),
            pgettext(
                "report",
                "공개 데이터만 담았습니다. 금액은 원 단위입니다. 출처가 다른 같은 예산은 "
                "출처별로 따로 적고 서로 더하지 않습니다.",
            ),
        ),
    ]
    for label, value in rows:
        overview.append([label, value])
    overview.column_dimensions["A"].width = 34
    overview.column_dimensions["B"].width = 70
    for cell in overview["A"]:
        cell.font = Font(bold=True)

    headline_id = headline.source_id if headline else None
    _sheet(
        workbook,
        sheets[1],
        [
            pgettext("report", "출처"),
            pgettext("report", "출처 URL"),
            pgettext("report", "출처의 수치 (원)"),
            pgettext("report", "회계연도"),
            pgettext("report", "기간"),
            pgettext("report", "재원"),
            pgettext("report", "예산 구분"),
            pgettext("report", "상태"),
            krw,
            pgettext("report", "금액"),
            pgettext("report", "용도"),
            pgettext("report", "지역"),
        ],
        (
            [
                _source(line.source) + (" ★" if line.source_id == headline_id else ""),
                line.source.url,
                next(f.amount_krw for f in budget.figures if f.source_id == line.source_id),
                line.fiscal_year,
                f"{line.period_start_year or ''}–{line.period_end_year or ''}"
                if line.period_start_year or line.period_end_year
                else "",
                line.get_funding_source_display(),
                line.get_vehicle_display(),
                _choice(line, "status"),
                line.amount_krw,
                format_krw(line.amount_krw, language),
                tr(line, "purpose"),
                _region(line.regional_participation.region)
                if line.regional_participation_id
                else "",
            ]
            for line in data["budget_lines"]
        ),
        money_columns=(krw, pgettext("report", "출처의 수치 (원)")),
    )
    regional_budget = pgettext("report", "지역 예산 (원)")
    _sheet(
        workbook,
        sheets[2],
        [
            pgettext("report", "지역 코드"),
            pgettext("report", "지역"),
            pgettext("report", "선정 상태"),
            pgettext("report", "선정일"),
            pgettext("report", "추진 전략"),
            pgettext("report", "수행 기관"),
            regional_budget,
            pgettext("report", "거점"),
        ],
        (
            [
                rp.region.code,
                _region(rp.region),
                rp.get_status_display(),
                rp.selected_on,
                tr(rp, "strategy_title"),
                tr(rp.executing_organization, "name"),
                rp.budget_krw,
                ", ".join(tr(hub, "name") for hub in rp.hubs.all()),
            ]
            for rp in data["regional"]
        ),
        money_columns=(regional_budget,),
    )
    target_rows = []
    for target in data["targets"]:
        latest = target.by_date[0] if target.by_date else None
        target_rows.append(
            [
                _region(target.regional_participation.region)
                if target.regional_participation_id
                else pgettext("report", "사업 전체"),
                tr(target, "metric"),
                target.unit,
                target.get_direction_display(),
                target.get_comparator_display(),
                target.baseline_value,
                target.target_value,
                target.current_value,
                latest.end if latest else None,
                target.achievement_pct,
                target.get_status_display(),
                target.period_start,
                target.period_end,
                _source(target.source),
            ]
        )
    _sheet(
        workbook,
        sheets[3],
        [
            pgettext("report", "대상"),
            pgettext("report", "지표"),
            pgettext("report", "단위"),
            pgettext("report", "방향"),
            pgettext("report", "비교"),
            pgettext("report", "기준값"),
            pgettext("report", "목표값"),
            pgettext("report", "최근 실적"),
            pgettext("report", "실적 기준일"),
            pgettext("report", "달성률 (%)"),
            pgettext("report", "진행 상태"),
            pgettext("report", "기간 시작"),
            pgettext("report", "기간 종료"),
            pgettext("report", "출처"),
        ],
        target_rows,
    )
    company_rows = []
    for participation in data["participations"]:
        outcomes = [
            f"{tr(o, 'metric')} {o.change_pct:+}%"
            if o.change_pct is not None
            else f"{tr(o, 'metric')} {o.result_value}"
            for o in participation.public_outcomes
        ]
        company_rows.append(
            [
                tr(participation.company, "name"),
                _region(participation.region or participation.company.region),
                participation.company.get_size_display(),
                participation.get_status_display(),
                participation.support_amount_krw,
                participation.self_funding_krw,
                participation.solution_name,
                tr(participation.supplier, "name"),
                "; ".join(outcomes),
            ]
        )
    support, own = pgettext("report", "지원금 (원)"), pgettext("report", "자부담 (원)")
    _sheet(
        workbook,
        sheets[4],
        [
            pgettext("report", "기업"),
            pgettext("report", "지역"),
            pgettext("report", "규모"),
            pgettext("report", "상태"),
            support,
            own,
            pgettext("report", "AI 솔루션"),
            pgettext("report", "AI 공급기업"),
            pgettext("report", "공개 성과"),
        ],
        company_rows,
        money_columns=(support, own),
    )
    _sheet(
        workbook,
        sheets[5],
        [
            pgettext("report", "연도"),
            pgettext("report", "시상명"),
            pgettext("report", "등급"),
            pgettext("report", "포상"),
            pgettext("report", "수상"),
            pgettext("report", "시상 행사"),
            pgettext("report", "공적 요약"),
        ],
        (
            [
                award.year,
                tr(award, "name"),
                tr(award, "rank"),
                tr(award, "prize"),
                tr(award.recipient_company, "name")
                or tr(award.recipient_person, "name")
                or award.recipient_note,
                tr(award.event, "name"),
                tr(award, "citation"),
            ]
            for award in data["awards"]
        ),
    )
    _sheet(
        workbook,
        sheets[6],
        [
            pgettext("report", "시작 (Asia/Seoul)"),
            pgettext("report", "종료"),
            pgettext("report", "행사명"),
            pgettext("report", "종류"),
            pgettext("report", "장소"),
            pgettext("report", "도시"),
            pgettext("report", "지역"),
            pgettext("report", "참석 인원 (약)"),
        ],
        (
            [
                _local(event.starts_at) if event.time_is_known else _local(event.starts_at).date(),
                _local(event.ends_at),
                tr(event, "name"),
                event.get_kind_display(),
                tr(event, "venue_name"),
                event.city,
                _region(event.region),
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
