"""Staff pages inside the admin: spreadsheet import (upload, check, confirm, progress) and the
data-quality review. Every view is wrapped by ``admin.site.admin_view`` in ``staff/urls.py``."""

import csv
import io
from collections import defaultdict

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from companies.models import Company
from core.client_address import client_ip
from core.resources import CLEAR_MARKER
from core.scoping import scope_queryset

from . import imports, selectors, tasks
from .models import ImportJob

# --- import ---------------------------------------------------------------------------------


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("파일 (CSV 또는 XLSX)"),
        help_text=gettext_lazy("CSV는 UTF-8 또는 CP949(한글 엑셀)로 저장한 파일을 받습니다."),
    )


def _kind_or_404(kind: str) -> str:
    if kind not in imports.RESOURCES:
        raise Http404
    return kind


def _sees_every_job(user) -> bool:
    return user.is_superuser or user.has_perm("staff.change_importjob")


def _job_or_404(request, pk: int) -> ImportJob:
    job = get_object_or_404(ImportJob.objects.select_related("user"), pk=pk)
    if job.user_id != request.user.pk and not _sees_every_job(request.user):
        raise Http404
    return job


def _context(request, **extra):
    return {**admin.site.each_context(request), **extra}


def _start(job: ImportJob, dataset=None) -> None:
    """Run the waiting phase now (small files, with the rows read at upload) or as a
    background job (large files)."""
    if job.background:
        tasks.enqueue_import_job(job.pk)
    else:
        imports.import_job_run(job_id=job.pk, dataset=dataset)


def import_upload(request, kind):
    kind = _kind_or_404(kind)
    if not imports.can_import(request.user, kind):
        raise PermissionDenied
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = imports.import_job_create(
            user=request.user,
            kind=kind,
            upload=form.cleaned_data["file"],
            client_ip=client_ip(request),
        )
        if job.status == ImportJob.Status.QUEUED:
            _start(job, job.dataset)
        return redirect("staff:import-job", pk=job.pk)
    resource = imports.RESOURCES[kind]
    columns = [
        {"name": name, "required": name in resource.required_columns}
        for name in resource.template_columns()
    ]
    recent = ImportJob.objects.filter(user=request.user, kind=kind)[:10]
    return TemplateResponse(
        request,
        "admin/staff/import_upload.html",
        _context(
            request,
            title=_("%(kind)s 가져오기") % {"kind": ImportJob.Kind(kind).label},
            kind=kind,
            kind_label=ImportJob.Kind(kind).label,
            form=form,
            columns=columns,
            recent=recent,
            threshold=imports.background_threshold(),
            max_upload=imports.max_upload_bytes(),
            clear_marker=CLEAR_MARKER,
        ),
    )


def import_template(request, kind, fmt):
    kind = _kind_or_404(kind)
    dataset = imports.template_dataset(kind)
    if fmt == "csv":
        body = ("\ufeff" + dataset.export("csv")).encode("utf-8")
        content_type = "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body = dataset.export("xlsx")
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.{fmt}"'
    return response


def _status_payload(job: ImportJob) -> dict:
    done = imports.import_job_progress(job)
    percent = round(100 * done / job.total) if job.total else (0 if job.is_running else 100)
    stuck = job.is_stuck
    return {
        "id": job.pk,
        "status": job.status,
        "status_display": _("멈춤 — 작업 프로세스가 응답하지 않습니다")
        if stuck
        else job.get_status_display(),
        "stuck": stuck,
        "running": job.is_running and not stuck,
        "progress": done,
        "total": job.total,
        "percent": percent,
        "error_count": len(job.errors),
    }


PREVIEW_PAGE_SIZE = 100
PREVIEW_FILTERS = {
    "": gettext_lazy("전체"),
    "new": gettext_lazy("새 기록"),
    "changed": gettext_lazy("바뀌는 기록"),
    "unchanged": gettext_lazy("바뀌지 않는 기록"),
    "error": gettext_lazy("오류"),
}


