"""Fixtures of the API tests: clients (anonymous, staff with token and permissions, plain users)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.cache import cache
from rest_framework.test import APIClient

WRITE_MODELS = ("program", "company", "participation", "event")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters live in the cache; every test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anon_client() -> APIClient:
    return APIClient()


def make_user(username: str, *, is_staff: bool, perms: tuple[str, ...] = ()):
    user = get_user_model().objects.create_user(
        username=username, password="unused-password-123", is_staff=is_staff
    )
    if perms:
        user.user_permissions.add(*Permission.objects.filter(codename__in=perms))
    return user


def api_key(user, scope: str = "write") -> str:
    """The key of a new read-write (or read-only) token of ``user``, valid for 90 days."""
    from django.utils import timezone

    from staff.tokens import DEFAULT_LIFETIME, token_create

    _token, key = token_create(
        user=user, name="test", scope=scope, expires_at=timezone.now() + DEFAULT_LIFETIME
    )
    return key


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_key(user)}")
    return client


def all_write_perms() -> tuple[str, ...]:
    return tuple(
        f"{action}_{model}" for model in WRITE_MODELS for action in ("add", "change", "delete")
    )


@pytest.fixture
def staff_user(db):
    """A staff member with add/change/delete on programs, companies, participations, events."""
    return make_user("staff-editor", is_staff=True, perms=all_write_perms())


@pytest.fixture
def staff_client(staff_user) -> APIClient:
    return token_client(staff_user)


@pytest.fixture
def staff_without_perms_client(db) -> APIClient:
    return token_client(make_user("staff-reader", is_staff=True))


@pytest.fixture
def non_staff_with_perms_client(db) -> APIClient:
    """Has every model permission but is not staff: still refused."""
    return token_client(make_user("not-staff", is_staff=False, perms=all_write_perms()))
