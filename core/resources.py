"""Spreadsheet import/export building blocks (django-import-export) with Korean columns.

- widgets that read what Korean staff type in Excel ("1,200,000원", "2025.3.14", "예", "소기업",
  "경남") and explain a bad cell in Korean;
- ``StaffImportResource``: the base of every importable resource: natural-key lookup, full_clean,
  region scope, who/why for the change history, unchanged rows left untouched, progress;
- ``export_resource_for(model)``: an export-only resource with the fields' Korean names, used by
  every changelist without its own resource.
"""

import datetime
import re
import time
from decimal import Decimal, InvalidOperation
from functools import cache

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.formats import base_formats

from . import scoping
from .history import bounded_change_reason
from .models import Region

BLANK = (None, "")

#: What staff write in a cell to empty a stored value; a blank cell keeps what is stored.
CLEAR_MARKER = "(비움)"


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def is_clear(value) -> bool:
    return isinstance(value, str) and value.strip() == CLEAR_MARKER


class _Keep:
    """A blank cell of an existing record: keep the stored value."""

    def __repr__(self):
        return "KEEP"


class _Clear:
    """The clear marker: empty the stored value."""

    def __repr__(self):
        return "CLEAR"


KEEP, CLEAR = _Keep(), _Clear()


class TextWidget(widgets.CharWidget):
    """Text, trimmed; numbers typed into a text column (e.g. codes) lose Excel's '.0'."""

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class IntegerWidget(widgets.Widget):
    """Whole numbers; accepts thousands separators and a trailing '원'."""

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, bool):
            raise ValueError(_("정수가 아닙니다: '%(value)s'") % {"value": value})
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            if value.is_integer():
                return int(value)
            raise ValueError(_("정수가 아닙니다: '%(value)s'") % {"value": value})
        text = re.sub(r"[,\s]|원$", "", str(value).strip())
        if not re.fullmatch(r"-?[0-9]+", text):
            raise ValueError(_("정수가 아닙니다: '%(value)s'") % {"value": value})
        return int(text)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value


class MoneyWidget(IntegerWidget):
    """Amounts in KRW as staff write them ("234억", "1조 2,000억", "200,000,000원", digits, or an
    Excel number cell), read by THE amount parser (``core.amounts.parse_krw``)."""

    def clean(self, value, row=None, **kwargs):
        from .amounts import parse_krw

        if is_blank(value):
            return None
        if isinstance(value, float):
            if not value.is_integer():
                raise ValueError(_("원 단위의 정수가 아닙니다: '%(value)s'") % {"value": value})
            value = int(value)
        return parse_krw(value if isinstance(value, int) else str(value))


