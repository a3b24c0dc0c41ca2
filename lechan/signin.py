"""Sign-in throttling: who is signing in (behind the proxies), and the two limits.

django-axes calls `client_address` for the visitor's address and keeps its records of
failed sign-ins through `SignInThrottle` (see AXES_* in lechan/settings.py).
"""

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


def client_address(request):
    """The visitor's address, as the trusted proxies saw it (REMOTE_ADDR without proxies)."""
    count = settings.LECHAN_TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if count and len(forwarded) >= count:
        try:
            return str(ipaddress.ip_address(forwarded[-count].strip()))
        except ValueError:
            pass  # not an address: the proxies are set up otherwise; fall back to theirs
    return request.META.get("REMOTE_ADDR")


class SignInThrottle(AxesDatabaseHandler):
    """django-axes' records of failed sign-ins, held against two limits (lechan/settings.py).

    AXES_LOCKOUT_PARAMETERS counts failures per (user name, address), then per address.
    Axes holds one count against AXES_FAILURE_LIMIT; an address's count is given less the
    extra it may have, so that it locks at LECHAN_SIGN_IN_ADDRESS_FAILURE_LIMIT.
    """

    def get_failures(self, request, credentials=None):
        by_user, by_address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        extra = settings.LECHAN_SIGN_IN_ADDRESS_FAILURE_LIMIT - settings.AXES_FAILURE_LIMIT
        return max(by_user, by_address - extra)

    def reset_user_attempts(self, request, credentials=None):
        """A sign-in clears its own user name's failures, not the other names' at its address."""
        by_user, _ = self.filter_user_attempts(request, credentials)
        return by_user.delete()[0]
