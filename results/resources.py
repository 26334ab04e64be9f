"""Spreadsheet import of reported values (staff import machinery: dry run, preview, confirm).

One row per update: the reporting period's number (the bulk entry page's template lists a
region's periods), the value — or numerator and denominator for percentage targets — the
as-of date and the reporter's explanation. A row writes the period's draft or returned update
(or a new draft) through the same rules as the bulk entry form (``services.update_check_writable``:
region scope, role, locked periods, editable statuses), with the same messages.
"""

from django.core.exceptions import ValidationError

from core.resources import (
    DateWidget,
    DecimalWidget,
    IntegerWidget,
    StaffImportResource,
    column,
    is_blank,
)

from . import services
from .models import ReportingPeriod, ResultUpdate


class PeriodWidget(IntegerWidget):
    """A reporting period by its number."""

    def clean(self, value, row=None, **kwargs):
        number = super().clean(value, row=row, **kwargs)
        if number is None:
            return None
        period = ReportingPeriod.objects.select_related("target").filter(pk=number).first()
        if period is None:
            raise ValueError(f"보고 기간 {number}번이 없습니다.")
        return period

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value.pk)


class ResultUpdateResource(StaffImportResource):
    period = column("period", "보고 기간 번호", PeriodWidget())
    value = column("value", "실적값", DecimalWidget())
    numerator = column("numerator", "분자", DecimalWidget())
    denominator = column("denominator", "분모", DecimalWidget())
    as_of = column("as_of", "기준일", DateWidget())
    comment = column("comment", "설명")

    required_columns = ["보고 기간 번호", "기준일"]
    #: the target's name, for the reader of the sheet; not imported
    extra_import_columns = ["목표"]
    name_columns = ["보고 기간 번호"]
    scope_field = "period"

    class Meta(StaffImportResource.Meta):
        model = ResultUpdate
        name = "실적 보고"
        fields = ("period", "value", "numerator", "denominator", "as_of", "comment")

    def key_columns(self) -> list[str]:
        return ["보고 기간 번호"]

    def natural_key(self, row):
        if is_blank(row.get("보고 기간 번호")):
            return None
        period = self.fields["period"].widget.clean(row.get("보고 기간 번호"))
        return {"period": period, "status__in": services.EDITABLE}

    def after_init_instance(self, instance, new, row, **kwargs):
        super().after_init_instance(instance, new, row, **kwargs)
        if new and self.user is not None:
            instance.created_by = self.user

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if instance.period_id and self.user is not None:
            try:
                services.update_check_writable(
                    user=self.user, period=instance.period, update=instance
                )
            except services.WorkflowError as exc:
                raise ValidationError({"period": [exc.message]}) from None
        super().validate_instance(instance, import_validation_errors, validate_unique)
