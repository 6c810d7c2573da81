"""staydown: the publish gate against 1,000,000 stored fingerprints (p99 per article), bulk
import with the gate on, and recall and precision of the hold decision on known copies."""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import datetime, timezone
from typing import Any

from common import (AT_MOST, BENCH, BenchError, Context, Result, count_label, drop_indexes, migrated_database,
                    run_worker, worker_main)

NAME = "staydown"
BENCH_DB = "provenance_bench_staydown"
STORE, QUICK_STORE = 1_000_000, 100_000
ORIGINALS = 1_200  # imported, then withdrawn: the content that must stay down
CASES = 2_400  # new articles made from them: 4 kinds of copy, 4 kinds of look-alike (300 of each)
IMPORT, QUICK_IMPORT = 20_000, 5_000
P99_GOAL_MS, IMPORT_GOAL, RECALL_GOAL, PRECISION_GOAL = 50.0, 1000.0, 0.95, 0.99


def run(context: Context) -> tuple[list[Result], str]:
    store = QUICK_STORE if context.quick else STORE
    url, database = migrated_database(BENCH_DB, context)
    context.stage("load, gate, import")
    answer = run_worker(BENCH / "staydown.py", ["--store", str(store),
                                                 "--import", str(QUICK_IMPORT if context.quick else IMPORT)],
                        url=url, progress=context.progress)
    return results(answer), database


def results(answer: dict[str, Any]) -> list[Result]:
    gate, quality, imported = answer["gate"], answer["quality"], answer["import"]
    store = count_label(answer["store"]["fingerprints"])
    return [
        Result(f"stay-down gate per article, {store} stored fingerprints (p99 of {gate['calls']})", P99_GOAL_MS,
               gate["p99_ms"], "ms", {**gate, "store": answer["store"]}, goal_kind=AT_MOST),
        Result(f"bulk import (import_lines) with the gate on, {count_label(imported['articles'])} new articles, "
               f"{store} stored fingerprints", IMPORT_GOAL, imported["rate"], "articles/s", imported),
        Result(f"hold decision recall, {quality['copies']} known copies (edited, excerpt, reordered, translated)",
               RECALL_GOAL, quality["recall"], "", quality),
        Result(f"hold decision precision, {quality['copies']} copies and {quality['others']} look-alikes "
               f"(same topic, a quoted sentence, half copied, rewritten)",
               PRECISION_GOAL, quality["precision"], "", {"held": quality["held"], "suggested": quality["suggested"]}),
    ]


# --- the worker -------------------------------------------------------------------------

def _import(records: list[dict]) -> tuple[float, Any]:
    from articles.services.importer import import_lines

    lines = [(n, json.dumps(r)) for n, r in enumerate(records, 1)]
    started = time.perf_counter()
    report = import_lines(iter(lines), actor="bench:staydown")
    return time.perf_counter() - started, report


def _load_store(total: int, progress: bool) -> dict[str, Any]:
    """`total` synthetic articles with synthetic fingerprints (random keys, as many per article as a
    real one has), written by the server itself; then the indexes, ANALYZE and a CHECKPOINT."""
    from django.db import connection

    from articles.fingerprints import BANDS
    from articles.models import Article, LshBand

    keys_per_article = BANDS + 4  # the bands and about four paragraphs
    started = time.perf_counter()
    article, band = Article._meta.db_table, LshBand._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        rebuild = drop_indexes(cursor, article) + drop_indexes(cursor, band) + _drop_primary_key(cursor, band)
        cursor.execute(
            f"INSERT INTO {article} (slug, title, body, language, basis, license, credit_text, primary_source_url_raw, "
            f"primary_source_url_canonical, primary_source_url_final, primary_source_url, primary_source_key, "
            f"lookup_key, translated_from, translation_engine, status, status_reason, content_sha256, published_at, "
            f"withdrawal_reference, created_at, updated_at) "
            f"SELECT 'store-' || i, 'Stored ' || i, 'stored article ' || i, 'en', 'unknown', '', '', '', '', '', '', "
            f"'', md5(i::text) || md5(i::text), '', '', CASE WHEN i %% 100 = 0 THEN 'withdrawn' ELSE 'published' END, "
            f"'', md5(i::text) || md5(i::text), now(), '', now(), now() FROM generate_series(1, %s) AS i", [total])
        cursor.execute(f"INSERT INTO {band} (article_id, key) SELECT a.id, ((random() - 0.5) * 1.8e19)::bigint "
                       f"FROM {article} a, generate_series(1, %s) WHERE a.slug LIKE 'store-%%'", [keys_per_article])
        loaded = time.perf_counter() - started
        for statement in rebuild:
            cursor.execute(statement)
        cursor.execute(f"VACUUM ANALYZE {article}")
        cursor.execute(f"VACUUM ANALYZE {band}")
        cursor.execute("CHECKPOINT")
        cursor.execute(f"SELECT count(*) FROM {band}")
        (keys,) = cursor.fetchone()
    return {"fingerprints": total, "keys": keys, "keys_per_article": keys_per_article,
            "insert_seconds": round(loaded, 1), "seconds": round(time.perf_counter() - started, 1)}


