"""Staff accounts' regions and spreadsheet import jobs."""

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Region


class StaffProfile(models.Model):
    """The regions a staff account works for; a regional editor sees and changes only these.

    ``core.scoping`` reads it through ``Region.staff_profiles``.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("계정"),
        on_delete=models.CASCADE,
        related_name="staff_profile",
    )
    regions = models.ManyToManyField(
        Region, verbose_name=_("담당 지역"), blank=True, related_name="staff_profiles"
    )
    note = models.CharField(_("비고"), max_length=200, blank=True)
    history = HistoricalRecords(m2m_fields=[regions])

    class Meta:
        verbose_name = _("직원 담당 지역")
        verbose_name_plural = _("직원 담당 지역")
        ordering = ["user__username"]

    def __str__(self):
        return str(self.user)


def private_storage():
    """Uploaded spreadsheets live in the private storage, which no URL serves."""
    return storages["private"]


def import_upload_path(job, filename):
    return f"imports/{job.kind}/{filename}"


class ImportJob(models.Model):
    """One uploaded spreadsheet: checked in a dry run, then imported whole or not at all.

    A running phase (검사 중 / 가져오는 중) is held under a lease: ``lease_owner`` (the process
    that claimed it) until ``lease_expires_at``, renewed while it works. A job whose lease has
    expired was left by a process that died; any later run — the redelivered task, the periodic
    recovery, or "다시 시작" in the admin — claims it again and redoes that phase from the
    start (each phase is one transaction, so nothing of the dead run remains).
    """

    class Kind(models.TextChoices):
        COMPANIES = "companies", _("기업")
        PARTICIPATIONS = "participations", _("기업 참여·성과")
        EVENTS = "events", _("행사·일정")
        OBSERVATIONS = "observations", _("통계값")
        RESULTS = "results", _("실적 보고")

    class Status(models.TextChoices):
        QUEUED = "queued", _("검사 대기")
        CHECKING = "checking", _("검사 중")
        REFUSED = "refused", _("거부됨 (오류)")
        CHECKED = "checked", _("검사 통과 — 확인 대기")
        IMPORT_QUEUED = "import_queued", _("가져오기 대기")
        IMPORTING = "importing", _("가져오는 중")
        DONE = "done", _("완료")
        FAILED = "failed", _("실패 (변경 없음)")

    RUNNING = (Status.QUEUED, Status.CHECKING, Status.IMPORT_QUEUED, Status.IMPORTING)

    kind = models.CharField(_("종류"), max_length=20, choices=Kind.choices)
    file = models.FileField(
        _("파일"), upload_to=import_upload_path, storage=private_storage, blank=True
    )
    original_name = models.CharField(_("파일 이름"), max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("요청자"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="import_jobs",
    )
    status = models.CharField(
        _("상태"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    background = models.BooleanField(_("백그라운드 작업"), default=False)
    progress = models.PositiveIntegerField(_("처리한 행"), default=0)
    total = models.PositiveIntegerField(_("전체 행"), default=0)
    report = models.JSONField(_("결과 보고"), default=dict, blank=True)
    created_at = models.DateTimeField(_("요청 시각"), auto_now_add=True)
    updated_at = models.DateTimeField(_("갱신 시각"), auto_now=True)
    finished_at = models.DateTimeField(_("종료 시각"), null=True, blank=True)
    lease_owner = models.CharField(_("작업 프로세스"), max_length=200, blank=True)
    lease_expires_at = models.DateTimeField(_("작업 임대 만료"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("시도 횟수"), default=0)
    client_ip = models.GenericIPAddressField(_("요청 주소"), null=True, blank=True)

    class Meta:
        verbose_name = _("가져오기 작업")
        verbose_name_plural = _("가져오기 작업")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.original_name} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def is_stuck(self) -> bool:
        """A running phase whose process stopped renewing its lease (it died)."""
        from django.utils import timezone

        return (
            self.status in (self.Status.CHECKING, self.Status.IMPORTING)
            and self.lease_expires_at is not None
            and self.lease_expires_at < timezone.now()
        )

    @property
    def errors(self) -> list[dict]:
        return self.report.get("errors", [])


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, at=None):
        """Tokens that authenticate at ``at``: not revoked, not expired."""
        from django.utils import timezone

        at = at or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=at)


class ApiToken(models.Model):
    """A staff member's API token: only its SHA-256 hash is stored (the key is shown once, when
    it is made), with a name, an expiry, a scope and when it was last used
    (``staff/tokens.py``)."""

    class Scope(models.TextChoices):
        READ = "read", _("읽기 전용")
        WRITE = "write", _("읽기·쓰기")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("사용자"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(
        _("이름"), max_length=100, help_text=_("어디에 쓰는 토큰인지 (예: 대시보드)")
    )
    key_prefix = models.CharField(
        _("키 앞부분"), max_length=12, editable=False, help_text=_("토큰을 알아보기 위한 앞 글자")
    )
    key_hash = models.CharField(_("키 해시 (SHA-256)"), max_length=64, unique=True, editable=False)
    scope = models.CharField(
        _("권한 범위"), max_length=10, choices=Scope.choices, default=Scope.READ
    )
    expires_at = models.DateTimeField(_("만료 시각"))
    created_at = models.DateTimeField(_("만든 시각"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("마지막 사용"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("폐기 시각"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API 토큰")
        verbose_name_plural = _("API 토큰")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.key_prefix}…)"
