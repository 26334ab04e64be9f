"""Spreadsheet imports: read the file, check every row in a dry run, then import all or nothing.

The flow of one ``ImportJob``:

1. upload (``import_job_create``): size limits, and for XLSX the archive's members (uncompressed
   size, compression ratio) are checked before anything parses it; a small file is then read
   once, right there (UTF-8, UTF-8 with BOM or CP949 for CSV; XLSX), and a malformed file is
   refused at once. A refused upload leaves no file behind;
2. check (``import_job_run`` on a QUEUED job): every row is imported inside a transaction that
   is rolled back, collecting every error by row, column and reason and a preview of every
   row (new, changed field by field, unchanged, refused); nothing changes;
3. confirm (``import_job_confirm``): the same import for real, in one transaction; any error
   rolls all of it back. The job is marked done in that same transaction, so its rows are
   written exactly once.

Large files (over ``STAFF_IMPORT_SYNC_MAX_BYTES`` or ``STAFF_IMPORT_BACKGROUND_ROWS`` rows) are
read and checked as a background job (``staff.tasks``, under Celery's soft and hard time limits);
progress goes to the cache every 0.5 s for the admin's progress bar.

A running phase holds a lease (``ImportJob.lease_owner`` / ``lease_expires_at``), renewed every
third of ``STAFF_IMPORT_LEASE_SECONDS`` while the phase works. A process that dies leaves its
lease to expire; the redelivered task, the periodic recovery (``import_jobs_recover``) or
"다시 시작" in the admin then claim the job again and redo the phase. A run that lost its lease
commits nothing.
"""

import codecs
import csv
import io
import logging
import os
import socket
import time
import uuid
import zipfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import tablib
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from import_export.formats.base_formats import XLSX

from companies.resources import CompanyResource
from core.formatting import format_bytes
from core.resources import StaffImportResource, is_blank, unescape_formula
from events.resources import EventResource
from indicators.resources import ObservationResource
from programs.resources import ParticipationResource
from results.resources import ResultUpdateResource

from .models import ImportJob

logger = logging.getLogger(__name__)

RESOURCES: dict[str, type[StaffImportResource]] = {
    ImportJob.Kind.COMPANIES: CompanyResource,
    ImportJob.Kind.PARTICIPATIONS: ParticipationResource,
    ImportJob.Kind.EVENTS: EventResource,
    ImportJob.Kind.OBSERVATIONS: ObservationResource,
    ImportJob.Kind.RESULTS: ResultUpdateResource,
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
    ImportJob.Kind.RESULTS: ["results.add_resultupdate", "results.change_resultupdate"],
}


class ImportFileError(Exception):
    """The file as a whole cannot be imported (encoding, format, columns); message in Korean."""


# --- limits (settings, read per call so tests and deployments can change them) ---------------

#: Excel's own limit for the text of one cell.
MAX_CELL_CHARS = 32_767


def _setting(name: str, default):
    return getattr(settings, name, default)


def background_threshold() -> int:
    return _setting("STAFF_IMPORT_BACKGROUND_ROWS", 5000)