def _drop_primary_key(cursor: Any, table: str) -> list[str]:
    """The key's composite primary key too (common.drop_indexes keeps primary keys): 25M rows."""
    cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                   "WHERE conrelid = %s::regclass AND contype = 'p'", [table])
    (name, definition), = cursor.fetchall()
    cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    return [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}']


def _cases(count: int) -> tuple[list[dict], list[tuple[dict, str, bool]]]:
    from articles.synthetic import generate_records, stay_down_case

    originals = list(generate_records(ORIGINALS, seed=77, offset=5_000_000))
    start = datetime(2023, 1, 1, tzinfo=timezone.utc)
    cases = [stay_down_case(i, originals[i % len(originals)], random.Random(9_000 + i), start) for i in range(count)]
    return originals, cases


def _gate_each(cases: list[tuple[dict, str, bool]]) -> tuple[list[float], list[bool], list[bool]]:
    """Each case through the gate alone, as ingest_article asks it: its latency and whether it held."""
    from articles.importing.records import parse_record
    from articles.models import SourceDomain
    from articles.publishing import GateRequest, ask_gate
    from articles.urlnorm import bare_host

    sources = dict(SourceDomain.objects.values_list("host", "source_id"))
    latencies, held, suggested = [], [], []
    for record, _, _ in cases:
        parsed = parse_record(record, raw_line=json.dumps(record))
        source_id = sources.get(bare_host(parsed.source_host))
        request = GateRequest(title=parsed.title, body=parsed.body, language=parsed.language, source_id=source_id,
                              primary_source_key=parsed.primary.key,
                              asset_url_keys=tuple(a.url_key for a in parsed.assets))
        started = time.perf_counter()
        verdict = ask_gate(request)  # the fingerprint is computed inside, as part of the cost
        latencies.append((time.perf_counter() - started) * 1000)
        held.append(not verdict.publish)
        suggested.append(verdict.publish and bool(verdict.resemblances))
    return latencies, held, suggested


def _quality(cases: list[tuple[dict, str, bool]], held: list[bool], suggested: list[bool]) -> dict[str, Any]:
    copies = sum(1 for _, _, copy in cases if copy)
    true_holds = sum(1 for (_, _, copy), h in zip(cases, held) if copy and h)
    holds = sum(held)
    by_kind: dict[str, list[int]] = {}
    for (_, kind, _), h in zip(cases, held):
        by_kind.setdefault(kind, [0, 0])
        by_kind[kind][0] += 1
        by_kind[kind][1] += int(h)
    return {"copies": copies, "others": len(cases) - copies, "held": holds, "suggested": sum(suggested),
            "recall": round(true_holds / copies, 4), "precision": round(true_holds / holds, 4) if holds else 0.0,
            "held_by_kind": {kind: f"{h}/{n}" for kind, (n, h) in by_kind.items()}}


def worker(argv: list[str]) -> dict[str, Any]:
    from django.db.models import Q

    from articles.models import Article
    from articles.synthetic import generate_records

    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--store", type=int, default=STORE)
    parser.add_argument("--import", dest="imported", type=int, default=IMPORT)
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)
    progress = not args.no_progress
    print("staydown: loading the fingerprint store", file=sys.stderr)
    store = _load_store(args.store, progress)
    originals, cases = _cases(CASES)
    _, report = _import(originals)
    if report.created != ORIGINALS or report.errors:
        raise BenchError(f"importing the originals: {report.created} created, errors {report.errors[:2]}")
    Article.objects.filter(~Q(slug__startswith="store-")).update(status=Article.Status.WITHDRAWN)
    print("staydown: the gate, case by case", file=sys.stderr)
    _gate_each(cases[:50])  # warm: the connection, the caches
    gate_load = os.getloadavg()[0]
    latencies, held, suggested = _gate_each(cases)
    ordered = sorted(latencies)
    gate = {"calls": len(latencies), "p50_ms": round(statistics.median(latencies), 2),
            "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1], 2), "max_ms": round(ordered[-1], 2),
            "load_average": round(gate_load, 2)}
    print("staydown: bulk import with the gate on", file=sys.stderr)
    fresh = list(generate_records(args.imported, seed=31, offset=7_000_000))
    import_load = os.getloadavg()[0]
    seconds, report = _import(fresh)
    if report.created != args.imported or report.errors:
        raise BenchError(f"bulk import: {report.created} of {args.imported} created, errors {report.errors[:2]}")
    imported = {"articles": args.imported, "seconds": round(seconds, 1), "rate": round(args.imported / seconds),
                "held": report.held, "load_average": round(import_load, 2)}
    return {"store": store, "gate": gate, "quality": _quality(cases, held, suggested), "import": imported}


if __name__ == "__main__":
    raise SystemExit(worker_main(worker))
