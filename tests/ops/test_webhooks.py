"""Webhooks without a broker (tasks in-process): what is sent, how it is signed, what is never sent.

The real-worker behaviour (Redis, retries with backoff) is in test_worker_webhooks.py.
"""

import datetime
import json
import logging

import pytest
from django.db import transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from factory.django import DjangoModelFactory

from core.models import Person
from core.publication import publication_of
from events.models import EventParticipant
from programs.models import Program
from tests import factories
from tests.ops.conftest import broker
from webhooks import services
from webhooks.models import Delivery, Subscription
from webhooks.serializers import BOOKKEEPING_FIELDS, PUBLIC_RECORDS, serialize_public


def subscribe(url: str, *record_types: str, secret: str = "s3cret") -> Subscription:
    return Subscription.objects.create(
        name="대시보드", url=url, secret=secret, record_types=list(record_types)
    )


def assert_signed(request, secret: str = "s3cret"):
    signature = request.headers["X-Tracker-Signature"]
    assert signature.startswith("sha256=")
    assert services.verify_signature(
        secret, request.headers["X-Tracker-Timestamp"], request.body, signature
    )


# --- signing ----------------------------------------------------------------------------------


def test_signature_is_hmac_sha256_of_timestamp_dot_body():
    # given: a vector computed independently (hmac over b"1700000000." + body)
    body = b'{"a":1}'

    # when
    signature = services.sign("key", "1700000000", body)

    # then
    assert (
        signature
        == "sha256=" + __import__("hmac").new(b"key", b'1700000000.{"a":1}', "sha256").hexdigest()
    )
    assert services.verify_signature("key", "1700000000", body, signature)
    assert not services.verify_signature("other", "1700000000", body, signature)
    assert not services.verify_signature("key", "1700000001", body, signature)


# --- what is delivered ----------------------------------------------------------------------------


def test_created_program_is_delivered_as_signed_json(
    db, receiver, django_capture_on_commit_callbacks
):
    # given
    subscription = subscribe(receiver.url, "programs.program")

    # when
    with django_capture_on_commit_callbacks(execute=True):
        program = factories.ProgramFactory(name="지역 주도형 AI 대전환사업", slug="region-ax")

    # then: one POST, signed, with the public fields and the delivery headers
    (request,) = receiver.requests
    assert_signed(request)
    delivery = Delivery.objects.get()
    assert request.headers["X-Tracker-Delivery"] == str(delivery.delivery_id)
    assert request.headers["X-Tracker-Event"] == "programs.program.created"
    assert request.headers["Content-Type"] == "application/json; charset=utf-8"
    payload = request.json
    assert payload["event"] == "programs.program.created"
    assert payload["record_type"] == "programs.program"
    assert payload["record_id"] == str(program.pk)
    assert payload["action"] == "created"
    assert payload["delivery_id"] == str(delivery.delivery_id)
    assert payload["data"]["name"] == "지역 주도형 AI 대전환사업"
    assert payload["data"]["slug"] == "region-ax"
    assert payload["data"]["planned_start"] == "2025-01-01"
    assert (delivery.subscription, delivery.status, delivery.attempts) == (
        subscription,
        Delivery.Status.SUCCEEDED,
        1,
    )
    assert (delivery.response_code, delivery.last_error) == (200, "")
    assert delivery.delivered_at is not None


def test_update_and_delete_are_delivered(db, receiver, django_capture_on_commit_callbacks):
    # given
    subscribe(receiver.url, "programs.program")
    program = factories.ProgramFactory(name="이전 이름")
    program_id = program.pk

    # when
    with django_capture_on_commit_callbacks(execute=True):
        program.name = "새 이름"
        program.save()
    with django_capture_on_commit_callbacks(execute=True):
        program.delete()

    # then
    updated, deleted = (r.json for r in receiver.requests)
    assert (updated["action"], updated["data"]["name"]) == ("updated", "새 이름")
    assert (deleted["action"], deleted["data"]["name"]) == ("deleted", "새 이름")
    assert deleted["record_id"] == str(program_id)
    assert Delivery.objects.filter(status=Delivery.Status.SUCCEEDED).count() == 2


