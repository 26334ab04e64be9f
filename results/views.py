"""Staff pages of results reporting (inside the admin, under /admin/results/) and the public
results workbook of a program.

* 내 보고 할 일 (``todo``): a reporter's open periods, those due soon, updates returned to them;
* 검토 대기 (``review``): submitted updates waiting for a ministry editor (not their own);
* 보고 (``update_detail``): values, breakdown, evidence, the review record and the actions;
* 일괄 입력 (``entry``): one screen for a period's values of all of a region's targets; the
  spreadsheet import of the same values goes through the staff import (``staff.imports``);
* the workbook of a program (``workbook``): every target, period, value, status, region and
  breakdown (approved values for the public; staff also get the workflow sheet).

Every write calls ``results.services``; a refused action is shown as its Korean message.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.models import Region
from core.publication import is_staff
from core.scoping import restricted_region_ids, scope_queryset
from programs.models import Program, Target

from . import services
from .models import (
    ReportingPeriod,
    ResultEvidence,
    ResultTransition,
    ResultUpdate,
    check_evidence,
)
from .workbook import build_results_workbook

S = ResultUpdate.Status
DUE_SOON_DAYS = 14


def _context(request, **extra):
    return {**admin.site.each_context(request), **extra}


def _reportable_periods(user, today):
    """Open periods (started, not locked) of the targets ``user`` may report."""
    periods = scope_queryset(
        user,
        ReportingPeriod.objects.filter(locked=False, start__lte=today).select_related(
            "target__program",
            "target__regional_participation__region",
            "target__regional_participation__program",
        ),
    )
    restricted = restricted_region_ids(user)
    if restricted is not None:
        periods = periods.filter(target__regional_participation__region_id__in=restricted)
    elif services.can_review(user):
        # ministry editors report the program-level targets; regions report their own
        periods = periods.filter(target__regional_participation__isnull=True)
    else:
        return periods.none()
    reported = ResultUpdate.objects.filter(period=OuterRef("pk")).exclude(status=S.DRAFT)
    return periods.filter(~Exists(reported)).order_by("deadline", "target_id")


def todo(request):
    """내 보고 할 일."""
    user = request.user
    today = timezone.localdate()
    periods = list(_reportable_periods(user, today)[:200])
    drafts = {
        u.period_id: u
        for u in ResultUpdate.objects.filter(period_id__in=[p.pk for p in periods], status=S.DRAFT)
    }
    rows = [
        {
            "period": p,
            "draft": drafts.get(p.pk),
            "overdue": p.deadline < today,
            "due_soon": today <= p.deadline <= today + datetime.timedelta(days=DUE_SOON_DAYS),
        }
        for p in periods
    ]
    returned = scope_queryset(
        user,
        ResultUpdate.objects.filter(status=S.RETURNED)
        .filter(Q(submitted_by=user) | Q(created_by=user))
        .select_related("period__target__regional_participation__region", "reviewed_by"),
    ).order_by("reviewed_at")
    regions = Region.objects.filter(id__in=restricted_region_ids(user) or []).order_by("code")
    return TemplateResponse(
        request,
        "results/todo.html",
        _context(
            request,
            title=_("내 보고 할 일"),
            today=today,
            rows=rows,
            due_soon=[r for r in rows if r["due_soon"]],
            returned=list(returned),
            regions=regions,
        ),
    )


class ReviewForm(forms.Form):
    action = forms.ChoiceField(choices=[("approve", _("승인")), ("return", _("반려"))])
    version = forms.IntegerField(min_value=1)
    reason = forms.CharField(required=False, max_length=500)


def review(request):
    """검토 대기: submitted and resubmitted updates for ministry editors."""
    if not services.can_review(request.user):
        raise PermissionDenied
    waiting = (
        ResultUpdate.objects.filter(status__in=(S.SUBMITTED, S.RESUBMITTED))
        .select_related(
            "period__target__regional_participation__region",
            "period__target__program",
            "submitted_by",
        )
        .prefetch_related("parts", "evidence")
        .order_by("submitted_at", "id")
    )
    items = [{"update": u, "own": u.submitted_by_id == request.user.pk} for u in waiting[:200]]
    return TemplateResponse(
        request,
        "results/review.html",
        _context(
            request,
            title=_("실적 검토 대기"),
            items=items,
            programs=Program.objects.filter(
                Q(targets__periods__isnull=False)
                | Q(regional_participations__targets__periods__isnull=False)
            )
            .distinct()
            .order_by("name"),
        ),
    )


def _update_in_scope(request, pk) -> ResultUpdate:
    update = get_object_or_404(
        scope_queryset(
            request.user,
            ResultUpdate.objects.select_related(
                "period__target__regional_participation__region",
                "period__target__program",
                "submitted_by",
                "reviewed_by",
                "created_by",
            ),
        ),
        pk=pk,
    )
    return update


def _decimal(text):
    text = (text or "").strip().replace(",", "")
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("숫자를 적어 주세요: %(text)s") % {"text": text}) from None


def _date(text):
    text = (text or "").strip()
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            _("날짜는 2025-06-30처럼 적어 주세요: %(text)s") % {"text": text}
        ) from None


def _version(text) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() and 0 < len(text) < 10 else None


def _error_text(exc) -> str:
    if isinstance(exc, services.WorkflowError):
        return exc.message
    if hasattr(exc, "message_dict"):
        return " ".join(m for msgs in exc.message_dict.values() for m in msgs)
    return " ".join(exc.messages)


def update_detail(request, pk):
    """One update: its values and breakdown (editable while a draft or returned), evidence,
    the review record, and the actions the user may take."""
    update = _update_in_scope(request, pk)
    if request.method == "POST":
        what = request.POST.get("do")
        try:
            if what == "save":
                parts = []
                for category, value in zip(
                    request.POST.getlist("part_category"),
                    request.POST.getlist("part_value"),
                    strict=False,
                ):
                    if category.strip():
                        parts.append(services.Part(category.strip(), _decimal(value)))
                services.update_save(
                    user=request.user,
                    period=update.period,
                    update=update,
                    value=_decimal(request.POST.get("value")),
                    numerator=_decimal(request.POST.get("numerator")),
                    denominator=_decimal(request.POST.get("denominator")),
                    as_of=_date(request.POST.get("as_of")),
                    comment=request.POST.get("comment", ""),
                    source=update.source,
                    dimension=request.POST.get("dimension", ""),
                    parts=parts,
                    version=_version(request.POST.get("version")) or update.version,
                )
                messages.success(request, _("저장했습니다."))
            elif what == "evidence":
                upload = request.FILES.get("file")
                if upload is None:
                    raise ValidationError(_("파일을 골라 주세요."))
                services.update_check_writable(
                    user=request.user, period=update.period, update=update
                )
                check_evidence(upload.name, upload.size, upload.read(8))
                upload.seek(0)
                ResultEvidence.objects.create(
                    update=update,
                    file=upload,
                    original_name=upload.name[:255],
                    size_bytes=upload.size,
                    uploaded_by=request.user,
                )
                messages.success(request, _("증빙 파일을 올렸습니다."))
            elif what in services.TRANSITIONS:
                services.update_transition(
                    update=update,
                    action=what,
                    user=request.user,
                    version=_version(request.POST.get("version")),
                    reason=request.POST.get("reason", ""),
                )
                messages.success(
                    request, _("%(action)s했습니다.") % {"action": services.ACTION_LABELS[what]}
                )
            else:
                raise ValidationError(_("알 수 없는 요청입니다."))
        except (services.WorkflowError, ValidationError) as exc:
            messages.error(request, _error_text(exc))
        except Exception as exc:  # a stale save: StaleVersionError
            from core.models import StaleVersionError

            if not isinstance(exc, StaleVersionError):
                raise
            messages.error(request, str(exc))
        return redirect(reverse("results:update", args=[update.pk]))
    update.refresh_from_db()
    return TemplateResponse(
        request,
        "results/update.html",
        _context(
            request,
            title=_("실적 보고"),
            update=update,
            target=update.period.target,
            editable=update.status in services.EDITABLE and not update.period.locked,
            actions=services.next_actions(update, request.user),
            transitions=ResultTransition.objects.filter(update=update)
            .select_related("user")
            .order_by("at", "id"),
            parts=list(update.parts.all()),
            evidence=list(update.evidence.select_related("uploaded_by")),
            dimensions=ResultUpdate.Dimension.choices[1:],
            labels=services.ACTION_LABELS,
            can_lock=services.can_review(request.user),
        ),
    )


@require_POST
def update_new(request, period_pk):
    period = get_object_or_404(
        scope_queryset(request.user, ReportingPeriod.objects.select_related("target")),
        pk=period_pk,
    )
    existing = period.updates.filter(status__in=services.EDITABLE).first()
    if existing is not None:
        return redirect(reverse("results:update", args=[existing.pk]))
    value = _decimal(request.POST.get("value")) or Decimal(0)
    try:
        if period.target.measure == Target.Measure.PERCENTAGE:
            update = services.update_save(
                user=request.user,
                period=period,
                numerator=Decimal(0),
                denominator=Decimal(1),
            )
        else:
            update = services.update_save(user=request.user, period=period, value=value)
    except (services.WorkflowError, ValidationError) as exc:
        messages.error(request, _error_text(exc))
        return redirect(reverse("results:todo"))
    return redirect(reverse("results:update", args=[update.pk]))


def evidence_download(request, pk):
    evidence = get_object_or_404(
        scope_queryset(
            request.user, ResultEvidence.objects.select_related("update__period__target")
        ),
        pk=pk,
    )
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name
    )


def entry(request, region_code, start):
    """일괄 입력: a period's values for every target of a region, in one form."""
    region = get_object_or_404(Region, code=region_code)
    try:
        start_date = datetime.date.fromisoformat(start)
    except ValueError:
        raise Http404 from None
    periods = list(
        scope_queryset(
            request.user,
            ReportingPeriod.objects.filter(
                start=start_date, target__regional_participation__region=region
            ).select_related("target__regional_participation__program"),
        ).order_by("target__regional_participation__program__name", "target_id")
    )
    if not periods:
        raise Http404
    current = {
        u.period_id: u
        for u in ResultUpdate.objects.filter(
            period__in=periods, status__in=services.EDITABLE
        ).order_by("id")
    }
    results = []
    if request.method == "POST":
        submit = request.POST.get("submit") == "1"
        with transaction.atomic():
            for period in periods:
                prefix = f"p{period.pk}-"
                fields = {
                    k: request.POST.get(prefix + k, "")
                    for k in ("value", "numerator", "denominator", "as_of", "comment")
                }
                if not any(fields[k].strip() for k in ("value", "numerator", "denominator")):
                    continue
                try:
                    with transaction.atomic():
                        update = services.update_save(
                            user=request.user,
                            period=period,
                            update=current.get(period.pk),
                            value=_decimal(fields["value"]),
                            numerator=_decimal(fields["numerator"]),
                            denominator=_decimal(fields["denominator"]),
                            as_of=_date(fields["as_of"]),
                            comment=fields["comment"],
                        )
                        if submit:
                            services.update_transition(
                                update=update, action="submit", user=request.user
                            )
                    results.append((period, None))
                except (services.WorkflowError, ValidationError) as exc:
                    results.append((period, _error_text(exc)))
        errors = [(p, e) for p, e in results if e]
        saved = len(results) - len(errors)
        if saved:
            messages.success(
                request,
                (
                    _("%(n)d개 목표의 보고를 저장하고 제출했습니다.")
                    if submit
                    else _("%(n)d개 목표의 보고를 저장했습니다.")
                )
                % {"n": saved},
            )
        for period, error in errors:
            messages.error(request, f"{period.target.metric}: {error}")
        if not errors:
            return redirect(request.path)
        current = {
            u.period_id: u
            for u in ResultUpdate.objects.filter(period__in=periods, status__in=services.EDITABLE)
        }
    rows = []
    for period in periods:
        approved = period.updates.filter(status=S.APPROVED).count()
        waiting = period.updates.filter(status__in=(S.SUBMITTED, S.RESUBMITTED)).first()
        rows.append(
            {
                "period": period,
                "target": period.target,
                "update": current.get(period.pk),
                "waiting": waiting,
                "approved": approved,
                "prefix": f"p{period.pk}-",
            }
        )
    return TemplateResponse(
        request,
        "results/entry.html",
        _context(
            request,
            title=_("%(region)s %(period)s 실적 일괄 입력")
            % {"region": region.short_name, "period": periods[0].label},
            region=region,
            rows=rows,
            start=start_date,
            template_url=reverse("results:entry-template", args=[region.code, start]),
            can_lock=services.can_review(request.user),
            import_url=reverse("staff:import-upload", args=["results"]),
        ),
    )