def max_upload_bytes() -> int:
    return _setting("STAFF_IMPORT_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)


def sync_max_bytes() -> int:
    return _setting("STAFF_IMPORT_SYNC_MAX_BYTES", 512 * 1024)


def max_rows() -> int:
    return _setting("STAFF_IMPORT_MAX_ROWS", 100_000)


def lease_seconds() -> float:
    return _setting("STAFF_IMPORT_LEASE_SECONDS", 120)


def max_attempts() -> int:
    return _setting("STAFF_IMPORT_MAX_ATTEMPTS", 5)


def can_import(user, kind: str) -> bool:
    return user.is_active and user.is_staff and user.has_perms(PERMISSIONS[kind])


# --- reading ------------------------------------------------------------------------------


def check_upload(size: int, filename: str) -> str:
    """Refuse a file by its size or name before reading it; its lower-case suffix."""
    suffix = Path(filename).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ImportFileError(_("CSV 또는 XLSX 파일만 가져올 수 있습니다."))
    if size > max_upload_bytes():
        raise ImportFileError(
            _(
                "파일이 너무 큽니다(%(size)s). 한 번에 %(limit)s까지 올릴 수 있습니다. 파일을 나누어 올려 주세요."
            )
            % {"size": format_bytes(size), "limit": format_bytes(max_upload_bytes())}
        )
    return suffix


def check_xlsx_archive(data: bytes) -> None:
    """An XLSX file is a ZIP archive: refuse one whose members would inflate beyond
    ``STAFF_IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES`` or more than ``STAFF_IMPORT_XLSX_MAX_RATIO``
    times their compressed size (a "zip bomb"), before openpyxl reads a byte of it. Python's
    zipfile never returns more than a member's declared size, so the declared sizes bind."""
    limit = _setting("STAFF_IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES", 100 * 1024 * 1024)
    ratio_limit = _setting("STAFF_IMPORT_XLSX_MAX_RATIO", 100)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ImportFileError(
            _("XLSX 파일을 열 수 없습니다. 파일이 손상되었거나 XLSX 형식이 아닙니다.")
        ) from None
    total = sum(member.file_size for member in members)
    worst = max(
        (m.file_size / max(m.compress_size, 1) for m in members if m.file_size > 1024 * 1024),
        default=0,
    )
    if len(members) > 10_000 or total > limit or worst > ratio_limit:
        raise ImportFileError(
            _(
                "XLSX 파일의 압축을 풀면 %(total)s로 지나치게 커집니다(압축률 최대 %(ratio)s배). "
                "이런 파일은 열지 않습니다. 엑셀에서 빈 행·열과 서식을 지우고 다시 저장하거나, "
                "CSV로 저장해 올려 주세요. (한도: %(limit)s, 압축률 %(ratio_limit)s배)"
            )
            % {
                "total": format_bytes(total),
                "ratio": f"{worst:,.0f}",
                "limit": format_bytes(limit),
                "ratio_limit": ratio_limit,
            }
        )


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


def _too_long_cell(line, column: str = "") -> ImportFileError:
    where = _("%(line)s번째 줄") % {"line": line}
    if column:
        where = _("%(where)s '%(column)s' 열") % {"where": where, "column": column}
    return ImportFileError(
        _(
            "%(where)s의 칸이 너무 깁니다. 한 칸에는 %(limit)s자까지 쓸 수 있습니다"
            "(엑셀의 한도). 긴 글은 나누거나 줄여 주세요."
        )
        % {"where": where, "limit": f"{MAX_CELL_CHARS:,}"}
    )


def read_csv(text: str) -> tablib.Dataset:
    """CSV text as a dataset; ``line_numbers[i]``: the line where data row ``i`` starts.

    Strict parsing, so an unclosed quote is refused with its line instead of silently swallowing
    the rest of the file into one cell; a cell longer than the csv module reads is reported as
    such, not as a quote.
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
                if len(raw) > max_rows():
                    raise _too_many_rows()
            start = reader.line_num + 1
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise _too_long_cell(start) from None
        raise ImportFileError(
            _(
                "CSV 파일의 형식을 읽을 수 없습니다: %(line)s번째 줄에서 시작하는 행의 "
                '따옴표(")가 닫히지 않았거나 잘못 쓰였습니다.'
            )
            % {"line": start}
        ) from None
    return raw


def _too_many_rows() -> ImportFileError:
    return ImportFileError(
        _("행이 너무 많습니다. 한 파일에 %(limit)s행까지 가져올 수 있습니다. 파일을 나누어 주세요.")
        % {"limit": f"{max_rows():,}"}
    )


def read_dataset(data: bytes, filename: str, resource_class) -> tablib.Dataset:
    """The file as a dataset of non-blank rows with checked columns.

    ``dataset.line_numbers[i]`` is the spreadsheet line of data row ``i`` (the header is line 1).
    """
    suffix = check_upload(len(data), filename)
    if suffix == ".xlsx":
        check_xlsx_archive(data)
        try:
            raw = XLSX().create_dataset(data)
        except Exception:
            raise ImportFileError(
                _("XLSX 파일을 열 수 없습니다. 파일이 손상되었거나 XLSX 형식이 아닙니다.")
            ) from None
        if len(raw) > max_rows():
            raise _too_many_rows()
    else:
        text = decode_csv(data)
        if "\x00" in text:
            raise ImportFileError(_("CSV 파일에 읽을 수 없는 문자(NUL)가 있습니다."))
        raw = read_csv(text)

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
        for header, cell in zip(headers, row, strict=False):
            if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
                raise _too_long_cell(line, header)
        # Formula-like text was exported as '=...; strip exactly that apostrophe again.
        dataset.append([unescape_formula(cell) for cell in row])
        dataset.line_numbers.append(line)
    if not len(dataset):
        raise ImportFileError(_("가져올 행이 없습니다."))
    return dataset


def template_dataset(kind: str) -> tablib.Dataset:
    return tablib.Dataset(headers=RESOURCES[kind].template_columns())


# --- the job ------------------------------------------------------------------------------


def _refusal(message: str) -> dict:
    return {"errors": [{"row": None, "column": "", "message": message}], "counts": {}}


def _discard_file(job: ImportJob) -> None:
    """A refused or failed job keeps no copy of the file (it holds unpublished data)."""
    if job.file:
        job.file.delete(save=False)


def import_job_create(*, user, kind: str, upload, client_ip: str | None = None) -> ImportJob:
    """Store the upload as a job; refuse it at once when its size, its archive or (for a small
    file, read here once) its contents are malformed. A refused upload stores no file.

    ``job.dataset`` holds the rows read here, so the check of a small file does not read it
    again; a large file is read by the background job."""
    name = Path(upload.name).name[:255]
    job = ImportJob(kind=kind, user=user, original_name=name, client_ip=client_ip or None)
    job.dataset = None
    try:
        with translation.override("ko"):
            check_upload(upload.size, name)
            data = upload.read()
            if len(data) <= sync_max_bytes():
                job.dataset = read_dataset(data, name, RESOURCES[kind])
            elif name.lower().endswith(".xlsx"):
                check_xlsx_archive(data)
    except ImportFileError as exc:
        job.status = ImportJob.Status.REFUSED
        job.report = _refusal(str(exc))
        job.finished_at = timezone.now()
        job.save()
        logger.info("import job %s refused at upload: %s", job.pk, exc)
        return job
    job.file.save(name, ContentFile(data), save=False)
    job.total = len(job.dataset) if job.dataset is not None else 0
    job.background = job.dataset is None or job.total > background_threshold()
    if job.background:
        job.dataset = None  # the worker reads it in its own process
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


# --- leases ---------------------------------------------------------------------------------


def new_lease_owner() -> str:
    """Who runs a phase: host, process and a random part (a redelivery in the same process
    is another owner)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


WAITING_TO_RUNNING = {
    ImportJob.Status.QUEUED: ImportJob.Status.CHECKING,
    ImportJob.Status.IMPORT_QUEUED: ImportJob.Status.IMPORTING,
}
RUNNING_STATES = (ImportJob.Status.CHECKING, ImportJob.Status.IMPORTING)


@dataclass
class Claim:
    job: ImportJob
    owner: str = ""
    #: the job is running under another live lease: try again after this many seconds
    busy_for: float | None = None


def _claim(job_id: int, owner: str) -> Claim:
    """Take the job's waiting phase, or a running phase whose lease has expired (its process
    died). A job that has died ``STAFF_IMPORT_MAX_ATTEMPTS`` times is failed instead."""
    now = timezone.now()
    with transaction.atomic():
        job = (
            ImportJob.objects.select_for_update(of=("self",)).select_related("user").get(pk=job_id)
        )
        if job.status in WAITING_TO_RUNNING:
            running = WAITING_TO_RUNNING[job.status]
        elif job.status in RUNNING_STATES:
            if job.lease_expires_at is not None and job.lease_expires_at > now:
                return Claim(job, busy_for=(job.lease_expires_at - now).total_seconds() + 1)
            running = job.status
            if job.attempts >= max_attempts():
                job.status = (
                    ImportJob.Status.FAILED
                    if running == ImportJob.Status.IMPORTING
                    else ImportJob.Status.REFUSED
                )
                job.report = {
                    **_refusal(
                        _(
                            "작업이 %(n)s번 중단되어(작업 프로세스 종료, 시간 초과 등) 더 시도하지 "
                            "않았습니다. 데이터베이스는 바뀌지 않았습니다. 파일을 나누어 다시 올려 "
                            "주세요."
                        )
                        % {"n": job.attempts}
                    ),
                    "applied": False,
                }
                job.finished_at, job.lease_owner, job.lease_expires_at = now, "", None
                _discard_file(job)
                job.file = ""
                job.save()
                return Claim(job)
            logger.warning(
                "import job %s: lease of %s expired; restarting %s",
                job.pk,
                job.lease_owner,
                running,
            )
        else:
            return Claim(job)
        job.status = running
        job.lease_owner = owner
        job.lease_expires_at = now + timedelta(seconds=lease_seconds())
        job.attempts += 1
        job.progress = 0
        job.save(
            update_fields=[
                "status",
                "lease_owner",
                "lease_expires_at",
                "attempts",
                "progress",
                "updated_at",
            ]
        )
    return Claim(job, owner=owner)


class LeaseKeeper:
    """Renews a lease while a phase runs inside its (long) transaction.

    The renewal must be visible to other processes at once, so it goes through a second,
    autocommit connection (PostgreSQL). On other databases the lease is not renewed; it then
    covers the phase only if ``STAFF_IMPORT_LEASE_SECONDS`` exceeds the phase's run time."""

    def __init__(self, job_id: int, owner: str):
        self.job_id, self.owner = job_id, owner
        self.last = time.monotonic()
        self.connection = None

    def renew(self, force: bool = False) -> None:
        if connection.vendor != "postgresql":
            return
        now = time.monotonic()
        if not force and now - self.last < lease_seconds() / 3:
            return
        self.last = now
        try:
            if self.connection is None:
                self.connection = connections.create_connection("default")
            with self.connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {ImportJob._meta.db_table} SET lease_expires_at = %s "
                    "WHERE id = %s AND lease_owner = %s",
                    [
                        timezone.now() + timedelta(seconds=lease_seconds()),
                        self.job_id,
                        self.owner,
                    ],
                )
        except DatabaseError:
            logger.warning("import job %s: could not renew the lease", self.job_id, exc_info=True)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def import_job_run(*, job_id: int, dataset: tablib.Dataset | None = None) -> ImportJob:
    """Run what the job waits for: the dry run (QUEUED) or the import (IMPORT_QUEUED), or
    redo a phase whose lease expired.

    Idempotent: a finished job is left alone; a job running under another live lease is left
    alone too, with ``job.retry_in`` saying when its lease would expire. ``dataset``: the rows
    already read at upload (the synchronous check of a small file)."""
    owner = new_lease_owner()
    claim = _claim(job_id, owner)
    job = claim.job
    job.retry_in = claim.busy_for
    if not claim.owner:
        return job
    apply = job.status == ImportJob.Status.IMPORTING
    if apply:
        dataset = None  # the import reads the stored file again, in the process that runs it
    cache.set(progress_key(job.pk), 0, timeout=24 * 3600)
    keeper = LeaseKeeper(job.pk, owner)
    try:
        with translation.override("ko"):
            if dataset is None:
                job.file.open("rb")
                try:
                    data = job.file.read()
                finally:
                    job.file.close()
                dataset = read_dataset(data, job.original_name, RESOURCES[job.kind])
                if job.total != len(dataset):
                    job.total = len(dataset)
                    ImportJob.objects.filter(pk=job.pk).update(total=job.total)
            outcome = _import(job, dataset, apply=apply, owner=owner, keeper=keeper)
    except ImportFileError as exc:
        outcome = Outcome(errors=_refusal(str(exc))["errors"])
    except SoftTimeLimitExceeded:
        logger.warning("import job %s: time limit reached", job.pk)
        outcome = Outcome(
            errors=_refusal(
                _(
                    "시간 제한(%(minutes)s분)을 넘어 작업을 멈췄습니다. 데이터베이스는 바뀌지 "
                    "않았습니다. 파일을 나누어 올려 주세요."
                )
                % {"minutes": round(_setting("STAFF_IMPORT_SOFT_TIME_LIMIT", 1500) / 60)}
            )["errors"]
        )
    except Exception as exc:  # reported on the job page; the transaction was rolled back
        logger.exception("import job %s failed", job.pk)
        outcome = Outcome(
            errors=_refusal(_("예기치 못한 오류: %(error)s") % {"error": exc})["errors"]
        )
    finally:
        keeper.close()
    if not outcome.committed:
        _finish(job, owner, outcome, apply)
    cache.delete(progress_key(job.pk))
    job.refresh_from_db()
    job.retry_in = None
    return job


