"""A chunk of `import_articles --workers`, as a worker imports it: whole or not at all, once, and
reported as the single-process import reports (real workers: test_import_workers.py)."""

import json
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError, connection

from articles.importing import chunks, parallel
from articles.importing.chunks import Chunk, import_chunk, merged_report
from articles.importing.parallel import chunks_of, import_in_parallel
from articles.models import Article, ImportChunk, ProvenanceEvent
from articles.services.importer import read_lines
from articles.synthetic import generate_records
from articles.tasks import CHUNK_ATTEMPTS, import_article_chunk

pytestmark = pytest.mark.django_db


def _lines(records) -> list[tuple[int, str]]:
    texts = [json.dumps(r) if isinstance(r, dict) else r for r in records]
    return list(read_lines(texts))


def _file_with_bad_lines() -> list[tuple[int, str]]:
    good = list(generate_records(5))
    return _lines([good[0], "{not json", good[1], "", good[2], {"title": "No body", "language": "en"},
                   good[3], good[4], '["a list"]'])


def test_chunks_report_what_one_import_of_the_file_reports_with_its_line_numbers():
    run = uuid.uuid4()
    for chunk in chunks_of(_file_with_bad_lines(), run=run, size=3):
        import_chunk(chunk, actor="test")

    rows = list(ImportChunk.objects.filter(run=run).order_by("index"))
    report = merged_report(rows)

    assert [(row.first_line, row.last_line) for row in rows] == [(1, 3), (5, 7), (8, 9)]
    assert (report.created, report.updated, report.unchanged, report.held) == (5, 0, 0, 0)
    assert [number for number, _ in report.errors] == [2, 6, 9]
    assert report.errors[0][1].startswith("not valid JSON")
    assert Article.objects.count() == 5


def test_a_chunk_delivered_twice_is_imported_once():
    chunk = next(chunks_of(_lines(generate_records(4)), run=uuid.uuid4()))
    first = import_chunk(chunk, actor="test")
    events = ProvenanceEvent.objects.count()

    again = import_chunk(Chunk.from_message(json.loads(json.dumps(chunk.message()))), actor="test")

    assert first.created == 4 and again is None
    assert ProvenanceEvent.objects.count() == events
    assert merged_report(list(ImportChunk.objects.all())).created == 4


def test_a_chunk_that_fails_leaves_nothing_written_and_its_retry_imports_it(monkeypatch):
    chunk = next(chunks_of(_lines(generate_records(4)), run=uuid.uuid4()))
    real = chunks.import_lines

    def fails_after_writing(*args, **kwargs):
        real(*args, **kwargs)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(chunks, "import_lines", fails_after_writing)
    with pytest.raises(OperationalError):
        import_chunk(chunk, actor="test")
    assert not Article.objects.exists() and not ImportChunk.objects.exists()

    monkeypatch.setattr(chunks, "import_lines", real)
    assert import_chunk(chunk, actor="test").created == 4


def test_a_chunk_whose_attempts_are_spent_is_recorded_as_failed_with_its_lines(monkeypatch):
    chunk = next(chunks_of(_lines(generate_records(3)), run=uuid.uuid4()))

    def deadlocked(*args, **kwargs):
        raise OperationalError("deadlock detected\nDETAIL: Process 1 waits for ShareLock")

    monkeypatch.setattr("articles.tasks.import_chunk", deadlocked)
    import_article_chunk.apply(args=[chunk.message()], kwargs={"actor": "test"}, retries=CHUNK_ATTEMPTS - 1)

    row = ImportChunk.objects.get()
    assert (row.state, row.first_line, row.last_line) == (ImportChunk.State.FAILED, 1, 3)
    assert row.failure == "OperationalError: deadlock detected"
    assert not Article.objects.exists() and merged_report([row]).processed == 0


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the embedded default's answer")
def test_workers_on_sqlite_refuse_with_one_line(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps(next(generate_records(1))) + "\n")

    with pytest.raises(CommandError) as refused:
        call_command("import_articles", str(path), "--workers", "2", "--no-progress")

    assert str(refused.value).startswith("--workers needs PostgreSQL") and "\n" not in str(refused.value)
    assert not Article.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="--workers needs PostgreSQL")
def test_a_chunk_the_broker_lost_is_sent_again_and_imported_once(monkeypatch):
    sent: list[int] = []

    def broker_losing_the_first_delivery_of_chunk_1(chunk: Chunk) -> None:
        sent.append(chunk.index)
        if sent.count(chunk.index) > 1 or chunk.index != 1:
            import_chunk(Chunk.from_message(json.loads(json.dumps(chunk.message()))), actor="test")

    monkeypatch.setattr(parallel, "RESEND_SECONDS", 0.3)
    done = import_in_parallel(_file_with_bad_lines(), send=broker_losing_the_first_delivery_of_chunk_1, workers=1,
                              chunk_size=3)

    assert sent.count(1) == 2 and sent.count(0) == sent.count(2) == 1
    assert (done.report.created, [number for number, _ in done.report.errors], done.failed) == (5, [2, 6, 9], [])
    assert Article.objects.count() == 5 and not ImportChunk.objects.exists()
