"""/metrics in Prometheus' text format: the figures of `sla_status`."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from compliance.operational_health import operational_checks
from compliance.selectors import sla_status

OPERATIONAL_HELP = {
    "sla_stuck_overdue": "Open deadlines overdue by more than a sweep interval plus a lease.",
    "sla_failed_unacknowledged": "Failed deadlines (recorded as breaches) staff have not acknowledged.",
    "inbound_mail_oldest_pending_seconds": "Age of the oldest inbound mail not processed yet.",
    "inbound_mail_failed_unacknowledged": "Inbound mail set aside as unprocessable, not acknowledged by staff.",
    "outbox_oldest_pending_seconds": "Age of the oldest outgoing mail not sent yet.",
    "webhook_oldest_pending_seconds": "Age of the oldest webhook delivery not delivered yet.",
    "audit_chain_intact": "0 when the last audit-chain check failed.",
}


def _line(name: str, value: float, labels: dict[str, str] | None = None) -> str:
    label_text = ",".join(f'{key}="{val}"' for key, val in (labels or {}).items())
    return f"{name}{{{label_text}}} {value}" if label_text else f"{name} {value}"


def metrics(request: HttpRequest) -> HttpResponse:
    token = settings.METRICS_TOKEN
    if token and not hmac.compare_digest(request.headers.get("Authorization", ""), f"Bearer {token}"):
        return HttpResponse("a bearer token is required\n", status=401, content_type="text/plain")
    now = timezone.now()
    status = sla_status(now)
    lines = ["# HELP takedown_sla_open_deadlines Open SLA deadlines by kind.",
             "# TYPE takedown_sla_open_deadlines gauge"]
    lines += [_line("takedown_sla_open_deadlines", n, {"kind": kind}) for kind, n in status.open_by_kind.items()]
    figures: list[tuple[str, str, str, float]] = [
        ("takedown_sla_overdue_deadlines", "gauge", "Open deadlines past their due time.", status.overdue),
        ("takedown_sla_lag_seconds", "gauge", "Age of the oldest overdue open deadline.", status.lag_seconds),
        ("takedown_sla_failed_deadlines", "gauge", "Deadlines set aside after too many attempts.", status.failed),
        ("takedown_sla_breaches_30d", "gauge", "Breaches recorded in the last 30 days.", status.breaches_30_days),
        ("takedown_sla_sweeper_healthy", "gauge", "1 when the last sweep is within three intervals.",
         int(status.sweeper_healthy)),
        ("takedown_sla_last_sweep_age_seconds", "gauge", "Seconds since the last sweep (-1: never).",
         int((now - status.last_sweep_at).total_seconds()) if status.last_sweep_at else -1),
        ("takedown_sla_automated_withdrawals_enabled", "gauge", "0 when the kill switch is on.",
         int(status.automated_withdrawals)),
        ("takedown_sla_withdrawal_cap", "gauge", "Automated withdrawals allowed per sweep interval.",
         status.withdrawal_cap_per_sweep),
        ("takedown_sla_withdrawal_cap_used", "gauge", "Automated withdrawals since the last sweep began.",
         status.withdrawals_in_cap_window),
        ("takedown_sla_deferred_by_cap", "gauge", "Open deadlines the cap has put back at least once.",
         status.deferred_by_cap),
    ]
    figures += [(f"takedown_{check.name}", "gauge", OPERATIONAL_HELP[check.name], check.value)
                for check in operational_checks(now)]
    for name, kind, help_text, value in figures:
        lines += [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}", _line(name, value)]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; version=0.0.4; charset=utf-8")
