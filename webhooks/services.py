"""Webhooks: notice a change of a public record, fan it out to subscribers, deliver it signed.

Why a signal here, when our conventions (CONTRIBUTING.md) rule out signals for domain flow so
that every business step is an explicit service call a reader can follow: telling dashboards
that a record changed is not domain flow, it is cross-cutting, and it must see every write path
(admin, API, importers, shell). simple-history already records each of those in one place and
announces it with ``post_create_historical_record``; listening to that one signal gives one
hook instead of a call sprinkled into every service and admin. The handler does no work in the
request: it queues ``webhook_dispatch_change(history model, history id)`` after commit, so a
rolled-back save sends nothing and a slow or failing subscriber never delays or breaks a save.
A save of a record type nobody subscribes to queues nothing (see
``SubscriptionManager.subscribed_record_types``).

Bulk writes that create history with ``bulk_history_create`` do not send the signal; such code
must send ``post_create_historical_record`` for each history row it writes.

Delivery is at least once: a receiver de-duplicates by the ``X-Tracker-Delivery`` header.
"""

import contextlib
import datetime
import hashlib
import hmac
import http.client
import json
import logging
import random
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from config.celery import enqueue_on_commit

from .models import RESPONSE_EXCERPT_CHARS, Delivery, Subscription
from .serializers import PUBLIC_RECORDS, public_part, region_codes, serialize_public

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Tracker-Signature"
TIMESTAMP_HEADER = "X-Tracker-Timestamp"
DELIVERY_HEADER = "X-Tracker-Delivery"
EVENT_HEADER = "X-Tracker-Event"
USER_AGENT = "ax-tracker-webhooks/1"

ACTIONS = {"+": Delivery.Action.CREATED, "~": Delivery.Action.UPDATED, "-": Delivery.Action.DELETED}


class TransientDeliveryError(Exception):
    """The subscriber could not take the delivery now (network error, timeout, 5xx, 429)."""


# --- noticing a change ----------------------------------------------------------------------


def record_changed(sender, instance, history_instance, **kwargs):
    """simple-history hook: record the change in the changes feed (in the same transaction)
    and queue a fan-out of this history row once the save commits.

    Nothing is queued for a record type no active subscription wants.
    """
    record_type = instance._meta.label_lower
    if record_type not in PUBLIC_RECORDS:
        return
    # The changes feed entry is written here, in the writing transaction (webhooks/changes.py).
    from .changes import change_from_history_record

    change_from_history_record(history_instance)
    if record_type not in Subscription.objects.subscribed_record_types():
        return
    from .tasks import webhook_dispatch_change

    enqueue_on_commit(
        webhook_dispatch_change, history_instance._meta.label_lower, history_instance.pk
    )


# --- fan-out ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """A public change worth sending: what happened and the record's public fields."""

    record_type: str
    record_id: str
    action: str
    occurred_at: datetime.datetime
    data: dict


def change_from_history(history_record) -> Change | None:
    """The public change a history row stands for, or None when no public field changed.

    An update that touched only private fields (a person's phone) sends nothing. A record that
    becomes public (an event participant switched to public) is announced as created; one that
    stops being public as deleted, with its last public fields.
    """
    record_type = history_record.instance_type._meta.label_lower
    regions = region_codes()
    action = ACTIONS[history_record.history_type]
    data = serialize_public(history_record, regions=regions)
    if action == Delivery.Action.UPDATED:
        previous = history_record.prev_record
        before = serialize_public(previous, regions=regions) if previous else None
        if public_part(before) == public_part(data):
            return None
        if before is None:
            action = Delivery.Action.CREATED
        elif data is None:
            action, data = Delivery.Action.DELETED, before
    if data is None:
        return None
    return Change(record_type, str(history_record.id), action, history_record.history_date, data)


def webhook_change_dispatch(*, history_label: str, history_id: int) -> list[int]:
    """Create one delivery per interested subscription for this history row and queue them.

    Idempotent: a second run (a redelivered task) finds the deliveries already made and only
    queues the ones that were never attempted. Returns the ids of the deliveries queued.
    """
    history_model = apps.get_model(history_label)
    record_type = history_model.instance_type._meta.label_lower
    subscriptions = [s for s in Subscription.objects.filter(is_active=True) if s.wants(record_type)]
    if not subscriptions:
        return []
    history_record = history_model.objects.filter(pk=history_id).first()
    if history_record is None:
        return []
    change = change_from_history(history_record)
    if change is None:
        return []
    queued = []
    from .tasks import webhook_deliver

    with transaction.atomic():
        for subscription in subscriptions:
            delivery, _created = Delivery.objects.get_or_create(
                subscription=subscription,
                change_key=f"{history_label}:{history_id}",
                defaults={
                    "record_type": change.record_type,
                    "record_id": change.record_id,
                    "action": change.action,
                    "payload": {},
                },
            )
            if not delivery.payload:
                delivery.payload = build_payload(delivery, change)
                delivery.save(update_fields=["payload"])
            if delivery.status == Delivery.Status.PENDING and delivery.attempts == 0:
                enqueue_on_commit(webhook_deliver, delivery.pk)
                queued.append(delivery.pk)
    return queued


