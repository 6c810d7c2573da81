"""One chunk of a parallel import (`import_articles --workers N`), as a worker imports it.

A chunk is a run of the file's lines, carried in the task message itself (the file stays on the
command's machine; workers may be on others). A worker imports the chunk in ONE transaction, as one
batch of the importer (``import_lines``), and in that transaction writes the chunk's
:class:`~articles.models.ImportChunk` row with its report. So a chunk has landed whole or not at all:

- it fails (a deadlock, a lost connection, a worker killed): the transaction rolls back and the
  task is retried; after the last attempt a ``failed`` row names the error and nothing of it is written;
- it is delivered twice (late acknowledgement after a crash, a retry racing the first attempt): the
  second delivery finds the ``done`` row and does nothing, or waits on the first one's uncommitted row
  (unique run and index), fails and, retried, finds it done.

Concurrent chunks naming the same new source, rights holder or creator do not deadlock: the party
registry creates a batch's parties in one global order (sources, holders, creators, each sorted), and
a chunk is a single batch, so two transactions never wait for each other in opposite orders. An
article that two chunks in flight both create makes the later insert fail on the unique lookup key:
that chunk rolls back and its retry finds the article there (unchanged or updated).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from articles.models import ImportChunk
from articles.services.importer import ImportReport, import_lines

CHUNK_SIZE = 1000


@dataclass(frozen=True)
class Chunk:
    run: uuid.UUID
    index: int
    lines: tuple[tuple[int, str], ...]  # (line number in the file, text)

    @property
    def first_line(self) -> int:
        return self.lines[0][0]

    @property
    def last_line(self) -> int:
        return self.lines[-1][0]

    def message(self) -> dict[str, Any]:
        """What the task carries: plain JSON."""
        return {"run": str(self.run), "index": self.index, "lines": [list(line) for line in self.lines]}

    @classmethod
    def from_message(cls, message: dict[str, Any]) -> "Chunk":
        return cls(run=uuid.UUID(message["run"]), index=int(message["index"]),
                   lines=tuple((int(number), str(text)) for number, text in message["lines"]))


def import_chunk(chunk: Chunk, *, actor: str) -> ImportReport | None:
    """Imports the chunk unless it already landed (then None). Raises when the chunk could not be
    imported; nothing of it is written then."""
    with transaction.atomic():
        if ImportChunk.objects.filter(run=chunk.run, index=chunk.index, state=ImportChunk.State.DONE).exists():
            return None
        ImportChunk.objects.filter(run=chunk.run, index=chunk.index).delete()  # an earlier attempt's failure
        # Taken first: a second delivery running at the same time waits here, not halfway through.
        row = ImportChunk.objects.create(run=chunk.run, index=chunk.index, first_line=chunk.first_line,
                                         last_line=chunk.last_line, state=ImportChunk.State.DONE)
        report = import_lines(chunk.lines, actor=actor, batch_size=len(chunk.lines))
        row.created, row.updated, row.unchanged, row.held = (report.created, report.updated, report.unchanged,
                                                             report.held)
        row.errors = [list(error) for error in report.errors]
        row.save(update_fields=["created", "updated", "unchanged", "held", "errors"])
    return report


def record_failed_chunk(chunk: Chunk, *, failure: str) -> None:
    """The chunk's attempts are spent: say so, so that the command reports its lines as not imported."""
    try:
        with transaction.atomic():
            ImportChunk.objects.get_or_create(
                run=chunk.run, index=chunk.index,
                defaults={"first_line": chunk.first_line, "last_line": chunk.last_line,
                          "state": ImportChunk.State.FAILED, "failure": failure[:2000]})
    except IntegrityError:  # another delivery of it landed meanwhile
        pass


def merged_report(chunks: list[ImportChunk]) -> ImportReport:
    """The report of the whole file from its chunks' reports: the single-process import's numbers."""
    report = ImportReport()
    for chunk in chunks:
        if chunk.state == ImportChunk.State.DONE:
            report.created += chunk.created
            report.updated += chunk.updated
            report.unchanged += chunk.unchanged
            report.held += chunk.held
            report.errors.extend((int(number), str(message)) for number, message in chunk.errors)
    report.errors.sort(key=lambda error: error[0])
    return report
