"""Self-service API tokens: staff make and revoke their own in the admin; the key is shown once
and stored only as its SHA-256; expiry, read-only and read-write scope, last-used time; the old
DRF authtoken keys are moved (hashed) by the migration."""

import datetime
import hashlib
import importlib
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from companies.models import Company
from staff import tokens
from staff.models import ApiToken
from tests import factories as f
from tests.api.conftest import all_write_perms, make_user

pytestmark = pytest.mark.django_db

ADD = "/admin/staff/apitoken/add/"
LIST = "/admin/staff/apitoken/"


def staff_browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_staff_member_makes_a_token_in_the_admin_and_sees_its_key_once():
    # given: a staff member without any model permission
    user = make_user("dashboard-owner", is_staff=True)
    browser = staff_browser(user)
    expires = timezone.localtime() + datetime.timedelta(days=30)

    # when
    made = browser.post(
        ADD,
        {
            "name": "경남 대시보드",
            "scope": "read",
            "expires_at_0": expires.strftime("%Y-%m-%d"),
            "expires_at_1": expires.strftime("%H:%M:%S"),
        },
        follow=True,
    )
    key = re.search(r'<code class="api-token-key">(ax_[-\w]+)</code>', made.content.decode())[1]
    token = ApiToken.objects.get()
    listing = browser.get(LIST).content.decode()
    detail = browser.get(f"{LIST}{token.pk}/change/").content.decode()
    again = browser.get(LIST).content.decode()

    # then
    assert made.status_code == 200
    assert len(key) == 3 + 43
    assert (token.user, token.name, token.scope) == (user, "경남 대시보드", "read")
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.key_prefix == key[:8]
    assert abs(token.expires_at - expires) < datetime.timedelta(seconds=1)
    assert key not in listing and key not in detail and key not in again
    assert f"{key[:8]}…" in listing
    assert not ApiToken.objects.filter(key_hash=key).exists()  # never stored in clear
    assert api(key).get("/api/v1/regions/").status_code == 200


def test_staff_see_and_revoke_only_their_own_tokens():
    # given
    mine_user = make_user("owner", is_staff=True)
    other_user = make_user("colleague", is_staff=True)
    mine, mine_key = tokens.token_create(
        user=mine_user,
        name="내 토큰",
        scope="write",
        expires_at=timezone.now() + tokens.DEFAULT_LIFETIME,
    )
    theirs, theirs_key = tokens.token_create(
        user=other_user,
        name="남의 토큰",
        scope="write",
        expires_at=timezone.now() + tokens.DEFAULT_LIFETIME,
    )
    browser = staff_browser(mine_user)

    # when
    listing = browser.get(LIST).content.decode()
    other_detail = browser.get(f"{LIST}{theirs.pk}/change/")
    revoked = browser.post(
        LIST, {"action": "revoke", "_selected_action": [mine.pk, theirs.pk]}, follow=True
    )

    # then
    assert "내 토큰" in listing and "남의 토큰" not in listing
    assert other_detail.status_code == 302  # not theirs to see: back to the admin index
    assert revoked.status_code == 200
    assert ApiToken.objects.get(pk=mine.pk).revoked_at is not None
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is None
    refused = api(mine_key).get("/api/v1/regions/")
    assert (refused.status_code, refused.json()["code"]) == (401, "authentication_failed")
    assert api(theirs_key).get("/api/v1/regions/").status_code == 200


def test_an_expired_token_is_401_token_expired_and_the_expiry_is_checked_on_creation():
    # given
    user = make_user("expiring", is_staff=True)
    token, key = tokens.token_create(
        user=user,
        name="곧 만료",
        scope="read",
        expires_at=timezone.now() + datetime.timedelta(minutes=1),
    )
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    browser = staff_browser(user)
    past = timezone.localtime() - datetime.timedelta(days=1)
    far = timezone.localtime() + datetime.timedelta(days=400)

    # when
    response = api(key).get("/api/v1/regions/")
    refused = [
        browser.post(
            ADD,
            {
                "name": "x",
                "scope": "read",
                "expires_at_0": when.strftime("%Y-%m-%d"),
                "expires_at_1": when.strftime("%H:%M:%S"),
            },
        )
        for when in (past, far)
    ]

    # then
    assert response.status_code == 401
    assert response.json() == {
        "code": "token_expired",
        "detail": "토큰의 유효 기간이 지났습니다. 관리 화면에서 새 토큰을 만드세요.",
    }
    assert [r.status_code for r in refused] == [200, 200]
    assert "만료 시각은 지금보다 뒤여야 합니다." in refused[0].content.decode()
    assert "만료 시각은 1년 안이어야 합니다." in refused[1].content.decode()
    assert ApiToken.objects.count() == 1


