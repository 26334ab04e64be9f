"""Reports and reminders: program XLSX files, the data-quality e-mail, deadline reminders."""

import datetime
import hashlib
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from companies.models import Company
from config.celery import enqueue_on_commit
from core.publication import release_stamp
from core.views import DEPLOY, data_fingerprint
from events.models import Event
from programs.models import Participation, Program
from staff import selectors

from .models import ReportFile, StaffReminder
from .xlsx import REPORT_MODELS, build_program_workbook

logger = logging.getLogger(__name__)

#: A report still pending or running after this long is considered lost and may be requested
#: again (its task is idempotent, so a late run does no harm).
REPORT_STUCK_AFTER = datetime.timedelta(minutes=15)
#: Ready files kept per program and language; older files are deleted.
REPORTS_KEPT_PER_PROGRAM = 3


# --- program XLSX reports ---------------------------------------------------------------------


def program_report_stamp() -> str:
    """The state of the public data a report is drawn from: changes with any write to those
    tables, when an embargo lifts (no write happens then), and with a deploy (templates and
    catalogues). Two cheap queries; a report made at another stamp is out of date."""
    key = "\n".join((DEPLOY, data_fingerprint(REPORT_MODELS), release_stamp(REPORT_MODELS)))
    return hashlib.sha256(key.encode()).hexdigest()


def program_report_latest(*, program: Program, language: str = "ko") -> ReportFile | None:
    return (
        program.report_files.filter(status=ReportFile.Status.READY, language=language)
        .order_by("-finished_at")
        .first()
    )


def program_report_is_current(report: ReportFile, *, stamp: str | None = None) -> bool:
    """Whether ``report`` shows the data as it is now."""
    return report.data_stamp == (stamp or program_report_stamp())


def program_report_request(*, program: Program, language: str = "ko", user=None) -> ReportFile:
    """Ask for a new report of ``program``; reuses one already pending or running.

    The generation task is queued after commit. Without a broker it runs in-process, so the
    report is ready when the caller's transaction has committed.
    """
    from .tasks import program_report_generate

    in_flight = program.report_files.filter(
        language=language,
        status__in=[ReportFile.Status.PENDING, ReportFile.Status.RUNNING],
        created_at__gte=timezone.now() - REPORT_STUCK_AFTER,
    ).first()
    if in_flight is not None:
        return in_flight
    report = ReportFile.objects.create(
        program=program,
        language=language,
        requested_by=user if user and user.is_authenticated else None,
    )
    enqueue_on_commit(program_report_generate, report.pk)
    return report


def program_report_generate(*, report_id: int) -> str:
    """Build the XLSX file of one requested report. Idempotent: a finished report is left alone.

    The data stamp is taken before the data is read: a change made while the file is being
    built makes the file out of date at once rather than hiding the change."""
    report = ReportFile.objects.select_related("program").filter(pk=report_id).first()
    if report is None or report.status == ReportFile.Status.READY:
        return "skipped"
    now = timezone.now()
    stamp = program_report_stamp()
    ReportFile.objects.filter(pk=report.pk).update(status=ReportFile.Status.RUNNING, started_at=now)
    try:
        content = build_program_workbook(report.program, generated_at=now, language=report.language)
    except Exception as exc:
        ReportFile.objects.filter(pk=report.pk).update(
            status=ReportFile.Status.FAILED, error=f"{type(exc).__name__}: {exc}"
        )
        raise
    report.file.save(
        f"{report.program.slug}-{report.language}-{report.pk}.xlsx",
        ContentFile(content),
        save=False,
    )
    report.status = ReportFile.Status.READY
    report.size_bytes = len(content)
    report.data_stamp = stamp
    report.started_at, report.finished_at, report.error = now, timezone.now(), ""
    report.save(
        update_fields=[
            "file",
            "status",
            "size_bytes",
            "data_stamp",
            "started_at",
            "finished_at",
            "error",
        ]
    )
    _prune_reports(report.program, report.language)
    return report.status


def _prune_reports(program: Program, language: str) -> None:
    ready = program.report_files.filter(status=ReportFile.Status.READY, language=language).order_by(
        "-finished_at"
    )
    for old in ready[REPORTS_KEPT_PER_PROGRAM:]:
        old.file.delete(save=False)
        old.delete()


def program_reports_refresh() -> int:
    """Nightly: rebuild the out-of-date reports of every program and language that has had one,
    so the first download of the day need not wait."""
    stamp = program_report_stamp()
    count = 0
    pairs = ReportFile.objects.order_by("program_id", "language").values_list(
        "program_id", "language"
    )
    for program_id, language in sorted(set(pairs)):
        program = Program.objects.get(pk=program_id)
        latest = program_report_latest(program=program, language=language)
        if latest is None or not program_report_is_current(latest, stamp=stamp):
            program_report_request(program=program, language=language)
            count += 1
    return count


# --- data-quality report ------------------------------------------------------------------------
# The checks are the data-quality page's own (staff.selectors): the mail and the page count the
# same things. ``None`` as the user means "every region".

#: examples per check in the mail
MAIL_EXAMPLES = 5


