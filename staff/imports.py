"""Spreadsheet imports: read the file, check every row in a dry run, then import all or nothing.

The flow of one ``ImportJob``:

1. upload (``import_job_create``): the file is decoded (UTF-8, UTF-8 with BOM or CP949 for CSV;
   XLSX) and its columns checked; a malformed file is refused at once;
2. check (``import_job_run`` on a QUEUED job): every row is imported inside a transaction that
   is rolled back, collecting every error by row, column and reason; nothing changes;
3. confirm: the same import for real, in one transaction; any error rolls all of it back.

Files of more than ``STAFF_IMPORT_BACKGROUND_ROWS`` rows (5,000) run steps 2 and 3 as a
background job (``staff.tasks``); progress goes to the cache every 0.5 s for the admin's
progress bar.
"""

import codecs
import csv
import io
import logging
from pathlib import Path

import tablib
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from import_export.formats.base_formats import XLSX

from companies.resources import CompanyResource
from core.resources import StaffImportResource, is_blank, unescape_formula
from events.resources import EventResource
from indicators.resources import ObservationResource
from programs.resources import ParticipationResource

from .models import ImportJob

logger = logging.getLogger(__name__)

RESOURCES: dict[str, type[StaffImportResource]] = {
    ImportJob.Kind.COMPANIES: CompanyResource,
    ImportJob.Kind.PARTICIPATIONS: ParticipationResource,
    ImportJob.Kind.EVENTS: EventResource,
    ImportJob.Kind.OBSERVATIONS: ObservationResource,
}
# Permissions needed to import each kind: add and change of every model a row may write.
PERMISSIONS: dict[str, list[str]] = {
    ImportJob.Kind.COMPANIES: ["companies.add_company", "companies.change_company"],
    ImportJob.Kind.PARTICIPATIONS: [
        "programs.add_participation",
        "programs.change_participation",
        "programs.add_outcome",
        "programs.change_outcome",
    ],
    ImportJob.Kind.EVENTS: [
        "events.add_event",
        "events.change_event",
        "events.add_agendaitem",
        "events.change_agendaitem",
    ],
    ImportJob.Kind.OBSERVATIONS: [
        "indicators.add_observation",
        "indicators.change_observation",
    ],
}


class ImportFileError(Exception):
    """The file as a whole cannot be imported (encoding, format, columns); message in Korean."""


def background_threshold() -> int:
    return getattr(settings, "STAFF_IMPORT_BACKGROUND_ROWS", 5000)


def can_import(user, kind: str) -> bool:
    return user.is_active and user.is_staff and user.has_perms(PERMISSIONS[kind])


# --- reading ------------------------------------------------------------------------------


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM), else CP949 as Korean Excel saves "CSV"; else refuse."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = [("utf-8", data[len(codecs.BOM_UTF8) :])]
    else:
        candidates = [("utf-8", data), ("cp949", data)]
    for encoding, payload in candidates:
        try:
            return payload.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(
        _(
            "파일의 문자 인코딩을 읽을 수 없습니다. UTF-8 또는 CP949(한글 엑셀의 "
            "'CSV (쉼표로 분리)')로 저장한 CSV, 또는 XLSX 파일을 올려 주세요."
        )
    )


def read_csv(text: str) -> tablib.Dataset:
    """CSV text as a dataset; ``line_numbers[i]``: the line where data row ``i`` starts.

    Strict parsing, so an unclosed quote is refused with its line instead of silently swallowing
    the rest of the file into one cell.
    """
    raw = tablib.Dataset()
    raw.line_numbers = []
    if not text.strip():
        return raw
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start, first = 1, True
    try:
        for row in reader:
            if first:
                raw.headers, first = row, False
            elif row:
                width = len(raw.headers)
                if width and len(row) > width:
                    raise ImportFileError(
                        _(
                            "CSV 파일의 %(line)s번째 줄에 칸이 %(found)s개 있습니다. "
                            "첫 줄의 열 수(%(expected)s개)보다 많습니다."
                        )
                        % {"line": start, "found": len(row), "expected": width}
                    )
                raw.append(row + [""] * (width - len(row)))
                raw.line_numbers.append(start)
            start = reader.line_num + 1
    except csv.Error:
        raise ImportFileError(
            _(
                "CSV 파일의 형식을 읽을 수 없습니다: %(line)s번째 줄에서 시작하는 행의 "
                '따옴표(")가 닫히지 않았거나 잘못 쓰였습니다.'
            )
            % {"line": start}
        ) from None
    return raw


