"""The command's side of a parallel import: the file cut into chunks, sent to the workers a few at a
time, their reports read back from the database and merged (the worker's side: chunks.py).

Only ``2 × workers`` chunks are in flight at once, so the broker holds a few megabytes of lines
whatever the file's size, and every worker has its next chunk waiting when it finishes one.
A chunk the broker lost (a flushed or restarted Redis) is sent again when nothing has landed for
a while: a chunk delivered twice is imported once, so sending again is always safe.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from itertools import islice
from typing import Callable, Iterable, Iterator

from django.db import connection

from articles.importing.chunks import CHUNK_SIZE, Chunk, merged_report
from articles.models import ImportChunk
from articles.services.importer import ImportReport

STALL_SECONDS = 600.0
RESEND_SECONDS = 60.0  # at least; four times the longest wait between two chunks landing when that is longer
POLL_SECONDS = 0.2


class ParallelImportUnavailable(Exception):
    """This installation cannot import in parallel; the message says why in one line."""


class ParallelImportStalled(Exception):
    pass


@dataclass
class ParallelImport:
    run: uuid.UUID
    report: ImportReport = field(default_factory=ImportReport)
    failed: list[ImportChunk] = field(default_factory=list)  # chunks not imported, after their retries


def check_available() -> None:
    if connection.vendor != "postgresql":
        raise ParallelImportUnavailable(
            "--workers needs PostgreSQL (DATABASE_URL): SQLite takes one writer at a time, "
            "so import without --workers")


def chunks_of(lines: Iterable[tuple[int, str]], *, run: uuid.UUID, size: int = CHUNK_SIZE) -> Iterator[Chunk]:
    remaining = iter(lines)
    for index, part in enumerate(iter(lambda: tuple(islice(remaining, size)), ())):
        yield Chunk(run=run, index=index, lines=part)


def import_in_parallel(lines: Iterable[tuple[int, str]], *, send: Callable[[Chunk], None], workers: int,
                       chunk_size: int = CHUNK_SIZE, on_chunk: Callable[[int], None] = lambda lines: None,
                       stall_seconds: float = STALL_SECONDS) -> ParallelImport:
    """Sends the chunks of ``lines`` (numbered as in the file) and waits for all of them to land or
    fail; ``on_chunk`` gets the number of lines of each chunk that finished."""
    check_available()
    result = ParallelImport(run=uuid.uuid4())
    pending: dict[int, Chunk] = {}  # sent and not finished
    finished: list[ImportChunk] = []
    chunks = chunks_of(lines, run=result.run, size=chunk_size)
    more, last_progress, longest_wait = True, time.monotonic(), 0.0
    try:
        while more or pending:
            while more and len(pending) < 2 * workers:
                chunk = next(chunks, None)
                if chunk is None:
                    more = False
                else:
                    send(chunk)
                    pending[chunk.index] = chunk
            landed = list(ImportChunk.objects.filter(run=result.run, index__in=list(pending)))
            for row in landed:
                on_chunk(len(pending.pop(row.index).lines))
            finished += landed
            waited = time.monotonic() - last_progress
            if landed:
                last_progress, longest_wait = time.monotonic(), max(longest_wait, waited)
            elif waited > stall_seconds:
                raise ParallelImportStalled(
                    f"no chunk finished in {stall_seconds:.0f} s: is a worker consuming the 'import' queue? "
                    f"({len(pending)} chunks sent and not finished; they are imported when a worker takes them)")
            elif pending:
                if waited > max(RESEND_SECONDS, 4 * longest_wait):
                    for chunk in pending.values():
                        send(chunk)
                    longest_wait = waited  # the next time after four times as long; the stall clock runs on
                time.sleep(POLL_SECONDS)
    finally:
        # The rows were the workers' answers to this command; the import itself is in the articles.
        ImportChunk.objects.filter(run=result.run, index__in=[row.index for row in finished]).delete()
    finished.sort(key=lambda row: row.index)
    result.report = merged_report(finished)
    result.failed = [row for row in finished if row.state == ImportChunk.State.FAILED]
    return result
