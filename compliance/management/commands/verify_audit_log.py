from django.core.management.base import BaseCommand, CommandError

from articles.actors import Actor
from compliance.services.audit import verify_and_remember


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exits non-zero naming the first bad entry."

    def handle(self, *args, **options):
        report = verify_and_remember(actor=Actor.command("verify_audit_log"))
        if not report.ok:
            raise CommandError(f"audit log broken at entry #{report.first_bad_seq}: {report.message}")
        self.stdout.write(report.message)
