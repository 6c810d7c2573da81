import pytest

from tests.compliance.real_worker import Worker
from tests.faults.figures import RECORDED, table


@pytest.fixture
def worker(tmp_path):
    """Starts real Celery worker processes (queues and environment as asked); stops them after the test."""
    workers: list[Worker] = []

    def start(*, queues: str = "sla", **env: str) -> Worker:
        workers.append(Worker(tmp_path / f"worker-{len(workers)}.log", queues=queues, env=env).start())
        return workers[-1]

    yield start
    for each in workers:
        each.stop()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if RECORDED:
        terminalreporter.section("fault suite figures")
        terminalreporter.write_line(table(RECORDED))
