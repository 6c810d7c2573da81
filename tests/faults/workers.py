"""Real Celery worker processes for the fault suite, stopped at the end of each test."""

from __future__ import annotations

import os

import pytest
from django.db import connection

from tests.compliance.real_worker import Worker

BROKER = os.environ.get("CELERY_BROKER_URL", "")
needs_real_stack = pytest.mark.skipif(
    connection.vendor != "postgresql" or not BROKER.startswith("redis"),
    reason="needs PostgreSQL and a Redis broker (CI sets both)")


@pytest.fixture
def worker(tmp_path):
    workers: list[Worker] = []

    def start(*, queues: str = "sla", **env: str) -> Worker:
        workers.append(Worker(tmp_path / f"worker-{len(workers)}.log", queues=queues, env=env).start())
        return workers[-1]

    yield start
    for each in workers:
        each.stop()
