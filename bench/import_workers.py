"""import_workers: `manage.py import_articles FILE --workers N` with N real Celery worker processes on
Redis + PostgreSQL, N = 1 and 2: both rates, CPU seconds per article, and two workers against one.

Each worker is its own `celery worker --queues import --concurrency 1` process, as on N machines.
Databases: `<BENCH_DB_PREFIX>_import_1w` and `_2w` (prefix `provenance_bench` unless set), fresh;
the broker is `CELERY_BROKER_URL`, which must name Redis (its `import` queue is emptied first).
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from article_import import data_file, expected_rows, parse_report, row_counts
from common import (PYTHON, ROOT, BenchError, Context, Result, children_cpu, count_label, database_version,
                    expect, fresh_database, manage)

NAME = "import_workers"
RATIO_GOAL = 1.6
QUICK_COUNT = 10_000
READY_SECONDS = 120
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def run(context: Context) -> tuple[list[Result], str]:
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis"):
        raise BenchError("the import_workers benchmark needs CELERY_BROKER_URL naming Redis (e.g. redis://127.0.0.1:6379/2)")
    count = QUICK_COUNT if context.quick else context.count
    prefix = os.environ.get("BENCH_DB_PREFIX", "provenance_bench")
    figures, database = {}, ""
    path = expected = None
    for workers in (1, 2):
        context.stage(f"{workers} workers: database")
        url = fresh_database(f"{prefix}_import_{workers}w")
        database = database_version(url)
        manage(url, "migrate", "--noinput")
        if path is None:
            context.stage("data")
            path = data_file(count, url=url, progress=context.progress)
            expected = expected_rows(path)
        context.stage(f"{workers} workers: import")
        figures[workers] = timed_parallel_import(url, broker, path.relative_to(ROOT), workers=workers)
        expect(f"report with {workers} workers", {k: figures[workers]["report"][k] for k in ("created", "errors")},
               {"created": count, "errors": 0})
        expect(f"rows after the import with {workers} workers", row_counts(url), expected)
    return results(count, figures), database


def timed_parallel_import(url: str, broker: str, path: Path, *, workers: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-var-") as var:
        env = {**os.environ, "DATABASE_URL": url, "CELERY_BROKER_URL": broker, "DJANGO_DEBUG": "false",
               "DJANGO_SECRET_KEY": secrets.token_urlsafe(32), "VAR_DIR": var, "PYTHONUNBUFFERED": "1"}
        purge_import_queue(env)
        started = [start_worker(env, Path(var) / f"worker-{n}.log", n) for n in range(workers)]
        try:
            worker_cpu = sum(tree_cpu(p.pid) for p in started)
            load, command_cpu, began = os.getloadavg()[0], children_cpu(), time.perf_counter()
            done = subprocess.run([PYTHON, "manage.py", "import_articles", str(path), "--workers", str(workers),
                                   "--no-progress"], cwd=ROOT, env=env, capture_output=True, text=True)
            seconds = time.perf_counter() - began
            command_cpu = children_cpu() - command_cpu
            worker_cpu = sum(tree_cpu(p.pid) for p in started) - worker_cpu
        finally:
            for process in started:
                stop(process)
    if done.returncode != 0:
        tail = (done.stderr.strip() or done.stdout.strip()).splitlines()[-1:] or ["no output"]
        raise BenchError(f"import_articles --workers {workers} failed ({done.returncode}): {tail[0]}")
    return {"seconds": round(seconds, 2), "cpu_seconds_of_command": round(command_cpu, 2),
            "cpu_seconds_of_workers": round(worker_cpu, 2),
            "load_average_1m_before": round(load, 2), "report": parse_report(done.stdout)}


def purge_import_queue(env: dict) -> None:
    code = ("from config.celery import app\nwith app.connection_for_write() as c:\n"
            "    c.default_channel.queue_declare('import'); c.default_channel.queue_purge('import')")
    subprocess.run([PYTHON, "-c", code], cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
                   check=True, capture_output=True)


def start_worker(env: dict, log: Path, number: int) -> subprocess.Popen:
    with log.open("wb") as out:
        process = subprocess.Popen(
            [PYTHON, "-m", "celery", "-A", "config", "worker", "--queues", "import", "--concurrency", "1",
             "--hostname", f"bench-import-{number}@%h", "--without-heartbeat", "--without-mingle", "--without-gossip",
             "--loglevel", "INFO"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + READY_SECONDS
    while "ready." not in log.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            stop(process)
            raise BenchError(f"celery worker did not start: {log.read_text(errors='replace')[-300:]!r}")
        time.sleep(0.2)
    return process


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def process_cpu(pid: int) -> float:
    """User and system CPU seconds of one live process (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def tree_cpu(pid: int) -> float:
    """A process and its live descendants (a prefork worker's pool process)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return process_cpu(pid) + sum(tree_cpu(int(child)) for child in children)


def results(count: int, figures: dict[int, dict]) -> list[Result]:
    label = count_label(count)
    out = []
    for workers, figure in figures.items():
        cpu = figure["cpu_seconds_of_command"] + figure["cpu_seconds_of_workers"]
        # PostgreSQL's CPU is not counted: Celery's Django fixup closes a worker's connection after
        # each task, so the backends that did the work are gone when the import ends.
        details = {**figure, "cpu_ms_per_article": round(1000 * cpu / count, 3),
                   "timed_command": f"manage.py import_articles bench/data/articles-{label}.jsonl "
                                    f"--workers {workers} --no-progress ({workers} celery workers, queue import)"}
        out.append(Result(f"import_articles --workers {workers}, {label} new articles", None,
                          round(count / figure["seconds"], 1), "articles/s", details))
    ratio = figures[1]["seconds"] / figures[2]["seconds"]
    out.append(Result(f"import_articles, 2 workers against 1 ({label} new articles)", RATIO_GOAL, round(ratio, 2),
                      "x", {"seconds_1_worker": figures[1]["seconds"], "seconds_2_workers": figures[2]["seconds"]}))
    return out
