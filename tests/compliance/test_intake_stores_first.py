"""A notice that arrived is stored whatever matching does: its items kept as received, the leads
alerted, and at the deadline the unmatched items are a breach, never a quiet "withdrew 0"."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group

from compliance import roles
from compliance.models import Notice, OutboundMessage, SlaBreach
from compliance.services import matching
from compliance.services.deadlines import safety_margin
from compliance.services.sla_enforce import enforce
from compliance.services.sla_sweep import sweep
from tests.compliance.test_sla import PRIMARY, _notice
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_a_notice_whose_matching_breaks_is_stored_alerted_and_breached_at_the_deadline(monkeypatch,
                                                                                         django_user_model):
    lead = django_user_model.objects.create_user("lead", email="lead@worldtimetodays.example")
    lead.groups.add(Group.objects.get(name=roles.COMPLIANCE_LEAD))
    ArticleFactory(primary=PRIMARY)

    def breaks(items):
        raise RuntimeError("a query no one expected to fail")

    monkeypatch.setattr(matching, "_find", breaks)
    notice = _notice(PRIMARY)
    monkeypatch.undo()

    assert Notice.objects.filter(pk=notice.pk).exists()
    assert list(notice.items.values_list("state", flat=True)) == ["received"]
    alert = OutboundMessage.objects.get(to_address=lead.email, purpose="escalation")
    assert "could not be matched" in alert.subject and "RuntimeError" in alert.body
    act_at = notice.due_at - safety_margin() + timedelta(seconds=1)
    ids: list[int] = []
    sweep(now=act_at, enqueue=ids.extend)
    outcomes = [enforce(deadline_id=pk, now=act_at) for pk in ids]

    assert outcomes[-1] == "withdrew 0 article(s) pending review; escalated the rest"
    assert SlaBreach.objects.get(notice=notice).reason == "items that could not be matched are still undecided"
