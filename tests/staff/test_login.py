"""Login protection (django-axes) and secure production sessions and cookies."""

import importlib
import sys

import pytest
from django.urls import reverse

from tests.staff.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_repeated_failed_admin_logins_lock_the_account_out(client, ministry_editor, settings):
    url = reverse("admin:login")
    # when the limit of failures is reached
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "ministry", "password": "wrong"})
    # then even the right password is refused, with the Korean lockout page
    response = client.post(url, {"username": "ministry", "password": PASSWORD})
    assert response.status_code == 429
    page = response.content.decode()
    assert "로그인이 잠시 잠겼습니다" in page
    assert f"{settings.AXES_FAILURE_LIMIT}번 연속으로 실패" in page
    assert "약 30분 뒤에 다시 시도할 수 있습니다" in page
    assert "_auth_user_id" not in client.session


def test_a_few_failures_do_not_lock_out(client, ministry_editor, settings):
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(url, {"username": "ministry", "password": "wrong"})
    response = client.post(url, {"username": "ministry", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(ministry_editor.pk)


def test_production_settings_make_sessions_and_cookies_secure(monkeypatch):
    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 64)
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "tracker.example.kr")
    monkeypatch.setenv("DATABASE_URL", "postgres://app@db:5432/tracker")
    sys.modules.pop("config.settings.production", None)
    # when
    production = importlib.import_module("config.settings.production")
    # then
    assert production.DEBUG is False
    assert production.SESSION_COOKIE_SECURE is True
    assert production.SESSION_COOKIE_HTTPONLY is True
    assert production.CSRF_COOKIE_SECURE is True
    assert production.SECURE_SSL_REDIRECT is True
    assert production.SECURE_HSTS_SECONDS >= 31536000
    assert production.SESSION_COOKIE_AGE <= 8 * 3600
    assert production.ALLOWED_HOSTS == ["tracker.example.kr"]
    assert production.AXES_FAILURE_LIMIT == 5
    sys.modules.pop("config.settings.production", None)


def test_production_settings_refuse_a_missing_secret(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("DJANGO_SECRET_KEY", "")
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "tracker.example.kr")
    sys.modules.pop("config.settings.production", None)
    with pytest.raises(ImproperlyConfigured):
        importlib.import_module("config.settings.production")
    sys.modules.pop("config.settings.production", None)


def test_failures_under_other_usernames_do_not_lock_out_a_colleague(
    client, ministry_editor, settings
):
    url = reverse("admin:login")
    # given as many failures as the limit, each under another made-up name, from one address
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": f"nobody{n}", "password": "wrong"})
    # when a colleague logs in from the same address with the right password
    response = client.post(url, {"username": "ministry", "password": PASSWORD})
    # then the login succeeds
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(ministry_editor.pk)


# --- the client address behind the proxy (core.client_address.client_ip) ---------------------------

PROXY = "10.0.0.5"
ATTACKER = "203.0.113.66"
OFFICE = "198.51.100.7"


def login(client, username, password, remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(
        reverse("admin:login"), {"username": username, "password": password}, **extra
    )


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY]


def test_failures_from_another_address_behind_the_proxy_do_not_lock_the_real_user(
    client, regional_editor, settings, behind_proxy
):
    # given: five wrong passwords for gyeongnam from an attacker, through the proxy
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "gyeongnam", "wrong", PROXY, ATTACKER)
    assert login(client, "gyeongnam", PASSWORD, PROXY, ATTACKER).status_code == 429
    # when: the real user logs in from the office, through the same proxy
    response = login(client, "gyeongnam", PASSWORD, PROXY, OFFICE)
    # then
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(regional_editor.pk)


def test_a_spoofed_forwarded_header_cannot_put_the_lock_on_the_victims_address(
    client, regional_editor, settings, behind_proxy
):
    # given: the attacker writes the office's address into X-Forwarded-For itself, both
    # straight to the server and in front of what the proxy appends
    for n in range(settings.AXES_FAILURE_LIMIT):
        if n % 2:
            login(client, "gyeongnam", "wrong", ATTACKER, OFFICE)
        else:
            login(client, "gyeongnam", "wrong", PROXY, f"{OFFICE}, {ATTACKER}")
    # when: the real user logs in from the office
    response = login(client, "gyeongnam", PASSWORD, PROXY, OFFICE)
    # then: the lock sits on the attacker's address, not the office's
    assert response.status_code == 302
    from axes.models import AccessAttempt

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


def test_many_usernames_from_one_address_lock_that_address(
    client, ministry_editor, settings, behind_proxy
):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    # given: password spraying — one wrong password each for many names, from one address
    for n in range(8):
        login(client, f"user{n}", "Winter2025!", PROXY, ATTACKER)
    # when: even a right password from that address
    locked = login(client, "ministry", PASSWORD, PROXY, ATTACKER)
    # then: the address is locked (Korean page names the address lock) ...
    assert locked.status_code == 429
    assert (
        "여러 계정 이름으로 로그인에 8번 실패하여 이 주소의 로그인을 잠갔습니다"
        in locked.content.decode()
    )
    assert "_auth_user_id" not in client.session
    # ... and the real user from another address still logs in
    assert login(client, "ministry", PASSWORD, PROXY, OFFICE).status_code == 302


def test_fewer_failures_than_the_address_limit_under_other_names_do_not_lock(
    client, ministry_editor, settings
):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    for n in range(7):
        login(client, f"user{n}", "wrong", ATTACKER)
    assert login(client, "ministry", PASSWORD, ATTACKER).status_code == 302


def test_a_successful_login_clears_only_that_users_failures_from_the_address(
    client, ministry_editor, settings
):
    from axes.models import AccessAttempt

    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    for n in range(6):
        login(client, f"user{n}", "wrong", ATTACKER)
    login(client, "ministry", "wrong", ATTACKER)
    # when: the attacker's own (valid) account logs in from the spraying address
    assert login(client, "ministry", PASSWORD, ATTACKER).status_code == 302
    client.logout()
    # then: the other names' failures still count against the address
    assert AccessAttempt.objects.filter(ip_address=ATTACKER).count() == 6
    login(client, "user7", "wrong", ATTACKER)
    login(client, "user8", "wrong", ATTACKER)
    assert login(client, "ministry", PASSWORD, ATTACKER).status_code == 429


def test_login_protection_uses_the_one_client_address_function(settings):
    assert settings.AXES_CLIENT_IP_CALLABLE == "core.client_address.client_ip"
    assert settings.AXES_HANDLER == "staff.login.LoginProtectionHandler"