@dataclass
class Outcome:
    errors: list
    counts: dict | None = None
    preview: list | None = None
    #: the job row was already finished inside the import's own transaction
    committed: bool = False
    owned: bool = True


def _result_fields(job: ImportJob, outcome: Outcome, apply: bool) -> dict:
    errors = outcome.errors
    if errors:
        status = ImportJob.Status.FAILED if apply else ImportJob.Status.REFUSED
    else:
        status = ImportJob.Status.DONE if apply else ImportJob.Status.CHECKED
    report = {
        "errors": errors,
        "counts": outcome.counts or {},
        "applied": apply and not errors,
    }
    if outcome.preview is not None:
        report["rows"] = outcome.preview
    elif not apply:
        report["rows"] = []
    else:  # the import keeps the dry run's preview
        report["rows"] = job.report.get("rows", [])
    return {
        "status": status,
        "progress": job.total if not errors else 0,
        "report": report,
        "finished_at": timezone.now() if status != ImportJob.Status.CHECKED else None,
        "lease_owner": "",
        "lease_expires_at": None,
        "updated_at": timezone.now(),
    }


def _finish(job: ImportJob, owner: str, outcome: Outcome, apply: bool) -> bool:
    """Store the phase's result if this run still holds the lease (else another run took the
    job over, and its result counts)."""
    if not outcome.owned:
        return False
    fields = _result_fields(job, outcome, apply)
    updated = ImportJob.objects.filter(pk=job.pk, lease_owner=owner).update(**fields)
    if updated and fields["status"] in (ImportJob.Status.REFUSED, ImportJob.Status.FAILED):
        job.refresh_from_db()
        _discard_file(job)
        if not job.file:
            ImportJob.objects.filter(pk=job.pk).update(file="")
    return bool(updated)