def test_person_phone_or_email_change_sends_nothing(
    db, receiver, django_capture_on_commit_callbacks
):
    # given
    subscribe(receiver.url, "core.person")
    person = factories.PersonFactory(phone="055-000-0000", email="old@example.go.kr")

    # when: only private fields change
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        person.phone = "055-123-4567"
        person.email = "new@example.go.kr"
        person.save()

    # then: the change was noticed (a callback ran) but nothing was sent or logged
    assert len(callbacks) == 1
    assert receiver.requests == []
    assert Delivery.objects.count() == 0


def test_person_public_change_never_carries_contact_data(
    db, receiver, django_capture_on_commit_callbacks
):
    # given
    subscribe(receiver.url, "core.person")
    person = factories.PersonFactory(
        name="김담당", phone="055-000-0000", email="kim@example.go.kr", note="내부 메모"
    )

    # when
    with django_capture_on_commit_callbacks(execute=True):
        person.position = "국장"
        person.phone = "055-999-9999"
        person.save()

    # then
    (request,) = receiver.requests
    data = request.json["data"]
    assert data["position"] == "국장"
    assert set(data) == {
        "id",
        "name",
        "name_en",
        "position",
        "position_en",
        "organization_id",
        *BOOKKEEPING_FIELDS,
    }
    for secret in (b"055-", b"kim@example", "내부 메모".encode()):
        assert secret not in request.body


def test_event_participant_visibility_changes_are_created_and_deleted(
    db, receiver, django_capture_on_commit_callbacks
):
    # given: a participant that is not public
    subscribe(receiver.url, "events.eventparticipant")
    with django_capture_on_commit_callbacks(execute=True):
        participant = factories.EventParticipantFactory(is_public=False)
    assert receiver.requests == []

    # when: it becomes public, then private again
    with django_capture_on_commit_callbacks(execute=True):
        participant.is_public = True
        participant.save()
    with django_capture_on_commit_callbacks(execute=True):
        participant.is_public = False
        participant.save()

    # then
    assert [r.json["action"] for r in receiver.requests] == ["created", "deleted"]
    assert receiver.requests[0].json["data"]["is_public"] is True  # the last public version


def test_an_embargoed_event_is_sent_once_when_its_embargo_lifts_and_not_before(
    db, receiver, django_capture_on_commit_callbacks
):
    # given: an event and its agenda under embargo until an hour from now ("noon")
    subscribe(receiver.url, "events.event", "events.agendaitem")
    noon = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        event = factories.EventFactory(embargo_until=noon, starts_at=noon)
        item = factories.AgendaItemFactory(event=event)
    with django_capture_on_commit_callbacks(execute=True):
        event.name = "바뀐 이름"
        event.save()
    assert receiver.requests == []
    with django_capture_on_commit_callbacks(execute=True):
        assert services.webhook_releases_dispatch(now=noon - datetime.timedelta(minutes=1)) == []

    # when: the clock passes noon (twice: the scheduler runs every minute)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.webhook_releases_dispatch(now=noon + datetime.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        again = services.webhook_releases_dispatch(now=noon + datetime.timedelta(minutes=2))

    # then
    assert len(first) == 2 and again == []
    sent = sorted(
        (r.json["record_type"], r.json["action"], r.json["data"]["id"]) for r in receiver.requests
    )
    assert sent == [
        ("events.agendaitem", "created", item.pk),
        ("events.event", "created", event.pk),
    ]
    event_payload = next(
        r.json for r in receiver.requests if r.json["record_type"] == "events.event"
    )
    assert event_payload["data"]["name"] == "바뀐 이름"


def test_outcome_without_publication_consent_is_not_sent(
    db, receiver, django_capture_on_commit_callbacks
):
    # given
    subscribe(receiver.url, "programs.outcome")
    hidden = factories.ParticipationFactory(consent_to_publish=False)
    shown = factories.ParticipationFactory(consent_to_publish=True)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        factories.OutcomeFactory(participation=hidden, company=hidden.company)
        public = factories.OutcomeFactory(participation=shown, company=shown.company)

    # then
    (request,) = receiver.requests
    assert request.json["record_id"] == str(public.pk)


def test_only_subscribed_record_types_are_delivered(
    db, receiver, django_capture_on_commit_callbacks
):
    # given
    subscribe(receiver.url, "events.event")
    Subscription.objects.create(
        name="꺼진 구독", url=receiver.url, record_types=["programs.program"], is_active=False
    )

    # when
    with django_capture_on_commit_callbacks(execute=True):
        factories.ProgramFactory()
        event = factories.EventFactory()

    # then
    (request,) = receiver.requests
    assert (request.json["record_type"], request.json["record_id"]) == (
        "events.event",
        str(event.pk),
    )


