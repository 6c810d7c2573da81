import base64

from django.conf import settings
from django.core.management.base import BaseCommand

from compliance.demo import DEMO_PASSWORD, DEMO_USERS, demo_device_key, seed_demo


class Command(BaseCommand):
    help = "Load the demo data (idempotent): the Kharkiv seed article, generated articles, demo staff users."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=50, help="how many generated articles")

    def handle(self, *args, **options):
        report = seed_demo(generated=options["articles"])
        imported = report.imported
        self.stdout.write(
            f"seed article: {report.seed_article.get_absolute_url()} · generated: {imported.created} created, "
            f"{imported.unchanged} unchanged · demo notices: {report.notices_created} created"
        )
        if settings.DEBUG:
            names = ", ".join(username for username, _, _ in DEMO_USERS)
            self.stdout.write(f"demo logins ({names}): password '{DEMO_PASSWORD}' (set when each user was created)")
            secret = base64.b32encode(bytes.fromhex(demo_device_key())).decode()
            self.stdout.write(f"second factor: add the secret {secret} to an authenticator app (TOTP, 6 digits, "
                              f"30 s), or run: oathtool --totp -b {secret}")
