"""Shared admin pieces: the base ModelAdmin with history, and money shown as 억 원 beside KRW."""

import re
from functools import reduce
from operator import or_

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import NotRelationField, get_fields_from_path, quote, unquote
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.core.paginator import Paginator
from django.db.models import F, Q, Value
from django.db.models.functions import Replace
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from import_export.forms import ExportForm
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from . import deleted, scoping
from .admin_money import (
    CONFIRM_KEY,
    WARNING_CODE,
    confirmed,
    is_money_field,
    krw_formfield,
    money_warnings,
)
from .formatting import format_krw
from .history import HIDDEN_DIFF_FIELDS, display_value, stale_message
from .models import Region, StaleVersionError
from .resources import EscapedCSV, EscapedXLSX, export_resource_for
from .services import record_restore

#: the history's reason column holds 100 characters, "되돌리기(버전 n): " included
REVERT_REASON_MAX = 80

#: Separators staff type inside identifiers: 220-81-62517, 220 81 62517, 055.211.0000
IDENTIFIER_SEPARATORS = re.compile(r"[\s\-./]")


def identifier_digits(term: str) -> str | None:
    """The digits of a search term made of digits and separators only ("220-81-62517",
    "0552113456"), else None."""
    digits = IDENTIFIER_SEPARATORS.sub("", term)
    if len(digits) >= 3 and re.fullmatch(r"[0-9]+", digits):
        return digits
    return None


#: A KSIC code as staff type it: "C29", "c29", "C-29", "C 29", "(C29)", "29271"
KSIC_TERM = re.compile(r"(?<!\w)\(?([A-Ua-u])[\s\-.]?([0-9]{2,5})\)?(?!\w)")


def normalize_ksic_terms(search_term: str) -> str:
    """Search terms with KSIC codes written as stored ("C-29", "c 29", "(C29)" → "C29")."""
    return KSIC_TERM.sub(lambda m: m.group(1).upper() + m.group(2), search_term)


def _digits_only(path: str):
    """A database expression: the field at ``path`` without the usual separators."""
    expression = F(path)
    for separator in ("-", " ", "."):
        expression = Replace(expression, Value(separator), Value(""))
    return expression


def krw_column(field: str, description):
    """A changelist/readonly column: '350억 원' with the exact KRW underneath."""

    @admin.display(description=description, ordering=field)
    def column(_model_admin, obj):
        amount = getattr(obj, field)
        if amount is None:
            return "—"
        return format_html(
            '{}<br><small class="krw-exact">{} 원</small>', format_krw(amount, "ko"), f"{amount:,}"
        )

    column.__name__ = f"{field}_display"
    return column


def _has_version(model) -> bool:
    return any(f.name == "version" for f in model._meta.concrete_fields)


def _stored_version(instance):
    return (
        type(instance)
        ._base_manager.filter(pk=instance.pk)
        .values_list("version", flat=True)
        .first()
    )


class TrackedAdminForm(forms.ModelForm):
    """Admin form that refuses a stale save and a write outside the editor's regions.

    ``base_version`` (hidden) carries the version the editor loaded. On save it must still be
    the stored version; otherwise the form shows what a colleague changed meanwhile and saves
    nothing. ``request_user`` is set by the admin (see ``TrackedAdmin.get_form``).
    """

    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    request_user = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not _has_version(self._meta.model):
            self.fields.pop("base_version", None)
        elif self._is_existing():
            self.fields["base_version"].initial = self._current_version()

    def _is_existing(self) -> bool:
        return self.instance.pk is not None and not self.instance._state.adding

    def _current_version(self):
        # A revert form (simple-history) holds an old version of the record: ask the database.
        if hasattr(self.instance, "_history"):
            return _stored_version(self.instance)
        return self.instance.version

    def clean(self):
        cleaned = super().clean()
        if "base_version" not in self.fields or not self._is_existing():
            return cleaned
        base = cleaned.get("base_version")
        current = self._current_version()
        if base is None:
            raise ValidationError(
                _(
                    "편집을 시작한 버전 정보가 없어 저장하지 않았습니다. 페이지를 새로 불러와 주세요."
                ),
                code="no_version",
            )
        if current is None:
            raise ValidationError(_("이 기록은 그 사이 삭제되었습니다."), code="deleted")
        if base != current:
            raise ValidationError(
                stale_message(type(self.instance), self.instance.pk, base), code="stale"
            )
        # The save is conditional on this version (UPDATE ... WHERE version = base).
        self.instance.version = base
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        if not confirmed(self):
            for name, message in money_warnings(self):
                self.add_error(name, ValidationError(message, code=WARNING_CODE))
        if self.request_user is None or self.has_error(NON_FIELD_ERRORS):
            return
        if not scoping.can_change(self.request_user, self.instance):
            self.add_error(
                None,
                ValidationError(
                    _(
                        "담당 지역이 아닌 기록은 만들거나 바꿀 수 없습니다. "
                        "지역(또는 기업·행사의 지역)을 담당 지역으로 지정해 주세요."
                    ),
                    code="region_scope",
                ),
            )