def change_reason(job: ImportJob) -> str:
    return _("가져오기 #%(id)s: %(name)s") % {"id": job.pk, "name": job.original_name}


def _import(job: ImportJob, dataset, *, apply: bool, owner: str, keeper: LeaseKeeper) -> Outcome:
    total = len(dataset)

    def progress(done: int) -> None:
        cache.set(progress_key(job.pk), min(done, total), timeout=24 * 3600)
        keeper.renew()

    resource = RESOURCES[job.kind](
        user=job.user,
        change_reason=change_reason(job),
        progress=progress,
        line_numbers=dataset.line_numbers,
    )
    with transaction.atomic():
        result = resource.import_data(
            dataset, dry_run=not apply, use_transactions=True, raise_errors=False
        )
        errors = collect_errors(result, resource, dataset)
        preview = preview_rows(resource, errors)
        outcome = Outcome(errors=errors, counts=dict(resource.counts), preview=preview)
        # the lease is checked (and the row locked) in the import's own transaction: a run
        # that lost its lease to a restart writes nothing
        current = ImportJob.objects.select_for_update().only("lease_owner").get(pk=job.pk)
        outcome.owned = current.lease_owner == owner
        if errors or not apply or not outcome.owned:
            transaction.set_rollback(True)
        else:
            outcome.preview = None
            fields = _result_fields(job, outcome, apply)
            ImportJob.objects.filter(pk=job.pk).update(**fields)
            outcome.committed = True
    progress(total)
    return outcome