#: How far back a run looks for lifted embargoes: a scheduler that was down for less than this
#: misses no release (each release is announced once: deliveries are keyed by record version).
RELEASE_WINDOW = datetime.timedelta(days=1)


def released_changes(now: datetime.datetime):
    """(change, version, instance) of every record the clock has made public within
    ``RELEASE_WINDOW`` before ``now`` (a press embargo lifted), announced as created at
    ``now``: the one reading of releases behind the webhooks and the changes feed."""
    from core.publication import released_between

    regions = region_codes()
    for label, record in PUBLIC_RECORDS.items():
        for instance in released_between(record.model, now - RELEASE_WINDOW, now).order_by("pk"):
            data = serialize_public(instance, regions=regions, at=now)
            if data is None:
                continue
            change = Change(label, str(instance.pk), Delivery.Action.CREATED, now, data)
            yield change, getattr(instance, "version", ""), instance


def webhook_releases_dispatch(*, now: datetime.datetime | None = None) -> list[int]:
    """Announce, as created, the records the clock has made public since the last runs (a press
    embargo lifted): nothing was written, so no history row announced them. Run every minute by
    the scheduler; idempotent (one delivery per subscription, record and version; one changes
    feed entry per record and version)."""
    from .changes import change_record
    from .tasks import webhook_deliver

    now = now or timezone.now()
    subscriptions = list(Subscription.objects.filter(is_active=True))
    queued = []
    for change, version, instance in released_changes(now):
        label = change.record_type
        key = f"release:{label}:{instance.pk}:{version}"
        interested = [s for s in subscriptions if s.wants(label)]
        with transaction.atomic():
            change_record(
                record_type=label,
                record_id=change.record_id,
                action=change.action,
                occurred_at=now,
                row=instance,
                release_key=key,
            )
            for subscription in interested:
                delivery, created = Delivery.objects.get_or_create(
                    subscription=subscription,
                    change_key=key,
                    defaults={
                        "record_type": label,
                        "record_id": change.record_id,
                        "action": change.action,
                        "payload": {},
                    },
                )
                if created:
                    delivery.payload = build_payload(delivery, change)
                    delivery.save(update_fields=["payload"])
                    enqueue_on_commit(webhook_deliver, delivery.pk)
                    queued.append(delivery.pk)
    return queued


def build_payload(delivery: Delivery, change: Change) -> dict:
    return {
        "delivery_id": str(delivery.delivery_id),
        "event": f"{change.record_type}.{change.action}",
        "record_type": change.record_type,
        "record_id": change.record_id,
        "action": change.action,
        "occurred_at": change.occurred_at.isoformat(),
        "data": change.data,
    }


# --- delivery ---------------------------------------------------------------------------------


def payload_body(payload: dict) -> bytes:
    """The exact bytes sent (and signed): compact UTF-8 JSON with sorted keys."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>`` of HMAC-SHA256(secret, "<timestamp>." + body).

    The timestamp is signed with the body so a captured delivery cannot be replayed later with
    a fresh timestamp; receivers should also refuse timestamps older than a few minutes.
    """
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def verify_signature(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """What a receiver does (used by the tests and shown in docs/operations.md)."""
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not an instruction: never re-send signed data elsewhere."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _claim(delivery_id: int, *, inactive_too: bool = False) -> Delivery | None:
    """Take the delivery for one attempt, or None when it is done or another worker holds it.

    The claim is a lease (``claimed_until``), so a worker killed mid-attempt does not leave the
    delivery stuck: once the lease ends, the redelivered task may claim it again. A test
    delivery (``inactive_too``) may go to a subscription not yet switched on.
    """
    now = timezone.now()
    lease = now + datetime.timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS * 2 + 30)
    claimable = Q(status__in=[Delivery.Status.PENDING, Delivery.Status.RETRYING]) | Q(
        status=Delivery.Status.SENDING, claimed_until__lt=now
    )
    deliveries = Delivery.objects.filter(claimable, pk=delivery_id)
    if not inactive_too:
        deliveries = deliveries.filter(subscription__is_active=True)
    claimed = deliveries.update(
        status=Delivery.Status.SENDING, claimed_until=lease, last_attempt_at=now
    )
    if not claimed:
        return None
    return Delivery.objects.select_related("subscription").get(pk=delivery_id)


def _excerpt(raw: bytes) -> str:
    return raw[: RESPONSE_EXCERPT_CHARS * 4].decode("utf-8", "replace")[:RESPONSE_EXCERPT_CHARS]


