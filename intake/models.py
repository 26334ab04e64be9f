"""An intake: one pasted text or uploaded file, its proposals and the staff's decisions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Source
from staff.models import private_storage


def intake_upload_path(document, filename):
    return f"intake/{filename}"


class IntakeDocument(models.Model):
    """A press release or news page handed in by staff: its text, the proposals made from it
    (``result``, the answer of ``intake.propose.analyse``) and what was accepted."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("대기")
        RUNNING = "running", _("분석 중")
        READY = "ready", _("검토 대기")
        FAILED = "failed", _("실패")
        DONE = "done", _("반영 완료")

    title = models.CharField(_("제목"), max_length=300, blank=True)
    original_name = models.CharField(_("파일 이름"), max_length=255, blank=True)
    file = models.FileField(
        _("파일"), upload_to=intake_upload_path, storage=private_storage, blank=True
    )
    text = models.TextField(_("본문"), blank=True)
    published_on = models.DateField(
        _("발행일"),
        null=True,
        blank=True,
        help_text=_("본문에 날짜가 없으면 적어 주세요. '지난 19일' 같은 날짜를 이 날짜로 풉니다."),
    )
    url = models.URLField(_("URL"), max_length=500, blank=True)
    status = models.CharField(
        _("상태"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("진행률 (%)"), default=0)
    error = models.CharField(_("오류"), max_length=300, blank=True)
    result = models.JSONField(_("제안"), default=dict, blank=True)
    source = models.ForeignKey(
        Source,
        verbose_name=_("출처"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="intake_documents",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("요청자"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="intake_documents",
    )
    created_at = models.DateTimeField(_("요청 시각"), auto_now_add=True)
    updated_at = models.DateTimeField(_("갱신 시각"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("보도자료 입수")
        verbose_name_plural = _("보도자료 입수")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100),
                name="intake_progress_percent",
                violation_error_message=_("진행률은 100을 넘을 수 없습니다."),
            )
        ]

    def __str__(self):
        return self.title or self.original_name or f"#{self.pk}"

    @property
    def history_reason(self) -> str:
        """What the history of every record written from this intake says."""
        return f"보도자료 입수 #{self.pk}: {self.title or self.original_name}"[:100]

    def proposals(self):
        for article in self.result.get("articles", []):
            yield from article["proposals"]
