"""/healthz: database and broker reachable, the SLA sweeper swept within three intervals, no deadline
stuck or failed unacknowledged, no queue stalled, the audit chain intact.

200 when all hold, 503 naming the ones that do not."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone

from config.celery import app as celery_app

BROKER_TIMEOUT_SECONDS = 2.0


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as exc:  # any failure is the answer, not an error of this view
        return f"unreachable: {type(exc).__name__}"


def _broker() -> str:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
        return "ok"
    except Exception as exc:
        return f"unreachable: {type(exc).__name__}"


def _sla_sweeper() -> str:
    from compliance.models import SweepHeartbeat
    from compliance.selectors import sweeper_healthy
    from compliance.services.sla_sweep import HEARTBEAT

    try:
        heartbeat = SweepHeartbeat.objects.filter(name=HEARTBEAT).first()
    except Exception as exc:
        return f"unknown: {type(exc).__name__}"
    if heartbeat is None:
        return "never ran"
    return "ok" if sweeper_healthy(heartbeat, timezone.now()) else f"stale: last sweep {heartbeat.last_sweep_at.isoformat()}"


def _operations() -> dict[str, str]:
    """Deadlines, queues and the audit chain (compliance.operational_health), each "ok" or its problem."""
    from compliance.operational_health import operational_checks

    try:
        return {check.name: check.problem or "ok" for check in operational_checks(timezone.now())}
    except Exception as exc:
        return {"operations": f"unknown: {type(exc).__name__}"}


def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database(), "broker": _broker(), "sla_sweeper": _sla_sweeper(), **_operations()}
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "failing", "checks": checks}, status=200 if healthy else 503)
