"""Saved searches with e-mail alerts: a visitor's search filters and address, no account.

The address is personal data: staff-only (``publication``), never shown on a public channel,
and the row is deleted — not flagged — when its owner unsubscribes. ``SentItem`` remembers
what each saved search already announced, so an item is mailed once.
"""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.publication import Publication


def new_token() -> str:
    return secrets.token_urlsafe(32)


class SavedSearch(models.Model):
    class Frequency(models.TextChoices):
        DAILY = "daily", _("매일")
        WEEKLY = "weekly", _("매주")

    email = models.EmailField(_("이메일 (비공개)"))
    query = models.CharField(_("검색어"), max_length=100, blank=True)
    filters = models.JSONField(_("조건"), default=dict, blank=True)
    frequency = models.CharField(_("주기"), max_length=10, choices=Frequency.choices)
    language = models.CharField(_("언어"), max_length=5, default="ko")
    token = models.CharField(
        _("확인·해지 토큰 (비공개)"), max_length=64, unique=True, default=new_token
    )
    created_at = models.DateTimeField(_("신청 시각"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("확인 시각"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("마지막 발송"), null=True, blank=True)

    publication = Publication(
        public=(
            "query",
            "filters",
            "frequency",
            "language",
            "created_at",
            "confirmed_at",
            "last_sent_at",
        ),
        staff_only={
            "email": "personal data (a visitor's address; deleted on unsubscribe)",
            "token": "the secret of the confirm and unsubscribe links",
        },
    )

    class Meta:
        verbose_name = _("저장한 검색")
        verbose_name_plural = _("저장한 검색")
        ordering = ("-created_at", "id")

    def __str__(self):
        return f"{self.query or '—'} ({self.get_frequency_display()})"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class SentItem(models.Model):
    """An item (program, call or event) a saved search has announced, or knew at confirmation."""

    saved_search = models.ForeignKey(
        SavedSearch, verbose_name=_("저장한 검색"), on_delete=models.CASCADE, related_name="sent"
    )
    model = models.CharField(_("모델"), max_length=60)
    object_id = models.BigIntegerField(_("레코드 id"))
    sent_at = models.DateTimeField(_("발송 시각"), null=True, blank=True)  # None: known at start

    publication = Publication(public=("saved_search", "model", "object_id", "sent_at"))

    class Meta:
        verbose_name = _("알린 항목")
        verbose_name_plural = _("알린 항목")
        ordering = ("saved_search", "model", "object_id")
        constraints = [
            models.UniqueConstraint(
                fields=("saved_search", "model", "object_id"),
                name="sentitem_once_per_search",
                violation_error_message=_("한 항목은 한 번만 알립니다."),
            )
        ]

    def __str__(self):
        return f"{self.model}#{self.object_id}"
