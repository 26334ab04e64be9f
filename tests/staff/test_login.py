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
