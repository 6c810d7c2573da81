"""Fault tests of the SLA on real PostgreSQL, a real Celery worker and real Redis.

Time cannot be injected into the worker: rows are made past due, leases are short, and the
sweeper (run here, as beat would) is given the clock. Each test counts effects: every deadline
acted on exactly once, no notice lost, lateness at most one sweep interval plus one lease, and
records them in the fault suite's table (tests/faults/figures.py, docs/operations.md).
"""

import threading
from datetime import timedelta

import kombu.pools
import psycopg
import pytest
import redis
from django.db import connection
from django.utils import timezone

from articles.models import Article
from compliance.models import Decision, Notice, SlaDeadline
from compliance.services.intake import receive_notice
from compliance.services.sla_sweep import sweep
from compliance.tasks import enqueue_deadlines
from config.celery import app as celery_app
from tests.compliance.intake_helpers import submission
from tests.compliance.real_worker import database_url, wait_until
from tests.factories import ArticleFactory
from tests.faults.figures import Figures, record
from tests.faults.workers import BROKER, needs_real_stack

pytestmark = [pytest.mark.faults, needs_real_stack, pytest.mark.django_db(transaction=True)]
LEASE = 3


@pytest.fixture(autouse=True)
def short_lease(settings):
    settings.SLA_LEASE_SECONDS = LEASE


def _past_due_notice(n: int = 0) -> tuple[Notice, Article]:
    url = f"https://outlet.example/fault-{n}.html"
    article = ArticleFactory(primary=url)
    notice = receive_notice(channel="web", submission=submission(url, claimant_email=f"c{n}@x.example"),
                            received_at=timezone.now() - timedelta(hours=25)).notice
    Notice.objects.filter(pk=notice.pk).update(verification=Notice.Verification.EMAIL_CONFIRMED)
    return notice, article


def _all_done(*notices: Notice) -> bool:
    return not SlaDeadline.objects.filter(notice__in=notices, state__in=SlaDeadline.OPEN_STATES).exists()


def _sweep_until_done(*notices: Notice, log=None, seconds: float = 60) -> None:
    """What beat does: sweep every so often; here as soon as a lease can have run out."""
    def swept_and_done():
        sweep(now=timezone.now(), enqueue=enqueue_deadlines)
        return _all_done(*notices)

    wait_until(swept_and_done, seconds=seconds, what="every deadline done", log=log)


def _assert_acted_once(notice: Notice, article: Article) -> None:
    article.refresh_from_db()
    assert article.status == Article.Status.WITHDRAWN
    assert Decision.objects.filter(notice=notice).count() == 1
    assert set(notice.deadlines.values_list("state", flat=True)) == {"done"}


def _lateness(notice: Notice, since) -> float:
    """From when the fault was over (a worker up again) to the last deadline done; printed for bench/README."""
    done = max(notice.deadlines.values_list("done_at", flat=True))
    seconds = (done - since).total_seconds()
    print(f"lateness after the fault: {seconds:.1f} s")
    return seconds


def _record_one(scenario: str, notice: Notice, lateness: float) -> None:
    """One past-due notice: acted on once (asserted by the caller), nothing lost or missed."""
    decisions = Decision.objects.filter(notice=notice).count()
    silent = notice.deadlines.filter(state="failed").exclude(breach__isnull=False).count()
    record(Figures(scenario, notices=1, lost=int(not Notice.objects.filter(pk=notice.pk).exists()), missed=silent,
                   twice=max(decisions - 1, 0), max_lateness_seconds=lateness))


def _recovers(scenario: str, notice: Notice, article: Article, running, settings) -> None:
    """After the fault: beat sweeps, the worker enforces; each deadline once, within interval + lease."""
    recovered_at = timezone.now()
    _sweep_until_done(notice, log=running.log)
    _assert_acted_once(notice, article)
    lateness = _lateness(notice, recovered_at)
    assert lateness <= settings.SLA_SWEEP_INTERVAL_SECONDS + LEASE
    _record_one(scenario, notice, lateness)


def test_past_due_deadlines_are_enforced_by_the_real_worker(worker, settings):
    notice, article = _past_due_notice()
    running = worker()
    started = timezone.now()

    result = sweep(now=started, enqueue=enqueue_deadlines)
    wait_until(lambda: _all_done(notice), seconds=60, what="deadlines done", log=running.log)

    assert len(result.claimed) == 4
    _assert_acted_once(notice, article)
    lateness = _lateness(notice, started)
    assert lateness <= settings.SLA_SWEEP_INTERVAL_SECONDS + LEASE
    _record_one("past-due notice, no fault", notice, lateness)