def entry_template(request, region_code, start):
    """The import template of a region's period, one row per target (CSV, UTF-8 with BOM)."""
    import csv
    import io

    region = get_object_or_404(Region, code=region_code)
    periods = scope_queryset(
        request.user,
        ReportingPeriod.objects.filter(
            start=start, target__regional_participation__region=region
        ).select_related("target"),
    ).order_by("target_id")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["보고 기간 번호", "목표", "실적값", "분자", "분모", "기준일", "설명"])
    for period in periods:
        writer.writerow([period.pk, period.target.metric, "", "", "", period.end.isoformat(), ""])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"results-{region.code}-{start}.csv"
    )
    return response


@require_POST
def period_lock(request, pk):
    period = get_object_or_404(ReportingPeriod.objects.select_related("target"), pk=pk)
    try:
        services.period_lock(
            period=period,
            user=request.user,
            reason=request.POST.get("reason", ""),
            locked=request.POST.get("locked") == "1",
        )
        messages.success(
            request, _("보고 기간을 잠갔습니다.") if period.locked else _("잠금을 풀었습니다.")
        )
    except services.WorkflowError as exc:
        messages.error(request, exc.message)
    return redirect(request.POST.get("next") or reverse("results:review"))


def workbook(request, slug):
    """The program's results workbook (XLSX): public data for everyone, plus the workflow sheet
    for staff (from the admin)."""
    program = get_object_or_404(Program, slug=slug)
    staff = is_staff(request.user) and request.path.startswith("/admin/")
    content = build_results_workbook(program, staff=staff)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"{program.slug}-results{'-staff' if staff else ''}.xlsx"
    )
    return response