def test_a_read_only_token_reads_but_cannot_write_and_a_read_write_token_writes():
    # given
    user = make_user("writer", is_staff=True, perms=all_write_perms())
    _ro, read_key = tokens.token_create(
        user=user, name="읽기", scope="read", expires_at=timezone.now() + tokens.DEFAULT_LIFETIME
    )
    _rw, write_key = tokens.token_create(
        user=user, name="쓰기", scope="write", expires_at=timezone.now() + tokens.DEFAULT_LIFETIME
    )
    body = {"name": "토큰으로 만든 회사", "business_number": f.make_business_number("123456789")}

    # when
    read = api(read_key).get("/api/v1/people/")
    refused = api(read_key).post("/api/v1/companies/", body, format="json")
    created = api(write_key).post("/api/v1/companies/", body, format="json")

    # then
    assert read.status_code == 200  # staff-only reads work with a read-only token
    assert refused.status_code == 403
    assert refused.json() == {
        "code": "read_only_token",
        "detail": "읽기 전용 토큰으로는 기록을 바꿀 수 없습니다.",
    }
    assert created.status_code == 201
    assert list(Company.objects.values_list("name", flat=True)) == ["토큰으로 만든 회사"]


def test_last_used_is_recorded_at_most_once_a_minute():
    # given
    user = make_user("user-of-token", is_staff=True)
    token, key = tokens.token_create(
        user=user, name="사용", scope="read", expires_at=timezone.now() + tokens.DEFAULT_LIFETIME
    )
    client = api(key)

    # when
    client.get("/api/v1/regions/")
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    client.get("/api/v1/regions/")
    second = ApiToken.objects.get(pk=token.pk).last_used_at
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - datetime.timedelta(minutes=2))
    client.get("/api/v1/regions/")
    third = ApiToken.objects.get(pk=token.pk).last_used_at

    # then
    assert token.last_used_at is None
    assert first is not None and second == first
    assert third > first


def test_an_inactive_user_or_unknown_key_is_401():
    user = make_user("gone", is_staff=True)
    _t, key = tokens.token_create(
        user=user, name="퇴사", scope="read", expires_at=timezone.now() + tokens.DEFAULT_LIFETIME
    )
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)
    assert api(key).get("/api/v1/regions/").json()["code"] == "authentication_failed"
    assert api("ax_unknown").get("/api/v1/regions/").json()["code"] == "authentication_failed"


def test_the_migration_moves_drf_authtoken_keys_hashed_and_drops_their_table(django_db_blocker):
    from django.apps import apps as live_apps
    from django.db import connection

    # given: the old table with one key in clear
    user = make_user("legacy", is_staff=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp with time zone, user_id integer)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, %s, %s)",
            ["0123456789abcdef0123456789abcdef01234567", timezone.now(), user.pk],
        )
    migration = importlib.import_module("staff.migrations.0007_api_tokens")

    # when
    with connection.schema_editor() as editor:
        migration.move_old_tokens(live_apps, editor)

    # then
    moved = ApiToken.objects.get(user=user)
    assert moved.key_hash == hashlib.sha256(b"0123456789abcdef0123456789abcdef01234567").hexdigest()
    assert (moved.scope, moved.key_prefix) == ("write", "01234567")
    assert "authtoken_token" not in connection.introspection.table_names()
    response = api("0123456789abcdef0123456789abcdef01234567").get("/api/v1/people/")
    assert response.status_code == 200
