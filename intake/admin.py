"""The intake in the admin: hand a text or file in, review its proposals, accept or reject."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from core import scoping
from core.amounts import AmountError, parse_krw

from .models import IntakeDocument
from .readers import EXTENSIONS, MAX_UPLOAD_BYTES, IntakeInputError
from .services import (
    KIND_LABELS,
    IntakeRefused,
    intake_accept,
    intake_document_create,
    intake_items_override,
)


class IntakeForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("본문 붙여 넣기"),
        widget=forms.Textarea(attrs={"rows": 14, "cols": 100}),
        required=False,
    )
    upload = forms.FileField(
        label=gettext_lazy("또는 파일"),
        required=False,
        # translated when the form is shown, not when the module is imported
        help_text=lazy(
            lambda: (
                gettext("%(kinds)s, 최대 %(mb)s MB. HWP는 HWPX나 PDF로 저장해 올려 주세요.")
                % {"kinds": ", ".join(EXTENSIONS), "mb": MAX_UPLOAD_BYTES // 1048576}
            ),
            str,
        )(),
    )
    published_on = forms.DateField(
        label=gettext_lazy("발행일"),
        required=False,
        help_text=gettext_lazy("본문에 날짜가 없을 때 (YYYY-MM-DD)"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    url = forms.URLField(label=gettext_lazy("URL"), required=False, assume_scheme="https")

    def clean(self):
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("upload"):
            raise forms.ValidationError(_("본문을 붙여 넣거나 파일을 올려 주세요."))
        return data


def _coerce(original, raw: str, name: str):
    """A field value as staff typed it, back to the proposal's type."""
    raw = raw.strip()
    if name.endswith("_krw"):
        return parse_krw(raw) if raw else None
    if isinstance(original, bool):
        return raw in ("1", "true", "on", "예")
    if isinstance(original, int):
        return int(raw.replace(",", "")) if raw else None
    if isinstance(original, float):
        return float(Decimal(raw.replace(",", ""))) if raw else None
    if isinstance(original, list):
        return original
    if original is None and raw == "":
        return None
    return raw


MODELS = {
    "program": "programs.Program",
    "organization": "core.Organization",
    "company": "companies.Company",
    "person": "core.Person",
    "event": "events.Event",
    "agenda_item": "events.AgendaItem",
    "event_participant": "events.EventParticipant",
    "budget_line": "programs.BudgetLine",
    "regional_participation": "programs.RegionalParticipation",
    "hub": "programs.Hub",
    "target": "programs.Target",
    "outcome": "programs.Outcome",
    "award": "events.Award",
    "observation": "indicators.Observation",
}
EXTRA_LABELS = {
    "region": "지역 (코드)",
    "staff_only": "비공개 항목",
    "series": "통계 계열",
    "program": "사업",
}


def field_label(kind: str, name: str) -> str:
    """The Korean label of a proposed field: the model field's verbose name where it has one."""
    from django.apps import apps

    if name in EXTRA_LABELS:
        return EXTRA_LABELS[name]
    model = apps.get_model(MODELS[kind]) if kind in MODELS else None
    try:
        return str(model._meta.get_field(name).verbose_name) if model else name
    except FieldDoesNotExist:  # a proposal field the model does not have (e.g. "event")
        return name


def highlighted(text: str, start: int, end: int, proposals: list[dict]) -> str:
    """The item's text with every evidence sentence marked (title: the proposals it backs)."""
    spans: dict[tuple[int, int], list[str]] = {}
    for proposal in proposals:
        evidence = proposal["evidence"]
        if start <= evidence["start"] < evidence["end"] <= end:
            spans.setdefault((evidence["start"], evidence["end"]), []).append(
                f"{proposal['id']} {KIND_LABELS.get(proposal['kind'], proposal['kind'])}"
            )
    parts, position = [], start
    for (s, e), labels in sorted(spans.items()):
        if s < position:
            continue
        parts.append(escape(text[position:s]))
        parts.append(
            f'<mark class="intake-evidence" title="{escape(", ".join(labels))}">{escape(text[s:e])}'
            f"<sup>{escape(', '.join(label.split(' ')[0] for label in labels))}</sup></mark>"
        )
        position = e
    parts.append(escape(text[position:end]))
    return mark_safe("".join(parts))