def test_save_nobody_subscribes_to_queues_nothing(db, receiver, django_capture_on_commit_callbacks):
    # given: a subscription for events only
    subscribe(receiver.url, "events.event")

    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        factories.ProgramFactory()

    # then: no task was even queued
    assert callbacks == []
    assert Delivery.objects.count() == 0


def test_bulk_update_of_a_public_record_is_delivered(
    db, receiver, django_capture_on_commit_callbacks
):
    # given
    subscribe(receiver.url, "programs.program")
    program = factories.ProgramFactory(status=Program.Status.OPEN)

    # when: a bulk admin action style update (core's TrackedQuerySet writes history in bulk
    # and sends simple-history's signal per row)
    with django_capture_on_commit_callbacks(execute=True):
        Program.objects.filter(pk=program.pk).update(status=Program.Status.COMPLETED)

    # then
    assert [r.json["data"]["status"] for r in receiver.requests] == ["completed"]
    assert [r.json["action"] for r in receiver.requests] == ["updated"]


def test_rolled_back_save_sends_nothing(db, receiver, django_capture_on_commit_callbacks):
    # given
    subscribe(receiver.url, "programs.program")

    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            factories.ProgramFactory(slug="rolled-back")
            raise RuntimeError("abort")

    # then
    assert callbacks == []
    assert receiver.requests == []
    assert not Program.objects.filter(slug="rolled-back").exists()


# --- a failing subscriber never breaks a save -----------------------------------------------------


def test_failing_subscriber_does_not_break_the_save(
    db, receiver, django_capture_on_commit_callbacks
):
    # given: the subscriber answers 500
    subscribe(receiver.url, "programs.program")
    receiver.script = [500]

    # when
    with django_capture_on_commit_callbacks(execute=True):
        program = factories.ProgramFactory(slug="saved-anyway")

    # then: the program is saved; in-process the delivery is tried once and logged as failed
    assert Program.objects.filter(pk=program.pk).exists()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == (
        Delivery.Status.FAILED,
        1,
        500,
    )
    assert delivery.last_error == "HTTP 500 Internal Server Error"


def test_unreachable_broker_does_not_break_the_save(
    db, receiver, django_capture_on_commit_callbacks, caplog
):
    # given: a broker that refuses connections
    subscribe(receiver.url, "programs.program")
    # when
    with (
        broker("redis://127.0.0.1:1/0"),
        caplog.at_level(logging.ERROR),
        django_capture_on_commit_callbacks(execute=True),
    ):
        program = factories.ProgramFactory(slug="broker-down")

    # then: saved, the queueing error logged, nothing sent
    assert Program.objects.filter(pk=program.pk).exists()
    assert "Error calling enqueue_on_commit[webhooks.tasks.webhook_dispatch_change]" in caplog.text
    assert receiver.requests == []


# --- delivery outcomes --------------------------------------------------------------------------


def make_delivery(url: str) -> Delivery:
    subscription = subscribe(url, "programs.program")
    return Delivery.objects.create(
        subscription=subscription,
        change_key="programs.historicalprogram:1",
        record_type="programs.program",
        record_id="1",
        action=Delivery.Action.CREATED,
        payload={"event": "programs.program.created", "data": {"id": 1}},
    )


@pytest.mark.parametrize("status", [500, 502, 503, 408, 429])
def test_transient_answers_are_retried(db, receiver, status):
    # given
    delivery = make_delivery(receiver.url)
    receiver.script = [status]

    # when / then
    with pytest.raises(services.TransientDeliveryError):
        services.webhook_delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == (
        Delivery.Status.RETRYING,
        1,
        status,
    )


@pytest.mark.parametrize("status", [400, 401, 404, 410, 301])
def test_permanent_answers_are_not_retried(db, receiver, status):
    # given
    delivery = make_delivery(receiver.url)
    receiver.script = [status]

    # when
    result = services.webhook_delivery_attempt(delivery_id=delivery.pk)

    # then
    delivery.refresh_from_db()
    assert result == delivery.status == Delivery.Status.FAILED
    assert (delivery.attempts, delivery.response_code) == (1, status)


