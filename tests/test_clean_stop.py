"""Ctrl-C on `make run` stops web, worker and beat warm, and make exits 0.

`make run` runs on a pseudo-terminal of its own and ^C is typed into it: the terminal signals its
foreground process group, exactly as when a person presses Ctrl-C in a shell.
"""

import fcntl
import os
import pty
import re
import subprocess
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


@pytest.fixture
def make_run(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL"}}
    port = free_port()
    env.update(VAR_DIR=str(tmp_path / "var"), WEB_PORT=str(port), PYTHONUNBUFFERED="1", TERM="dumb")
    terminal = Terminal(["make", "run"], env)
    try:
        yield terminal, f"http://127.0.0.1:{port}"
    finally:
        terminal.close()


def test_ctrl_c_on_make_run_stops_web_worker_and_beat_warm_and_make_exits_0(make_run):
    terminal, base = make_run
    terminal.wait_for(lambda: _healthy(f"{base}/healthz"), STARTUP_SECONDS, "the stack was not healthy")
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
