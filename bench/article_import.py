"""import: `manage.py import_articles` of synthetic articles on PostgreSQL, first import and re-import."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

from common import (BENCH, PYTHON, ROOT, BenchError, Context, Result, Run, connect, count_label, database_version,
                    expect, fresh_database, is_postgres, manage)

NAME = "import"
BENCH_DB = "provenance_bench"
IMPORT_GOAL = 5000.0
QUICK_COUNT = 10_000


def bench_database() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        if not is_postgres(url):
            raise BenchError("the import benchmark needs PostgreSQL; DATABASE_URL names another database")
        return url
    return fresh_database(BENCH_DB)


def row_counts(url: str) -> dict[str, int]:
    tables = {"articles": "articles_article", "assets": "articles_asset",
              "provenance_events": "articles_provenanceevent"}
    with connect(url) as conn:
        return {name: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for name, table in tables.items()}


def data_file(count: int, *, url: str, progress: bool) -> Path:
    path = BENCH / "data" / f"articles-{count_label(count)}.jsonl"
    if not path.exists() or line_count(path) != count:
        command = [PYTHON, str(BENCH / "generate.py"), "--count", str(count), "--out", str(path)]
        done = subprocess.run(command + ([] if progress else ["--no-progress"]), cwd=ROOT,
                              env={**os.environ, "DATABASE_URL": url}, stdout=subprocess.DEVNULL)
        if done.returncode != 0:
            raise BenchError(f"bench/generate.py failed ({done.returncode})")
    return path


def line_count(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


def expected_rows(path: Path) -> dict[str, int]:
    """What a first import of the file must create: one article per line, each asset, and the
    fetched, extracted, (translated,) published-or-held events."""
    rows = {"articles": 0, "assets": 0, "provenance_events": 0}
    with path.open("rb") as handle:
        for line in handle:
            record = json.loads(line)
            rows["articles"] += 1
            rows["assets"] += len(record.get("assets") or [])
            rows["provenance_events"] += 4 if record.get("translated_from") else 3
    return rows


REPORT_LINE = re.compile(r"(\d+) created, (\d+) updated, (\d+) unchanged, (\d+) held by the publish gate, (\d+) errors")


def parse_report(stdout: str) -> dict[str, int]:
    found = REPORT_LINE.search(stdout)
    if not found:
        raise BenchError(f"import_articles printed no report: {stdout.strip()[-200:]!r}")
    return dict(zip(("created", "updated", "unchanged", "held", "errors"), map(int, found.groups())))


def run(context: Context) -> tuple[list[Result], str]:
    count = QUICK_COUNT if context.quick else context.count
    context.stage("database")
    url = bench_database()
    database = database_version(url)
    context.stage("migrate")
    manage(url, "migrate", "--noinput")
    expect("articles before the import", row_counts(url)["articles"], 0)
    context.stage("data")
    path = data_file(count, url=url, progress=context.progress)
    relative = path.relative_to(ROOT)
    expected = expected_rows(path)
    context.stage("first import")
    first = timed_import(url, relative)
    expect("first import", {k: first[1][k] for k in ("created", "errors")}, {"created": count, "errors": 0})
    counts = row_counts(url)
    expect("rows after the first import", counts, expected)
    context.stage("re-import")
    second = timed_import(url, relative)
    expect("articles unchanged by the re-import", second[1]["unchanged"], count)
    expect("rows after the re-import", row_counts(url), expected)
    return import_results(count, relative, first, second, counts), database


def timed_import(url: str, path: Path) -> tuple[Run, dict[str, int]]:
    run = manage(url, "import_articles", str(path), "--no-progress")
    return run, parse_report(run.stdout)


def import_results(count: int, path: Path, first: tuple[Run, dict], second: tuple[Run, dict],
                   counts: dict[str, int]) -> list[Result]:
    label = count_label(count)
    timed = f"manage.py import_articles {path} --no-progress"
    return [
        Result(f"import_articles, {label} new articles", IMPORT_GOAL, round(count / first[0].seconds, 1),
               "articles/s", {**run_details(first), "rows": counts, "timed_command": timed}),
        Result(f"import_articles, {label} re-imported unchanged", IMPORT_GOAL,
               round(count / second[0].seconds, 1),
               "articles/s", {**run_details(second), "timed_command": timed}),
    ]


def run_details(timed: tuple[Run, dict]) -> dict:
    run, report = timed
    return {"seconds": round(run.seconds, 2), "cpu_seconds_of_import_process": round(run.cpu_seconds, 2),
            "load_average_1m_before": round(run.load_average, 2), "report": report}
