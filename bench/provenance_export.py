"""provenance_export: the CSV provenance export of 1,200,000 rows (1M articles, 200k assets) on
PostgreSQL, beside PostgreSQL's own `COPY (SELECT the same columns) TO STDOUT` in the same run.

`run` (called by bench/run.py) makes a fresh database and migrates it, then runs this file as a
worker twice: once to load the articles and assets (bench/article_rows.py) and 10,000 notices
with one match and one withdrawal decision each, by COPY (not timed); then, in a fresh process so
that its peak memory is the export's, to time, each written to a file:

- the baseline: `COPY (<the export's SELECT>) TO STDOUT` in text format, the same joins and columns
  without the neutralisation, so PostgreSQL's own rate for the same rows; run before and after the
  export, the faster of the two counting;
- the export: `compliance.exports.provenance_stream.chunks("csv", ...)`, what the command and the
  API stream (COPY in CSV format with the cells neutralised in SQL, gathered into 64 KiB chunks);
- the JSON export (the Python path, rows built from keyset-paged queries), informational.

Checked: the export has a header and one line per row; the peak RSS of the export process.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from datetime import timedelta
from typing import Any

from common import (AT_LEAST, AT_MOST, BENCH, BenchError, Context, Result, copy_rows, count_label, expect,
                    migrated_database, run_worker, worker_main)

NAME = "provenance_export"
BENCH_DB = "provenance_bench_export"
ARTICLES, QUICK_ARTICLES = 1_000_000, 100_000
NOTICES = 10_000
GOAL_RATIO, GOAL_RSS_MB = 0.3, 200.0
JSON_SAMPLE_ROWS = 100_000


def run(context: Context) -> tuple[list[Result], str]:
    articles = QUICK_ARTICLES if context.quick else ARTICLES
    url, database = migrated_database(BENCH_DB, context)
    context.stage("load")
    loaded = run_worker(BENCH / "provenance_export.py", ["--load", "--articles", str(articles)], url=url,
                        progress=context.progress)
    context.stage("export")
    answer = run_worker(BENCH / "provenance_export.py", ["--export"], url=url, progress=context.progress)
    return results(answer, loaded), database


def results(answer: dict[str, Any], loaded: dict[str, Any]) -> list[Result]:
    rows, base, csv, json_ = answer["rows"], answer["baseline"], answer["csv"], answer["json"]
    label = f"{count_label(rows)} provenance rows"
    common = {"load_average": answer["load_average"], "loading": loaded}
    return [
        Result(f"{label}, PostgreSQL COPY (SELECT same columns) TO STDOUT (baseline)", None,
               round(rows / base["seconds"]), "rows/s", {**base, **common}),
        Result(f"{label}, export --format csv (COPY, neutralised)", None, round(rows / csv["seconds"]), "rows/s",
               {**csv, **common}),
        Result(f"{label}, csv export rate / COPY baseline rate", GOAL_RATIO,
               round(base["seconds"] / csv["seconds"], 2), "x", common),
        Result(f"{label}, peak RSS of the exporting process", GOAL_RSS_MB, answer["peak_rss_mb"], "MB", common,
               goal_kind=AT_MOST),
        Result(f"{label}, export --format json, first {json_['lines']:,} rows (Python path, informational)", None,
               round(json_["lines"] / json_["seconds"]), "rows/s", {**json_, **common}, goal_kind=AT_LEAST),
    ]


# --- the worker: loading ------------------------------------------------------------------------

def _load(articles: int, progress: bool) -> dict[str, Any]:
    from django.db import connection
    from django.utils import timezone

    from article_rows import Synthetic, load

    loaded = load(Synthetic(articles), progress=progress)
    started, now = time.perf_counter(), timezone.now()
    step = max(articles // NOTICES, 1)
    notices = range(min(NOTICES, articles))
    with connection.cursor() as cursor:
        copy_rows(cursor, "compliance_notice", (
            {"id": n + 1, "reference": f"TD-2026-E{n:07d}", "status_token_digest": f"{n:064d}", "channel": "api",
             "claimant_name": "Bench Claimant", "claimant_email": f"claimant{n}@example.test",
             "claimant_email_digest": "0" * 64, "items_fingerprint": "0" * 64, "received_at": now,
             "clock_started_at": now, "due_at": now + timedelta(hours=24), "status": "decided",
             "missing_elements": _jsonb([])} for n in notices), total=len(notices), unit="notices",
            progress=progress)
        copy_rows(cursor, "compliance_noticeitem", (
            {"id": n + 1, "notice_id": n + 1, "position": 0, "url": f"https://example.test/{n}",
             "normalised_url": f"https://example.test/{n}", "url_key": f"{n:064d}", "state": "actioned",
             "decided_at": now} for n in notices), total=len(notices), unit="items", progress=progress)
        copy_rows(cursor, "compliance_noticeitemmatch", (
            {"id": n + 1, "item_id": n + 1, "article_id": n * step + 1, "how": "exact_url",
             "evidence_sha256": "0" * 64, "evidence": _jsonb({}), "state": "actioned", "puid": f"bench-{n}",
             "created_at": now, "decided_at": now} for n in notices), total=len(notices), unit="matches",
            progress=progress)
        copy_rows(cursor, "compliance_decision", (
            {"id": n + 1, "notice_id": n + 1, "item_id": n + 1, "match_id": n + 1, "action": "withdraw",
             "actor": "user:1", "decided_at": now, "decision_visibility": _jsonb([]),
             "territorial_scope": _jsonb([]), "explanation": "bench"} for n in notices),
            total=len(notices), unit="decisions", progress=progress)
        cursor.execute("VACUUM ANALYZE compliance_notice, compliance_noticeitem, compliance_noticeitemmatch, "
                       "compliance_decision")
    return {**loaded, "notices": len(notices), "notices_seconds": round(time.perf_counter() - started, 1)}


def _jsonb(value: Any) -> Any:
    from psycopg.types.json import Jsonb

    return Jsonb(value)


# --- the worker: exporting ----------------------------------------------------------------------

def _timed(write) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(prefix="provenance-export-", suffix=".out", delete=False) as file:
        path = file.name
    try:
        cpu, started = time.process_time(), time.perf_counter()
        with open(path, "wb") as out:
            lines = write(out)
        elapsed = time.perf_counter() - started
        return {"seconds": round(elapsed, 2), "cpu_seconds_python": round(time.process_time() - cpu, 2),
                "bytes": os.path.getsize(path), "lines": lines}
    finally:
        os.unlink(path)


def _baseline(out) -> int:
    from django.db import connection

    from compliance.exports.provenance import ExportFilter
    from compliance.exports.provenance_copy import article_select, asset_select

    lines = 0
    with connection.cursor() as cursor:
        for select, params in (article_select(ExportFilter(), False), asset_select(ExportFilter(), False)):
            with cursor.cursor.copy(connection.ops.compose_sql(f"COPY ({select}) TO STDOUT", params)) as copy:
                for block in copy:
                    out.write(block)
                    lines += 1
    return lines


def _export(fmt: str, *, stop_after: int | None = None):
    from compliance.exports.provenance import ExportFilter
    from compliance.exports.provenance_stream import chunks

    def write(out) -> int:
        rows = 0
        for chunk in chunks(fmt, ExportFilter(), personal_data=False):
            out.write(chunk.data)
            rows += chunk.rows
            if stop_after and rows >= stop_after:
                break
        return rows
    return write


def worker(argv: list[str]) -> dict[str, Any]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--load", action="store_true")
    parser.add_argument("--export", action="store_true")
    parser.add_argument("--articles", type=int, default=ARTICLES)
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)
    if args.load:
        return _load(args.articles, progress=not args.no_progress)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT (SELECT count(*) FROM articles_article) + (SELECT count(*) FROM articles_asset)")
        rows = cursor.fetchone()[0]
    load_average = round(os.getloadavg()[0], 2)
    # The baseline runs before and after the export, and the faster counts: the export is never
    # compared with a cold first pass over the tables.
    before = _timed(_baseline)
    csv = _timed(_export("csv"))
    after = _timed(_baseline)
    baseline = {**min(before, after, key=lambda run: run["seconds"]), "runs_seconds": [before["seconds"],
                                                                                      after["seconds"]]}
    expect("rows in the csv export", csv["lines"], rows)
    expect("rows in the baseline", baseline["lines"], rows)
    peak = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    # The Python path's rate, on a sample: all 1.2M rows would take a third of make bench's 10 minutes.
    json_ = _timed(_export("json", stop_after=JSON_SAMPLE_ROWS))
    expect("at least the sample in the json export", json_["lines"] >= min(rows, JSON_SAMPLE_ROWS), True)
    if rows == 0:
        raise BenchError("nothing was loaded")
    return {"rows": rows, "baseline": baseline, "csv": csv, "json": json_, "peak_rss_mb": peak,
            "peak_rss_mb_after_json": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "load_average": load_average}


if __name__ == "__main__":
    raise SystemExit(worker_main(worker))
