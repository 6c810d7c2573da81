"""`import_articles --workers 2` with two real Celery workers on PostgreSQL and Redis: chunks that
name the same new sources, rights holders and creators, imported at the same time, make one of
each, without a deadlock or a retry, and the command reports what a single-process import reports."""

from __future__ import annotations

import json
import os
import threading
import time
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import connection

from articles.models import Article, Creator, ImportChunk, RightsHolder, Source
from articles.synthetic import generate_records
from tests.compliance.real_worker import Worker, database_url

BROKER = os.environ.get("CELERY_BROKER_URL", "")
pytestmark = [
    pytest.mark.smoke,  # real worker processes
    pytest.mark.skipif(connection.vendor != "postgresql" or not BROKER.startswith("redis"),
                       reason="needs PostgreSQL and a Redis broker (CI sets both)"),
    pytest.mark.django_db(transaction=True),
]

CHUNK = 25


def overlapping(count: int) -> list[dict]:
    """Each chunk names new sources, rights holders, authors and photographers, half of them also named
    by the next chunk, which names them in the opposite order: two transactions creating the same rows
    in opposite orders are what deadlocks."""
    records = []
    for index, record in enumerate(generate_records(count)):
        chunk, position = divmod(index, CHUNK)
        n = chunk * CHUNK + (position if chunk % 2 == 0 else CHUNK - 1 - position)
        m = n + CHUNK * (position % 2)  # every other record names what the next chunk names
        host = f"outlet-{m // 3}.example"
        record = dict(record, source={"name": host, "host": host}, rights_holder=f"Holder {m // 2}",
                      authors=[f"Author {n}", f"Author {n + CHUNK}"])
        record["assets"] = [dict(record["assets"][0], credit_line=f"Photo by Photographer {m}/Agency {m // 3}")]
        records.append(record)
    return records


def named(records: list[dict]) -> dict[str, set[str]]:
    return {"sources": {r["source"]["host"] for r in records}, "holders": {r["rights_holder"] for r in records}
            | {r["assets"][0]["credit_line"].rsplit("/", 1)[1] for r in records},
            "authors": {a for r in records for a in r["authors"]},
            "photographers": {r["assets"][0]["credit_line"].split(" by ")[1].split("/")[0] for r in records}}


@pytest.fixture
def two_workers(tmp_path):
    from config.celery import app

    with app.connection_for_write() as conn:  # nothing left over from an earlier run
        conn.default_channel.queue_declare("import", passive=False)
        conn.default_channel.queue_purge("import")
    workers = [Worker(tmp_path / f"worker-{n}.log", queues="import").start() for n in range(2)]
    yield workers
    for worker in workers:
        worker.stop()


@contextmanager
def sources_locked_until_both_workers_wait():
    """The first two chunks' transactions meet at their first new source: the table is locked until
    both wait there, so that they create their parties at the same moment, not one after the other."""
    import psycopg

    holder = psycopg.connect(database_url())
    holder.execute("LOCK TABLE articles_source IN SHARE ROW EXCLUSIVE MODE")  # what an INSERT waits for

    def release_when_both_wait() -> None:
        deadline = time.monotonic() + 60
        with psycopg.connect(database_url(), autocommit=True) as watcher:
            while time.monotonic() < deadline:
                waiting = watcher.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND query ILIKE '%%articles_source%%' AND pid <> %s", [holder.info.backend_pid]).fetchone()
                if waiting and waiting[0] >= 2:
                    break
                time.sleep(0.05)
        holder.rollback()

    releaser = threading.Thread(target=release_when_both_wait)
    releaser.start()
    try:
        yield
    finally:
        releaser.join()
        holder.close()


def _write(path, lines: list) -> str:
    path.write_text("".join((json.dumps(line) if isinstance(line, dict) else line) + "\n" for line in lines))
    return str(path)


def _logs(workers: list[Worker]) -> list[str]:
    return [worker.log.read_text(errors="replace") for worker in workers]


def test_two_workers_make_one_of_each_party_without_deadlock_and_report_as_one_import(two_workers, tmp_path, capsys):
    records = overlapping(12 * CHUNK)
    lines = records[:15] + ["{not json", ""] + records[15:]  # lines 16 and 17
    path = _write(tmp_path / "a.jsonl", lines)

    with sources_locked_until_both_workers_wait():
        call_command("import_articles", path, "--workers", "2", "--chunk-size", str(CHUNK), "--no-progress")

    out, err = capsys.readouterr()
    assert out.strip() == "300 created, 0 updated, 0 unchanged, 0 held by the publish gate, 1 errors"
    assert err.strip().startswith("line 16: not valid JSON")
    assert Article.objects.count() == 300
    expected = named(records)
    assert sorted(Source.objects.values_list("name", flat=True)) == sorted(expected["sources"])
    assert sorted(RightsHolder.objects.values_list("name", flat=True)) == sorted(expected["holders"])
    assert sorted(Creator.objects.filter(role="author").values_list("name", flat=True)) == sorted(expected["authors"])
    assert sorted(Creator.objects.filter(role="photographer").values_list("name", flat=True)) == sorted(
        expected["photographers"])
    assert not ImportChunk.objects.exists()  # the command's mailbox, emptied
    logs = _logs(two_workers)
    assert all("articles.tasks.import_chunk" in log and "succeeded" in log for log in logs), "both workers took chunks"
    assert not any("deadlock" in log or "retrying" in log for log in logs), "\n".join(logs)[-3000:]

    call_command("import_articles", path, "--workers", "2", "--chunk-size", str(CHUNK), "--no-progress")

    assert capsys.readouterr().out.strip() == "0 created, 0 updated, 300 unchanged, 0 held by the publish gate, 1 errors"
    assert Article.objects.count() == 300


def test_an_article_in_two_chunks_at_once_is_created_once(two_workers, tmp_path, capsys):
    records = overlapping(2 * CHUNK)
    twice = records[:CHUNK] + records[:CHUNK] + records[CHUNK:]  # chunks 0 and 1 are the same articles
    path = _write(tmp_path / "a.jsonl", twice)

    call_command("import_articles", path, "--workers", "2", "--chunk-size", str(CHUNK), "--no-progress")

    assert capsys.readouterr().out.strip() == (
        f"{2 * CHUNK} created, 0 updated, {CHUNK} unchanged, 0 held by the publish gate, 0 errors")
    assert Article.objects.count() == 2 * CHUNK
