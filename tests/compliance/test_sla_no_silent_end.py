"""No silent end state: a deadline the system could not enforce is a breach with its reason, an audit
entry and an urgent escalation; a row put back by the cap is no attempt; the margin fits a burst."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command

from articles.models import Article
from compliance.models import AuditEntry, OutboundMessage, SlaBreach, SlaDeadline
from compliance.selectors import sla_status
from compliance.services.deadlines import safety_margin
from compliance.services.sla_enforce import enforce
from compliance.services.sla_sweep import sweep
from tests.compliance.test_sla import PRIMARY, _enforce_all, _notice, staff  # noqa: F401 (fixture)
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_a_deadline_whose_tasks_never_finish_ends_as_a_breach_with_its_reason(settings, staff):  # noqa: F811
    settings.SLA_MAX_ATTEMPTS = 3
    ArticleFactory(primary=PRIMARY)
    notice = _notice(PRIMARY)
    at = notice.due_at - safety_margin()
    for _ in range(settings.SLA_MAX_ATTEMPTS):  # each claim's task is lost: worker killed, Redis flushed
        sweep(now=at, enqueue=lambda ids: None)
        at += timedelta(seconds=settings.SLA_LEASE_SECONDS)

    result = sweep(now=at, enqueue=lambda ids: None)

    due = notice.deadlines.get(kind="due")
    assert due.pk in result.failed and due.state == "failed"
    breach = SlaBreach.objects.get(deadline=due)
    assert breach.reason.startswith("could not be enforced after 3 attempts: no error recorded")
    assert breach.lateness_seconds == max(0, int((at - notice.due_at).total_seconds()))
    assert AuditEntry.objects.filter(action="sla.failed").count() == 4  # every kind of this notice
    urgent = OutboundMessage.objects.filter(purpose="escalation", subject__contains="URGENT",
                                            to_address="lead@worldtimetodays.example")
    assert urgent.filter(body__contains="A breach was recorded: could not be enforced").exists()
    assert sla_status(at).failed_unacknowledged == 4


def test_an_error_in_enforcing_is_the_breach_reason(settings, monkeypatch):
    settings.SLA_MAX_ATTEMPTS = 1
    notice = _notice(PRIMARY)
    row = notice.deadlines.get(kind="escalate_50")
    import compliance.services.sla_enforce as module

    monkeypatch.setattr(module, "_escalate", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("smtp template")))
    at = row.due_at
    ids: list[int] = []
    sweep(now=at, enqueue=ids.extend)
    with pytest.raises(RuntimeError):
        enforce(deadline_id=row.pk, now=at)

    sweep(now=at + timedelta(seconds=settings.SLA_LEASE_SECONDS), enqueue=lambda ids: None)

    row.refresh_from_db()
    assert row.state == "failed" and SlaBreach.objects.get(deadline=row).reason.endswith("RuntimeError: smtp template")


def test_a_row_put_back_by_the_cap_is_not_an_attempt(settings, capsys):
    settings.SLA_MAX_AUTOMATED_WITHDRAWALS_PER_SWEEP = 0  # the cap holds everything back for now
    settings.SLA_MAX_ATTEMPTS = 2
    ArticleFactory(primary=PRIMARY)
    notice = _notice(PRIMARY)
    at = notice.due_at - safety_margin()

    for _ in range(4):  # more sweeps than attempts: the capped row must survive them all
        _enforce_all(at)
        at += timedelta(seconds=settings.SLA_SWEEP_INTERVAL_SECONDS)

    capped = notice.deadlines.get(kind="due")
    assert capped.state == "pending" and capped.attempts == 0 and capped.deferrals == 4
    assert sla_status(at).deferred_by_cap == 1 and sla_status(at).withdrawals_in_cap_window == 0
    with time_machine.travel(at, tick=False):
        call_command("sla_status")
    assert "cap in use       0 of 0 since the last sweep began; 1 open deadline(s) put back by it" in capsys.readouterr().out
    settings.SLA_MAX_AUTOMATED_WITHDRAWALS_PER_SWEEP = 1
    _enforce_all(at)
    assert Article.objects.filter(status="withdrawn").count() == 1 and not SlaBreach.objects.exists()
    assert sla_status(at).withdrawals_in_cap_window == 1


def test_the_margin_covers_a_burst_at_the_cap_plus_a_sweep_and_a_lease(settings):
    settings.SLA_SWEEP_INTERVAL_SECONDS, settings.SLA_LEASE_SECONDS = 30, 120
    settings.SLA_MAX_AUTOMATED_WITHDRAWALS_PER_SWEEP, settings.SLA_BURST_DUE_TOGETHER = 50, 300

    assert safety_margin() == timedelta(seconds=120 + 30 * (1 + 6))


def test_a_burst_larger_than_the_margin_allows_makes_each_late_one_a_breach(settings):
    settings.SLA_MAX_AUTOMATED_WITHDRAWALS_PER_SWEEP, settings.SLA_BURST_DUE_TOGETHER = 1, 1
    settings.SLA_LEASE_SECONDS = 1  # a margin of 61 s: room for two of the four withdrawals the cap lets through
    for n in range(4):
        ArticleFactory(primary=f"https://outlet.example/{n}.html")
    notices = [_notice(f"https://outlet.example/{n}.html", claimant_email=f"c{n}@x.example") for n in range(4)]
    at = notices[0].due_at - safety_margin()
    while SlaDeadline.objects.filter(kind="due", state__in=SlaDeadline.OPEN_STATES).exists():
        _enforce_all(at)
        at += timedelta(seconds=settings.SLA_SWEEP_INTERVAL_SECONDS)

    late = [n for n in notices if n.deadlines.get(kind="due").done_at > n.due_at]
    assert late and Article.objects.filter(status="withdrawn").count() == 4
    assert set(SlaBreach.objects.values_list("notice_id", flat=True)) == {n.pk for n in late}
    assert all(b.reason == "the fail-safe withdrawal came after the deadline" for b in SlaBreach.objects.all())
