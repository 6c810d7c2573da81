"""/healthz: can this process reach the database and the broker? 200 if both, 503 naming which not."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse

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


def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database(), "broker": _broker()}
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "failing", "checks": checks}, status=200 if healthy else 503)
