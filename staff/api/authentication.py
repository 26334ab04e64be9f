"""The API's token authentication against the hashed self-service tokens (``staff/tokens.py``)."""

from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import SAFE_METHODS

from core.api.exceptions import ReadOnlyToken, TokenExpired


class ApiTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>`` against the hashed tokens (module doc)."""

    keyword = "Token"

    def authenticate_credentials(self, key):
        # Imported here: DRF imports this class while loading its views, before the models.
        from staff.models import ApiToken
        from staff.tokens import LAST_USED_EVERY, hash_key

        token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()
        now = timezone.now()
        if token is None or token.revoked_at is not None or not token.user.is_active:
            raise AuthenticationFailed()
        if token.expires_at <= now:
            raise TokenExpired()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and result[1].scope == "read":
            if request.method not in SAFE_METHODS:
                raise ReadOnlyToken()
        return result
