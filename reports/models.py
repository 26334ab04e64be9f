"""Background outputs for staff and the public: program XLSX reports and reminder e-mails sent.

This app sits above events (the report lists a program's awards and events), so it is the
home of work that reads every domain app: reports, the data-quality e-mail and reminders.
"""

import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event
from programs.models import Program

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


class ReportFile(models.Model):
    """One generated XLSX report of a program (public data only)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("대기")
        RUNNING = "running", _("생성 중")
        READY = "ready", _("완료")
        FAILED = "failed", _("실패")

    program = models.ForeignKey(
        Program, verbose_name=_("사업"), on_delete=models.CASCADE, related_name="report_files"
    )
    status = models.CharField(
        _("상태"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    language = models.CharField(
        _("언어"), max_length=2, choices=[("ko", "한국어"), ("en", "English")], default="ko"
    )
    data_stamp = models.CharField(
        _("데이터 기준"),
        max_length=64,
        blank=True,
        help_text=_("생성할 때의 공개 데이터 상태: 데이터가 바뀌면 보고서를 새로 만듭니다."),
    )
    file = models.FileField(_("파일"), upload_to="reports/%Y/%m/", blank=True)
    size_bytes = models.PositiveIntegerField(_("크기 (바이트)"), null=True, blank=True)
    error = models.TextField(_("오류"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("요청자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("요청 시각"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("시작 시각"), null=True, blank=True)
    finished_at = models.DateTimeField(_("완료 시각"), null=True, blank=True)

    class Meta:
        verbose_name = _("사업 보고서 파일")
        verbose_name_plural = _("사업 보고서 파일")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="ready") | ~Q(file=""),
                name="report_file_ready_has_file",
                violation_error_message=_("완료된 보고서에는 파일이 있어야 합니다."),
            )
        ]

    def __str__(self):
        return f"{self.program} · {self.created_at:%Y-%m-%d %H:%M} · {self.get_status_display()}"

    @property
    def filename(self) -> str:
        """``<slug>-report-YYYYMMDD-HHMM.xlsx`` in Seoul time (``-en`` for the English one)."""
        moment = timezone.localtime(self.finished_at or self.created_at, SEOUL)
        suffix = "-en" if self.language == "en" else ""
        return f"{self.program.slug}-report{suffix}-{moment:%Y%m%d-%H%M}.xlsx"


class StaffReminder(models.Model):
    """A reminder e-mail sent to staff before a deadline or an event — at most once per item."""

    class Kind(models.TextChoices):
        APPLICATION_DEADLINE = "application_deadline", _("접수 마감")
        EVENT_START = "event_start", _("행사 시작")

    kind = models.CharField(_("종류"), max_length=24, choices=Kind.choices)
    program = models.ForeignKey(
        Program,
        verbose_name=_("사업"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("행사"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    due_at = models.DateTimeField(
        _("기한"), help_text=_("기한이 바뀌면 새 기한에 대해 다시 알립니다.")
    )
    recipients = models.TextField(_("수신자"))
    sent_at = models.DateTimeField(_("발송 시각"), auto_now_add=True)

    class Meta:
        verbose_name = _("직원 알림")
        verbose_name_plural = _("직원 알림")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="application_deadline") & Q(program__isnull=False))
                | (Q(kind="event_start") & Q(event__isnull=False)),
                name="staff_reminder_subject_matches_kind",
                violation_error_message=_(
                    "접수 마감 알림은 사업에, 행사 알림은 행사에 연결해야 합니다."
                ),
            ),
            models.UniqueConstraint(
                fields=["kind", "program", "due_at"],
                condition=Q(program__isnull=False),
                name="staff_reminder_once_per_program_deadline",
            ),
            models.UniqueConstraint(
                fields=["kind", "event", "due_at"],
                condition=Q(event__isnull=False),
                name="staff_reminder_once_per_event_start",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.program or self.event}"
