"""import: `manage.py import_articles` of synthetic articles on PostgreSQL, first import and re-import, into an
empty database and into one already holding 1M articles with their fingerprints; wall time and CPU per article."""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from pathlib import Path

from common import (BENCH, PYTHON, ROOT, BenchError, Context, Result, Run, connect, count_label, database_version,
                    drop_indexes, expect, fresh_database, is_postgres, manage)

NAME = "import"
BENCH_DB = "provenance_bench"
STORED_DB = "provenance_bench_stored"  # the one already holding STORED articles
IMPORT_GOAL, UNCHANGED_GOAL = 5000.0, 15000.0
QUICK_COUNT = 10_000
STORED, QUICK_STORED = 1_000_000, 100_000
WITHDRAWN_EVERY = 100  # of the stored articles: the stay-down gate has withdrawn text to compare with
KEYS_PER_ARTICLE = 25  # stored fingerprint keys: 21 bands and about four paragraphs


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
    results = import_twice(url, relative, count, expected, context, stored=0)
    if os.environ.get("DATABASE_URL"):
        return results, database  # the 1M-article database is the benchmark's own, never DATABASE_URL's
    stored = QUICK_STORED if context.quick else STORED
    context.stage(f"load {count_label(stored)} stored articles")
    stored_url = fresh_database(STORED_DB)
    manage(stored_url, "migrate", "--noinput")
    loaded = load_stored(stored_url, stored)
    base = row_counts(stored_url)
    results += import_twice(stored_url, relative, count, expected, context, stored=stored, base=base, loaded=loaded)
    return results, database


def import_twice(url: str, path: Path, count: int, expected: dict[str, int], context: Context, *, stored: int,
                 base: dict[str, int] | None = None, loaded: dict | None = None) -> list[Result]:
    """The timed first import and re-import of `path`, checked against the rows it must add."""
    base = base or {name: 0 for name in expected}
    where = f", {count_label(stored)} stored" if stored else ""
    context.stage(f"first import{where}")
    first = timed_import(url, path)
    expect("first import", {k: first[1][k] for k in ("created", "errors")}, {"created": count, "errors": 0})
    counts = row_counts(url)
    expect("rows after the first import", counts, {name: base[name] + expected[name] for name in expected})
    context.stage(f"re-import{where}")
    second = timed_import(url, path)
    expect("articles unchanged by the re-import", second[1]["unchanged"], count)
    expect("rows after the re-import", row_counts(url), counts)
    return import_results(count, path, first, second, counts, stored=stored, loaded=loaded)


def load_stored(url: str, total: int) -> dict:
    """`total` articles, written by the server itself (not timed), as a database in service holds them: each
    with its fingerprint keys (random), and its fetched, extracted and published events; one in
    WITHDRAWN_EVERY withdrawn. Indexes dropped meanwhile and rebuilt, then VACUUM ANALYZE and a CHECKPOINT."""
    started = time.perf_counter()
    tables = ("articles_article", "articles_lshband", "articles_provenanceevent")
    with connect(url) as conn, conn.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        rebuild = [statement for table in tables for statement in drop_indexes(cursor, table)]
        cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE conrelid = 'articles_lshband'::regclass AND contype = 'p'")
        (key_name, key_definition), = cursor.fetchall()  # 25M rows: the primary key is rebuilt too
        cursor.execute(f'ALTER TABLE articles_lshband DROP CONSTRAINT "{key_name}"')
        rebuild.append(f'ALTER TABLE articles_lshband ADD CONSTRAINT "{key_name}" {key_definition}')
        cursor.execute(
            "INSERT INTO articles_article (slug, title, body, language, basis, license, credit_text, "
            "primary_source_url_raw, primary_source_url_canonical, primary_source_url_final, primary_source_url, "
            "primary_source_key, lookup_key, translated_from, translation_engine, status, status_reason, "
            "content_sha256, published_at, withdrawal_reference, created_at, updated_at) "
            "SELECT 'stored-' || i, 'Stored ' || i, 'stored article ' || i, 'en', 'unknown', '', '', "
            "'https://stored.example/' || i, '', 'https://stored.example/' || i, 'https://stored.example/' || i, "
            "md5('k' || i) || md5('l' || i), md5('k' || i) || md5('l' || i), '', '', "
            "CASE WHEN i %% %s = 0 THEN 'withdrawn' ELSE 'published' END, '', md5('c' || i) || md5('d' || i), "
            "now(), '', now(), now() FROM generate_series(1, %s) AS i", [WITHDRAWN_EVERY, total])
        cursor.execute("INSERT INTO articles_lshband (article_id, key) SELECT a.id, "
                       "((random() - 0.5) * 1.8e19)::bigint FROM articles_article a, generate_series(1, %s)",
                       [KEYS_PER_ARTICLE])
        cursor.execute(
            "INSERT INTO articles_provenanceevent (article_id, kind, actor, occurred_at, input_sha256, "
            "output_sha256, detail) SELECT a.id, e.kind, 'bench:stored', now(), "
            "CASE WHEN e.kind = 'fetched' THEN '' ELSE md5('i' || a.id) || md5('j' || a.id) END, "
            "a.content_sha256, '{}'::jsonb FROM articles_article a, "
            "(VALUES ('fetched'), ('extracted'), ('published')) AS e(kind)")
        inserted = time.perf_counter() - started
        for statement in rebuild:
            cursor.execute(statement)
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute("CHECKPOINT")
    return {"articles": total, "keys_per_article": KEYS_PER_ARTICLE, "events_per_article": 3,
            "insert_seconds": round(inserted, 1), "seconds": round(time.perf_counter() - started, 1)}


def timed_import(url: str, path: Path) -> tuple[Run, dict[str, int]]:
    run = manage(url, "import_articles", str(path), "--no-progress")
    return run, parse_report(run.stdout)


def import_results(count: int, path: Path, first: tuple[Run, dict], second: tuple[Run, dict],
                   counts: dict[str, int], *, stored: int = 0, loaded: dict | None = None) -> list[Result]:
    label = count_label(count)
    timed = f"manage.py import_articles {path} --no-progress"
    into = f", into {count_label(stored)} stored articles with their fingerprints" if stored else ""
    extra = {"stored": loaded} if loaded else {}
    return [
        Result(f"import_articles, {label} new articles{into}", IMPORT_GOAL, round(count / first[0].seconds, 1),
               "articles/s", {**run_details(first, count), "rows": counts, "timed_command": timed, **extra}),
        Result(f"import_articles, {label} re-imported unchanged{into}", UNCHANGED_GOAL,
               round(count / second[0].seconds, 1),
               "articles/s", {**run_details(second, count), "timed_command": timed}),
    ]


def run_details(timed: tuple[Run, dict], count: int) -> dict:
    """Wall and CPU time: the CPU of the import process and its parser process (user + sys, including
    Django's start, about 2 s) per article survives a busy machine better than the wall time."""
    run, report = timed
    details = {"seconds": round(run.seconds, 2), "cpu_seconds_of_import_process": round(run.cpu_seconds, 2),
               "cpu_ms_per_article": round(run.cpu_seconds * 1000 / count, 3),
               "load_average_1m_before": round(run.load_average, 2), "report": report}
    if run.database_cpu_seconds is not None:
        details |= {"cpu_seconds_of_postgresql": round(run.database_cpu_seconds, 2),
                    "postgresql_cpu_ms_per_article": round(run.database_cpu_seconds * 1000 / count, 3)}
    return details
