from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from compliance.staff.two_factor import LINK_VALID_SECONDS, start_enrolment


class Command(BaseCommand):
    help = "Print a link a staff member opens to set up two-factor login (replaces an unfinished set-up)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--base-url", default=settings.SITE_URL)

    def handle(self, *args, username: str, base_url: str, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user called {username!r}")
        if not user.is_staff:
            raise CommandError(f"{username} is not staff; two-factor login is for the admin")
        path = reverse("two-factor-enrol", args=[start_enrolment(user)])
        self.stdout.write(f"{base_url.rstrip('/')}{path}  (valid {LINK_VALID_SECONDS // 3600} hours, once)")
