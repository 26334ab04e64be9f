"""Saved searches: sign-up (double opt-in), confirmation, unsubscribe, digests.

Matching is the site search (``core.search``) over public records only, restricted to what an
alert announces: programs (and calls) and events. At confirmation the items the search finds
already are remembered as known; a digest mails only the matches not sent before, once each.
"""

import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import search as index

from .models import SavedSearch, SentItem

ALERT_TYPES = ("program", "event")
FILTER_KEYS = ("type", "kind", "status", "region", "year")
DIGEST_LIMIT = 50


def site_url(path: str) -> str:
    return getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/") + path


def matches(saved: SavedSearch) -> list:
    """Public documents of programs and events matching the saved search, best first."""
    docs = index.published_documents().filter(record_type__in=ALERT_TYPES)
    if saved.query:
        docs = index.ranked(index.match(docs, saved.query))
    else:
        docs = docs.order_by("record_type", "title", "id")
    return list(index.facet_filter(docs, saved.filters or {}))


def _send(saved: SavedSearch, subject: str, body: str) -> None:
    unsubscribe = site_url(reverse("alert-unsubscribe", kwargs={"token": saved.token}))
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        to=[saved.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.send()


def saved_search_create(*, email: str, query: str, filters: dict, frequency: str, language: str):
    """Store an unconfirmed saved search and mail the confirmation link (double opt-in)."""
    saved = SavedSearch.objects.create(
        email=email,
        query=query[:100],
        filters={k: str(v) for k, v in filters.items() if k in FILTER_KEYS and v},
        frequency=frequency,
        language=language,
    )
    confirm = site_url(reverse("alert-confirm", kwargs={"token": saved.token}))
    with translation.override(language):
        body = _(
            "'%(query)s' 검색의 새 소식을 %(frequency)s 받겠다고 신청하셨습니다.\n\n"
            "맞으면 이 링크를 열어 확인해 주세요(확인 전에는 아무것도 보내지 않습니다):\n%(confirm)s\n\n"
            "신청하지 않으셨다면 이 메일을 무시하세요. 주소는 확인되지 않으면 7일 뒤 지웁니다."
        ) % {
            "query": saved.query or "—",
            "frequency": saved.get_frequency_display(),
            "confirm": confirm,
        }
        _send(saved, _("[AI 전환 트래커] 검색 알림 신청을 확인해 주세요"), body)
    return saved


def saved_search_confirm(*, saved: SavedSearch) -> None:
    """Confirm once; what the search finds now is known and will not be mailed."""
    if saved.is_confirmed:
        return
    with transaction.atomic():
        saved.confirmed_at = timezone.now()
        saved.save(update_fields=["confirmed_at"])
        SentItem.objects.bulk_create(
            [
                SentItem(saved_search=saved, model=d.model, object_id=d.object_id)
                for d in matches(saved)
            ],
            ignore_conflicts=True,
        )


def saved_search_unsubscribe(*, saved: SavedSearch) -> None:
    """Delete the saved search and its address (and what it had sent)."""
    saved.delete()


def digest_send(*, saved_search_id: int) -> int:
    """Mail the new matches of one saved search; returns how many items were sent."""
    saved = SavedSearch.objects.filter(pk=saved_search_id, confirmed_at__isnull=False).first()
    if saved is None:
        return 0
    with transaction.atomic():
        known = set(SentItem.objects.filter(saved_search=saved).values_list("model", "object_id"))
        new = [d for d in matches(saved) if (d.model, d.object_id) not in known][:DIGEST_LIMIT]
        if not new:
            return 0
        now = timezone.now()
        created = SentItem.objects.bulk_create(
            [
                SentItem(saved_search=saved, model=d.model, object_id=d.object_id, sent_at=now)
                for d in new
            ],
            ignore_conflicts=True,
        )
        saved.last_sent_at = now
        saved.save(update_fields=["last_sent_at"])
        with translation.override(saved.language):
            lines = []
            for doc in new:
                spec = next(
                    index.spec_of(m)
                    for m in index.searchable_models()
                    if index.spec_of(m).type == doc.record_type
                )
                title = doc.title_en if saved.language == "en" and doc.title_en else doc.title
                url = ""
                if spec.url and doc.url_args:
                    url = site_url(reverse(spec.url[0], kwargs=doc.url_args))
                lines.append(f"- [{spec.label}] {title}\n  {url}")
            unsubscribe = site_url(reverse("alert-unsubscribe", kwargs={"token": saved.token}))
            body = (
                _("'%(query)s' 검색에 새로 맞는 사업·공고·행사 %(n)d건입니다.")
                % {"query": saved.query or "—", "n": len(new)}
                + "\n\n"
                + "\n".join(lines)
                + "\n\n"
                + _("알림 해지(주소도 지웁니다): %(url)s") % {"url": unsubscribe}
            )
            # sent inside the transaction: a mail error rolls the SentItem rows back, so the
            # items are offered again next time instead of being lost
            _send(saved, _("[AI 전환 트래커] 새 소식 %(n)d건") % {"n": len(created)}, body)
    return len(new)


def digests_send(*, frequency: str) -> int:
    """Every confirmed saved search of ``frequency``; returns the number of mails sent."""
    sent = 0
    for pk in SavedSearch.objects.filter(
        frequency=frequency, confirmed_at__isnull=False
    ).values_list("pk", flat=True):
        sent += 1 if digest_send(saved_search_id=pk) else 0
    return sent


def unconfirmed_purge(*, days: int = 7) -> int:
    """Addresses never confirmed are deleted after ``days``."""
    cutoff = timezone.now() - datetime.timedelta(days=days)
    deleted, _ = SavedSearch.objects.filter(
        confirmed_at__isnull=True, created_at__lt=cutoff
    ).delete()
    return deleted
