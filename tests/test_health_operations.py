"""/healthz answers 503 naming what is wrong with deadlines, queues and the audit chain; /metrics
exports each figure; staff acknowledging a failure clears it."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from compliance import roles
from compliance.models import AuditVerification, InboundMessage, SlaDeadline, SweepHeartbeat, WebhookDelivery
from compliance.services.intake import receive_notice
from compliance.services.sla_sweep import HEARTBEAT
from tests.compliance.intake_helpers import submission
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def swept_just_now():
    SweepHeartbeat.objects.create(name=HEARTBEAT, last_sweep_at=timezone.now())


def _checks(client) -> tuple[int, dict]:
    response = client.get("/healthz")
    return response.status_code, response.json()["checks"]


def _notice_received(ago: timedelta):
    return receive_notice(channel="web", submission=submission("https://outlet.example/a.html"),
                          received_at=timezone.now() - ago).notice


def test_deadlines_overdue_past_the_worst_case_fail_health(client, settings):
    _notice_received(timedelta(hours=24, seconds=settings.SLA_SWEEP_INTERVAL_SECONDS + settings.SLA_LEASE_SECONDS + 5))

    status, checks = _checks(client)

    assert status == 503 and checks["sla_stuck_overdue"].startswith("4 deadline(s) overdue by more than 150 s")
    assert "takedown_sla_stuck_overdue 4" in client.get("/metrics").content.decode()


def test_overdue_within_the_worst_case_is_still_healthy(client):
    notice = _notice_received(timedelta(hours=24, seconds=30))
    SlaDeadline.objects.filter(notice=notice).exclude(kind="due").update(state="done")

    assert _checks(client)[1]["sla_stuck_overdue"] == "ok"


def test_a_failed_deadline_fails_health_until_a_lead_acknowledges_it(client, django_user_model):
    notice = _notice_received(timedelta(hours=1))
    SlaDeadline.objects.filter(notice=notice, kind="due").update(state="failed", outcome="could not be enforced")
    status, checks = _checks(client)
    assert status == 503 and checks["sla_failed_unacknowledged"] == "1 failed deadline(s) not yet acknowledged by staff"
    lead = django_user_model.objects.create_user("lead", is_staff=True)
    lead.groups.add(Group.objects.get(name=roles.COMPLIANCE_LEAD))
    verified_login(client, lead)
    row = SlaDeadline.objects.get(state="failed")

    client.post("/admin/compliance/sladeadline/", {"action": "acknowledge", "_selected_action": [row.pk]})

    row.refresh_from_db()
    assert row.failure_acknowledged_by == f"user:{lead.pk}"
    assert _checks(client)[1]["sla_failed_unacknowledged"] == "ok"


def test_an_auditor_cannot_acknowledge_a_failed_deadline(client, django_user_model):
    notice = _notice_received(timedelta(hours=1))
    SlaDeadline.objects.filter(notice=notice, kind="due").update(state="failed")
    auditor = django_user_model.objects.create_user("auditor", is_staff=True)
    auditor.groups.add(Group.objects.get(name=roles.AUDITOR))
    verified_login(client, auditor)

    client.post("/admin/compliance/sladeadline/", {"action": "acknowledge",
                                                   "_selected_action": [SlaDeadline.objects.get(state="failed").pk]})

    assert SlaDeadline.objects.get(state="failed").failure_acknowledged_at is None


def test_a_mail_queue_that_stopped_moving_fails_health(client, settings):
    InboundMessage.objects.create(dedupe_key="k" * 64, raw=b"x", raw_sha256="0" * 64, size=1, via="file",
                                  received_at=timezone.now() - timedelta(minutes=settings.QUEUE_STALE_MINUTES + 1))

    status, checks = _checks(client)

    assert status == 503 and checks["inbound_mail_oldest_pending_seconds"].startswith(
        "the inbound mail queue's oldest pending row is")
    assert "takedown_inbound_mail_oldest_pending_seconds 9" in client.get("/metrics").content.decode()


def test_a_failed_inbound_message_fails_health_until_acknowledged(client):
    InboundMessage.objects.create(dedupe_key="f" * 64, raw=b"x", raw_sha256="0" * 64, size=1, via="file",
                                  role="failed", error="NoticeInvalid: too long")

    assert _checks(client)[1]["inbound_mail_failed_unacknowledged"].startswith("1 inbound message(s)")


def test_a_stalled_webhook_queue_fails_health(client, settings):
    from compliance.models import WebhookEndpoint

    endpoint = WebhookEndpoint.objects.create(name="cms", url="https://cms.example/hook", secret="s")
    WebhookDelivery.objects.create(endpoint=endpoint, event="article.withdrawn", payload="{}",
                                   created_at=timezone.now() - timedelta(hours=1))

    assert _checks(client)[1]["webhook_oldest_pending_seconds"].startswith("the webhook queue's oldest pending row")


def test_a_failed_audit_chain_check_fails_health(client):
    AuditVerification.objects.create(ok=False, entries_checked=10, first_bad_seq=7, message="entry 7 was edited",
                                      checked_by="task")

    status, checks = _checks(client)

    assert status == 503 and checks["audit_chain_intact"].endswith("failed: entry 7 was edited")
    assert "takedown_audit_chain_intact 0" in client.get("/metrics").content.decode()
