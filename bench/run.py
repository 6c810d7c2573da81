"""Run the project's benchmarks; each prints a result line and records it in bench/results/<name>.json.

    python bench/run.py                  # every benchmark (what `make bench` runs)
    python bench/run.py --only import    # one of them
    python bench/run.py --quick          # smaller inputs, for development
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shlex
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit, urlunsplit

from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
PYTHON = sys.executable
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
BENCH_DB = "provenance_bench"
IMPORT_GOAL = 5000.0
QUICK_COUNT = 10_000


class BenchError(RuntimeError):
    """A benchmark could not run or its result is wrong; the message is one line."""


@dataclass
class Result:
    figure: str
    goal: float | None
    measured: float
    unit: str
    details: dict = field(default_factory=dict)

    @property
    def met(self) -> bool:
        return self.goal is None or self.measured >= self.goal

    def line(self) -> str:
        goal = f"goal >= {self.goal:,.0f}" if self.goal is not None else "no goal"
        verdict = "ok" if self.met else "BELOW GOAL"
        took = f" in {self.details['seconds']} s" if "seconds" in self.details else ""
        return f"{self.figure}: {self.measured:,.0f} {self.unit}{took} ({goal}: {verdict})"


@dataclass
class Context:
    count: int
    command: str
    progress: bool
    stage: Callable[[str], None] = lambda _: None


# --- the machine, the database, the record ------------------------------------------------

def machine() -> dict:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return {
        "description": f"{cpu_model()}, {os.cpu_count()} cores, {memory / 2**30:.0f} GiB RAM, "
                       f"{platform.system()} {platform.release()}, Python {platform.python_version()}",
        "cpu": cpu_model(), "cores": os.cpu_count(), "memory_bytes": memory,
        "platform": platform.platform(), "python": platform.python_version(), "node": platform.node(),
    }


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def record(name: str, results: list[Result], *, context: Context, database: str) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    host, date = machine(), datetime.now(timezone.utc).isoformat(timespec="seconds")
    fresh = [{**asdict(r), "machine": host, "date": date, "command": context.command, "database": database}
             for r in results]
    replaced = {(r["figure"], r["machine"]["description"]) for r in fresh}
    kept = [r for r in load_results(path) if (r["figure"], r["machine"]["description"]) not in replaced]
    partial = path.with_suffix(".json.tmp")
    partial.write_text(json.dumps({"benchmark": name, "results": kept + fresh}, indent=2) + "\n")
    partial.replace(path)
    return path


def load_results(path: Path) -> list[dict]:
    try:
        return json.loads(path.read_text())["results"]
    except (OSError, ValueError, KeyError):
        return []


# --- PostgreSQL ------------------------------------------------------------------------

def connect(url: str):
    import psycopg

    parts = urlsplit(url)
    try:
        return psycopg.connect(conninfo_of(parts), autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        where = f"{parts.hostname or 'localhost'}:{parts.port or 5432}"
        reason = str(exc).strip().splitlines()[0].strip() if str(exc).strip() else type(exc).__name__
        raise BenchError(f"PostgreSQL is not reachable at {where} ({reason}); "
                         f"the import benchmark needs it (or set DATABASE_URL)") from None


def conninfo_of(parts) -> str:
    fields = {"host": parts.hostname, "port": parts.port, "user": parts.username, "password": parts.password,
              "dbname": parts.path.lstrip("/") or None}
    return " ".join(f"{key}={value}" for key, value in fields.items() if value)


def bench_database() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        if urlsplit(url).scheme not in {"postgres", "postgresql", "pgsql"}:
            raise BenchError("the import benchmark needs PostgreSQL; DATABASE_URL names another database")
        return url
    with connect(ADMIN_URL) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    return urlunsplit(urlsplit(ADMIN_URL)._replace(path=f"/{BENCH_DB}"))


def database_version(url: str) -> str:
    with connect(url) as conn:
        return "PostgreSQL " + conn.execute("SHOW server_version").fetchone()[0]


def row_counts(url: str) -> dict[str, int]:
    tables = {"articles": "articles_article", "assets": "articles_asset",
              "provenance_events": "articles_provenanceevent"}
    with connect(url) as conn:
        return {name: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for name, table in tables.items()}


# --- the import benchmark ----------------------------------------------------------------

@dataclass
class Run:
    seconds: float
    cpu_seconds: float
    load_average: float
    stdout: str


def manage(url: str, *args: str) -> Run:
    env = {**os.environ, "DATABASE_URL": url}
    load, cpu, started = os.getloadavg()[0], children_cpu(), time.perf_counter()
    done = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        tail = (done.stderr.strip() or done.stdout.strip()).splitlines()[-1:] or ["no output"]
        raise BenchError(f"manage.py {args[0]} failed ({done.returncode}): {tail[0]}")
    return Run(elapsed, children_cpu() - cpu, load, done.stdout)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def count_label(count: int) -> str:
    return f"{count // 1000}k" if count % 1000 == 0 else str(count)


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


def expect(what: str, actual: object, wanted: object) -> None:
    if actual != wanted:
        raise BenchError(f"{what}: expected {wanted}, got {actual}")


def bench_import(context: Context) -> tuple[list[Result], str]:
    context.stage("database")
    url = bench_database()
    database = database_version(url)
    context.stage("migrate")
    manage(url, "migrate", "--noinput")
    expect("articles before the import", row_counts(url)["articles"], 0)
    context.stage("data")
    path = data_file(context.count, url=url, progress=context.progress)
    relative = path.relative_to(ROOT)
    expected = expected_rows(path)
    context.stage("first import")
    first = timed_import(url, relative)
    expect("first import", {k: first[1][k] for k in ("created", "errors")}, {"created": context.count, "errors": 0})
    counts = row_counts(url)
    expect("rows after the first import", counts, expected)
    context.stage("re-import")
    second = timed_import(url, relative)
    expect("articles unchanged by the re-import", second[1]["unchanged"], context.count)
    expect("rows after the re-import", row_counts(url), expected)
    return import_results(context, relative, first, second, counts), database


def timed_import(url: str, path: Path) -> tuple[Run, dict[str, int]]:
    run = manage(url, "import_articles", str(path), "--no-progress")
    return run, parse_report(run.stdout)


def import_results(context: Context, path: Path, first: tuple[Run, dict], second: tuple[Run, dict],
                   counts: dict[str, int]) -> list[Result]:
    label = count_label(context.count)
    timed = f"manage.py import_articles {path} --no-progress"
    return [
        Result(f"import_articles, {label} new articles", IMPORT_GOAL, round(context.count / first[0].seconds, 1),
               "articles/s", {**run_details(first), "rows": counts, "timed_command": timed}),
        Result(f"import_articles, {label} re-imported unchanged", IMPORT_GOAL,
               round(context.count / second[0].seconds, 1),
               "articles/s", {**run_details(second), "timed_command": timed}),
    ]


def run_details(timed: tuple[Run, dict]) -> dict:
    run, report = timed
    return {"seconds": round(run.seconds, 2), "cpu_seconds_of_import_process": round(run.cpu_seconds, 2),
            "load_average_1m_before": round(run.load_average, 2), "report": report}


# --- running them ------------------------------------------------------------------------

BENCHMARKS: dict[str, Callable[[Context], tuple[list[Result], str]]] = {"import": bench_import}


def run(names: list[str], context: Context) -> bool:
    all_met = True
    bar = tqdm(names, unit=" benchmark", desc="bench", disable=not context.progress, file=sys.stderr)
    for name in bar:
        context.stage = lambda stage, name=name: bar.set_postfix_str(f"{name}: {stage}")
        results, database = BENCHMARKS[name](context)
        path = record(name, results, context=context, database=database)
        for result in results:
            tqdm.write(result.line())
            all_met = all_met and result.met
        tqdm.write(f"  recorded in {path.relative_to(ROOT)} ({database}; {machine()['description']})")
    return all_met


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(BENCHMARKS), action="append", help="run only this benchmark")
    parser.add_argument("--count", type=int, default=100_000, help="articles to import (default 100000)")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_COUNT} articles, for development")
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")
    command = shlex.join(["python", "bench/run.py", *sys.argv[1:]]) if argv is None else shlex.join(argv)
    context = Context(count=QUICK_COUNT if args.quick else args.count, command=command,
                      progress=not args.no_progress)
    try:
        met = run(args.only or list(BENCHMARKS), context)
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
