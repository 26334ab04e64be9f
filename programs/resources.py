"""Spreadsheet columns of company participations, with an optional outcome on each row.

A participation is keyed by company (사업자등록번호) + program; its outcome by participation +
metric. A company with three outcomes in one program takes three rows that repeat the
participation columns.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from companies.resources import company_widget
from core.resources import (
    CLEAR,
    BooleanWidget,
    ChoiceWidget,
    DateWidget,
    DecimalWidget,
    LookupWidget,
    MoneyWidget,
    StaffImportResource,
    TextWidget,
    column,
    is_blank,
    region_widget,
)

from .models import Outcome, Participation, Program, Target

OUTCOME_COLUMNS = {
    "metric": "성과 지표",
    "unit": "성과 단위",
    "direction": "성과 방향",
    "baseline_value": "기준값",
    "result_value": "결과값",
    "change_pct": "변화율(%)",
    "verification": "검증 여부",
    "measured_on": "측정일",
}


DIRECTION_SYNONYMS = {
    "높음": "higher",
    "증가": "higher",
    "상승": "higher",
    "클수록좋음": "higher",
    "↑": "higher",
    "낮음": "lower",
    "감소": "lower",
    "하락": "lower",
    "작을수록좋음": "lower",
    "↓": "lower",
}
VERIFICATION_SYNONYMS = {
    "자체보고": "claimed",
    "기업제출": "claimed",
    "미검증": "claimed",
    "검증": "verified",
    "검증완료": "verified",
    "확인됨": "verified",
}


def program_widget() -> LookupWidget:
    return LookupWidget(Program, ["slug", "name"])


class ParticipationResource(StaffImportResource):
    """One row per participation (and outcome)."""

    company = column("company", "사업자등록번호", company_widget())
    program = column("program", "사업", program_widget())
    region = column("region", "지역", region_widget())
    status = column(
        "status",
        "상태",
        ChoiceWidget(
            Participation.Status.choices,
            synonyms={
                "신청함": "applied",
                "신청완료": "applied",
                "접수": "applied",
                "선정됨": "selected",
                "선정완료": "selected",
                "최종선정": "selected",
                "진행중": "in_progress",
                "수행": "in_progress",
                "완료됨": "completed",
                "종료": "completed",
                "사업완료": "completed",
                "포기": "dropped",
                "중도포기함": "dropped",
                "중단": "dropped",
                "취소": "dropped",
            },
        ),
    )
    applied_on = column("applied_on", "신청일", DateWidget())
    selected_on = column("selected_on", "선정일", DateWidget())
    support_amount_krw = column("support_amount_krw", "지원금(원)", MoneyWidget())
    self_funding_krw = column("self_funding_krw", "자부담(원)", MoneyWidget())
    solution_name = column("solution_name", "AI 솔루션")
    supplier = column("supplier", "AI 공급기업 사업자등록번호", company_widget())
    consent_to_publish = column("consent_to_publish", "성과 공개 동의", BooleanWidget())
    note = column("note", "비고")

    required_columns = ["사업자등록번호", "사업", "상태"]
    extra_import_columns = list(OUTCOME_COLUMNS.values())
    name_columns = ["사업자등록번호", "사업"]

    class Meta(StaffImportResource.Meta):
        model = Participation
        name = "기업 참여·성과"
        fields = (
            "company",
            "program",
            "region",
            "status",
            "applied_on",
            "selected_on",
            "support_amount_krw",
            "self_funding_krw",
            "solution_name",
            "supplier",
            "consent_to_publish",
            "note",
        )

    def natural_key(self, row):
        if is_blank(row.get("사업자등록번호")) or is_blank(row.get("사업")):
            return None
        return {
            "company": self.fields["company"].widget.clean(row.get("사업자등록번호")),
            "program": self.fields["program"].widget.clean(row.get("사업")),
        }

    def row_key(self, row):
        key = super().row_key(row)
        if key is None:
            return None
        metric = row.get(OUTCOME_COLUMNS["metric"])
        return (*key, ("metric", None if is_blank(metric) else str(metric).strip()))

    def key_columns(self) -> list[str]:
        return ["사업자등록번호", "사업", OUTCOME_COLUMNS["metric"]]

    def after_save_instance(self, instance, row, **kwargs):
        cells = [row.get(header) for header in OUTCOME_COLUMNS.values()]
        if all(is_blank(cell) for cell in cells):
            return
        c = OUTCOME_COLUMNS
        if is_blank(row.get(c["metric"])):
            raise ValidationError({c["metric"]: [_("성과 값이 있으면 성과 지표도 적어야 합니다.")]})
        values, errors = {}, {}
        parsers = {
            "unit": TextWidget(),
            "direction": ChoiceWidget(Target.Direction.choices, synonyms=DIRECTION_SYNONYMS),
            "baseline_value": DecimalWidget(),
            "result_value": DecimalWidget(),
            "change_pct": DecimalWidget(),
            "verification": ChoiceWidget(
                Outcome.Verification.choices, synonyms=VERIFICATION_SYNONYMS
            ),
            "measured_on": DateWidget(),
        }
        for name, widget in parsers.items():
            try:
                # a blank cell keeps a stored outcome's value (a new one: the default)
                values[name] = self.cell(row, c[name], widget, keep_blank=True)
            except ValidationError as exc:
                errors.update(exc.message_dict)
        if errors:
            raise ValidationError(errors)
        for name, default in (
            ("direction", Target.Direction.HIGHER),
            ("verification", Outcome.Verification.CLAIMED),
        ):
            if values[name] is CLEAR:
                values[name] = default
        self.save_child(
            Outcome,
            lookup={"participation": instance, "metric": TextWidget().clean(row.get(c["metric"]))},
            values={"company": instance.company, **values},
            errors_as={**c, "*": c["metric"]},
        )

    def export(self, queryset=None, **kwargs):
        if queryset is not None:
            queryset = queryset.select_related("company", "program", "region", "supplier")
        return super().export(queryset=queryset, **kwargs)
