from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    """The admin, with a second factor required of every staff login."""

    default_site = "compliance.staff.sign_in.StaffAdminSite"