def read_dataset(data: bytes, filename: str, resource_class) -> tablib.Dataset:
    """The file as a dataset of non-blank rows with checked columns.

    ``dataset.line_numbers[i]`` is the spreadsheet line of data row ``i`` (the header is line 1).
    """
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        try:
            raw = XLSX().create_dataset(data)
        except Exception:
            raise ImportFileError(
                _("XLSX 파일을 열 수 없습니다. 파일이 손상되었거나 XLSX 형식이 아닙니다.")
            ) from None
    elif suffix == ".csv":
        text = decode_csv(data)
        if "\x00" in text:
            raise ImportFileError(_("CSV 파일에 읽을 수 없는 문자(NUL)가 있습니다."))
        raw = read_csv(text)
    else:
        raise ImportFileError(_("CSV 또는 XLSX 파일만 가져올 수 있습니다."))

    headers = ["" if h is None else str(h).strip() for h in (raw.headers or [])]
    if not any(headers):
        raise ImportFileError(_("첫 줄에 열 이름이 없습니다. 양식을 내려받아 사용해 주세요."))
    missing = [c for c in resource_class.required_columns if c not in headers]
    if missing:
        raise ImportFileError(
            _("필수 열이 없습니다: %(columns)s. 양식을 내려받아 열 이름을 확인해 주세요.")
            % {"columns": ", ".join(missing)}
        )
    known = set(resource_class.template_columns())
    unknown = [h for h in headers if h and h not in known]
    if unknown:
        raise ImportFileError(
            _("알 수 없는 열이 있습니다: %(columns)s. 양식의 열 이름과 같아야 합니다.")
            % {"columns": ", ".join(unknown)}
        )
    duplicated = sorted({h for h in headers if h and headers.count(h) > 1})
    if duplicated:
        raise ImportFileError(
            _("같은 이름의 열이 두 번 있습니다: %(columns)s.") % {"columns": ", ".join(duplicated)}
        )

    dataset = tablib.Dataset(headers=headers)
    dataset.line_numbers = []
    lines = getattr(raw, "line_numbers", None) or range(2, len(raw) + 2)
    for line, row in zip(lines, raw, strict=True):
        if all(is_blank(cell) for cell in row):
            continue  # Excel leaves empty lines at the end
        # Formula-like text was exported as '=...; strip exactly that apostrophe again.
        dataset.append([unescape_formula(cell) for cell in row])
        dataset.line_numbers.append(line)
    if not len(dataset):
        raise ImportFileError(_("가져올 행이 없습니다."))
    return dataset


def template_dataset(kind: str) -> tablib.Dataset:
    return tablib.Dataset(headers=RESOURCES[kind].template_columns())


# --- the job ------------------------------------------------------------------------------


def import_job_create(*, user, kind: str, upload) -> ImportJob:
    """Store the upload as a job and check its file; a malformed file is refused right away."""
    data = upload.read()
    job = ImportJob(kind=kind, user=user, original_name=Path(upload.name).name[:255])
    job.file.save(job.original_name, ContentFile(data), save=False)
    try:
        with translation.override("ko"):
            dataset = read_dataset(data, job.original_name, RESOURCES[kind])
    except ImportFileError as exc:
        job.status = ImportJob.Status.REFUSED
        job.report = {"errors": [{"row": None, "column": "", "message": str(exc)}], "counts": {}}
        job.finished_at = timezone.now()
        job.save()
        return job
    job.total = len(dataset)
    job.background = job.total > background_threshold()
    job.status = ImportJob.Status.QUEUED
    job.save()
    return job


def progress_key(job_id: int) -> str:
    return f"staff:import-progress:{job_id}"