def test_the_same_enforce_delivered_twice_acts_once(worker):
    notice, article = _past_due_notice()
    ids: list[int] = []
    sweep(now=timezone.now(), enqueue=ids.extend)
    enqueue_deadlines(ids)
    enqueue_deadlines(ids)
    running = worker()

    wait_until(lambda: _all_done(notice), seconds=60, what="deadlines done", log=running.log)
    running.wait_for_log("enforce_deadlines", seconds=10)

    _assert_acted_once(notice, article)


def test_two_sweepers_at_once_claim_each_row_once():
    notices = [_past_due_notice(n)[0] for n in range(10)]
    start, claimed = threading.Barrier(2), []

    def sweeper():
        start.wait()
        claimed.append(sweep(now=timezone.now(), enqueue=lambda ids: None, limit=25).claimed)
        connection.close()

    threads = [threading.Thread(target=sweeper) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    first, second = claimed
    assert not set(first) & set(second)
    assert len(first) + len(second) == 4 * len(notices)


def test_redis_flushed_with_tasks_in_flight_loses_nothing(worker, settings):
    notice, article = _past_due_notice()
    assert len(sweep(now=timezone.now(), enqueue=enqueue_deadlines).claimed) == 4
    redis.Redis.from_url(BROKER).flushall()
    running = worker()

    _recovers("Redis flushed with tasks in flight", notice, article, running, settings)


def test_worker_killed_mid_task_is_redone_once(worker, settings):
    notice, article = _past_due_notice()
    first = worker()
    blocker = psycopg.connect(database_url())  # a second session holding the notice's lock
    blocker.execute("SELECT id FROM compliance_notice WHERE id = %s FOR UPDATE", [notice.pk])
    sweep(now=timezone.now(), enqueue=enqueue_deadlines)

    def worker_waits_on_the_lock() -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
            return cursor.fetchone()[0] > 0

    wait_until(worker_waits_on_the_lock, seconds=30, what="the worker blocked mid-task", log=first.log)
    first.kill()
    blocker.rollback()
    blocker.close()
    second = worker()

    _recovers("worker SIGKILL mid-enforcement", notice, article, second, settings)


def _use_broker(url: str) -> None:
    """Point this process's producers at ``url``, dropping pooled connections to the old one."""
    celery_app.conf.broker_write_url = url
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def test_redis_down_while_a_notice_arrives(worker, settings):
    _use_broker("redis://127.0.0.1:1/0")  # nothing listens there: connection refused
    try:
        notice, article = _past_due_notice()  # intake never touches the broker
        down = sweep(now=timezone.now(), enqueue=enqueue_deadlines)
    finally:
        _use_broker(BROKER)
    assert down.enqueue_error and down.enqueued == 0
    running = worker()

    _recovers("Redis down while a notice arrives", notice, article, running, settings)


def test_a_poison_row_among_good_ones_is_set_aside(worker, settings):
    settings.SLA_MAX_ATTEMPTS = 2
    good = [_past_due_notice(n) for n in range(3)]
    poison, _ = _past_due_notice(99)
    # Data that makes the fail-safe fail every time: the deadline's notice lost its due time.
    Notice.objects.filter(pk=poison.pk).update(due_at=None)
    running = worker()

    def settled():
        sweep(now=timezone.now(), enqueue=enqueue_deadlines)
        return _all_done(*(n for n, _ in good)) and poison.deadlines.filter(kind="due", state="failed").exists()

    wait_until(settled, seconds=90, what="good rows done and the poison row failed", log=running.log)

    for notice, article in good:
        _assert_acted_once(notice, article)
    failed = poison.deadlines.get(kind="due")
    assert "TypeError" in failed.outcome and "TypeError" in failed.breach.reason
    record(Figures("poison deadline among 3 good notices", notices=4, lost=4 - Notice.objects.count(),
                   missed=SlaDeadline.objects.filter(state="failed", breach__isnull=True).count(),
                   twice=sum(max(Decision.objects.filter(notice=n).count() - 1, 0) for n, _ in good)))