def _with_version_field(fieldsets, wanted: bool):
    """Put the hidden ``base_version`` into the first fieldset so it is rendered, or take it out
    (models without a version; read-only views)."""
    fieldsets = [
        (name, {**options, "fields": [f for f in options["fields"] if f != "base_version"]})
        for name, options in fieldsets
    ]
    if wanted:
        (name, options), *rest = fieldsets
        fieldsets = [(name, {**options, "fields": [*options["fields"], "base_version"]}), *rest]
    return fieldsets


class ScopedRegionListFilter(admin.RelatedFieldListFilter):
    """The changelist's filter by region: a regional editor is offered only its own regions
    (the rows are scoped anyway, so other regions would always list nothing)."""

    def field_choices(self, field, request, model_admin):
        choices = super().field_choices(field, request, model_admin)
        region_ids = scoping.restricted_region_ids(request.user)
        if region_ids is None:
            return choices
        return [(pk, label) for pk, label in choices if pk in region_ids]


def _scoped_list_filter(model, entry):
    """``entry`` of ``list_filter``, with a plain path to a Region using the scoped filter."""
    if not isinstance(entry, str):
        return entry
    try:
        field = get_fields_from_path(model, entry)[-1]
    except (FieldDoesNotExist, NotRelationField):
        return entry
    if getattr(field, "related_model", None) is Region:
        return (entry, ScopedRegionListFilter)
    return entry