def import_job_progress(job: ImportJob) -> int:
    """Rows processed so far: the running job's cache entry, else the stored figure."""
    if job.is_running:
        return cache.get(progress_key(job.pk), job.progress)
    return job.progress


def import_job_run(*, job_id: int) -> ImportJob:
    """Run what the job waits for: the dry run (QUEUED) or the import (IMPORT_QUEUED).

    Idempotent: a job already running or finished is left alone.
    """
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    phases = {
        ImportJob.Status.QUEUED: (ImportJob.Status.CHECKING, False),
        ImportJob.Status.IMPORT_QUEUED: (ImportJob.Status.IMPORTING, True),
    }
    if job.status not in phases:
        return job
    running, apply = phases[job.status]
    claimed = ImportJob.objects.filter(pk=job.pk, status=job.status).update(
        status=running, progress=0, updated_at=timezone.now()
    )
    if not claimed:
        return job
    job.status = running
    cache.set(progress_key(job.pk), 0, timeout=24 * 3600)
    try:
        with translation.override("ko"):
            job.file.open("rb")
            try:
                data = job.file.read()
            finally:
                job.file.close()
            dataset = read_dataset(data, job.original_name, RESOURCES[job.kind])
            errors, counts = _import(job, dataset, apply=apply)
    except ImportFileError as exc:
        errors, counts = [{"row": None, "column": "", "message": str(exc)}], {}
    except Exception as exc:  # reported on the job page; the transaction was rolled back
        logger.exception("import job %s failed", job.pk)
        errors = [
            {
                "row": None,
                "column": "",
                "message": _("예기치 못한 오류: %(error)s") % {"error": exc},
            }
        ]
        counts = {}
    if errors:
        status = ImportJob.Status.FAILED if apply else ImportJob.Status.REFUSED
    else:
        status = ImportJob.Status.DONE if apply else ImportJob.Status.CHECKED
    job.status = status
    job.progress = job.total if not errors else job.progress
    job.report = {"errors": errors, "counts": counts, "applied": apply and not errors}
    job.finished_at = timezone.now() if status != ImportJob.Status.CHECKED else None
    job.save(update_fields=["status", "progress", "report", "finished_at", "updated_at"])
    cache.delete(progress_key(job.pk))
    return job


def _import(job: ImportJob, dataset, *, apply: bool):
    total = len(dataset)

    def progress(done: int) -> None:
        cache.set(progress_key(job.pk), min(done, total), timeout=24 * 3600)

    resource = RESOURCES[job.kind](
        user=job.user,
        change_reason=_("가져오기 #%(id)s: %(name)s") % {"id": job.pk, "name": job.original_name},
        progress=progress,
    )
    with transaction.atomic():
        result = resource.import_data(
            dataset, dry_run=not apply, use_transactions=True, raise_errors=False
        )
        errors = collect_errors(result, resource, dataset.line_numbers)
        if errors or not apply:
            transaction.set_rollback(True)
    progress(total)
    return errors, dict(resource.counts)


def _message(exc) -> str:
    if isinstance(exc, DatabaseError):
        return _("데이터베이스가 이 행을 거부했습니다: %(error)s") % {"error": exc}
    return str(exc)


def collect_errors(result, resource, line_numbers) -> list[dict]:
    """Every error of a run as {row (spreadsheet line), column, message}, in sheet order."""

    def line(number):
        return line_numbers[number - 1] if 0 < number <= len(line_numbers) else number + 1

    errors = [
        {"row": None, "column": "", "message": _message(error.error)}
        for error in result.base_errors
    ]
    for number, row_result in enumerate(result.rows, start=1):
        for error in row_result.errors:
            errors.append({"row": line(number), "column": "", "message": _message(error.error)})
    for invalid in result.invalid_rows:
        for key, messages in invalid.error_dict.items():
            for message in messages:
                errors.append(
                    {
                        "row": line(invalid.number),
                        "column": resource.column_for(key),
                        "message": str(message),
                    }
                )
    errors.sort(key=lambda e: (e["row"] or 0, e["column"]))
    return errors