def data_quality_report(*, today: datetime.date | None = None) -> dict:
    """Counts (and a few examples) of the records staff should look at, every check included."""
    today = today or timezone.localdate()
    results = selectors.summary(None, today, limit=MAIL_EXAMPLES)
    by_key = {r.check.key: r for r in results}
    without_source = {
        str(r.title): r.count
        for r in results
        if r.check.group == selectors.GROUP_SOURCES and r.count
    }
    duplicates = selectors.duplicate_company_groups(Company.objects.all())
    outcomes = by_key["participations-without-outcomes"]
    return {
        "date": today,
        "groups": selectors.grouped(results),
        "total": sum(r.count for r in results),
        "without_source": without_source,
        "without_source_total": sum(without_source.values()),
        "targets_overdue": by_key["targets-overdue-without-actuals"].count,
        "targets_overdue_examples": [
            row["label"] for row in by_key["targets-overdue-without-actuals"].rows
        ],
        "participations_without_outcomes": outcomes.count,
        "completed_participations_without_outcomes": selectors.check_queryset(
            outcomes.check, None, today
        )
        .filter(status=Participation.Status.COMPLETED)
        .count(),
        "duplicate_company_groups": len(duplicates),
        "duplicate_company_examples": [
            f"{group['reason']}: " + " / ".join(c.name for c in group["companies"])
            for group in duplicates[:10]
        ],
    }


def data_quality_report_text(report: dict) -> str:
    lines = [f"데이터 품질 보고 — {report['date']:%Y-%m-%d}", f"할 일 모두 {report['total']}건", ""]
    quiet = []
    for group in report["groups"]:
        if not group["total"]:
            quiet.append(str(group["group"]))
            continue
        lines.append(f"{group['group']}: {group['total']}건")
        for result in group["results"]:
            if result.count:
                lines.append(f"  - {result.title}: {result.count}건")
                lines += [f"      · {row['label']}" for row in result.rows]
    if report["completed_participations_without_outcomes"]:
        lines.append(
            f"(성과가 없는 참여 가운데 완료된 참여 {report['completed_participations_without_outcomes']}건)"
        )
    if quiet:
        lines += ["", "문제 없음: " + ", ".join(quiet)]
    lines += ["", "자세한 목록과 내려받기: 관리 화면 › 데이터 품질 점검"]
    return "\n".join(lines)


def staff_recipients() -> list[str]:
    """STAFF_NOTIFICATION_EMAILS when set, else every active staff user with an e-mail."""
    if settings.STAFF_NOTIFICATION_EMAILS:
        return list(settings.STAFF_NOTIFICATION_EMAILS)
    users = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def data_quality_report_send(*, today: datetime.date | None = None) -> int:
    """Compute the data-quality report and e-mail it to staff; returns the number of recipients."""
    recipients = staff_recipients()
    if not recipients:
        logger.warning("data-quality report not sent: no staff e-mail address")
        return 0
    report = data_quality_report(today=today)
    send_mail(
        f"[AI 전환 트래커] 데이터 품질 보고 {report['date']:%Y-%m-%d}",
        data_quality_report_text(report),
        None,
        recipients,
    )
    return len(recipients)


# --- reminders ----------------------------------------------------------------------------------


def _deadline_moment(day: datetime.date) -> datetime.datetime:
    """An application deadline day ends at 24:00 Seoul time."""
    end = datetime.datetime.combine(day, datetime.time(23, 59, 59))
    return timezone.make_aware(end, timezone.get_default_timezone())


def _send_reminder_once(*, kind, due_at, subject, body, recipients, **subject_fk) -> bool:
    """Record and send one reminder; False when it was already sent for this due time."""
    try:
        with transaction.atomic():
            StaffReminder.objects.create(
                kind=kind, due_at=due_at, recipients=", ".join(recipients), **subject_fk
            )
            send_mail(subject, body, None, recipients)
    except IntegrityError:
        return False
    return True


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """E-mail staff once before each application deadline and each event within the window.

    The window is REMINDER_DAYS_BEFORE days. Each (item, due time) is sent at most once — a
    moved deadline is announced again. The row and the e-mail commit together: if sending fails
    nothing is recorded and the next run tries again. Returns how many reminders were sent.
    """
    recipients = staff_recipients()
    if not recipients:
        logger.warning("reminders not sent: no staff e-mail address")
        return 0
    now = now or timezone.now()
    today = timezone.localdate(now)
    horizon = datetime.timedelta(days=settings.REMINDER_DAYS_BEFORE)
    sent = 0
    programs = Program.objects.filter(
        application_end__gte=today, application_end__lte=today + horizon
    ).order_by("application_end", "pk")
    for program in programs:
        due_at = _deadline_moment(program.application_end)
        if StaffReminder.objects.filter(program=program, due_at=due_at).exists():
            continue
        sent += _send_reminder_once(
            kind=StaffReminder.Kind.APPLICATION_DEADLINE,
            program=program,
            due_at=due_at,
            recipients=recipients,
            subject=f"[AI 전환 트래커] 접수 마감 {program.application_end:%m월 %d일}: {program.name}",
            body=(
                f"{program.name}의 접수가 {program.application_end:%Y-%m-%d}에 마감됩니다.\n"
                f"상태: {program.get_status_display()}\n"
                f"{program.url}\n"
            ),
        )
    events = Event.objects.filter(starts_at__gte=now, starts_at__lte=now + horizon).order_by(
        "starts_at", "pk"
    )
    for event in events:
        if StaffReminder.objects.filter(event=event, due_at=event.starts_at).exists():
            continue
        local = timezone.localtime(event.starts_at)
        # Events whose time is not known carry midnight: name the day only.
        short = f"{local:%m월 %d일 %H:%M}" if event.time_is_known else f"{local:%m월 %d일}"
        when = f"{local:%Y-%m-%d %H:%M}" if event.time_is_known else f"{local:%Y-%m-%d}"
        sent += _send_reminder_once(
            kind=StaffReminder.Kind.EVENT_START,
            event=event,
            due_at=event.starts_at,
            recipients=recipients,
            subject=f"[AI 전환 트래커] 행사 {short}: {event.name}",
            body=(f"{event.name}이(가) {when}에 시작합니다.\n장소: {event.venue_name or '미정'}\n"),
        )
    return sent
