from django.core.management.base import BaseCommand
from django.utils import timezone

from compliance.selectors import sla_status


class Command(BaseCommand):
    help = "The SLA at a glance: open deadlines by kind, the oldest overdue (SLA lag), breaches, the sweeper."

    def handle(self, *args, **options):
        status = sla_status(timezone.now())
        for kind, count in status.open_by_kind.items():
            self.stdout.write(f"open {kind:<12} {count}")
        self.stdout.write(f"overdue          {status.overdue} (SLA lag {status.lag_seconds} s)")
        self.stdout.write(f"failed rows      {status.failed} ({status.failed_unacknowledged} not yet acknowledged)")
        self.stdout.write(f"breaches (30 d)  {status.breaches_30_days}")
        last = status.last_sweep_at.isoformat() if status.last_sweep_at else "never"
        self.stdout.write(f"last sweep       {last} ({'healthy' if status.sweeper_healthy else 'STALE'})")
        self.stdout.write(f"automated withdrawals {'on' if status.automated_withdrawals else 'OFF (kill switch)'}, "
                          f"cap {status.withdrawal_cap_per_sweep} per sweep")
        self.stdout.write(f"cap in use       {status.withdrawals_in_cap_window} of {status.withdrawal_cap_per_sweep} "
                          f"since the last sweep began; {status.deferred_by_cap} open deadline(s) put back by it")
