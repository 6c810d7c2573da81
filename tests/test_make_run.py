"""`make run` as a person uses it: the embedded stack comes up, serves the demo and runs tasks on its
worker, and Ctrl-C then stops web, worker and beat warm, and make exits 0.

One stack for both tests (starting it migrates and seeds a fresh SQLite database, about 40 s). It
runs with the embedded defaults whatever DATABASE_URL/CELERY_BROKER_URL the suite has, on a free
port, on a pseudo-terminal of its own: ^C is typed into it, and the terminal signals its foreground
process group, exactly as when a person presses Ctrl-C in a shell. A task enqueued from another
process is seen run by the worker through the row it writes (the filesystem broker has no
inspect/broadcast).
"""

import fcntl
import os
import pty
import re
import sqlite3
import subprocess
import sys
import termios
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.ports import free_port

REPO = Path(__file__).resolve().parents[1]
STARTUP_SECONDS = 180
TASK_SECONDS = 60
STOP_SECONDS = 60

pytestmark = pytest.mark.smoke


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _take_the_terminal() -> None:
    """In the child, after setsid: the pseudo-terminal on stdin becomes its controlling terminal."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """A pseudo-terminal running one command; everything written to it is kept."""

    def __init__(self, command: list[str], env: dict[str, str]):
        self.master, follower = pty.openpty()
        self.process = subprocess.Popen(command, cwd=REPO, env=env, stdin=follower, stdout=follower,
                                        stderr=follower, start_new_session=True, preexec_fn=_take_the_terminal)
        os.close(follower)
        self.chunks: list[bytes] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # EIO: every process holding the terminal is gone
                return
            if not chunk:
                return
            self.chunks.append(chunk)

    @property
    def output(self) -> str:
        return b"".join(self.chunks).decode(errors="replace").replace("\r\n", "\n")

    def wait_for(self, predicate, seconds: float, what: str) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if predicate():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.5)
        pytest.fail(f"{what} within {seconds}s; output:\n{self.output[-4000:]}")

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, 9)
            self.process.wait()
        self.reader.join(timeout=5)
        os.close(self.master)


@pytest.fixture(scope="module")
def make_run(tmp_path_factory):
    var = tmp_path_factory.mktemp("make-run") / "var"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL"}}
    port = free_port()
    env.update(VAR_DIR=str(var), WEB_PORT=str(port), PYTHONUNBUFFERED="1", TERM="dumb")
    terminal = Terminal(["make", "run"], env)
    try:
        terminal.wait_for(lambda: _healthy(f"http://127.0.0.1:{port}/healthz"), STARTUP_SECONDS,
                          "the stack was not healthy")
        yield terminal, f"http://127.0.0.1:{port}", env, var
    finally:
        terminal.close()


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_make_run_serves_the_demo_and_runs_tasks_on_the_worker(make_run):
    terminal, base, env, var = make_run

    status, html = _get(f"{base}/articles/ukrainian-army-secures-kharkiv/")
    assert status == 200 and "Photo by John Moore/Getty Images" in html
    assert _get(f"{base}/api/docs/")[0] == 200

    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from compliance.tasks import verify_audit_log; verify_audit_log.delay()"],
        cwd=REPO, env=env, check=True, capture_output=True, timeout=60,
    )

    def task_row():
        try:
            with sqlite3.connect(var / "db.sqlite3") as db:
                return db.execute("SELECT ok FROM compliance_auditverification "
                                  "WHERE checked_by = 'task:verify_audit_log'").fetchone()
        except sqlite3.Error:  # the worker holds the write lock for a moment
            return None

    terminal.wait_for(task_row, TASK_SECONDS, "the worker did not run the task")
    assert task_row() == (1,)


def test_ctrl_c_on_make_run_stops_web_worker_and_beat_warm_and_make_exits_0(make_run):
    """Last in this module: it stops the stack the other tests use."""
    terminal = make_run[0]
    terminal.wait_for(lambda: re.search(r"celery@\S+ ready", terminal.output) and "beat: Starting" in terminal.output,
                      30, "worker and beat did not start")

    os.write(terminal.master, b"\x03")  # Ctrl-C
    try:
        status = terminal.process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail(f"make run still running {STOP_SECONDS}s after Ctrl-C:\n{terminal.output[-4000:]}")

    output = terminal.output
    stopping = output[output.index("SIGINT received"):]
    assert status == 0, stopping
    assert "Warm shutdown" in stopping
    for process in ("web.1", "worker.1", "beat.1"):
        assert f"{process} stopped (rc=0)" in stopping, stopping
    assert "SIGKILL" not in stopping and "ERROR" not in output and "make: ***" not in output, stopping
