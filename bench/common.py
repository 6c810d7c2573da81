"""What every benchmark shares: results and their record, the machine, PostgreSQL, subprocesses."""

from __future__ import annotations

import json
import os
import platform
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable
from urllib.parse import SplitResult, urlsplit, urlunsplit

if TYPE_CHECKING:
    import psycopg
    from django.db.backends.utils import CursorWrapper

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
PYTHON = sys.executable
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
AT_LEAST, AT_MOST = "at least", "at most"


class BenchError(RuntimeError):
    """A benchmark could not run or its result is wrong; the message is one line."""


@dataclass
class Result:
    figure: str
    goal: float | None
    measured: float
    unit: str
    details: dict = field(default_factory=dict)
    goal_kind: str = AT_LEAST  # AT_MOST for durations

    @property
    def met(self) -> bool:
        if self.goal is None:
            return True
        return self.measured <= self.goal if self.goal_kind == AT_MOST else self.measured >= self.goal

    def line(self) -> str:
        sign = "<=" if self.goal_kind == AT_MOST else ">="
        goal = f"goal {sign} {number(self.goal)}" if self.goal is not None else "no goal"
        verdict = "ok" if self.met else "BELOW GOAL"
        took = f" in {self.details['seconds']} s" if "seconds" in self.details and self.unit != "s" else ""
        if "cpu_ms_per_article" in self.details:
            took += f", {self.details['cpu_ms_per_article']} ms CPU/article"
            if "postgresql_cpu_ms_per_article" in self.details:
                took += f" + {self.details['postgresql_cpu_ms_per_article']} ms PostgreSQL's"
            took += f", load {self.details.get('load_average_1m_before', '?')}"
        return f"{self.figure}: {number(self.measured)} {self.unit}{took} ({goal}: {verdict})"


def number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"


@dataclass
class Context:
    count: int  # articles imported by the import benchmark
    command: str
    progress: bool
    quick: bool = False
    stage: Callable[[str], None] = lambda _: None


# --- the machine and the record --------------------------------------------------------

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


def expect(what: str, actual: object, wanted: object) -> None:
    if actual != wanted:
        raise BenchError(f"{what}: expected {wanted}, got {actual}")


def count_label(count: int) -> str:
    if count % 1_000_000 == 0:
        return f"{count // 1_000_000}M"
    return f"{count // 1000}k" if count % 1000 == 0 else str(count)


# --- PostgreSQL ------------------------------------------------------------------------

