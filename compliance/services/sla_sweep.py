"""The sweeper: claims due deadline rows and hands them to the broker. Only it talks to the broker.

Rows are claimed with SKIP LOCKED, so any number of sweepers can run; a claimed row carries a
lease, and its ``wake_at`` moves to the lease's end, so a row whose task was lost (Redis flushed,
worker killed) is claimed again when the lease runs out. Worst case: one interval plus one lease.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import F

from compliance.models import SlaDeadline, SweepHeartbeat

log = logging.getLogger(__name__)
State = SlaDeadline.State
HEARTBEAT = "sla-sweeper"
Enqueue = Callable[[list[int]], None]


@dataclass(frozen=True)
class SweepResult:
    claimed: list[int]
    failed: list[int]
    enqueued: int
    enqueue_error: str = ""


def _claim(now: datetime, limit: int) -> tuple[list[int], list[int]]:
    """One set-based UPDATE on the locked rows, never one statement per row. Rows whose attempts are
    used up are not claimed: they are handed to ``give_up`` (a breach, never a quiet end)."""
    lease_until = now + timedelta(seconds=settings.SLA_LEASE_SECONDS)
    with transaction.atomic():
        rows = list(SlaDeadline.objects.select_for_update(skip_locked=True, of=("self",))
                    .filter(state__in=SlaDeadline.OPEN_STATES, wake_at__lte=now)
                    .order_by("wake_at").values_list("pk", "attempts")[:limit])
        exhausted = [pk for pk, attempts in rows if attempts >= settings.SLA_MAX_ATTEMPTS]
        claimed = [pk for pk, attempts in rows if attempts < settings.SLA_MAX_ATTEMPTS]
        SlaDeadline.objects.filter(pk__in=claimed).update(
            attempts=F("attempts") + 1, state=State.DISPATCHED, lease_until=lease_until, wake_at=lease_until)
        SweepHeartbeat.objects.update_or_create(name=HEARTBEAT, defaults={"last_sweep_at": now,
                                                                         "last_claimed": len(claimed)})
    return claimed, exhausted


def _give_up(exhausted: list[int], now: datetime) -> list[int]:
    from compliance.services.sla_enforce import give_up  # the enforcer's module imports much of compliance

    failed = []
    for pk in exhausted:
        try:
            give_up(deadline_id=pk, now=now)
            failed.append(pk)
        except Exception:  # the row stays open and overdue (health says so); the next sweep tries again
            log.exception("SLA deadline %s could not be set aside as a breach", pk)
    return failed


def sweep(*, now: datetime, enqueue: Enqueue, limit: int | None = None) -> SweepResult:
    claimed, exhausted = _claim(now, limit or settings.SLA_SWEEP_LIMIT)
    failed = _give_up(exhausted, now)
    batch, enqueued = settings.SLA_ENQUEUE_BATCH, 0
    try:
        for start in range(0, len(claimed), batch):
            enqueue(claimed[start:start + batch])
            enqueued += len(claimed[start:start + batch])
    except Exception as exc:  # broker down: the leases expire and the next sweep claims them again
        log.warning("SLA sweep could not enqueue %s deadlines: %s", len(claimed) - enqueued, exc)
        return SweepResult(claimed, failed, enqueued, f"{type(exc).__name__}: {exc}")
    return SweepResult(claimed, failed, enqueued)
