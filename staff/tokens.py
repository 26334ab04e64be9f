"""Self-service API tokens: made and revoked by staff in the admin, stored hashed.

A key is ``ax_`` + ``secrets.token_urlsafe(32)`` (256 random bits), shown once when it is made;
the database keeps its SHA-256 (a fast hash suffices for a random 256-bit key: there is nothing
to guess) and its first characters to tell tokens apart. A request sends
``Authorization: Token <key>``: the hash is looked up; a revoked or unknown key answers 401
``authentication_failed``, an expired one 401 ``token_expired``, a read-only token used to write
403 ``read_only_token`` (``staff/api/authentication.py``). ``last_used_at`` is written at most
once a minute per token.
"""

import datetime
import hashlib
import secrets

from django.utils import timezone

from .models import ApiToken

KEY_PREFIX = "ax_"
DEFAULT_LIFETIME = datetime.timedelta(days=90)
MAX_LIFETIME = datetime.timedelta(days=366)
LAST_USED_EVERY = datetime.timedelta(minutes=1)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def token_create(
    *, user, name: str, scope: str, expires_at: datetime.datetime
) -> tuple[ApiToken, str]:
    """A new token of ``user`` and its key (the only time the key exists outside the caller)."""
    key = new_key()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        scope=scope,
        expires_at=expires_at,
        key_prefix=key[:8],
        key_hash=hash_key(key),
    )
    return token, key


def token_revoke(*, tokens) -> int:
    """Revoke these tokens now (they stop working at once); returns how many."""
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