def _preview(request, job: ImportJob) -> dict:
    """The dry run's rows, filtered by status and paginated, with each row's errors."""
    from django.core.paginator import Paginator

    rows = job.report.get("rows", [])
    counts = {key: 0 for key in PREVIEW_FILTERS if key}
    for row in rows:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    wanted = request.GET.get("show", "")
    if wanted not in PREVIEW_FILTERS:
        wanted = ""
    shown = [row for row in rows if not wanted or row["status"] == wanted]
    page = Paginator(shown, PREVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    errors_by_row = defaultdict(list)
    for error in job.errors:
        errors_by_row[error["row"]].append(error)
    entries = [{**row, "errors": errors_by_row.get(row["row"], [])} for row in page.object_list]
    filters = [
        {"key": key, "label": label, "count": counts.get(key, len(rows)) if key else len(rows)}
        for key, label in PREVIEW_FILTERS.items()
    ]
    return {"page": page, "rows": entries, "filters": filters, "show": wanted}


def import_job_detail(request, pk):
    job = _job_or_404(request, pk)
    can_confirm = job.status == ImportJob.Status.CHECKED and imports.can_import(
        request.user, job.kind
    )
    can_restart = imports.import_job_restartable(job) and imports.can_import(request.user, job.kind)
    return TemplateResponse(
        request,
        "admin/staff/import_job.html",
        _context(
            request,
            title=_("가져오기 #%(id)s — %(kind)s") % {"id": job.pk, "kind": job.get_kind_display()},
            job=job,
            status=_status_payload(job),
            errors=[e for e in job.errors if e["row"] is None],
            error_count=len(job.errors),
            counts=job.report.get("counts", {}),
            preview=_preview(request, job),
            can_confirm=can_confirm,
            can_restart=can_restart,
            changelist_url=_changelist_url(job.kind),
        ),
    )


def _changelist_url(kind: str) -> str:
    model = imports.RESOURCES[kind]._meta.model
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def import_job_status(request, pk):
    return JsonResponse(_status_payload(_job_or_404(request, pk)))


@require_POST
def import_job_confirm(request, pk):
    job = _job_or_404(request, pk)
    if not imports.can_import(request.user, job.kind):
        raise PermissionDenied
    if not imports.import_job_confirm(job_id=job.pk):
        messages.error(request, _("검사를 통과한 뒤 확인을 기다리는 작업만 가져올 수 있습니다."))
        return redirect("staff:import-job", pk=job.pk)
    job.status = ImportJob.Status.IMPORT_QUEUED
    _start(job)
    return redirect("staff:import-job", pk=job.pk)


@require_POST
def import_job_restart(request, pk):
    job = _job_or_404(request, pk)
    if not imports.can_import(request.user, job.kind):
        raise PermissionDenied
    if not imports.import_job_restartable(job):
        messages.error(
            request,
            _("멈춘 작업만 다시 시작할 수 있습니다. 이 작업은 아직 진행 중이거나 끝났습니다."),
        )
        return redirect("staff:import-job", pk=job.pk)
    tasks.enqueue_import_job(job.pk)  # to a worker: the request is not held up
    messages.success(
        request, _("작업을 다시 시작했습니다. 이 페이지에서 진행 상황을 볼 수 있습니다.")
    )
    return redirect("staff:import-job", pk=job.pk)


# --- data quality ---------------------------------------------------------------------------


def _can_review_quality(user) -> bool:
    return user.has_perm("programs.view_participation")


def data_quality(request):
    """Every data-quality check (staff/selectors.py) with its count in the user's scope, each
    linking to its filtered changelist and export; checks with nothing to do fold away."""
    user = request.user
    if not _can_review_quality(user):
        raise PermissionDenied
    today = timezone.localdate()
    results = selectors.summary(user, today)
    groups = selectors.grouped(results)
    duplicates = selectors.duplicate_company_groups(scope_queryset(user, Company.objects.all()))
    for group in duplicates:
        group["companies"] = [
            {"label": selectors.describe_company(c), "url": _admin_url(c)}
            for c in group["companies"]
        ]
    return TemplateResponse(
        request,
        "admin/staff/data_quality.html",
        _context(
            request,
            title=_("데이터 품질 점검"),
            groups=groups,
            todo=[r for r in results if r.count],
            done=[r for r in results if not r.count],
            total=sum(r.count for r in results),
            check_count=len(results),
            duplicates=duplicates,
            today=today,
            row_limit=selectors.ROW_LIMIT,
        ),
    )


def data_quality_summary_csv(request):
    """The page's summary as CSV (UTF-8 with BOM, for Korean Excel): one row per check."""
    if not _can_review_quality(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("분류"), _("점검"), _("건수"), _("목록"), _("내려받기")])
    for result in selectors.summary(request.user, today, limit=0):
        writer.writerow(
            [
                result.check.group,
                result.title,
                result.count,
                request.build_absolute_uri(result.changelist_url),
                request.build_absolute_uri(result.export_url),
            ]
        )
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"데이터-품질-{today.isoformat()}.csv"
    )
    return response


def _admin_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


# --- login protection -----------------------------------------------------------------------


def lockout_response(request, original_response=None, credentials=None):
    """django-axes: the Korean page shown after too many failed logins (AXES_LOCKOUT_CALLABLE)."""
    from axes.helpers import get_client_username, get_cool_off, get_failure_limit

    from staff.login import LoginProtectionHandler, address_failure_limit

    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "address_locked": LoginProtectionHandler().address_locked(request, credentials),
        "address_limit": address_failure_limit(),
        "username": get_client_username(request, credentials) or "",
        "cooloff_minutes": round(cool_off.total_seconds() / 60) if cool_off else None,
        "site_title": admin.site.site_title,
        "site_header": admin.site.site_header,
    }
    return TemplateResponse(request, "admin/lockout.html", context, status=429).render()
