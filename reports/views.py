"""Public download of a program's XLSX report (URL name ``program-report``)."""

from django.db import transaction
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from programs.models import Program

from . import services

RETRY_SECONDS = 5


def report_file_response(report) -> FileResponse:
    response = FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=report.filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def program_report_download(request, slug: str) -> HttpResponse:
    """Serve the latest generated report; generate one when there is none yet.

    A report older than REPORT_MAX_AGE_SECONDS is still served while a fresh one is made in the
    background. With no report at all a generation is requested (at most one at a time per
    program): without a broker it runs in-process and the file is served at once; with a worker
    a Korean "생성 중" page answers 202 and refreshes itself until the file is ready.
    """
    program = get_object_or_404(Program.objects.only("pk", "slug", "name"), slug=slug)
    latest = services.program_report_latest(program=program)
    if latest is not None:
        if not services.program_report_is_fresh(latest):
            with transaction.atomic():
                services.program_report_request(program=program)
        return report_file_response(latest)
    with transaction.atomic():
        pending = services.program_report_request(program=program)
    latest = services.program_report_latest(program=program)
    if latest is not None:
        return report_file_response(latest)
    response = render(
        request,
        "reports/report_generating.html",
        {"program": program, "report": pending, "retry_seconds": RETRY_SECONDS},
        status=202,
    )
    response["Retry-After"] = str(RETRY_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
