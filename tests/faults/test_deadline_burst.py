"""300 verified notices due together, one real worker, the cap at 50 per sweep: the margin is sized
so every one is withdrawn before its due time; and two beats sweeping at once act on each once.

The worker runs with a 3-second sweep interval and a 10-second lease (so the margin is
10 + 3 x (1 + 300 / 50) = 31 s instead of 5.5 min), set in its environment as in production. The lease
must outlast the wait of a claimed row in the queue, or rows are claimed again while still queued."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Count, F
from django.utils import timezone

from articles.models import Article
from compliance.models import Decision, Notice, SlaBreach, SlaDeadline
from compliance.services.deadlines import safety_margin
from compliance.services.intake import receive_notice
from compliance.services.sla_sweep import sweep
from compliance.tasks import enqueue_deadlines
from tests.compliance.intake_helpers import submission
from tests.compliance.real_worker import wait_until
from tests.factories import ArticleFactory
from tests.faults.figures import Figures, record
from tests.faults.workers import needs_real_stack

pytestmark = [pytest.mark.faults, needs_real_stack, pytest.mark.django_db(transaction=True)]
BURST, CAP, INTERVAL, LEASE = 300, 50, 3, 10
SLA_ENV = {"SLA_SWEEP_INTERVAL_SECONDS": str(INTERVAL), "SLA_LEASE_SECONDS": str(LEASE),
           "SLA_MAX_AUTOMATED_WITHDRAWALS_PER_SWEEP": str(CAP), "SLA_BURST_DUE_TOGETHER": str(BURST)}


@pytest.fixture(autouse=True)
def sla_settings(settings):
    settings.SLA_SWEEP_INTERVAL_SECONDS, settings.SLA_LEASE_SECONDS = INTERVAL, LEASE
    settings.SLA_MAX_AUTOMATED_WITHDRAWALS_PER_SWEEP, settings.SLA_BURST_DUE_TOGETHER = CAP, BURST


def _verified_notices(count: int, *, due_in: timedelta) -> list[int]:
    """Verified copyright notices naming one article each, their due deadlines ``due_in`` from now
    and their escalations already done (this scenario is about the fail-safe)."""
    ids = []
    for n in range(count):
        url = f"https://outlet.example/burst-{n}.html"
        ArticleFactory(primary=url)
        ids.append(receive_notice(channel="web", submission=submission(url, claimant_email=f"b{n}@x.example")).notice.pk)
    Notice.objects.filter(pk__in=ids).update(verification=Notice.Verification.EMAIL_CONFIRMED)
    due_at = timezone.now() + due_in
    SlaDeadline.objects.filter(notice_id__in=ids).exclude(kind="due").update(state="done", done_at=timezone.now())
    SlaDeadline.objects.filter(notice_id__in=ids, kind="due").update(due_at=due_at, wake_at=due_at - safety_margin())
    Notice.objects.filter(pk__in=ids).update(due_at=due_at)
    return ids


def _beat(stop: threading.Event) -> None:
    """What beat does: a sweep every interval."""
    try:
        while not stop.is_set():
            sweep(now=timezone.now(), enqueue=enqueue_deadlines)
            stop.wait(INTERVAL)
    finally:
        connection.close()


def _count(ids: list[int]) -> dict[str, float]:
    due = SlaDeadline.objects.filter(notice_id__in=ids, kind="due")
    late = due.filter(done_at__gt=F("due_at"))
    acted = Decision.objects.filter(notice_id__in=ids).values("notice_id").annotate(n=Count("id"))
    lateness = [(row.done_at - row.due_at).total_seconds() for row in due.filter(state="done")]
    print(f"due {len(ids)}: last done {max(lateness, default=0):.1f} s after due_at")
    return {
        "lost": len(ids) - Notice.objects.filter(pk__in=ids).count(),
        "missed": late.filter(breach__isnull=True).count() + due.filter(state="failed", breach__isnull=True).count()
        + due.filter(state__in=SlaDeadline.OPEN_STATES).count(),
        "twice": sum(1 for row in acted if row["n"] > 1),
        "late": late.count(),
        "max_lateness": max(lateness, default=0.0),  # negative: the last one was done that much early
        "withdrawn": Article.objects.filter(status="withdrawn").count(),
    }


def _run(ids: list[int], running, beats: int) -> dict[str, float]:
    stop = threading.Event()
    threads = [threading.Thread(target=_beat, args=(stop,)) for _ in range(beats)]
    for thread in threads:
        thread.start()
        time.sleep(INTERVAL / beats)  # beats out of phase, as two machines would be
    try:
        wait_until(lambda: not SlaDeadline.objects.filter(notice_id__in=ids, kind="due",
                                                          state__in=SlaDeadline.OPEN_STATES).exists(),
                   seconds=120, what="every due deadline done", log=running.log)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    return _count(ids)


def test_a_burst_of_300_due_together_is_withdrawn_before_due_at(worker):
    margin = safety_margin()
    assert margin == timedelta(seconds=LEASE + INTERVAL * (1 + BURST // CAP))
    running = worker(**SLA_ENV)  # running already, as in production
    ids = _verified_notices(BURST, due_in=margin + timedelta(seconds=2))

    figures = _run(ids, running, beats=1)

    assert figures["withdrawn"] == BURST and figures["lost"] == figures["missed"] == figures["twice"] == 0
    assert figures["late"] == 0, figures
    assert SlaDeadline.objects.filter(notice_id__in=ids, kind="due", deferrals__gt=0).exists()  # the cap held
    assert not SlaBreach.objects.exists()
    record(Figures(f"burst of {BURST} due together, cap {CAP}, 1 worker", notices=BURST, lost=figures["lost"],
                   missed=figures["missed"], twice=figures["twice"], max_lateness_seconds=figures["max_lateness"]))


def test_two_beats_and_a_burst_past_due_act_on_each_once_and_record_each_late_one(worker):
    running = worker(**SLA_ENV)
    ids = _verified_notices(100, due_in=-timedelta(seconds=1))  # already due: after an outage

    figures = _run(ids, running, beats=2)

    assert figures["withdrawn"] == 100 and figures["lost"] == figures["missed"] == figures["twice"] == 0
    assert SlaBreach.objects.filter(notice_id__in=ids).count() == figures["late"] == 100
    # 100 through a cap of 50 per interval: the last within three intervals and a lease of the outage's end.
    assert figures["max_lateness"] <= 3 * INTERVAL + LEASE, figures
    record(Figures("two beats, 100 past due (after an outage)", notices=100, lost=figures["lost"],
                   missed=figures["missed"], twice=figures["twice"], max_lateness_seconds=figures["max_lateness"]))