def _message(exc) -> str:
    if isinstance(exc, DatabaseError):
        return _("데이터베이스가 이 행을 거부했습니다: %(error)s") % {"error": exc}
    return str(exc)


def collect_errors(result, resource, dataset) -> list[dict]:
    """Every error of a run as {row (spreadsheet line), column, message, value, record},
    in sheet order: the bad cell's value and the record's name come with each."""
    headers = list(dataset.headers or [])
    names = {entry["number"]: entry.get("name", "") for entry in resource.preview}

    def cell(number: int, column: str):
        if not column or column not in headers or not 0 < number <= len(dataset):
            return ""
        value = dataset[number - 1][headers.index(column)]
        return "" if value is None else str(value)[:200]

    errors = [
        {"row": None, "column": "", "message": _message(error.error), "value": "", "record": ""}
        for error in result.base_errors
    ]
    for number, row_result in enumerate(result.rows, start=1):
        for error in row_result.errors:
            errors.append(
                {
                    "row": resource.line(number),
                    "column": "",
                    "message": _message(error.error),
                    "value": "",
                    "record": names.get(number, ""),
                }
            )
    for invalid in result.invalid_rows:
        for key, messages in invalid.error_dict.items():
            column = resource.column_for(key)
            for message in messages:
                errors.append(
                    {
                        "row": resource.line(invalid.number),
                        "column": column,
                        "message": str(message),
                        "value": cell(invalid.number, column),
                        "record": names.get(invalid.number, ""),
                    }
                )
    errors.sort(key=lambda e: (e["row"] or 0, e["column"]))
    return errors


