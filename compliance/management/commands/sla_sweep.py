from django.core.management.base import BaseCommand
from django.utils import timezone

from compliance.services.sla_sweep import sweep
from compliance.tasks import enqueue_deadlines


class Command(BaseCommand):
    help = "One pass of the SLA sweeper: claim due deadlines and enqueue them on the sla queue."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None)

    def handle(self, *args, **options):
        result = sweep(now=timezone.now(), enqueue=enqueue_deadlines, limit=options["limit"])
        self.stdout.write(f"claimed {len(result.claimed)} deadline(s), enqueued {result.enqueued}, "
                          f"set aside {len(result.failed)} that failed too often")
        if result.claimed:
            self.stdout.write("claimed: " + ", ".join(str(pk) for pk in result.claimed))
        if result.enqueue_error:
            self.stderr.write(f"broker unavailable, leases will expire and be swept again: {result.enqueue_error}")