def connect(url: str) -> psycopg.Connection:
    import psycopg

    parts = urlsplit(url)
    try:
        return psycopg.connect(conninfo_of(parts), autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        where = f"{parts.hostname or 'localhost'}:{parts.port or 5432}"
        reason = str(exc).strip().splitlines()[0].strip() if str(exc).strip() else type(exc).__name__
        raise BenchError(f"PostgreSQL is not reachable at {where} ({reason}); "
                         f"the benchmarks need it (or set DATABASE_URL)") from None


def conninfo_of(parts: SplitResult) -> str:
    fields = {"host": parts.hostname, "port": parts.port, "user": parts.username, "password": parts.password,
              "dbname": parts.path.lstrip("/") or None}
    return " ".join(f"{key}={value}" for key, value in fields.items() if value)


def is_postgres(url: str) -> bool:
    return urlsplit(url).scheme in {"postgres", "postgresql", "pgsql"}


def server_url() -> str:
    """The server's maintenance database: DATABASE_URL's server when it names one, else the local one."""
    url = os.environ.get("DATABASE_URL")
    if url and is_postgres(url):
        return urlunsplit(urlsplit(url)._replace(path="/postgres"))
    return ADMIN_URL


def bench_database_name(name: str) -> str:
    """`name`, prefixed by BENCH_DB_PREFIX when set (``BENCH_DB_PREFIX=bench_mail`` makes
    ``bench_mail_provenance_bench_mail``), so benchmarks run side by side do not drop each other's database."""
    prefix = os.environ.get("BENCH_DB_PREFIX", "").strip()
    return f"{prefix}_{name}" if prefix else name


def fresh_database(name: str) -> str:
    """Drop and create `name` (prefixed, see bench_database_name) on the server; its URL."""
    name = bench_database_name(name)
    admin = server_url()
    with connect(admin) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return urlunsplit(urlsplit(admin)._replace(path=f"/{name}"))


def migrated_database(name: str, context: Context) -> tuple[str, str]:
    """A fresh database `name`, migrated (not timed): its URL and its server's version."""
    context.stage("database")
    url = fresh_database(name)
    version = database_version(url)
    context.stage("migrate")
    manage(url, "migrate", "--noinput")
    return url, version


def database_version(url: str) -> str:
    with connect(url) as conn:
        return "PostgreSQL " + conn.execute("SHOW server_version").fetchone()[0]


# --- subprocesses ----------------------------------------------------------------------

@dataclass
class Run:
    seconds: float
    cpu_seconds: float
    load_average: float
    stdout: str
    database_cpu_seconds: float | None = None


def manage(url: str, *args: str) -> Run:
    env = {**os.environ, "DATABASE_URL": url}
    load, cpu, server, started = os.getloadavg()[0], children_cpu(), postgres_cpu(), time.perf_counter()
    done = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    server_after = postgres_cpu()
    if done.returncode != 0:
        tail = (done.stderr.strip() or done.stdout.strip()).splitlines()[-1:] or ["no output"]
        raise BenchError(f"manage.py {args[0]} failed ({done.returncode}): {tail[0]}")
    spent = None if server is None or server_after is None else server_after - server
    return Run(elapsed, children_cpu() - cpu, load, done.stdout, spent)


def postgres_cpu() -> float | None:
    """CPU seconds (user + sys) spent so far by the local PostgreSQL server, None where it is not local.

    Every live `postgres` process's own time, plus what each has reaped of its exited children (the
    postmaster collects the time of every backend that has ended), so a backend that comes and goes
    within a run is counted. Another database's work on the same server is counted too: read it on a
    machine that is otherwise quiet."""
    ticks, total, found = os.sysconf("SC_CLK_TCK"), 0, False
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if (proc / "comm").read_text().strip() != "postgres":
                continue
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended while we looked
            continue
        found = True
        total += sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
    return total / ticks if found else None


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_worker(script: Path, args: list[str], *, url: str, progress: bool) -> dict[str, Any]:
    """Run a benchmark module as a Django process on `url` (production settings: debug off, a
    throw-away VAR_DIR); its last line of output is a JSON object, {"error": ...} when it failed."""
    with tempfile.TemporaryDirectory(prefix="bench-var-") as var:
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "false",
               "DJANGO_SECRET_KEY": secrets.token_urlsafe(32), "DJANGO_ALLOWED_HOSTS": "testserver,127.0.0.1",
               "VAR_DIR": var, "DJANGO_SECURE_SSL_REDIRECT": "false"}  # test clients speak plain HTTP
        command = [PYTHON, str(script), "--worker", *args, *([] if progress else ["--no-progress"])]
        done = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    lines = done.stdout.strip().splitlines()
    try:
        answer = json.loads(lines[-1]) if lines else {}
    except ValueError:
        answer = {}
    if done.returncode != 0 or "error" in answer or not answer:
        reason = answer.get("error") or f"exit status {done.returncode}, see its output above"
        raise BenchError(f"{script.name}: {reason}")
    return answer


def worker_main(body: Callable[[list[str]], dict[str, Any]]) -> int:
    """A worker's entry point: Django set up, `body` run, its answer printed as the last line."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    try:
        answer = body(sys.argv[1:])
    except BenchError as exc:
        print(json.dumps({"error": str(exc)}), flush=True)
        return 2
    print(json.dumps(answer, default=str), flush=True)
    return 0


# --- loading rows fast, inside a worker ---------------------------------------------------------

def copy_rows(cursor: CursorWrapper, table: str, rows: Iterable[dict[str, Any]], *, total: int, unit: str,
              progress: bool) -> None:
    """COPY rows (dicts by column; a missing column gets its model default) into a model's table, with
    a progress bar. Its indexes and its unique and foreign-key constraints are dropped meanwhile and
    rebuilt after, which is much faster than maintaining them row by row; the primary key stays."""
    from django.apps import apps
    from django.db import models
    from psycopg.types.json import Jsonb
    from tqdm import tqdm

    model = next(m for m in apps.get_models() if m._meta.db_table == table)
    fields = model._meta.concrete_fields
    defaults = {f.column: f.get_default() for f in fields}
    columns = [f.column for f in fields]
    as_json = [isinstance(f, models.JSONField) for f in fields]  # COPY adapts no bare dict or list
    rebuild = drop_indexes(cursor, table)
    with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in tqdm(rows, total=total, unit=f" {unit}", desc=f"COPY {table}", disable=not progress,
                        mininterval=1.0, file=sys.stderr):
            values = [row.get(column, defaults[column]) for column in columns]
            copy.write_row([Jsonb(value) if json and value is not None and not isinstance(value, Jsonb) else value
                            for value, json in zip(values, as_json)])
    for statement in rebuild:
        cursor.execute(statement)


def drop_indexes(cursor: CursorWrapper, table: str) -> list[str]:
    """Drops the table's unique and foreign-key constraints and its other indexes, not the primary key;
    returns the statements that put them back."""
    cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                   "WHERE conrelid = %s::regclass AND contype IN ('u', 'f')", [table])
    constraints = cursor.fetchall()
    for name, _ in constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
                   "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)", [table, table])
    indexes = cursor.fetchall()
    for name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in indexes] + [
        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}' for name, definition in constraints]
