"""Builds of the bulk open-data package (the data itself is read from the domain apps)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DataPackage(models.Model):
    """One build of the whole public dataset as a ZIP (``opendata.package``)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("대기")
        RUNNING = "running", _("생성 중")
        READY = "ready", _("완료")
        FAILED = "failed", _("실패")

    class Trigger(models.TextChoices):
        NIGHTLY = "nightly", _("야간 자동")
        ADMIN = "admin", _("관리 화면")
        COMMAND = "command", _("관리 명령")
        DOWNLOAD = "download", _("첫 내려받기")

    status = models.CharField(
        _("상태"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    trigger = models.CharField(_("계기"), max_length=10, choices=Trigger.choices)
    file = models.FileField(_("파일"), upload_to="opendata/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size_bytes = models.PositiveBigIntegerField(_("크기 (바이트)"), null=True, blank=True)
    tables = models.PositiveIntegerField(_("표 수"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("행 수"), null=True, blank=True)
    descriptor = models.JSONField(_("datapackage.json"), null=True, blank=True)
    error = models.TextField(_("오류"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("요청자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    data_at = models.DateTimeField(_("데이터 기준 시각"), null=True, blank=True)
    created_at = models.DateTimeField(_("요청 시각"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("시작 시각"), null=True, blank=True)
    finished_at = models.DateTimeField(_("완료 시각"), null=True, blank=True)

    class Meta:
        verbose_name = _("공개 데이터 묶음")
        verbose_name_plural = _("공개 데이터 묶음")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="ready") | (~Q(file="") & ~Q(sha256="")),
                name="data_package_ready_has_file",
                violation_error_message=_("완료된 묶음에는 파일과 해시가 있어야 합니다."),
            )
        ]

    def __str__(self):
        when = self.finished_at or self.created_at
        return f"{when:%Y-%m-%d %H:%M} · {self.get_status_display()}"

    @property
    def etag(self) -> str:
        return f'"{self.sha256[:32]}"' if self.sha256 else ""
