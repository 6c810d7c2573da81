from datetime import timedelta

import pytest
from django.utils import timezone

from compliance.models import SweepHeartbeat
from compliance.services.sla_sweep import HEARTBEAT
from config.celery import app as celery_app

pytestmark = pytest.mark.django_db


@pytest.fixture
def swept_just_now():
    SweepHeartbeat.objects.create(name=HEARTBEAT, last_sweep_at=timezone.now())


def test_healthz_reports_database_broker_and_sweeper(client, swept_just_now):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and set(body["checks"].values()) == {"ok"}
    assert {"database", "broker", "sla_sweeper", "sla_stuck_overdue", "sla_failed_unacknowledged",
            "inbound_mail_oldest_pending_seconds", "audit_chain_intact"} <= set(body["checks"])


@pytest.mark.slow
def test_healthz_fails_naming_the_broker_when_it_is_unreachable(client, monkeypatch, swept_just_now):
    monkeypatch.setattr(celery_app.conf, "broker_write_url", "redis://127.0.0.1:1/0")

    response = client.get("/healthz")

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"] == "ok" and checks["broker"].startswith("unreachable")


def test_healthz_fails_when_the_last_sweep_is_older_than_three_intervals(client, settings):
    SweepHeartbeat.objects.create(name=HEARTBEAT, last_sweep_at=timezone.now() - timedelta(
        seconds=3 * settings.SLA_SWEEP_INTERVAL_SECONDS + 5))

    response = client.get("/healthz")

    assert response.status_code == 503 and response.json()["checks"]["sla_sweeper"].startswith("stale")


def test_healthz_fails_before_the_first_sweep(client):
    assert client.get("/healthz").json()["checks"]["sla_sweeper"] == "never ran"
