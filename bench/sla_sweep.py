"""The sweeper's claim of 1,000 due deadlines among 10,000 and 1,000,000 open ones, and the
batched enqueue of what it claimed onto Redis beside it."""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from datetime import timedelta
from typing import Any

from common import (AT_MOST, BENCH, BenchError, Context, Result, copy_rows, count_label, migrated_database,
                    run_worker, worker_main)

NAME = "sla_sweep"
BENCH_DB = "provenance_bench_sla"
DUE = 1_000
SIZES, QUICK_SIZES = (10_000, 1_000_000), (10_000, 100_000)
GOAL_MS, GOAL_RATIO = 200.0, 1.5
RUNS = 5
BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/7")


def run(context: Context) -> tuple[list[Result], str]:
    sizes = QUICK_SIZES if context.quick else SIZES
    url, database = migrated_database(BENCH_DB, context)
    context.stage("load, then claim")
    os.environ["CELERY_BROKER_URL"] = BROKER
    answer = run_worker(BENCH / "sla_sweep.py", ["--sizes", ",".join(map(str, sizes))], url=url,
                        progress=context.progress)
    return results(answer), database


def results(answer: dict[str, Any]) -> list[Result]:
    claims = answer["claims"]
    small, large = claims[0], claims[-1]
    out = [Result(f"claim {count_label(DUE)} due among {count_label(c['open'])} open deadlines (median of {RUNS})",
                  GOAL_MS if c is large else None, c["median_ms"], "ms",
                  {"runs_ms": c["runs_ms"], "loading_seconds": c["loading_seconds"]}, goal_kind=AT_MOST)
           for c in claims]
    out.append(Result(f"claim time, {count_label(large['open'])} open / {count_label(small['open'])} open",
                      GOAL_RATIO, round(large["median_ms"] / small["median_ms"], 2), "x", goal_kind=AT_MOST))
    enqueue = answer["enqueue"]
    out.append(Result(f"enqueue {count_label(DUE)} claimed deadlines on Redis in batches of {enqueue['batch']}",
                      None, enqueue["median_ms"], "ms", {"runs_ms": enqueue["runs_ms"], "messages": enqueue["messages"]},
                      goal_kind=AT_MOST))
    return out


# --- the worker -------------------------------------------------------------------------

def _load(total: int, already: int, progress: bool) -> float:
    """Top up to `total` open deadlines: four per notice, as intake writes them."""
    from django.db import connection
    from django.utils import timezone
    from psycopg.types.json import Jsonb

    from compliance.models import Notice, SlaDeadline

    started, now = time.perf_counter(), timezone.now()
    first_notice = already // 4
    notices = range(first_notice, total // 4)
    with connection.cursor() as cursor:
        copy_rows(cursor, Notice._meta.db_table, (
            {"id": n + 1, "reference": f"TD-2026-B{n:08d}", "status_token_digest": f"{n:064d}", "channel": "api",
             "claimant_name": "Bench", "claimant_email": "bench@example.test", "claimant_email_digest": "0" * 64,
             "items_fingerprint": "0" * 64, "received_at": now, "clock_started_at": now,
             "due_at": now + timedelta(hours=24), "status": "in_review", "missing_elements": Jsonb([])}
            for n in notices),
            total=len(notices), unit="notices", progress=progress)
        kinds = ["escalate_50", "escalate_75", "escalate_90", "due"]
        copy_rows(cursor, SlaDeadline._meta.db_table, (
            {"id": n * 4 + k + 1, "notice_id": n + 1, "kind": kind, "due_at": now + timedelta(hours=24),
             "wake_at": now + timedelta(hours=1 + (n * 4 + k) % 23), "created_at": now}
            for n in notices for k, kind in enumerate(kinds)),
            total=len(notices) * 4, unit="deadlines", progress=progress)
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{Notice._meta.db_table}', 'id'), {total // 4})")
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{SlaDeadline._meta.db_table}', 'id'), {total})")
    return round(time.perf_counter() - started, 1)


def _make_due(total: int, rng: random.Random) -> None:
    """Every row open and in the future again, then DUE random rows due now."""
    from django.db import connection
    from django.utils import timezone

    now = timezone.now()
    due = rng.sample(range(1, total + 1), DUE)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE compliance_sladeadline SET state = 'pending', attempts = 0, lease_until = NULL, "
                       "wake_at = %s WHERE state <> 'pending' OR wake_at <= %s",
                       [now + timedelta(hours=2), now])
        cursor.execute("UPDATE compliance_sladeadline SET wake_at = %s WHERE id = ANY(%s)",
                       [now - timedelta(seconds=5), due])
        cursor.execute("ANALYZE compliance_sladeadline")


def _claims(total: int, rng: random.Random) -> list[float]:
    from django.utils import timezone

    from compliance.services.sla_sweep import _claim

    runs = []
    for _ in range(RUNS):
        _make_due(total, rng)
        started = time.perf_counter()
        claimed, _failed = _claim(timezone.now(), DUE)
        runs.append(round((time.perf_counter() - started) * 1000, 1))
        if len(claimed) != DUE:
            raise BenchError(f"claimed {len(claimed)} of {DUE} due deadlines")
    return runs


def _enqueue(rng: random.Random) -> dict[str, Any]:
    import redis
    from django.conf import settings

    from compliance.tasks import enqueue_deadlines

    client = redis.Redis.from_url(BROKER)
    try:
        client.ping()
    except redis.RedisError as exc:
        raise BenchError(f"Redis is not reachable at {BROKER} ({exc}); the enqueue figure needs it") from None
    batch, runs = settings.SLA_ENQUEUE_BATCH, []
    ids = rng.sample(range(1, 10_000), DUE)
    for _ in range(RUNS):
        started = time.perf_counter()
        for start in range(0, DUE, batch):
            enqueue_deadlines(ids[start:start + batch])
        runs.append(round((time.perf_counter() - started) * 1000, 1))
        client.delete("sla")  # nothing consumes the bench's queue
    return {"batch": batch, "messages": -(-DUE // batch), "runs_ms": runs, "median_ms": statistics.median(runs)}


def worker(argv: list[str]) -> dict[str, Any]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)
    rng, loaded, claims = random.Random(2026), 0, []
    for size in sorted(int(s) for s in args.sizes.split(",")):
        loading = _load(size, loaded, progress=not args.no_progress)
        loaded = size
        runs = _claims(size, rng)
        claims.append({"open": size, "runs_ms": runs, "median_ms": statistics.median(runs),
                       "loading_seconds": loading})
    return {"claims": claims, "enqueue": _enqueue(rng)}


if __name__ == "__main__":
    raise SystemExit(worker_main(worker))
