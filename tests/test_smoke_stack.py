"""Starts the embedded stack the way `make run` does and sees a task run by the real worker.

Temporary SQLite and filesystem broker (whatever DATABASE_URL/CELERY_BROKER_URL the suite has),
a free port, then: the article page is served, /healthz is green, and a task enqueued from
another process is executed by the worker, which a row it writes proves (the filesystem
broker has no inspect/broadcast).
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.ports import free_port

REPO = Path(__file__).resolve().parents[1]
STARTUP_SECONDS = 120
TASK_SECONDS = 60

pytestmark = pytest.mark.smoke


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _wait_for(predicate, seconds: float, what: str, log: Path):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            result = predicate()
        except (OSError, sqlite3.Error):
            result = None
        if result:
            return result
        time.sleep(0.5)
    pytest.fail(f"{what} within {seconds}s; stack output:\n{log.read_text()[-4000:]}")


@pytest.fixture
def embedded_stack(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    port = free_port()
    env.update(VAR_DIR=str(tmp_path / "var"), WEB_PORT=str(port), PYTHONUNBUFFERED="1")
    log = tmp_path / "stack.log"
    with log.open("wb") as out:
        process = subprocess.Popen(["make", "run"], cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        yield {"base": f"http://127.0.0.1:{port}", "env": env, "log": log, "var": tmp_path / "var"}
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_make_run_serves_the_demo_and_runs_tasks_on_the_worker(embedded_stack):
    base, log = embedded_stack["base"], embedded_stack["log"]
    _wait_for(lambda: _get(f"{base}/healthz")[0] == 200, STARTUP_SECONDS, "the web server did not answer", log)

    status, html = _get(f"{base}/articles/ukrainian-army-secures-kharkiv/")
    assert status == 200 and "Photo by John Moore/Getty Images" in html
    assert _get(f"{base}/api/docs/")[0] == 200

    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from compliance.tasks import verify_audit_log; verify_audit_log.delay()"],
        cwd=REPO, env=embedded_stack["env"], check=True, capture_output=True, timeout=60,
    )

    database = embedded_stack["var"] / "db.sqlite3"

    def task_row():
        with sqlite3.connect(database) as db:
            return db.execute(
                "SELECT ok FROM compliance_auditverification WHERE checked_by = 'task:verify_audit_log'"
            ).fetchone()

    assert _wait_for(task_row, TASK_SECONDS, "the worker did not run the task", log) == (1,)
