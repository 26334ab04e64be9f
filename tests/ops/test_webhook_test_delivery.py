"""A staff member sends a test delivery to a subscriber from the admin and sees its result:
status, response time and the start of the answer's body. It goes through the delivery code
every change uses (payload, signature, log)."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse

from webhooks import services
from webhooks.models import Delivery, Subscription

pytestmark = pytest.mark.django_db


def subscribe(url: str, *, name="대시보드", active=True) -> Subscription:
    return Subscription.objects.create(
        name=name, url=url, secret="s3cret", record_types=["programs.program"], is_active=active
    )


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("hooks-admin", "h@example.go.kr", "pw")
    client.force_login(user)
    return client


def send_test(client, *subscriptions):
    return client.post(
        reverse("admin:webhooks_subscription_changelist"),
        {"action": "send_test", "_selected_action": [s.pk for s in subscriptions]},
        follow=True,
    )


def test_test_delivery_is_signed_and_recorded(receiver):
    # given
    receiver.reply = b'{"ok": true}'
    subscription = subscribe(receiver.url)

    # when
    delivery = services.webhook_test_send(subscription_id=subscription.pk)

    # then: one signed POST, as every delivery
    (request,) = receiver.wait_for(1)
    assert services.verify_signature(
        "s3cret",
        request.headers["X-Tracker-Timestamp"],
        request.body,
        request.headers["X-Tracker-Signature"],
    )
    assert request.headers["X-Tracker-Event"] == "webhook.test"
    assert request.headers["X-Tracker-Delivery"] == str(delivery.delivery_id)
    body = json.loads(request.body)
    assert {k: v for k, v in body.items() if k != "occurred_at"} == {
        "delivery_id": str(delivery.delivery_id),
        "event": "webhook.test",
        "record_type": "webhook",
        "record_id": "",
        "action": "test",
        "data": {"subscription": "대시보드", "test": True},
    }
    # and its result is in the delivery log
    assert (delivery.status, delivery.response_code, delivery.attempts) == ("succeeded", 200, 1)
    assert delivery.response_excerpt == '{"ok": true}'
    assert delivery.duration_ms is not None and delivery.duration_ms >= 0
    assert delivery.action == Delivery.Action.TEST


def test_failed_test_delivery_is_not_retried(receiver):
    receiver.script = [503]
    receiver.reply = "점검 중".encode()
    delivery = services.webhook_test_send(subscription_id=subscribe(receiver.url).pk)
    assert (delivery.status, delivery.response_code, delivery.attempts) == ("failed", 503, 1)
    assert delivery.last_error == "HTTP 503 Service Unavailable"
    assert delivery.response_excerpt == "점검 중"
    assert len(receiver.requests) == 1


def test_unreachable_subscriber(db):
    delivery = services.webhook_test_send(subscription_id=subscribe("http://127.0.0.1:9/h").pk)
    assert (delivery.status, delivery.response_code) == ("failed", None)
    assert delivery.last_error.startswith("URLError: ")


def test_a_test_goes_to_an_inactive_subscription_too(receiver):
    delivery = services.webhook_test_send(subscription_id=subscribe(receiver.url, active=False).pk)
    assert delivery.status == "succeeded"


def test_long_answers_are_cut_to_500_characters(receiver):
    receiver.reply = b"x" * 5000
    delivery = services.webhook_test_send(subscription_id=subscribe(receiver.url).pk)
    assert delivery.response_excerpt == "x" * 500


def test_every_delivery_now_records_response_time_and_body(
    receiver, django_capture_on_commit_callbacks
):
    # given: an ordinary change delivery
    receiver.reply = b"received"
    subscribe(receiver.url)
    from tests import factories

    with django_capture_on_commit_callbacks(execute=True):
        factories.ProgramFactory()

    # then
    delivery = Delivery.objects.get(action="created")
    assert (delivery.status, delivery.response_excerpt) == ("succeeded", "received")
    assert delivery.duration_ms is not None


def test_admin_action_sends_and_shows_the_result(admin_client, receiver):
    # given
    receiver.reply = b"hello from the dashboard"
    subscription = subscribe(receiver.url)

    # when
    response = send_test(admin_client, subscription)

    # then
    assert response.status_code == 200
    delivery = Delivery.objects.get()
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == (
        f"‘대시보드’ 시험 전송 성공: HTTP 200, {delivery.duration_ms} ms, "
        "응답: hello from the dashboard"
    )
    assert len(receiver.requests) == 1
    # and the delivery's page shows it
    page = admin_client.get(reverse("admin:webhooks_delivery_change", args=[delivery.pk]))
    html = page.content.decode()
    assert "hello from the dashboard" in html
    assert "시험 전송" in html


def test_admin_action_reports_a_failure(admin_client, receiver):
    receiver.script = [404]
    subscription = subscribe(receiver.url, name="잘못된 주소")
    response = send_test(admin_client, subscription)
    delivery = Delivery.objects.get()
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == (
        f"‘잘못된 주소’ 시험 전송 실패: HTTP 404 Not Found (HTTP 404, {delivery.duration_ms} ms), "
        "응답: (빈 본문)"
    )


def test_viewer_cannot_send_a_test(client, django_user_model, receiver):
    # given: a staff user who may only view subscriptions
    subscription = subscribe(receiver.url)
    user = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_subscription"))
    client.force_login(user)

    # when
    response = send_test(client, subscription)

    # then: the action is not offered; nothing sent, nothing logged
    assert response.status_code == 200
    assert receiver.requests == []
    assert Delivery.objects.count() == 0
