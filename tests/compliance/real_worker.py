"""A real Celery worker process on the suite's PostgreSQL test database and Redis broker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

REPO = Path(__file__).resolve().parents[2]


def database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Worker:
    def __init__(self, log: Path, *, queues: str = "sla", env: dict[str, str] | None = None):
        self.log = log
        self.queues = queues
        self.env = env or {}
        self.process: subprocess.Popen | None = None

    def start(self) -> "Worker":
        env = {**os.environ, "DATABASE_URL": database_url(), "PYTHONUNBUFFERED": "1", **self.env}
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "config", "worker", "--queues", self.queues, "--concurrency", "1",
                 "--pool", "solo", "--without-heartbeat", "--without-mingle", "--without-gossip", "--loglevel", "INFO"],
                cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        self.wait_for_log("ready.", seconds=60)
        return self

    def wait_for_log(self, text: str, *, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if text in self.log.read_text(errors="replace"):
                return
            if self.process and self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(f"worker did not log {text!r}:\n{self.log.read_text(errors='replace')[-3000:]}")

    def kill(self) -> None:
        """SIGKILL, as the kernel's OOM killer would: no cleanup, no ack."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def wait_until(predicate, *, seconds: float, what: str, log: Path | None = None):
    """Waits for another process to have done something; time rules themselves use time-machine."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.2)
    detail = f"\n{log.read_text(errors='replace')[-3000:]}" if log else ""
    raise AssertionError(f"{what} within {seconds}s{detail}")