def test_connection_refused_is_transient_and_final_attempt_fails(db):
    # given: nobody listens on port 1
    delivery = make_delivery("http://127.0.0.1:1/hook")

    # when
    with pytest.raises(services.TransientDeliveryError):
        services.webhook_delivery_attempt(delivery_id=delivery.pk)
    result = services.webhook_delivery_attempt(delivery_id=delivery.pk, final_attempt=True)

    # then
    delivery.refresh_from_db()
    assert result == delivery.status == Delivery.Status.FAILED
    assert delivery.attempts == 2
    assert delivery.response_code is None
    assert delivery.last_error.startswith("URLError")


def test_succeeded_delivery_is_not_sent_again(db, receiver):
    # given
    delivery = make_delivery(receiver.url)
    services.webhook_delivery_attempt(delivery_id=delivery.pk)

    # when
    result = services.webhook_delivery_attempt(delivery_id=delivery.pk)

    # then
    assert result == "skipped"
    assert len(receiver.requests) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 1


def test_dispatch_is_idempotent(db, receiver, django_capture_on_commit_callbacks):
    # given: a change already dispatched and delivered
    subscribe(receiver.url, "programs.program")
    with django_capture_on_commit_callbacks(execute=True):
        program = factories.ProgramFactory()
    history = program.history.get()
    label = history._meta.label_lower

    # when: the dispatch task runs again (a redelivered message)
    with django_capture_on_commit_callbacks(execute=True):
        queued = services.webhook_change_dispatch(history_label=label, history_id=history.pk)

    # then
    assert queued == []
    assert Delivery.objects.count() == 1
    assert len(receiver.requests) == 1


def test_retry_countdown_grows_exponentially_and_is_capped(settings):
    # given
    settings.WEBHOOK_RETRY_BACKOFF_SECONDS = 10
    settings.WEBHOOK_RETRY_BACKOFF_MAX_SECONDS = 100

    # when
    countdowns = [services.retry_countdown(n) for n in range(6)]

    # then: within [ceiling/2, ceiling] for ceiling = min(100, 10·2^n)
    for n, countdown in enumerate(countdowns):
        ceiling = min(100, 10 * 2**n)
        assert ceiling / 2 <= countdown <= ceiling


# --- the public shape of every record type ------------------------------------------------------


@pytest.mark.parametrize("label", sorted(PUBLIC_RECORDS))
def test_every_public_record_type_serializes_exactly_its_public_fields(db, label):
    # given
    model_name = PUBLIC_RECORDS[label].label.split(".")[1]
    factory_class = next(
        f
        for f in vars(factories).values()
        if isinstance(f, type)
        and issubclass(f, DjangoModelFactory)
        and f._meta.model is not None
        and f._meta.model._meta.label_lower == label
    )
    # a public one: outcomes are public with the company's consent
    public = {"programs.outcome": {"participation__consent_to_publish": True}}
    instance = factory_class(**public.get(label, {}))

    # when
    data = serialize_public(instance)

    # then
    bookkeeping = {name for name in BOOKKEEPING_FIELDS if hasattr(instance, name)}
    expected = {"id", *PUBLIC_RECORDS[label].fields, *bookkeeping}
    if "region_id" in expected:
        expected.add("region_code")
    assert set(data) == expected, model_name
    json.dumps(data)  # JSON-ready
    # no staff-only field (contact data, internal notes) ever travels
    assert not set(publication_of(PUBLIC_RECORDS[label].model).staff_only) & set(data)


def test_person_public_fields_exclude_contact_data():
    assert not {"phone", "email", "note"} & set(PUBLIC_RECORDS["core.person"].fields)


def test_non_public_event_participant_serializes_to_none(db):
    participant = factories.EventParticipantFactory(is_public=False)
    assert serialize_public(participant) is None
    assert EventParticipant.objects.filter(pk=participant.pk).exists()


# --- admin ----------------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("ops-admin", "ops@example.go.kr", "pw")
    client.force_login(user)
    return client


def test_subscription_admin_pages_answer(db, staff_client, receiver):
    # given
    subscription = subscribe(receiver.url, "programs.program")

    # when / then
    for url in (
        reverse("admin:webhooks_subscription_changelist"),
        reverse("admin:webhooks_subscription_add"),
        reverse("admin:webhooks_subscription_change", args=[subscription.pk]),
    ):
        assert staff_client.get(url).status_code == 200


