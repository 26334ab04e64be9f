"""Results reporting: reporting periods of targets, updates (실적 보고) under review, follow-ups.

A target (``programs.Target``) has reporting periods (start, end, deadline), generated from a
schedule (``results.schedule``). Regional staff report values per period as updates, which go
draft → submitted → returned (with a reason) → resubmitted → approved (``results.services``).
Only approved updates count: the period's approved value and the target's progress and status
are recomputed from them (``results.progress``) when an update is approved and nightly.
"""

from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Organization, Source, TrackedModel, TrackedQuerySet
from core.publication import Publication, PublishedQuerySet
from events.models import Event
from programs.models import Program, Target


def private_storage():
    """Evidence files hold unpublished material: the private storage, which no URL serves."""
    return storages["private"]


class ReportingPeriod(TrackedModel):
    """One reporting period of a target: the values reported for it and the deadline."""

    target = models.ForeignKey(
        Target, verbose_name=_("목표"), on_delete=models.CASCADE, related_name="periods"
    )
    start = models.DateField(_("기간 시작"))
    end = models.DateField(_("기간 종료"))
    deadline = models.DateField(_("제출 기한"))
    milestone_value = models.DecimalField(
        _("기간 중간 목표"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("기대 경로가 '기간별 중간 목표'인 목표에서, 기간 말까지 기대하는 값"),
    )
    locked = models.BooleanField(_("잠김"), default=False)
    lock_reason = models.CharField(_("잠금·해제 사유"), max_length=300, blank=True)
    approved_value = models.DecimalField(
        _("승인된 값"), max_digits=14, decimal_places=2, null=True, blank=True, editable=False
    )
    approved_numerator = models.DecimalField(
        _("승인된 분자"), max_digits=14, decimal_places=2, null=True, blank=True, editable=False
    )
    approved_denominator = models.DecimalField(
        _("승인된 분모"), max_digits=14, decimal_places=2, null=True, blank=True, editable=False
    )
    history = HistoricalRecords()

    publication = Publication(
        public=(
            "target",
            "start",
            "end",
            "deadline",
            "milestone_value",
            "locked",
            "approved_value",
            "approved_numerator",
            "approved_denominator",
        ),
        staff_only={"lock_reason": "internal reason of a lock or unlock"},
    )

    class Meta:
        verbose_name = _("보고 기간")
        verbose_name_plural = _("보고 기간")
        ordering = ["target", "start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="reporting_period_ordered",
                violation_error_message=_("보고 기간 종료일은 시작일보다 빠를 수 없습니다."),
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=F("end")),
                name="reporting_period_deadline_after_end",
                violation_error_message=_("제출 기한은 기간 종료일보다 빠를 수 없습니다."),
            ),
            models.UniqueConstraint(
                fields=["target", "start"],
                name="reporting_period_unique_start",
                violation_error_message=_(
                    "이 목표에는 같은 날 시작하는 보고 기간이 이미 있습니다."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.target.metric} · {self.start:%Y-%m-%d}~{self.end:%Y-%m-%d}"

    def clean(self):
        super().clean()
        if self.target_id and self.start and self.end:
            overlapping = ReportingPeriod.objects.filter(
                target_id=self.target_id, start__lte=self.end, end__gte=self.start
            ).exclude(pk=self.pk)
            if overlapping.exists():
                raise ValidationError(_("같은 목표의 다른 보고 기간과 겹칩니다."))

    @property
    def label(self) -> str:
        """``2025 상반기`` style label for calendar-aligned periods, else the dates."""
        s, e = self.start, self.end
        if s.year == e.year and s.day == 1:
            if (s.month, e.month, e.day) == (1, 12, 31):
                return f"{s.year}"
            if (s.month, e.month, e.day) == (1, 6, 30):
                return f"{s.year} 상반기"
            if (s.month, e.month, e.day) == (7, 12, 31):
                return f"{s.year} 하반기"
            if s.month in (1, 4, 7, 10) and e.month == s.month + 2:
                return f"{s.year} {(s.month - 1) // 3 + 1}분기"
        return f"{s:%Y.%m.%d}~{e:%Y.%m.%d}"


class ResultUpdateQuerySet(TrackedQuerySet):
    def published_q(self, at, prefix=""):
        """Only approved updates are public (their values; the workflow stays with staff)."""
        return Q(**{f"{prefix}status": ResultUpdate.Status.APPROVED})


class ResultUpdate(TrackedModel):
    """A reported value for a reporting period (실적 보고), reviewed before it counts."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("작성 중")
        SUBMITTED = "submitted", _("제출됨")
        RETURNED = "returned", _("반려됨")
        RESUBMITTED = "resubmitted", _("재제출됨")
        APPROVED = "approved", _("승인됨")

    class Dimension(models.TextChoices):
        NONE = "", _("없음")
        COMPANY_SIZE = "company_size", _("기업 규모")
        INDUSTRY = "industry", _("업종")
        REGION = "region", _("지역")
        OTHER = "other", _("기타")

    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("보고 기간"),
        on_delete=models.CASCADE,
        related_name="updates",
    )
    status = models.CharField(
        _("상태"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    value = models.DecimalField(_("실적값"), max_digits=14, decimal_places=2, null=True, blank=True)
    numerator = models.DecimalField(
        _("분자"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    denominator = models.DecimalField(
        _("분모"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    as_of = models.DateField(_("기준일"))
    comment = models.TextField(_("보고 설명 (비공개)"), blank=True)
    source = models.ForeignKey(
        Source,
        verbose_name=_("출처"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="result_updates",
        help_text=_("값이 공표된 출처 (보도자료 등)"),
    )
    breakdown_dimension = models.CharField(
        _("세부 구분"), max_length=14, choices=Dimension.choices, blank=True, default=""
    )
    breakdown_incomplete = models.BooleanField(
        _("세부 합계 불일치"),
        default=False,
        editable=False,
        help_text=_("세부 값의 합이 전체 값과 다릅니다."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("작성자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("제출자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("제출 시각"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("검토자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("검토 시각"), null=True, blank=True)
    return_reason = models.CharField(_("반려 사유"), max_length=500, blank=True)
    history = HistoricalRecords()

    objects = ResultUpdateQuerySet.as_manager()

    publication = Publication(
        public=("period", "value", "numerator", "denominator", "as_of", "source"),
        staff_only={
            "status": "review workflow",
            "comment": "reporter's explanation for reviewers",
            "breakdown_dimension": "shown with the breakdown rows",
            "breakdown_incomplete": "review check",
            "created_by": "staff account",
            "submitted_by": "staff account",
            "submitted_at": "review workflow",
            "reviewed_by": "staff account",
            "reviewed_at": "review workflow",
            "return_reason": "review workflow",
        },
    )

    class Meta:
        verbose_name = _("실적 보고")
        verbose_name_plural = _("실적 보고")
        ordering = ["period", "as_of", "id"]
        permissions = [("approve_resultupdate", _("실적 보고를 승인하거나 반려할 수 있음"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
                name="result_update_denominator_positive",
                violation_error_message=_("분모는 0보다 커야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False)
                | (Q(numerator__isnull=False) & Q(denominator__isnull=False)),
                name="result_update_has_value",
                violation_error_message=_("실적값 또는 분자와 분모를 입력해 주세요."),
            ),
        ]

    def __str__(self):
        return f"{self.period} · {self.display_value} ({self.get_status_display()})"

    def clean(self):
        super().clean()
        if not self.period_id:
            return
        target = self.period.target
        if target.measure == Target.Measure.PERCENTAGE:
            if self.numerator is None or self.denominator is None:
                raise ValidationError(
                    {"numerator": _("비율 지표는 분자와 분모를 함께 입력해야 합니다.")}
                )
            if self.denominator and self.numerator > self.denominator:
                raise ValidationError({"numerator": _("분자는 분모보다 클 수 없습니다.")})
            if self.denominator > 0:  # else result_update_denominator_positive speaks
                self.value = (self.numerator / self.denominator * 100).quantize(Decimal("0.01"))
        elif self.numerator is not None or self.denominator is not None:
            raise ValidationError({"numerator": _("분자·분모는 비율 지표에만 씁니다.")})
        if self.as_of and self.period.start and self.as_of < self.period.start:
            raise ValidationError({"as_of": _("기준일은 보고 기간 시작일보다 빠를 수 없습니다.")})

    @property
    def display_value(self) -> str:
        if self.numerator is not None and self.denominator is not None:
            return f"{self.numerator.normalize():f}/{self.denominator.normalize():f}"
        return f"{self.value.normalize():f}" if self.value is not None else "—"


class ResultBreakdownQuerySet(PublishedQuerySet):
    def published_q(self, at, prefix=""):
        return ResultUpdate.objects.published_q(at, f"{prefix}update__")


class ResultBreakdown(models.Model):
    """One part of an update's value by a dimension (기업 규모, 업종, 지역...)."""

    update = models.ForeignKey(
        ResultUpdate, verbose_name=_("실적 보고"), on_delete=models.CASCADE, related_name="parts"
    )
    category = models.CharField(_("구분값"), max_length=100)
    value = models.DecimalField(_("값"), max_digits=14, decimal_places=2, null=True, blank=True)
    numerator = models.DecimalField(
        _("분자"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    denominator = models.DecimalField(
        _("분모"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    history = HistoricalRecords()

    objects = ResultBreakdownQuerySet.as_manager()
    publication = Publication(public=("update", "category", "value", "numerator", "denominator"))

    class Meta:
        verbose_name = _("실적 세부")
        verbose_name_plural = _("실적 세부")
        ordering = ["update", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["update", "category"],
                name="result_breakdown_unique_category",
                violation_error_message=_("같은 구분값이 두 번 있습니다."),
            )
        ]

    def __str__(self):
        return f"{self.category}: {self.value}"


#: Evidence files: allowed extensions and the bytes each must start with (None: any).
EVIDENCE_TYPES = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".xlsx": (b"PK\x03\x04",),
    ".docx": (b"PK\x03\x04",),
    ".hwpx": (b"PK\x03\x04",),
    ".hwp": (b"\xd0\xcf\x11\xe0",),
    ".csv": None,
}


def evidence_max_bytes() -> int:
    return int(getattr(settings, "RESULTS_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))


def evidence_upload_path(evidence, filename):
    return f"results/evidence/{evidence.update_id}/{filename}"


class EvidenceQuerySet(PublishedQuerySet):
    def published_q(self, at, prefix=""):
        return Q(**{f"{prefix}pk__in": []})  # evidence is never public


class ResultEvidence(models.Model):
    """A file that backs an update (private storage; type and size checked)."""

    update = models.ForeignKey(
        ResultUpdate, verbose_name=_("실적 보고"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("파일"), upload_to=evidence_upload_path, storage=private_storage)
    original_name = models.CharField(_("파일 이름"), max_length=255)
    size_bytes = models.PositiveIntegerField(_("크기 (바이트)"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("올린 사람"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("올린 시각"), auto_now_add=True)
    history = HistoricalRecords()

    objects = EvidenceQuerySet.as_manager()
    publication = Publication(
        public=("update",),
        staff_only={
            "file": "evidence is private",
            "original_name": "evidence is private",
            "size_bytes": "evidence is private",
            "uploaded_by": "staff account",
            "uploaded_at": "evidence is private",
        },
    )

    class Meta:
        verbose_name = _("증빙 파일")
        verbose_name_plural = _("증빙 파일")
        ordering = ["update", "id"]

    def __str__(self):
        return self.original_name


def check_evidence(name: str, size: int, head: bytes) -> None:
    """Refuse an evidence file of a type not allowed, too large, or whose content does not match
    its extension (a renamed executable)."""
    extension = Path(name).suffix.lower()
    if extension not in EVIDENCE_TYPES:
        allowed = ", ".join(sorted(e.lstrip(".") for e in EVIDENCE_TYPES))
        raise ValidationError(
            _("증빙 파일은 %(allowed)s 형식만 올릴 수 있습니다.") % {"allowed": allowed}
        )
    limit = evidence_max_bytes()
    if size > limit:
        raise ValidationError(
            _("증빙 파일은 %(limit)d MB까지 올릴 수 있습니다.") % {"limit": limit // (1024 * 1024)}
        )
    if size == 0:
        raise ValidationError(_("빈 파일은 증빙으로 올릴 수 없습니다."))
    magic = EVIDENCE_TYPES[extension]
    if magic is not None and not any(head.startswith(m) for m in magic):
        raise ValidationError(
            _("파일 내용이 확장자(%(ext)s)와 맞지 않습니다.") % {"ext": extension}
        )


class TransitionQuerySet(PublishedQuerySet):
    def published_q(self, at, prefix=""):
        return Q(**{f"{prefix}pk__in": []})  # the review record is for staff


class ResultTransition(models.Model):
    """One step of an update's review: from which status to which, by whom, when, why."""

    update = models.ForeignKey(
        ResultUpdate,
        verbose_name=_("실적 보고"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    from_status = models.CharField(
        _("이전 상태"), max_length=12, choices=ResultUpdate.Status.choices, blank=True
    )
    to_status = models.CharField(_("새 상태"), max_length=12, choices=ResultUpdate.Status.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("처리자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("시각"), auto_now_add=True)
    reason = models.CharField(_("사유"), max_length=500, blank=True)

    objects = TransitionQuerySet.as_manager()
    publication = Publication(
        public=(),
        staff_only={
            "update": "review workflow",
            "from_status": "review workflow",
            "to_status": "review workflow",
            "user": "staff account",
            "at": "review workflow",
            "reason": "review workflow",
        },
    )

    class Meta:
        verbose_name = _("검토 기록")
        verbose_name_plural = _("검토 기록")
        ordering = ["update", "at", "id"]

    def __str__(self):
        return f"{self.get_from_status_display() or '—'} → {self.get_to_status_display()}"


class NoticeQuerySet(PublishedQuerySet):
    def published_q(self, at, prefix=""):
        return Q(**{f"{prefix}pk__in": []})


class ResultNotice(models.Model):
    """An e-mail sent about reporting (deadline ahead, update returned or approved) — once per
    subject and recipient (``key``)."""

    class Kind(models.TextChoices):
        DEADLINE = "deadline", _("제출 기한 알림")
        RETURNED = "returned", _("반려 알림")
        APPROVED = "approved", _("승인 알림")

    kind = models.CharField(_("종류"), max_length=10, choices=Kind.choices)
    key = models.CharField(_("대상"), max_length=100)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("수신자"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("발송 시각"), auto_now_add=True)

    objects = NoticeQuerySet.as_manager()
    publication = Publication(
        public=(),
        staff_only={
            "kind": "staff mail log",
            "key": "staff mail log",
            "recipient": "staff account",
            "sent_at": "staff mail log",
        },
    )

    class Meta:
        verbose_name = _("실적 보고 알림")
        verbose_name_plural = _("실적 보고 알림")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "recipient"],
                name="result_notice_once",
                violation_error_message=_("이 알림은 이미 보냈습니다."),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.key}"


class FollowUpQuerySet(TrackedQuerySet):
    pass


class FollowUp(TrackedModel):
    """A commitment announced at an event or in a source (후속 조치): who owes what, by when."""

    class Status(models.TextChoices):
        ANNOUNCED = "announced", _("발표됨")
        IN_PROGRESS = "in_progress", _("진행 중")
        DONE = "done", _("완료")
        DROPPED = "dropped", _("중단")

    OPEN = (Status.ANNOUNCED, Status.IN_PROGRESS)

    title = models.CharField(_("내용"), max_length=200)
    title_en = models.CharField(_("영문 내용"), max_length=200, blank=True)
    owner = models.ForeignKey(
        Organization,
        verbose_name=_("담당 기관"),
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    program = models.ForeignKey(
        Program,
        verbose_name=_("관련 사업·정책"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )
    due_start = models.DateField(_("기한 (시작)"), null=True, blank=True)
    due_end = models.DateField(
        _("기한"), null=True, blank=True, help_text=_("기간이면 끝나는 날, 날짜면 그날")
    )
    recurrence = models.CharField(
        _("반복"), max_length=60, blank=True, help_text=_("예: 매월, 분기마다")
    )
    status = models.CharField(
        _("상태"), max_length=12, choices=Status.choices, default=Status.ANNOUNCED, db_index=True
    )
    announced_at = models.ForeignKey(
        Event,
        verbose_name=_("발표된 행사"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )
    source = models.ForeignKey(
        Source, verbose_name=_("출처"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    fulfilled_by_event = models.ForeignKey(
        Event,
        verbose_name=_("이행한 행사"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fulfilled_follow_ups",
    )
    fulfilled_by_program = models.ForeignKey(
        Program,
        verbose_name=_("이행한 사업·정책"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fulfilled_follow_ups",
    )
    fulfilled_by_source = models.ForeignKey(
        Source,
        verbose_name=_("이행을 알린 출처"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fulfilled_follow_ups",
    )
    note = models.CharField(_("공개 비고"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = FollowUpQuerySet.as_manager()
    publication = Publication(
        public=(
            "title",
            "title_en",
            "owner",
            "program",
            "due_start",
            "due_end",
            "recurrence",
            "status",
            "announced_at",
            "source",
            "fulfilled_by_event",
            "fulfilled_by_program",
            "fulfilled_by_source",
            "note",
        )
    )

    class Meta:
        verbose_name = _("후속 조치")
        verbose_name_plural = _("후속 조치")
        ordering = [F("due_end").asc(nulls_last=True), "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_start__isnull=True)
                | Q(due_end__isnull=True)
                | Q(due_end__gte=F("due_start")),
                name="follow_up_due_ordered",
                violation_error_message=_("기한의 끝은 시작보다 빠를 수 없습니다."),
            ),
            models.CheckConstraint(
                condition=~Q(status="done")
                | Q(fulfilled_by_event__isnull=False)
                | Q(fulfilled_by_program__isnull=False)
                | Q(fulfilled_by_source__isnull=False),
                name="follow_up_done_has_record",
                violation_error_message=_(
                    "완료된 후속 조치에는 이행한 행사, 사업·정책 또는 출처를 연결해 주세요."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def is_overdue(self, today) -> bool:
        return self.status in self.OPEN and self.due_end is not None and self.due_end < today