class MoneyFieldsMixin:
    """Every ``*_krw`` field of a ModelAdmin or inline reads 억/조 amounts (``core.admin_money``)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if is_money_field(db_field):
            return krw_formfield(db_field, **kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


def amount_warnings(context) -> list[str]:
    """The unconfirmed unusual amounts of a rendered change form (main form and inline rows),
    as "label: warning" lines for the "저장 확인" box."""
    forms_ = []
    adminform = context.get("adminform")
    if adminform is not None:
        forms_.append(adminform.form)
    for inline in context.get("inline_admin_formsets", []):
        forms_.extend(inline.formset.forms)
    lines = []
    for form in forms_:
        if not form.is_bound or not hasattr(form, "cleaned_data"):
            continue
        for name, errors in form.errors.as_data().items():
            lines += [
                f"{form.fields[name].label}: {' '.join(error.messages)}"
                for error in errors
                if error.code == WARNING_CODE
            ]
    return lines


# --- the "데이터 품질" changelist filter ---------------------------------------------------------
# The checks are declared once in ``staff.selectors`` (the staff app sits on top and may read
# every app); it registers them here so each changelist can filter by them without ``core``
# importing upward.

_QUALITY_CHOICES: dict = {}  # model → [(key, title)]
_QUALITY_FILTER = None  # (key, queryset) → queryset


def register_quality_checks(choices_by_model: dict, filter_rows) -> None:
    """Called by ``staff.selectors``: the checks per model and the function applying one."""
    global _QUALITY_FILTER
    _QUALITY_CHOICES.clear()
    _QUALITY_CHOICES.update(choices_by_model)
    _QUALITY_FILTER = filter_rows


class DataQualityListFilter(admin.SimpleListFilter):
    """``?quality=<check>``: the rows a data-quality check lists (staff/selectors.py)."""

    title = _("데이터 품질")
    parameter_name = "quality"

    def lookups(self, request, model_admin):
        return _QUALITY_CHOICES.get(model_admin.model, [])

    def queryset(self, request, queryset):
        choices = dict(_QUALITY_CHOICES.get(queryset.model, []))
        if self.value() in choices and _QUALITY_FILTER is not None:
            return _QUALITY_FILTER(self.value(), queryset)
        return queryset


class RegionScopedAdminMixin:
    """Region scope for a ModelAdmin or inline: rows, change/delete rights, and FK choices."""

    def get_queryset(self, request):
        return scoping.scope_queryset(request.user, super().get_queryset(request))

    def _in_scope(self, request, obj, write: bool = True) -> bool:
        region_ids = scoping.restricted_region_ids(request.user)
        return region_ids is None or obj is None or scoping.in_scope(region_ids, obj, write=write)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._in_scope(request, obj, False)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return _scope_formfield(formfield, request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        return _scope_formfield(formfield, request)


def _scope_formfield(formfield, request):
    if formfield is not None and getattr(formfield, "queryset", None) is not None:
        formfield.queryset = scoping.scope_choices(request.user, formfield.queryset)
    return formfield


class ScopedInlineMixin(MoneyFieldsMixin, RegionScopedAdminMixin):
    """For every inline: region scope, and the version check on each edited row."""

    form = TrackedAdminForm

    def get_fieldsets(self, request, obj=None):
        return _with_version_field(super().get_fieldsets(request, obj), _has_version(self.model))

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type(formset.form.__name__, (formset.form,), {"request_user": request.user})
        return formset


class ScopedTabularInline(ScopedInlineMixin, admin.TabularInline):
    pass


class KoreanHistoryContextHelper(HistoricalRecordContextHelper):
    """Diff values as staff read them: choice labels, 예/아니오, (없음) for empty."""

    def prepare_delta_change_value(self, change, value):
        if self.model._meta.get_field(change.field).many_to_many:
            return super().prepare_delta_change_value(change, value)
        return display_value(self.model, change.field, value)


class TrackedAdmin(MoneyFieldsMixin, RegionScopedAdminMixin, ExportMixin, SimpleHistoryAdmin):
    """Base for every staff-edited model.

    - change history with a readable diff per save, and revert (django-simple-history);
    - region scope for regional editors (``core.scoping``) in lists, forms, choices and saves;
    - stale saves refused with what changed meanwhile (``TrackedAdminForm``);
    - export of exactly the filtered changelist as CSV (UTF-8 with BOM) or XLSX;
    - 50 rows a page, version read-only.
    """

    list_per_page = 50
    show_full_result_count = False

    class Media:
        css = {"all": ["core/admin-inlines.css"]}

    save_on_top = True
    form = TrackedAdminForm
    import_export_change_list_template = "admin/staff/change_list.html"
    object_history_template = "admin/staff/object_history.html"
    object_history_list_template = "admin/staff/object_history_list.html"
    object_history_form_template = "admin/staff/object_history_form.html"
    export_form_class = ExportForm
    # CSV as Korean Excel opens it correctly: UTF-8 with a byte-order mark.
    to_encoding = "utf-8-sig"
    #: import kind of the staff import page linked from the changelist (staff.ImportJob.Kind)
    import_kind = None
    #: fields holding identifiers (business numbers, phone numbers) that staff type with or
    #: without separators; a search for "220-81-62517" finds "2208162517" and the other way
    identifier_search_fields: list[str] = []
    #: fields holding KSIC codes: "C-29", "c 29" and "(C29)" find "C29"; "C29" also finds a
    #: code stored without its section letter ("29")
    ksic_search_fields: list[str] = []
    deleted_list_template = "admin/staff/deleted_list.html"
    restore_template = "admin/staff/restore_confirm.html"

    def get_list_filter(self, request):
        entries = [_scoped_list_filter(self.model, e) for e in super().get_list_filter(request)]
        if self.model in _QUALITY_CHOICES:
            entries.append(DataQualityListFilter)
        return entries

    def get_search_results(self, request, queryset, search_term):
        if self.ksic_search_fields:
            search_term = normalize_ksic_terms(search_term)
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        results = self._ksic_results(queryset, results, search_term)
        terms = [
            unescape_string_literal(t) if t[:1] in ("'", '"') and t[-1:] == t[:1] else t
            for t in smart_split(search_term)
        ]
        digits = [identifier_digits(t) for t in terms]
        if self.identifier_search_fields and terms and all(digits):
            aliases = {
                f"_identifier_{i}": _digits_only(field)
                for i, field in enumerate(self.identifier_search_fields)
            }
            condition = Q()
            for number in digits:
                condition &= reduce(or_, (Q(**{f"{a}__contains": number}) for a in aliases))
            results = results | queryset.alias(**aliases).filter(condition)
        return results, may_have_duplicates

    def _ksic_results(self, queryset, results, search_term):
        """A lone KSIC code with its section letter also finds the code stored without it."""
        match = re.fullmatch(r"([A-U])([0-9]{2,5})", search_term.strip())
        if not self.ksic_search_fields or match is None:
            return results
        digits = match.group(2)
        condition = reduce(
            or_,
            (Q(**{f"{f}__startswith": digits}) for f in self.ksic_search_fields),
        )
        return results | queryset.filter(condition)

    # --- not found, another region's, or deleted --------------------------------------------

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        """The change, history, revert and delete views of a record the user cannot open say
        why: another region's record, a deleted one (with a link to restore it), or none."""
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        if self._hidden_by_scope(request, object_id):
            self.message_user(
                request,
                gettext("다른 지역의 기록이라 볼 수 없습니다. 담당 지역의 기록만 열 수 있습니다."),
                messages.WARNING,
            )
            return HttpResponseRedirect(changelist)
        try:
            row = deleted.last_deletion(self.model, unquote(object_id))
        except (ValueError, ValidationError):
            row = None
        if row is None:
            return super()._get_obj_does_not_exist_redirect(request, opts, object_id)
        text = gettext("이 %(name)s 기록(“%(record)s”)은 %(when)s에 %(who)s 님이 삭제했습니다.") % {
            "name": opts.verbose_name,
            "record": deleted.record_label(row.instance),
            "when": date_format(timezone.localtime(row.history_date), "DATETIME_FORMAT"),
            "who": row.history_user or gettext("(시스템)"),
        }
        if self._can_restore(request):
            url = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_restore", args=[row.history_id]
            )
            message = format_html('{} <a href="{}">{}</a>', text, url, gettext("복원하기"))
        else:
            message = text
        self.message_user(request, message, messages.WARNING)
        return HttpResponseRedirect(changelist)

    # --- deleted records and restore ----------------------------------------------------------

    def _can_restore(self, request) -> bool:
        """Restoring is for those allowed to delete the model's records (and add them back)."""
        return self.has_delete_permission(request) and self.has_add_permission(request)

    def get_urls(self):
        prefix = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        return [
            path(
                "deleted/",
                self.admin_site.admin_view(self.deleted_view),
                name=f"{prefix}_deleted",
            ),
            path(
                "deleted/<int:history_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name=f"{prefix}_restore",
            ),
            *super().get_urls(),
        ]

    def _staff_context(self, request, **extra):
        opts = self.model._meta
        return {
            **self.admin_site.each_context(request),
            "opts": opts,
            "app_label": opts.app_label,
            "has_view_permission": self.has_view_permission(request),
            **extra,
        }

    def deleted_view(self, request):
        """삭제된 기록: this model's records that were deleted, newest deletion first."""
        if not self._can_restore(request):
            raise PermissionDenied
        rows = deleted.deleted_rows(self.model, request.user)
        page = Paginator(rows, self.list_per_page).get_page(request.GET.get("p"))
        opts = self.model._meta
        return TemplateResponse(
            request,
            self.deleted_list_template,
            self._staff_context(
                request,
                title=gettext("삭제된 기록: %(name)s") % {"name": opts.verbose_name},
                page_obj=page,
                rows=[
                    {
                        "row": row,
                        "label": deleted.record_label(row.instance),
                        "restore_url": reverse(
                            f"admin:{opts.app_label}_{opts.model_name}_restore",
                            args=[row.history_id],
                        ),
                    }
                    for row in page.object_list
                ],
            ),
        )

    def restore_view(self, request, history_id):
        """What a restore brings back (and what it cannot), the reason, and the restore."""
        if not self._can_restore(request):
            raise PermissionDenied
        opts = self.model._meta
        row = deleted.deleted_row(self.model, history_id, request.user)
        deleted_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_deleted")
        if row is None:
            self.message_user(
                request,
                gettext(
                    "이 삭제 기록을 찾을 수 없습니다. 이미 복원되었거나 볼 수 없는 기록입니다."
                ),
                messages.WARNING,
            )
            return HttpResponseRedirect(deleted_url)
        plan = deleted.restore_plan(self.model, row)
        errors = []
        reason = request.POST.get("reason", "") if request.method == "POST" else ""
        if request.method == "POST":
            try:
                record_restore(
                    model=self.model, history_id=history_id, user=request.user, reason=reason
                )
            except ValidationError as error:
                errors = error.messages
            else:
                instance = self.model._base_manager.get(pk=row.instance.pk)
                self.log_addition(
                    request, instance, gettext("삭제된 기록을 복원했습니다. 이유: %s") % reason
                )
                self.message_user(
                    request,
                    gettext("%(name)s “%(record)s” 기록을 복원했습니다(함께 복원: %(count)d건).")
                    % {
                        "name": opts.verbose_name,
                        "record": instance,
                        "count": len(plan.items) - 1 + len(plan.relinks),
                    },
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_change",
                        args=[quote(instance.pk)],
                    )
                )
        return TemplateResponse(
            request,
            self.restore_template,
            self._staff_context(
                request,
                title=gettext("삭제된 기록 복원: %(record)s")
                % {"record": deleted.record_label(plan.root.instance)},
                row=row,
                plan=plan,
                fields=_recorded_values(self.model, row),
                errors=errors,
                reason=reason,
                deleted_url=deleted_url,
            ),
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        for name in ("version", "updated_at"):
            if obj is not None and name not in fields and hasattr(obj, name):
                fields.append(name)
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        attrs = {"request_user": request.user}
        if obj is not None and hasattr(obj, "_history"):  # the revert page of simple-history
            attrs["revert_reason"] = forms.CharField(
                label=_("되돌리는 이유"),
                max_length=REVERT_REASON_MAX,
                help_text=_("변경 기록의 ‘사유’ 칸에 남습니다 (예: 잘못 고친 금액 되돌림)."),
                widget=forms.TextInput(attrs={"size": 60}),
                error_messages={"required": _("되돌리는 이유를 적어 주세요.")},
            )
        return type(form.__name__, (form,), attrs)

    def get_fieldsets(self, request, obj=None):
        editable = (
            self.has_change_permission(request, obj)
            if obj is not None
            else self.has_add_permission(request)
        )
        return _with_version_field(
            super().get_fieldsets(request, obj), editable and _has_version(self.model)
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None and context.get("errors"):
            # The heading names the record as stored, not the refused values of the form.
            stored = type(obj)._base_manager.filter(pk=obj.pk).first()
            if stored is not None:
                context["original"], context["subtitle"] = stored, str(stored)
        context["amount_warnings"] = amount_warnings(context)
        context["confirm_amounts_key"] = CONFIRM_KEY
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleVersionError as exc:
            # Someone saved between the form check and our UPDATE ... WHERE version = n.
            self.message_user(
                request, stale_message(exc.model, exc.pk, exc.expected_version), messages.ERROR
            )
            return HttpResponseRedirect(request.get_full_path())

    # --- another region's record is "not found" in history and revert too -----------------

    def _hidden_by_scope(self, request, object_id) -> bool:
        """True when the record (or, if deleted, its last historical version) exists but lies
        outside the user's regions: the views answer like the change view, "not found"."""
        if scoping.restricted_region_ids(request.user) is None:
            return False
        pk_name = self.model._meta.pk.attname
        try:
            filters = {pk_name: unquote(object_id)}
            if self.get_queryset(request).filter(**filters).exists():
                return False
            if self.model._default_manager.filter(**filters).exists():
                return True
            history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
            last = history.filter(**filters).order_by("-history_date").first()
        except (ValueError, ValidationError):
            return False
        return last is not None and not self._in_scope(request, last.instance, write=False)

    def history_view(self, request, object_id, extra_context=None):
        if self._hidden_by_scope(request, object_id):
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)
        return super().history_view(request, object_id, extra_context)

    # --- a save that changes nothing writes nothing ----------------------------------------

    def save_model(self, request, obj, form, change):
        """An unchanged change form saves nothing: no new version (so colleagues with the form
        open get no needless conflict) and no history row. A revert always saves, with its
        reason in the history ("되돌리기(버전 n): ...")."""
        if hasattr(obj, "_history"):
            obj._change_reason = gettext("되돌리기(버전 %(version)s): %(reason)s") % {
                "version": getattr(obj._history, "version", "?"),
                "reason": form.cleaned_data["revert_reason"],
            }
        elif change and not form.has_changed():
            obj._tracked_unsaved = True
            return
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        if getattr(obj, "_tracked_unsaved", False) and any(
            formset.has_changed() for formset in formsets or ()
        ):
            del obj._tracked_unsaved  # an inline changed: save the record as before
            super().save_model(request, obj, form, change)
        # Unchanged inline rows are not written (the formsets save only changed forms).
        super().save_related(request, form, formsets, change)

    def log_change(self, request, obj, message):
        if getattr(obj, "_tracked_unsaved", False):
            return None  # no "nothing changed" entry in the admin log
        return super().log_change(request, obj, message)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if self._hidden_by_scope(request, object_id):
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)
        history = deleted.history_model(self.model)
        extra_context = {
            **(extra_context or {}),
            "version_record": history.objects.filter(history_id=version_id)
            .select_related("history_user")
            .first(),
        }
        try:
            return super().history_form_view(request, object_id, version_id, extra_context)
        except StaleVersionError as exc:
            self.message_user(
                request, stale_message(exc.model, exc.pk, exc.expected_version), messages.ERROR
            )
            return HttpResponseRedirect(request.get_full_path())

    def get_historical_record_context_helper(self, request, historical_record):
        return KoreanHistoryContextHelper(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """The "what changed" column of the history page, without bookkeeping columns."""
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current,
                    excluded_fields=HIDDEN_DIFF_FIELDS,
                    foreign_keys_are_objs=foreign_keys_are_objs,
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current

    # --- export ---------------------------------------------------------------------------

    def get_export_formats(self):
        # Formula-like text is exported with a leading apostrophe, which imports strip again.
        return [EscapedCSV, EscapedXLSX]

    def get_export_filename(self, request, queryset, file_format):
        """e.g. ``기업-2026-11-22.csv``: the model's Korean name and the local (Seoul) date."""
        name = str(self.model._meta.verbose_name_plural).replace("/", "·")
        return f"{name}-{timezone.localdate().isoformat()}.{file_format.get_extension()}"

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        response = super()._do_file_export(file_format, request, queryset, export_form)
        # A Korean file name needs RFC 6266 ``filename*=utf-8''...``.
        response["Content-Disposition"] = content_disposition_header(
            True, self.get_export_filename(request, queryset, file_format)
        )
        return response

    def get_export_resource_classes(self, request):
        return list(self.resource_classes) or [export_resource_for(self.model)]

    def get_export_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def changelist_view(self, request, extra_context=None):
        extra_context = dict(extra_context or {})
        if self._can_restore(request):
            opts = self.model._meta
            extra_context["deleted_url"] = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_deleted"
            )
        if self.import_kind and self._can_import(request):
            extra_context["staff_import_url"] = reverse(
                "staff:import-upload", args=[self.import_kind]
            )
        return super().changelist_view(request, extra_context)

    def _can_import(self, request) -> bool:
        opts = self.model._meta
        return request.user.has_perm(f"{opts.app_label}.add_{opts.model_name}") and (
            request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
        )


def _recorded_values(model, row) -> list[tuple[str, str]]:
    """(label, value) of the fields a deleted record had, as staff read them."""
    values = []
    for field in model._meta.concrete_fields:
        if field.name in HIDDEN_DIFF_FIELDS or field.primary_key or not field.editable:
            continue
        if field.is_relation:
            related_pk = getattr(row, field.attname)
            related = (
                field.related_model._base_manager.filter(pk=related_pk).first()
                if related_pk is not None
                else None
            )
            shown = (
                str(related)
                if related is not None
                else (
                    gettext("(없음)")
                    if related_pk is None
                    else gettext("(삭제됨 #%s)") % related_pk
                )
            )
        else:
            shown = display_value(model, field.name, getattr(row, field.attname))
        values.append((str(field.verbose_name), shown))
    return values


class SourcesMixin:
    """Sources are picked with an autocomplete, not a 500-row select."""

    @admin.display(description=_("출처 수"))
    def source_count(self, obj):
        return obj.sources.count()
