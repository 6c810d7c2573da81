from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class StaffLoginForm(OTPAdminAuthenticationForm):
    """Password and code on one page: with a single authenticator there is no device to choose."""

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