@admin.register(IntakeDocument)
class IntakeDocumentAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "status", "progress", "source", "user", "created_at")
    list_filter = ("status",)
    search_fields = ("title", "original_name", "text")
    autocomplete_fields = ("source",)
    list_select_related = ("source", "user")
    readonly_fields = ("status", "progress", "error", "source", "user", "original_name")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if scoping.restricted_region_ids(request.user) is not None:
            return queryset.filter(user=request.user)  # a regional editor sees its own intakes
        return queryset

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = IntakeForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                intake = intake_document_create(
                    user=request.user,
                    text=form.cleaned_data["text"],
                    upload=form.cleaned_data["upload"],
                    published=form.cleaned_data["published_on"],
                    url=form.cleaned_data["url"],
                )
            except IntakeInputError as error:
                form.add_error(None, error.message)
            else:
                if intake.status == IntakeDocument.Status.QUEUED:
                    messages.info(
                        request,
                        _("파일이 커서 백그라운드에서 분석합니다. 진행률은 이 페이지에 나옵니다."),
                    )
                return redirect(reverse("admin:intake_intakedocument_change", args=[intake.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("보도자료 입수"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/intake/add.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        intake = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_view_permission(request, intake):
            raise PermissionDenied
        errors: dict[str, str] = {}
        if request.method == "POST":
            if not self.has_change_permission(request, intake):
                raise PermissionDenied
            if "override" in request.POST:
                relevant = {
                    key.split(":", 1)[1]: value == "1"
                    for key, value in request.POST.items()
                    if key.startswith("relevant:")
                }
                intake_items_override(intake=intake, relevant=relevant, user=request.user)
                messages.success(request, _("항목 판단을 바꾸고 제안을 다시 만들었습니다."))
                return redirect(request.path)
            decisions, errors = self._decisions(request, intake)
            if not errors:
                try:
                    written = intake_accept(intake=intake, decisions=decisions, user=request.user)
                except IntakeRefused as refused:
                    errors = refused.errors
                else:
                    messages.success(
                        request,
                        _(
                            "제안 %(n)d건을 반영했습니다. 출처는 한 번 만들어 모든 기록에 달았습니다."
                        )
                        % {"n": len(written)},
                    )
                    return redirect(request.path)
            messages.error(request, _("아무것도 저장하지 않았습니다. 표시된 제안을 고쳐 주세요."))
        return TemplateResponse(
            request, "admin/intake/review.html", self._review_context(request, intake, errors)
        )

    def _decisions(self, request, intake):
        decisions: dict[str, dict] = {}
        errors: dict[str, str] = {}
        item_choice = {
            int(key.split(":", 1)[1]): value
            for key, value in request.POST.items()
            if key.startswith("item:")
        }
        for number, article in enumerate(intake.result.get("articles", [])):
            for proposal in article["proposals"]:
                pid = proposal["id"]
                choice = item_choice.get(number) or request.POST.get(f"decision:{pid}", "")
                if choice in ("", "each"):
                    choice = request.POST.get(f"decision:{pid}", "")
                if choice not in ("accept", "reject"):
                    continue
                fields = {}
                for name, original in proposal["fields"].items():
                    key = f"field:{pid}:{name}"
                    if key in request.POST:
                        try:
                            fields[name] = _coerce(original, request.POST[key], name)
                        except (AmountError, ValueError, InvalidOperation) as error:
                            errors[pid] = f"{name}: {error}"
                decisions[pid] = {"accept": choice == "accept", "fields": fields}
        if not decisions and not errors:
            errors["_"] = _("승인하거나 거절할 제안을 고르세요.")
        return decisions, errors

    def _review_context(self, request, intake, errors):
        result = intake.result or {}
        text = result.get("text") or intake.text
        articles = []
        for number, article in enumerate(result.get("articles", [])):
            item = article["item"]
            proposals = []
            for proposal in article["proposals"]:
                proposals.append(
                    {
                        **proposal,
                        "label": KIND_LABELS.get(proposal["kind"], proposal["kind"]),
                        "error": errors.get(proposal["id"], ""),
                        "inputs": [
                            {
                                "name": name,
                                "label": field_label(proposal["kind"], name),
                                "value": ""
                                if value is None
                                else (
                                    json.dumps(value, ensure_ascii=False)
                                    if isinstance(value, (list, dict))
                                    else str(value)
                                ),
                                "staff_only": name in proposal["fields"].get("staff_only", ()),
                                "readonly": isinstance(value, (list, dict)),
                            }
                            for name, value in proposal["fields"].items()
                        ],
                    }
                )
            articles.append(
                {
                    "number": number,
                    "article": article,
                    "item": item,
                    "html": highlighted(text, item["start"], item["end"], article["proposals"]),
                    "proposals": proposals,
                }
            )
        return {
            **self.admin_site.each_context(request),
            "title": _("보도자료 입수 검토: %(title)s") % {"title": intake},
            "intake": intake,
            "source": result.get("source", {}),
            "articles": articles,
            "errors": errors,
            "general_error": errors.get("_", ""),
            "opts": self.model._meta,
            "can_change": self.has_change_permission(request, intake),
            "history_url": reverse("admin:intake_intakedocument_history", args=[intake.pk]),
        }