def _post(delivery: Delivery) -> tuple[int, str]:
    """POST the signed payload; the answer's status and the start of its body."""
    body = payload_body(delivery.payload)
    timestamp = str(int(timezone.now().timestamp()))
    request = urllib.request.Request(
        delivery.subscription.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            EVENT_HEADER: delivery.event,
            DELIVERY_HEADER: str(delivery.delivery_id),
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: sign(delivery.subscription.secret, timestamp, body),
        },
    )
    with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
        return response.status, _excerpt(response.read(RESPONSE_EXCERPT_CHARS * 4))


def webhook_delivery_attempt(
    *, delivery_id: int, final_attempt: bool = False, inactive_too: bool = False
) -> str:
    """Send one delivery once and record the outcome (status, response time, the start of the
    answer's body); returns the delivery's new status.

    2xx is success. A network error, a timeout, 408, 429 or 5xx is transient: the delivery is
    marked for retry and ``TransientDeliveryError`` is raised (unless ``final_attempt``, when it
    is marked failed). Any other answer (4xx, 3xx) is permanent: failed, not retried.
    """
    delivery = _claim(delivery_id, inactive_too=inactive_too)
    if delivery is None:
        return "skipped"
    code, error, transient, excerpt = None, "", False, ""
    started = time.monotonic()
    try:
        code, excerpt = _post(delivery)
    except urllib.error.HTTPError as exc:
        code, error = exc.code, f"HTTP {exc.code} {exc.reason}"
        transient = exc.code >= 500 or exc.code in (408, 429)
        with contextlib.suppress(OSError, http.client.HTTPException):
            excerpt = _excerpt(exc.read(RESPONSE_EXCERPT_CHARS * 4))
    except (OSError, http.client.HTTPException) as exc:  # URLError, timeouts, resets, bad replies
        error, transient = f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}", True
    now = timezone.now()
    delivery.attempts += 1
    delivery.response_code = code
    delivery.duration_ms = round((time.monotonic() - started) * 1000)
    delivery.response_excerpt = excerpt
    delivery.claimed_until = None
    if code is not None and 200 <= code < 300 and not error:
        delivery.status, delivery.delivered_at, delivery.last_error = (
            Delivery.Status.SUCCEEDED,
            now,
            "",
        )
    elif transient and not final_attempt:
        delivery.status, delivery.last_error = Delivery.Status.RETRYING, error
    else:
        delivery.status = Delivery.Status.FAILED
        delivery.last_error = error or f"HTTP {code}"
    delivery.save(
        update_fields=[
            "attempts",
            "response_code",
            "duration_ms",
            "response_excerpt",
            "claimed_until",
            "status",
            "delivered_at",
            "last_error",
        ]
    )
    if delivery.status == Delivery.Status.RETRYING:
        raise TransientDeliveryError(error)
    return delivery.status


TEST_RECORD_TYPE = "webhook"


def webhook_test_send(*, subscription_id: int) -> Delivery:
    """Staff: send a signed test delivery to a subscriber now and record its result.

    The same path as every delivery (payload, signature, headers, the answer recorded on a
    ``Delivery`` row of the log), once and without retries, so the result (status, response
    time, the start of the answer) is known when this returns. Its event is ``webhook.test``
    and its data names the subscription; it goes to an inactive subscription too."""
    subscription = Subscription.objects.get(pk=subscription_id)
    delivery = Delivery(
        subscription=subscription,
        change_key=f"test:{uuid.uuid4()}",
        record_type=TEST_RECORD_TYPE,
        record_id="",
        action=Delivery.Action.TEST,
        payload={},
    )
    delivery.payload = {
        "delivery_id": str(delivery.delivery_id),
        "event": f"{TEST_RECORD_TYPE}.{Delivery.Action.TEST}",
        "record_type": TEST_RECORD_TYPE,
        "record_id": "",
        "action": Delivery.Action.TEST.value,
        "occurred_at": timezone.now().isoformat(),
        "data": {"subscription": subscription.name, "test": True},
    }
    delivery.save()
    webhook_delivery_attempt(delivery_id=delivery.pk, final_attempt=True, inactive_too=True)
    delivery.refresh_from_db()
    return delivery


def retry_countdown(retries: int) -> float:
    """Exponential backoff with full jitter: up to base·2^retries seconds, capped."""
    ceiling = min(
        settings.WEBHOOK_RETRY_BACKOFF_MAX_SECONDS,
        settings.WEBHOOK_RETRY_BACKOFF_SECONDS * (2**retries),
    )
    return random.uniform(ceiling / 2, ceiling)


def webhook_delivery_resend(*, delivery_ids: list[int]) -> int:
    """Staff action: send these deliveries again (failed or not), as new attempts."""
    from .tasks import webhook_deliver

    ids = list(
        Delivery.objects.filter(pk__in=delivery_ids)
        .exclude(status=Delivery.Status.SENDING)
        .values_list("pk", flat=True)
    )
    Delivery.objects.filter(pk__in=ids).update(status=Delivery.Status.PENDING, claimed_until=None)
    for pk in ids:
        enqueue_on_commit(webhook_deliver, pk)
    return len(ids)
