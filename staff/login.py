"""Login protection: django-axes with a per-(username, address) and a per-address limit.

Failures lock one (username, address) pair after ``AXES_FAILURE_LIMIT``; failures from one
address under any usernames (password spraying) lock that address after
``LOGIN_ADDRESS_FAILURE_LIMIT``. The address is ``core.client_address.client_ip`` (the one client
address behind the trusted proxies), so nobody can lock a colleague out from another address,
nor pretend to be at another address. Imported by axes once the apps are loaded
(``AXES_HANDLER``).
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Sum


def address_failure_limit() -> int:
    return getattr(settings, "LOGIN_ADDRESS_FAILURE_LIMIT", 20)


class LoginProtectionHandler(AxesDatabaseHandler):
    """django-axes with two limits instead of one.

    ``AXES_LOCKOUT_PARAMETERS`` is ``[["username", "ip_address"], "ip_address"]``; axes counts
    both groups and compares the larger count with ``AXES_FAILURE_LIMIT``. Here the address
    group has its own, higher limit (``LOGIN_ADDRESS_FAILURE_LIMIT``): the count reported for
    it reaches the failure limit only when the address itself has reached its limit. A
    successful login clears only that user's failures from that address, so an attacker with
    one account of their own cannot wipe the address's record of failures under other names.
    """

    def failure_counts(self, request, credentials=None) -> tuple[int, int]:
        """(failures of this username from this address, failures from this address)."""
        pair_qs, address_qs = self.get_user_attempts(request, credentials)
        pair = pair_qs.aggregate(n=Sum("failures_since_start"))["n"] or 0
        address = address_qs.aggregate(n=Sum("failures_since_start"))["n"] or 0
        return pair, address

    def address_locked(self, request, credentials=None) -> bool:
        return self.failure_counts(request, credentials)[1] >= address_failure_limit()

    def get_failures(self, request, credentials=None) -> int:
        pair, address = self.failure_counts(request, credentials)
        if address >= address_failure_limit():
            return max(pair, get_failure_limit(request, credentials))
        return pair

    def reset_user_attempts(self, request, credentials=None) -> int:
        pair_qs = self.get_user_attempts(request, credentials)[0]
        count, _ = pair_qs.delete()
        return count
