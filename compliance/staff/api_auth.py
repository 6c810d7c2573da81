"""How the API knows who is asking, with the second factor kept for staff.

Decision (docs/operations.md, "API tokens"): a token authenticates a notice sender (the "Notice
sender" group) and nothing more; it never stands in for a staff member's second factor. A token
belonging to a staff account is refused, and staff use the API through the session their
two-factor admin login opened (a session without a verified device does not count)."""

from __future__ import annotations

from drf_spectacular.authentication import SessionScheme
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

STAFF_TOKEN_REFUSED = ("tokens are for notice senders; staff accounts use the API through their "
                       "two-factor sign-in")


class SenderTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if user.is_staff or user.is_superuser:
            raise AuthenticationFailed(STAFF_TOKEN_REFUSED)
        return user, token


class TwoFactorSessionAuthentication(SessionAuthentication):
    def authenticate(self, request):
        found = super().authenticate(request)
        if found is None:
            return None
        user = found[0]
        if (user.is_staff or user.is_superuser) and not getattr(user, "is_verified", lambda: False)():
            return None  # signed in with a password only: not staff to the API
        return found


class TwoFactorSessionScheme(SessionScheme):
    """The OpenAPI schema describes the two-factor session as the cookie session it is."""

    target_class = "compliance.staff.api_auth.TwoFactorSessionAuthentication"
    priority = 0
