from django_otp.admin import OTPAdminSite


class StaffAdminSite(OTPAdminSite):
    """Staff sign in with a password and a code from their authenticator app (TOTP); a user
    without a confirmed device is treated as not staff until enrolled (`enrol_two_factor`)."""

    site_header = "Provenance & Takedown Compliance"
    site_title = "Takedown compliance"
    index_title = "Review queue and records"

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)