def test_subscription_admin_saves_chosen_record_types(db, staff_client, receiver):
    # when
    response = staff_client.post(
        reverse("admin:webhooks_subscription_add"),
        {
            "name": "언론 대시보드",
            "url": receiver.url,
            "secret": "abc123",
            "record_types": ["programs.program", "events.event"],
            "is_active": "on",
            "note": "",
        },
    )

    # then
    assert response.status_code == 302
    subscription = Subscription.objects.get(name="언론 대시보드")
    assert subscription.record_types == ["programs.program", "events.event"]


def test_subscription_admin_refuses_unknown_record_type(db, staff_client, receiver):
    # when
    response = staff_client.post(
        reverse("admin:webhooks_subscription_add"),
        {"name": "잘못", "url": receiver.url, "secret": "x", "record_types": ["auth.user"]},
    )

    # then
    assert response.status_code == 200
    assert "record_types" in response.context["adminform"].form.errors
    assert Subscription.objects.count() == 0


def test_new_subscription_gets_a_random_secret(db):
    first = Subscription.objects.create(name="a", url="https://a.example", record_types=[])
    second = Subscription.objects.create(name="b", url="https://b.example", record_types=[])
    assert len(first.secret) == 64
    assert first.secret != second.secret


def deliveries(count: int, url: str) -> None:
    subscription = subscribe(url, "programs.program")
    Delivery.objects.bulk_create(
        Delivery(
            subscription=subscription,
            change_key=f"programs.historicalprogram:{n}",
            record_type="programs.program",
            record_id=str(n),
            action=Delivery.Action.UPDATED,
            payload={"n": n},
            status=Delivery.Status.FAILED,
            last_error="HTTP 500",
        )
        for n in range(count)
    )


def test_delivery_changelist_query_count_does_not_grow(db, staff_client, receiver):
    url = reverse("admin:webhooks_delivery_changelist")
    counts = []
    for count in (2, 20):
        Delivery.objects.all().delete()
        Subscription.objects.all().delete()
        deliveries(count, receiver.url)
        with CaptureQueriesContext(__import__("django.db").db.connection) as queries:
            response = staff_client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_subscription_changelist_query_count_does_not_grow(db, staff_client, receiver):
    url = reverse("admin:webhooks_subscription_changelist")
    counts = []
    for count in (2, 20):
        Subscription.objects.all().delete()
        for n in range(count):
            subscribe(f"{receiver.url}/{n}", "programs.program")
        with CaptureQueriesContext(__import__("django.db").db.connection) as queries:
            assert staff_client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_delivery_detail_shows_payload_and_error(db, staff_client, receiver):
    # given
    deliveries(1, receiver.url)
    delivery = Delivery.objects.get()

    # when
    response = staff_client.get(reverse("admin:webhooks_delivery_change", args=[delivery.pk]))

    # then
    assert response.status_code == 200
    assert "HTTP 500" in response.content.decode()
    assert "&quot;n&quot;: 0" in response.content.decode()


def test_resend_action_sends_failed_deliveries_again(
    db, staff_client, receiver, django_capture_on_commit_callbacks
):
    # given
    deliveries(2, receiver.url)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:webhooks_delivery_changelist"),
            {
                "action": "resend",
                "_selected_action": list(Delivery.objects.values_list("pk", flat=True)),
            },
        )

    # then
    assert response.status_code == 302
    assert len(receiver.requests) == 2
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SUCCEEDED}


def test_viewer_cannot_resend(db, client, django_user_model, receiver):
    # given: a staff user who may only view deliveries
    from django.contrib.auth.models import Permission

    deliveries(1, receiver.url)
    user = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_delivery"))
    client.force_login(user)

    # when
    response = client.post(
        reverse("admin:webhooks_delivery_changelist"),
        {
            "action": "resend",
            "_selected_action": list(Delivery.objects.values_list("pk", flat=True)),
        },
    )

    # then: the action is not offered; nothing changed, nothing sent
    assert response.status_code == 200
    assert receiver.requests == []
    assert list(Delivery.objects.values_list("status", flat=True)) == [Delivery.Status.FAILED]


def test_person_model_still_has_private_fields():
    # A guard for the tests above: the private fields they protect exist.
    assert {"phone", "email"} <= {f.name for f in Person._meta.get_fields()}
