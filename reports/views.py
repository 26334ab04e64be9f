"""Public download of a program's XLSX report (URL name ``program-report``), Korean or English."""

from django.db import transaction
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.views.decorators.http import require_safe

from programs.models import Program

from . import services
from .xlsx import LANGUAGES

RETRY_SECONDS = 5


def report_file_response(report) -> FileResponse:
    response = FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=report.filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    # Revalidated on every download: a newer file may exist as soon as the data changes.
    response["Cache-Control"] = "no-cache"
    return response


def report_language(request) -> str:
    """``?lang=en`` or ``?lang=ko``; else the language of the page the link was on."""
    wanted = request.GET.get("lang", "")
    if wanted in LANGUAGES:
        return wanted
    active = (translation.get_language() or "ko")[:2]
    return active if active in LANGUAGES else "ko"


@require_safe
def program_report_download(request, slug: str) -> HttpResponse:
    """Serve the report drawn from the data as it is now.

    A report made before the latest change of the public data (or before an embargo lifted)
    is out of date: a new one is requested (at most one at a time per program and language).
    Without a broker it is built in-process and served at once; with a worker a "생성 중"
    page answers 202 and refreshes itself until the file is ready, within seconds.
    """
    program = get_object_or_404(Program.objects.only("pk", "slug", "name", "name_en"), slug=slug)
    language = report_language(request)
    stamp = services.program_report_stamp()
    latest = services.program_report_latest(program=program, language=language)
    if latest is not None and services.program_report_is_current(latest, stamp=stamp):
        return report_file_response(latest)
    with transaction.atomic():
        pending = services.program_report_request(program=program, language=language)
    latest = services.program_report_latest(program=program, language=language)
    if latest is not None and services.program_report_is_current(latest):
        return report_file_response(latest)
    with translation.override(language):
        response = render(
            request,
            "reports/report_generating.html",
            {"program": program, "report": pending, "retry_seconds": RETRY_SECONDS},
            status=202,
        )
    response["Retry-After"] = str(RETRY_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
