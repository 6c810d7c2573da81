from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite

from compliance.ratelimit import client_address, count_failure, too_many_failures

GENERIC_ERROR = "Please enter a correct username, password and authenticator code. All three may be case-sensitive."
LOCKED_ERROR = "Too many failed sign-ins from here or for this account; try again in 15 minutes."


class StaffLoginForm(OTPAdminAuthenticationForm):
    """Password and code on one page, checked together: a wrong password and a wrong code get the
    same answer, so the form never confirms a password before the code. Failed sign-ins are
    counted per account and per address (STAFF_LOGIN_FAILURES_*); past the limit, nobody signs in
    there for the rest of the window, right password or not."""

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip().lower()
        address = client_address(self.request) if self.request else ""
        window = settings.STAFF_LOGIN_FAILURE_WINDOW_SECONDS
        limits = (("staff-login-account", username, settings.STAFF_LOGIN_FAILURES_PER_ACCOUNT),
                  ("staff-login-address", address, settings.STAFF_LOGIN_FAILURES_PER_ADDRESS))
        if any(too_many_failures(name, subject, limit=limit, window_seconds=window) for name, subject, limit in limits):
            raise forms.ValidationError(LOCKED_ERROR, code="too_many_failures")
        user = self._both_factors(username)
        if user is None:
            for name, subject, _ in limits:
                count_failure(name, subject, window_seconds=window)
            raise forms.ValidationError(GENERIC_ERROR, code="invalid_login")
        self.confirm_login_allowed(user)
        self.user_cache = user
        return self.cleaned_data

    def _both_factors(self, username: str):
        user = authenticate(self.request, username=self.cleaned_data.get("username"),
                            password=self.cleaned_data.get("password"))
        token = (self.cleaned_data.get("otp_token") or "").strip()
        if user is None or not token:
            return None
        device = self._chosen_device(user)
        if device is None or not device.verify_is_allowed()[0] or not device.verify_token(token):
            return None
        setattr(user, "otp_device", device)  # where django_otp's login() looks for the verified device
        return user

    def _chosen_device(self, user):
        device = super()._chosen_device(user)
        if device is None:
            devices = list(devices_for_user(user, confirmed=True))
            device = devices[0] if len(devices) == 1 else None
        return device


class StaffAdminSite(OTPAdminSite):
    """Staff sign in with a password and a code from their authenticator app (TOTP); a user
    without a confirmed device is treated as not staff until enrolled (`enrol_two_factor`)."""

    site_header = "Provenance & Takedown Compliance"
    site_title = "Takedown compliance"
    index_title = "Review queue and records"
    login_form = StaffLoginForm
    # The queue's columns (due, received, who asks for what) need the width at 1,400 px; the index
    # page lists every model, so the sidebar repeating it is dropped.
    enable_nav_sidebar = False

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)
