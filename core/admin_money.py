"""Money fields for people: every ``*_krw`` field of the admin reads "234억", "1조 2,000억",
"23,400,000,000" (``core.amounts``), shows the exact 억/조 reading as staff type, and asks for
confirmation of 0 and of amounts outside the field's plausible range.

A model states its plausible ranges once, as ``PLAUSIBLE_KRW = {"field": (low, high)}``; the form
field, the live reading (``amount_reading``) and the admin's warning all read them from there.
"""

from django import forms
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.http import JsonResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .amounts import AmountError, parse_krw, reading

#: The POST key of the "저장 확인" checkbox that confirms unusual amounts (main form and inlines).
CONFIRM_KEY = "_confirm_amounts"
WARNING_CODE = "implausible_amount"


def is_money_field(db_field) -> bool:
    return isinstance(db_field, models.BigIntegerField) and db_field.name.endswith("_krw")


def plausible_range(model, field_name: str) -> tuple[int, int] | None:
    return getattr(model, "PLAUSIBLE_KRW", {}).get(field_name)


def amount_warning(model, field_name: str, amount: int | None) -> str | None:
    """Why ``amount`` deserves a second look for this field (0, or outside its plausible
    range), or None. The text ends by saying how to save it anyway; callers put the amount's
    reading in front."""
    if amount is None:
        return None
    confirm = _("맞으면 '저장 확인'에 체크하고 다시 저장하세요.")
    if amount == 0:
        return _("0원이 맞는지 확인해 주세요. %(confirm)s") % {"confirm": confirm}
    bounds = plausible_range(model, field_name)
    if bounds is None:
        return None
    low, high = bounds
    if low <= amount <= high:
        return None
    return _(
        "이 항목에는 흔치 않은 금액입니다(보통 %(low)s~%(high)s). "
        "자릿수를 확인해 주세요. %(confirm)s"
    ) % {
        "low": reading(low),
        "high": reading(high),
        "confirm": confirm,
    }


class KrwInput(forms.TextInput):
    """A text box wide enough for 16 digits with separators, and the live 억/조 reading beside it
    (``core/krw-input.js`` asks ``amount_reading`` as staff type; the stored value's reading is
    rendered with the page)."""

    template_name = "core/widgets/krw_input.html"

    class Media:
        js = ["core/krw-input.js"]
        css = {"all": ["core/krw-input.css"]}

    def __init__(self, *, field_label: str = "", attrs=None):
        self.field_label = field_label
        super().__init__(
            attrs={
                "class": "vKrwField",
                "inputmode": "numeric",
                "autocomplete": "off",
                "size": 24,
                "spellcheck": "false",
                **(attrs or {}),
            }
        )

    def format_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value:,}"
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        text = "" if value is None else str(value)
        try:
            shown = reading(parse_krw(value if isinstance(value, int) else text)) if text else ""
        except AmountError:
            shown = ""
        context["widget"]["reading"] = shown
        context["widget"]["reading_url"] = reverse_lazy("admin-amount-reading")
        return context


class KrwField(forms.IntegerField):
    """Integer KRW from any form ``core.amounts.parse_krw`` reads; its error names the input."""

    widget = KrwInput
    default_error_messages = {"invalid": gettext_lazy("금액을 읽을 수 없습니다.")}

    def __init__(self, *, model=None, field_name: str = "", **kwargs):
        self.model, self.field_name = model, field_name
        kwargs.pop("localize", None)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if self.model is not None:
            attrs["data-krw-field"] = f"{self.model._meta.label_lower}.{self.field_name}"
        return attrs

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            return parse_krw(str(value))
        except AmountError as error:
            raise ValidationError(str(error), code="invalid") from error

    def warning(self, amount: int | None) -> str | None:
        return amount_warning(self.model, self.field_name, amount) if self.model else None


def krw_formfield(db_field, **kwargs):
    """The form field of a ``*_krw`` model field in the admin."""
    kwargs.pop("widget", None)
    kwargs.setdefault(
        "help_text",
        db_field.help_text or _("234억, 1조 2,000억, 23,400,000,000처럼 적을 수 있습니다."),
    )
    return db_field.formfield(
        form_class=KrwField,
        model=db_field.model,
        field_name=db_field.name,
        widget=KrwInput(field_label=str(db_field.verbose_name)),
        **kwargs,
    )


def money_warnings(form) -> list[tuple[str, str]]:
    """(field name, warning) of the changed money fields of a validated form that deserve a
    second look."""
    cleaned = getattr(form, "cleaned_data", {}) or {}
    warnings = []
    for name, field in form.fields.items():
        if not isinstance(field, KrwField) or name not in cleaned:
            continue
        if form.instance.pk is not None and name not in form.changed_data:
            continue  # a stored amount already confirmed once is not asked about again
        message = field.warning(cleaned[name])
        if message:
            warnings.append((name, f"{reading(cleaned[name])} — {message}"))
    return warnings


def confirmed(form) -> bool:
    return bool(form.data.get(CONFIRM_KEY)) if form.is_bound else False


def amount_reading(request):
    """JSON for the live reading: ``?value=234억&field=programs.budgetline.amount_krw`` →
    ``{"ok": true, "krw": 23400000000, "reading": "234억 원", "warning": null}``."""
    text = request.GET.get("value", "")
    if not text.strip():
        return JsonResponse({"ok": True, "krw": None, "reading": "", "warning": None})
    try:
        krw = parse_krw(text)
    except AmountError as error:
        return JsonResponse({"ok": False, "error": str(error)})
    warning = None
    label, _dot, field_name = request.GET.get("field", "").rpartition(".")
    try:
        model = apps.get_model(label) if label else None
    except (LookupError, ValueError):
        model = None
    if model is not None:
        try:
            if is_money_field(model._meta.get_field(field_name)):
                warning = amount_warning(model, field_name, krw)
        except FieldDoesNotExist:  # no warning; the reading still helps
            warning = None
    return JsonResponse({"ok": True, "krw": krw, "reading": reading(krw), "warning": warning})