class DecimalWidget(widgets.Widget):
    """Decimal numbers; accepts thousands separators and a trailing '%'."""

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, bool):
            raise ValueError(_("숫자가 아닙니다: '%(value)s'") % {"value": value})
        if isinstance(value, int | float):
            return Decimal(str(value))
        text = re.sub(r"[,\s]|%$", "", str(value).strip())
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(_("숫자가 아닙니다: '%(value)s'") % {"value": value}) from None
        if not number.is_finite():
            raise ValueError(_("숫자가 아닙니다: '%(value)s'") % {"value": value})
        return number

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class DateWidget(widgets.Widget):
    """Dates as 2025-03-14, 2025.3.14, 2025/03/14, 20250314 or an Excel date cell."""

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, datetime.datetime):
            return self._in_range(value.date(), value)
        if isinstance(value, datetime.date):
            return self._in_range(value, value)
        text = str(value).strip()
        match = re.fullmatch(r"(\d{4})[-./]\s?(\d{1,2})[-./]\s?(\d{1,2})\.?", text) or re.fullmatch(
            r"(\d{4})(\d{2})(\d{2})", text
        )
        try:
            if match is None:
                raise ValueError
            date = datetime.date(*(int(part) for part in match.groups()))
        except ValueError:
            raise ValueError(
                _("날짜가 아닙니다: '%(value)s' (예: 2025-03-14)") % {"value": value}
            ) from None
        return self._in_range(date, value)

    #: dates outside these years are typing mistakes (and 9999-12-31 overflows time zones)
    YEARS = (1800, 2200)

    def _in_range(self, date, value):
        low, high = self.YEARS
        if not low <= date.year <= high:
            raise ValueError(
                _(
                    "날짜가 허용 범위(%(low)s~%(high)s년)를 벗어났습니다: '%(value)s'. "
                    "연도를 확인해 주세요."
                )
                % {"value": value, "low": low, "high": high}
            )
        return date

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class TimeWidget(widgets.Widget):
    """Times of day as 14:00 or an Excel time cell."""

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, datetime.datetime):
            return value.time()
        if isinstance(value, datetime.time):
            return value
        match = re.fullmatch(r"(\d{1,2}):(\d{2})(?::\d{2})?", str(value).strip())
        try:
            if match is None:
                raise ValueError
            return datetime.time(int(match[1]), int(match[2]))
        except ValueError:
            raise ValueError(
                _("시각이 아닙니다: '%(value)s' (예: 14:00)") % {"value": value}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%H:%M") if value else ""


class BooleanWidget(widgets.Widget):
    """예/아니오, Y/N, O/X, TRUE/FALSE, 1/0; blank means no."""

    TRUE = {"예", "네", "y", "yes", "o", "true", "1", "t", "동의", "공개"}
    FALSE = {"아니오", "아니요", "n", "no", "x", "false", "0", "f", "미동의", "비공개"}

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return False
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text.endswith(".0"):
            text = text[:-2]
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(_("예/아니오 값이 아닙니다: '%(value)s'") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return _("예") if value else _("아니오")


def _choice_text(text: str) -> str:
    """A choice as typed, for comparison: no spaces, dots or brackets, case folded."""
    return re.sub(r"[\s·.,()\[\]_-]+", "", str(text)).casefold()


class ChoiceWidget(widgets.Widget):
    """A choice by its Korean label (as shown in the admin), its code, or a common synonym
    (``synonyms``: what staff also write, e.g. "선정됨" for 선정); spacing, case and "·" do not
    matter. Anything else is refused with the allowed values."""

    def __init__(self, choices, blank_allowed=True, synonyms: dict[str, str] | None = None):
        self.choices = [(str(code), str(label)) for code, label in choices]
        self.blank_allowed = blank_allowed
        self.lookup = {}
        for code, label in self.choices:
            self.lookup.setdefault(_choice_text(code), code)
            self.lookup.setdefault(_choice_text(label), code)
        for typed, code in (synonyms or {}).items():
            self.lookup.setdefault(_choice_text(typed), code)

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return ""
        code = self.lookup.get(_choice_text(value))
        if code is not None:
            return code
        allowed = ", ".join(label for _code, label in self.choices)
        raise ValueError(
            _("허용되지 않는 값입니다: '%(value)s' (가능한 값: %(allowed)s)")
            % {"value": value, "allowed": allowed}
        )

    def render(self, value, obj=None, **kwargs):
        return dict(self.choices).get(value, value or "")


class LookupWidget(widgets.Widget):
    """A related record by a natural key (slug, code, 사업자등록번호...); Korean error if absent."""

    def __init__(self, model, fields, normalize=None):
        self.model = model
        self.fields = fields
        self.normalize = normalize or (lambda text: text)

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = self.normalize(str(value).strip())
        for field in self.fields:
            found = self.model._default_manager.filter(**{field: text}).first()
            if found is not None:
                return found
        raise ValueError(
            _("'%(value)s'에 해당하는 %(name)s을(를) 찾을 수 없습니다.")
            % {"value": value, "name": self.model._meta.verbose_name}
        )

    def render(self, value, obj=None, **kwargs):
        return getattr(value, self.fields[0], "") if value is not None else ""


def region_widget() -> LookupWidget:
    """A region by its two-digit code or its Korean name/short name ('48', '경상남도', '경남')."""
    return LookupWidget(
        Region,
        ["code", "name", "short_name"],
        normalize=lambda text: text.zfill(2) if text.isdigit() else text,
    )


def column(attribute, header, widget=None, **kwargs) -> fields.Field:
    return fields.Field(
        attribute=attribute, column_name=header, widget=widget or TextWidget(), **kwargs
    )


class StaffImportResource(resources.ModelResource):
    """Base of the importable resources.

    Subclasses declare their Korean columns as fields, ``required_columns`` (checked before any
    row is read), ``extra_import_columns`` (child rows such as outcomes or agenda items, handled
    in ``after_save_instance``), ``natural_key(row)`` and ``lookup(key)``.
    """

    required_columns: list[str] = []
    extra_import_columns: list[str] = []
    #: columns that name the record in the preview when it has no name yet (a refused row)
    name_columns: list[str] = []
    #: error key (model field) shown for a refused region
    scope_field = "region"
    #: columns for errors on model fields that no column sets directly (e.g. starts_at)
    error_columns: dict[str, str] = {}
    #: model fields computed from a column (an error there makes theirs a follow-up error)
    derived_fields: dict[str, str] = {}

    class Meta:
        skip_diff = True
        clean_model_instances = True
        use_transactions = True
        report_skipped = True

    def __init__(self, user=None, change_reason="", progress=None, line_numbers=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.change_reason = change_reason
        self.progress = progress
        self.line_numbers = line_numbers or []
        self.counts = {"new": 0, "updated": 0, "unchanged": 0}
        #: one entry per data row: {"number", "status", "name", "changes": [[field, old, new]]}
        self.preview: list[dict] = []
        self._snapshot = None
        self._new = True
        self._row: dict = {}
        self._seen_keys: dict = {}
        self._last_tick = 0.0

    # --- columns ---------------------------------------------------------------------------

    @classmethod
    def template_columns(cls) -> list[str]:
        resource = cls()
        return [f.column_name for f in resource.get_import_fields()] + cls.extra_import_columns

    def column_for(self, key: str) -> str:
        """The spreadsheet column an error key (model field or column name) refers to."""
        if key == NON_FIELD_ERRORS:
            return ""
        for field in self.fields.values():
            if field.attribute == key or field.column_name == key:
                return field.column_name
        if key in self.error_columns:
            return self.error_columns[key]
        try:  # a model field without a column of its own: its Korean name, never "starts_at"
            return str(self._meta.model._meta.get_field(key).verbose_name)
        except Exception:
            return key

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        for header in self.required_columns:
            if is_blank(row.get(header)):
                errors[self.attribute_for(header)] = [_("필수 항목이 비어 있습니다.")]
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            for key, messages in exc.update_error_dict({}).items():
                errors.setdefault(key, messages)
        if errors:
            raise ValidationError(errors)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        """A blank cell keeps the stored value of an existing record; the clear marker
        (``CLEAR_MARKER``) empties it; anything else is read by the column's widget."""
        if not field.attribute or field.column_name not in row:
            return
        value = row.get(field.column_name)
        if is_clear(value):
            setattr(instance, field.attribute, self.empty_value(field.attribute))
            return
        if is_blank(value) and not self._new:
            return
        super().import_field(field, instance, row, is_m2m=is_m2m, **kwargs)

    def empty_value(self, attribute: str):
        """What the clear marker stores in ``attribute``: NULL, or "" for text."""
        try:
            model_field = self._meta.model._meta.get_field(attribute)
        except Exception:
            return None
        if model_field.null:
            return None
        if isinstance(model_field, models.CharField | models.TextField):
            return ""
        raise ValueError(_("이 열은 비울 수 없습니다(%(marker)s).") % {"marker": CLEAR_MARKER})

    def attribute_for(self, header: str) -> str:
        for field in self.fields.values():
            if field.column_name == header and field.attribute:
                return field.attribute
        return header

    @staticmethod
    def cell(row, header, widget, keep_blank: bool = False):
        """Clean one cell with ``widget``; ValueError becomes a ValidationError on the column.

        With ``keep_blank`` (a child row's cells), a blank cell is ``KEEP`` and the clear marker
        ``CLEAR``; ``save_child`` resolves them against the stored row."""
        value = row.get(header)
        if keep_blank and is_clear(value):
            return CLEAR
        if keep_blank and is_blank(value):
            return KEEP
        try:
            return widget.clean(value, row=row)
        except ValueError as exc:
            raise ValidationError({header: [str(exc)]}) from None

    # --- natural keys ----------------------------------------------------------------------

    def natural_key(self, row):
        """The natural-key lookup for ``row`` (a dict of filters), or None when incomplete."""
        raise NotImplementedError

    def get_instance(self, instance_loader, row):
        try:
            key = self.natural_key(row)
        except ValueError:
            return None  # the bad cell is reported by import_instance
        if not key:
            return None
        return self._meta.model._default_manager.filter(**key).first()

    def after_init_instance(self, instance, new, row, **kwargs):
        self._new = new
        self._snapshot = None if new else self._values(instance)
        if not new:
            self._row["name"] = str(instance)

    @staticmethod
    def _values(instance):
        return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}

    # --- validation ------------------------------------------------------------------------

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = {}
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as exc:
            errors = self._without_follow_up_errors(
                exc.update_error_dict({}), import_validation_errors or {}
            )
        if not errors and self.user is not None and not scoping.can_change(self.user, instance):
            errors[self.scope_field] = [_("담당 지역이 아닌 기록은 가져올 수 없습니다.")]
        if errors:
            raise ValidationError(errors)

    def _without_follow_up_errors(self, errors: dict, cell_errors: dict) -> dict:
        """Drop the model's complaints caused by a bad cell already reported (e.g. a bad 날짜
        leaves starts_at empty): one reason per cell, under the Korean column."""
        bad_columns = {self.column_for(key) for key in cell_errors}
        return {
            key: messages
            for key, messages in errors.items()
            if key in cell_errors
            or (
                self.column_for(key) not in bad_columns
                and self.derived_fields.get(key) not in bad_columns
            )
        }

    # --- saving ----------------------------------------------------------------------------

    def line(self, number: int) -> int:
        """The spreadsheet line of data row ``number`` (1-based; the header is line 1)."""
        if 0 < number <= len(self.line_numbers):
            return self.line_numbers[number - 1]
        return number + 1

    def before_import_row(self, row, row_number=None, **kwargs):
        if self.progress is not None and row_number is not None:
            now = time.monotonic()
            if now - self._last_tick >= 0.5:
                self._last_tick = now
                self.progress(row_number - 1)
        self._new = True
        self._row = {"number": row_number, "name": self.record_name(row), "changes": []}
        self.check_duplicate(row, row_number)

    # --- duplicate keys inside one file ------------------------------------------------------

    def row_key(self, row):
        """What one row writes, as a hashable key (its natural key, plus its child row's key
        where a row also writes one); None when a cell of it is unreadable (reported anyway)."""
        try:
            key = self.natural_key(row)
        except (ValueError, ValidationError, NotImplementedError):
            return None
        if not key:
            return None
        return tuple(sorted((name, getattr(v, "pk", v)) for name, v in key.items()))

    def describe_key(self, row) -> str:
        return ", ".join(
            f"{header} {row.get(header)}" for header in self.key_columns() if row.get(header)
        )

    def key_columns(self) -> list[str]:
        return self.required_columns[:1]

    def check_duplicate(self, row, row_number) -> None:
        """Two rows that write the same record would silently merge (the last one wins):
        the second is an error naming both lines."""
        if row_number is None:
            return
        key = self.row_key(row)
        if key is None:
            return
        first = self._seen_keys.setdefault(key, row_number)
        if first != row_number:
            raise ValidationError(
                {
                    self.key_columns()[0]: [
                        _(
                            "%(first)s번째 줄과 %(line)s번째 줄이 같은 기록(%(key)s)입니다. "
                            "한 기록은 한 줄에만 적어 주세요."
                        )
                        % {
                            "first": self.line(first),
                            "line": self.line(row_number),
                            "key": self.describe_key(row),
                        }
                    ]
                }
            )

    # --- the preview ------------------------------------------------------------------------

    def record_name(self, row) -> str:
        parts = [str(row.get(h)).strip() for h in self.name_columns if not is_blank(row.get(h))]
        return " · ".join(parts)

    def field_changes(self, instance, before: dict | None, prefix: str = "") -> list[list[str]]:
        """[[column or field, old, new], ...] between ``before`` (None: a new row) and now."""
        from .history import HIDDEN_DIFF_FIELDS, display_value

        changes = []
        for field in instance._meta.concrete_fields:
            if field.primary_key or field.name in HIDDEN_DIFF_FIELDS:
                continue
            new = getattr(instance, field.attname)
            old = None if before is None else before.get(field.attname)
            if before is not None and old == new:
                continue
            if before is None and new in (None, "", False):
                continue
            if field.is_relation:
                new_shown = getattr(instance, field.name) if new is not None else None
                old_shown = (
                    field.related_model._default_manager.filter(pk=old).first()
                    if old is not None
                    else None
                )
            else:
                new_shown, old_shown = new, old
            label = self.column_for(field.name) if not prefix else str(field.verbose_name)
            changes.append(
                [
                    f"{prefix}{label}",
                    "" if before is None else display_value(type(instance), field.name, old_shown),
                    display_value(type(instance), field.name, new_shown),
                ]
            )
        return changes

    def import_row(self, row, instance_loader, **kwargs):
        row_result = super().import_row(row, instance_loader, **kwargs)
        if self._row:  # after_import_row did not run: the row was refused
            self._row["status"] = "error"
            self.preview.append(self._row)
            self._row = {}
        return row_result

    def after_import_row(self, row, row_result, row_number=None, **kwargs):
        entry = self._row or {"number": row_number, "name": "", "changes": []}
        if row_result.validation_error is not None or row_result.errors:
            entry["status"] = "error"
        elif self._new:
            entry["status"] = "new"
        elif entry["changes"]:
            entry["status"] = "changed"
        else:
            entry["status"] = "unchanged"
        if not entry.get("name") and row_result.object_repr:
            entry["name"] = row_result.object_repr
        self.preview.append(entry)
        self._row = {}

    def stamp(self, instance):
        """Who and why, for the change history of ``instance``."""
        if self.user is not None:
            instance._history_user = self.user
        if self.change_reason:
            instance._change_reason = bounded_change_reason(self.change_reason, type(instance))

    def do_instance_save(self, instance, is_create):
        if not is_create and self._snapshot == self._values(instance):
            self.counts["unchanged"] += 1
            return  # same values: no new version, no history row
        if self._row is not None:
            self._row.setdefault("changes", []).extend(
                self.field_changes(instance, None if is_create else self._snapshot)
            )
            if not self._row.get("name"):
                self._row["name"] = str(instance)
        self.stamp(instance)
        instance.save(force_insert=is_create)
        self.counts["new" if is_create else "updated"] += 1

    def save_child(self, model: type[models.Model], lookup: dict, values: dict, errors_as: dict):
        """Create or update a child row (outcome, agenda item) by ``lookup``; full_clean first.

        ``errors_as`` maps the child's model fields to spreadsheet columns for error messages
        (``"*"``: the column for anything else).
        """
        child = model._default_manager.filter(**lookup).first()
        if child is None:
            before = None
            child = model(**lookup)
            is_new = True
        else:
            before = self._values(child)
            is_new = False
        for name, value in values.items():
            if value is KEEP:
                continue  # a blank cell keeps the stored value (a new row: the default)
            if value is CLEAR:
                value = None if model._meta.get_field(name).null else ""
            setattr(child, name, value)
        if before is not None and before == self._values(child):
            return child
        try:
            child.full_clean()
        except ValidationError as exc:
            raise ValidationError(
                {
                    errors_as.get(name, errors_as.get("*", name)): messages
                    for name, messages in exc.message_dict.items()
                }
            ) from None
        if self.user is not None and not scoping.can_change(self.user, child):
            raise ValidationError({errors_as.get("*", ""): _("담당 지역이 아닌 기록입니다.")})
        if self._row is not None:
            label = " ".join(str(v) for v in lookup.values() if not isinstance(v, models.Model))
            prefix = f"{model._meta.verbose_name}({label}) · "
            self._row.setdefault("changes", []).extend(self.field_changes(child, before, prefix))
        self.stamp(child)
        child.save(force_insert=is_new)
        return child


class ExportValueWidget(widgets.Widget):
    """Export-only: related objects by name, booleans as 예/아니오, dates in ISO 8601."""

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, bool):
            return _("예") if value else _("아니오")
        if isinstance(value, datetime.datetime | datetime.date):
            return value.isoformat()
        if isinstance(value, int | Decimal | float):
            return value
        return str(value)


class ExportOnlyResource(resources.Resource):
    select_related: tuple[str, ...] = ()
    display_name = ""

    @classmethod
    def get_display_name(cls):
        return cls.display_name

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    def export(self, queryset=None, **kwargs):
        if queryset is not None and self.select_related:
            queryset = queryset.select_related(*self.select_related)
        return super().export(queryset=queryset, **kwargs)


@cache
def export_resource_for(model) -> type[resources.Resource]:
    """An export resource with every column of ``model`` under its Korean name."""
    attrs = {}
    related = []
    for field in model._meta.concrete_fields:
        if field.remote_field is not None and field.remote_field.parent_link:
            continue  # a multi-table child's link to its parent row (same value as "id")
        attribute = field.name
        if field.choices:
            attribute = f"get_{field.name}_display"
        elif field.is_relation:
            related.append(field.name)
        attrs[field.name] = fields.Field(
            attribute=attribute,
            column_name=str(field.verbose_name),
            widget=ExportValueWidget(),
            readonly=True,
        )
    attrs["select_related"] = tuple(related)
    attrs["display_name"] = str(model._meta.verbose_name_plural)
    return type(f"{model.__name__}ExportResource", (ExportOnlyResource,), attrs)


# --- formula escaping that round-trips ---------------------------------------------------------

#: A text cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?[0-9][0-9,]*(\.[0-9]+)?")


def _needs_escape(text: str) -> bool:
    """True for text a spreadsheet would run as a formula, and for text that already looks
    escaped (leading apostrophes before a formula), so unescaping is exact."""
    stripped = text.lstrip("'")
    return stripped.startswith(FORMULA_TRIGGERS) and not _NUMBER.fullmatch(stripped)


def escape_formula(value):
    """``=HYPERLINK(...)`` → ``'=HYPERLINK(...)``: shown as text, not run. Other values as is."""
    if isinstance(value, str) and _needs_escape(value):
        return "'" + value
    return value


def unescape_formula(value):
    """The inverse of ``escape_formula`` for an imported cell: strips exactly that apostrophe."""
    if isinstance(value, str) and value.startswith("'") and _needs_escape(value[1:]):
        return value[1:]
    return value


class _EscapingFormatMixin:
    def _escape_formulae(self, dataset):
        rows = [[escape_formula(cell) for cell in row] for row in dataset]
        del dataset[:]
        for row in rows:
            dataset.append(row)


class EscapedCSV(_EscapingFormatMixin, base_formats.CSV):
    pass


class EscapedXLSX(_EscapingFormatMixin, base_formats.XLSX):
    pass
