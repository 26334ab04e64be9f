"""Webhook subscriptions of external dashboards and the log of every delivery made to them."""

import math
import secrets
import time
import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def new_secret() -> str:
    """A random signing secret (64 hex characters)."""
    return secrets.token_hex(32)


class SubscriptionManager(models.Manager):
    #: How long a process trusts its list of subscribed record types. A new subscription made in
    #: another process is seen within this time; one made in this process at once.
    REFRESH_SECONDS = 30
    _memo = {"types": frozenset(), "loaded_at": -math.inf}

    def subscribed_record_types(self) -> frozenset[str]:
        """Record types at least one active subscription wants (memoized per process).

        Lets a save of a record nobody subscribes to skip queueing anything at all.
        """
        now = time.monotonic()
        if now - self._memo["loaded_at"] > self.REFRESH_SECONDS:
            types = set()
            for record_types in self.filter(is_active=True).values_list("record_types", flat=True):
                types.update(record_types)
            self._memo.update(types=frozenset(types), loaded_at=now)
        return self._memo["types"]

    def forget_subscribed_record_types(self) -> None:
        self._memo["loaded_at"] = -math.inf


class Subscription(models.Model):
    """A subscriber URL that receives signed JSON for changes of the record types it chose."""

    name = models.CharField(_("이름"), max_length=120)
    url = models.URLField(_("수신 URL"), max_length=500)
    secret = models.CharField(
        _("서명 비밀키"),
        max_length=128,
        default=new_secret,
        help_text=_("수신 측이 X-Tracker-Signature 서명을 검증할 때 쓰는 비밀키입니다."),
    )
    record_types = models.JSONField(
        _("레코드 종류"), default=list, blank=True, help_text=_("변경을 받을 레코드 종류")
    )
    is_active = models.BooleanField(_("사용"), default=True)
    note = models.CharField(_("비고"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("생성 시각"), auto_now_add=True)
    updated_at = models.DateTimeField(_("수정 시각"), auto_now=True)

    objects = SubscriptionManager()

    class Meta:
        verbose_name = _("웹훅 구독")
        verbose_name_plural = _("웹훅 구독")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        Subscription.objects.forget_subscribed_record_types()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        Subscription.objects.forget_subscribed_record_types()
        return result

    def wants(self, record_type: str) -> bool:
        return self.is_active and record_type in self.record_types


#: How much of a subscriber's answer is kept with the delivery (for staff checking a receiver).
RESPONSE_EXCERPT_CHARS = 500


class Delivery(models.Model):
    """One change sent (or being sent) to one subscription: the exact payload and its fate."""

    class Status(models.TextChoices):
        PENDING = "pending", _("대기")
        SENDING = "sending", _("전송 중")
        RETRYING = "retrying", _("재시도 대기")
        SUCCEEDED = "succeeded", _("성공")
        FAILED = "failed", _("실패")

    class Action(models.TextChoices):
        CREATED = "created", _("생성")
        UPDATED = "updated", _("수정")
        DELETED = "deleted", _("삭제")
        TEST = "test", _("시험 전송")

    subscription = models.ForeignKey(
        Subscription, verbose_name=_("구독"), on_delete=models.CASCADE, related_name="deliveries"
    )
    delivery_id = models.UUIDField(_("전송 ID"), default=uuid.uuid4, unique=True, editable=False)
    change_key = models.CharField(
        _("변경 키"), max_length=120, help_text=_("변경 이력 행 (이력 모델:ID)")
    )
    record_type = models.CharField(_("레코드 종류"), max_length=60, db_index=True)
    record_id = models.CharField(_("레코드 ID"), max_length=40)
    action = models.CharField(_("변경"), max_length=10, choices=Action.choices)
    payload = models.JSONField(_("본문"))
    status = models.CharField(
        _("상태"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(_("시도 횟수"), default=0)
    response_code = models.PositiveSmallIntegerField(_("응답 코드"), null=True, blank=True)
    last_error = models.TextField(_("마지막 오류"), blank=True)
    duration_ms = models.PositiveIntegerField(_("응답 시간 (ms)"), null=True, blank=True)
    response_excerpt = models.CharField(
        _("응답 본문 (앞부분)"), max_length=RESPONSE_EXCERPT_CHARS, blank=True
    )
    claimed_until = models.DateTimeField(_("전송 점유 만료"), null=True, blank=True)
    created_at = models.DateTimeField(_("생성 시각"), auto_now_add=True, db_index=True)
    last_attempt_at = models.DateTimeField(_("마지막 시도"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("전달 시각"), null=True, blank=True)

    class Meta:
        verbose_name = _("웹훅 전송")
        verbose_name_plural = _("웹훅 전송 기록")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "change_key"],
                name="delivery_unique_change_per_subscription",
                violation_error_message=_("이 변경은 이미 이 구독으로 전송 대기 중입니다."),
            ),
            models.CheckConstraint(
                condition=~Q(status="succeeded") | Q(delivered_at__isnull=False),
                name="delivery_succeeded_has_time",
                violation_error_message=_("성공한 전송에는 전달 시각이 있어야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.record_type}#{self.record_id} {self.action} → {self.subscription}"

    @property
    def event(self) -> str:
        return f"{self.record_type}.{self.action}"


class ChangeEntry(models.Model):
    """One public change in the changes feed (``/api/v1/changes/``): a record created,
    updated or deleted as the public sees it (``webhooks/changes.py``).

    ``xid`` is the id of the transaction that wrote the change (PostgreSQL
    ``pg_current_xact_id()``; empty on SQLite): the feed is ordered by (xid, id) and hands out
    only entries of transactions older than every transaction still running, so a change that
    commits after a later-started one is never skipped by a reader's cursor.
    """

    class Action(models.TextChoices):
        CREATED = "created", _("생성")
        UPDATED = "updated", _("수정")
        DELETED = "deleted", _("삭제")

    id = models.BigAutoField(primary_key=True)
    xid = models.BigIntegerField(_("트랜잭션 ID"), null=True, blank=True)
    record_type = models.CharField(_("레코드 종류"), max_length=60)
    record_id = models.CharField(_("레코드 ID"), max_length=40)
    action = models.CharField(_("변경"), max_length=10, choices=Action.choices)
    occurred_at = models.DateTimeField(_("변경 시각"))
    resource = models.CharField(
        _("API 자원"), max_length=40, blank=True, help_text=_("기록을 보여 주는 API 자원")
    )
    resource_id = models.CharField(_("API 자원 ID"), max_length=40, blank=True)
    release_key = models.CharField(
        _("엠바고 해제 키"),
        max_length=120,
        null=True,
        blank=True,
        unique=True,
        help_text=_("엠바고 해제로 생긴 항목을 한 번만 기록하기 위한 키"),
    )
    recorded_at = models.DateTimeField(_("기록 시각"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("변경 피드 항목")
        verbose_name_plural = _("변경 피드")
        ordering = ["xid", "id"]
        indexes = [models.Index(fields=["xid", "id"], name="changeentry_xid_id")]

    def __str__(self):
        return f"{self.record_type}#{self.record_id} {self.action}"