def preview_rows(resource, errors: list[dict]) -> list[dict]:
    """The dry run's list of every row: line, status (new / changed / unchanged / error), the
    record's name, and each changed field old → new."""
    refused = {e["row"] for e in errors if e["row"] is not None}
    rows = []
    for entry in resource.preview:
        line = resource.line(entry["number"])
        status = "error" if line in refused else entry.get("status", "error")
        rows.append(
            {
                "row": line,
                "status": status,
                "name": entry.get("name", ""),
                "changes": entry.get("changes", []) if status != "error" else [],
            }
        )
    return rows


# --- confirm, restart, recovery, clean-up ------------------------------------------------------


def import_job_confirm(*, job_id: int) -> bool:
    """Queue the import of a checked job; False when it is not waiting for a confirmation."""
    return bool(
        ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.CHECKED).update(
            status=ImportJob.Status.IMPORT_QUEUED, attempts=0, updated_at=timezone.now()
        )
    )


def import_job_restartable(job: ImportJob) -> bool:
    """A job staff may start again: its process died (expired lease), or it waits for a
    worker that never took it (a lost message) for longer than a lease."""
    if job.is_stuck:
        return True
    stale = timezone.now() - timedelta(seconds=lease_seconds())
    return job.status in WAITING_TO_RUNNING and job.updated_at < stale


def import_jobs_recover() -> list[int]:
    """Ids of the jobs to run again: running under an expired lease, or waiting (with a
    background job) for longer than a lease — their worker or message was lost."""
    now = timezone.now()
    stale = now - timedelta(seconds=lease_seconds())
    stuck = ImportJob.objects.filter(status__in=RUNNING_STATES, lease_expires_at__lt=now)
    waiting = ImportJob.objects.filter(status__in=list(WAITING_TO_RUNNING), updated_at__lt=stale)
    return sorted(
        set(stuck.values_list("pk", flat=True)) | set(waiting.values_list("pk", flat=True))
    )


def import_files_clean(*, older_than: timedelta = timedelta(hours=1)) -> int:
    """Delete uploaded files that no job needs: files of refused or failed jobs, and files in
    the upload folder that no job names (a process died between storing and saving the job).
    Only files older than ``older_than``, so an upload in progress is never touched."""
    storage = ImportJob._meta.get_field("file").storage
    removed = 0
    for job in ImportJob.objects.filter(
        status__in=[ImportJob.Status.REFUSED, ImportJob.Status.FAILED]
    ).exclude(file=""):
        _discard_file(job)
        ImportJob.objects.filter(pk=job.pk).update(file="")
        removed += 1
    known = set(ImportJob.objects.exclude(file="").values_list("file", flat=True))
    cutoff = timezone.now() - older_than
    for kind in ImportJob.Kind.values:
        folder = f"imports/{kind}"
        if not storage.exists(folder):
            continue
        for name in storage.listdir(folder)[1]:
            path = f"{folder}/{name}"
            if path in known:
                continue
            if storage.get_modified_time(path) < cutoff:
                storage.delete(path)
                removed += 1
    return removed
