from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.importing.chunks import CHUNK_SIZE, Chunk
from articles.importing.parallel import (ParallelImportStalled, ParallelImportUnavailable, check_available,
                                         import_in_parallel)
from articles.services.importer import ImportReport, import_lines, read_lines


class Command(BaseCommand):
    help = ("Import articles from a JSON-lines file: idempotent upsert by lookup key. With --workers N the "
            "file is cut into chunks of --chunk-size lines that Celery workers (queue 'import', on this machine "
            "or others; PostgreSQL only) import in parallel, each chunk in one transaction: the same report, "
            "a chunk that fails is retried and, failing still, reported with its lines, never half-written.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--by", default="cli:import_articles", help="actor recorded in provenance")
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument("--workers", type=int, default=0, metavar="N",
                            help="import through N Celery worker processes consuming the 'import' queue "
                                 "(2 × N chunks in flight); needs PostgreSQL")
        parser.add_argument("--chunk-size", type=int, default=CHUNK_SIZE,
                            help=f"lines per chunk with --workers (default {CHUNK_SIZE})")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        path: Path = options["file"]
        if options["workers"] < 0 or options["chunk_size"] < 1:
            raise CommandError("--workers and --chunk-size must be positive")
        if options["workers"]:
            try:
                check_available()
            except ParallelImportUnavailable as exc:
                raise CommandError(str(exc)) from None
        try:
            handle = path.open("rb")
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from None
        with handle:
            if options["workers"]:
                report, failed = self._import_in_parallel(handle, path, options)
            else:
                report, failed = self._import_here(handle, path, options), []
        for number, message in report.errors:
            self.stderr.write(f"line {number}: {message}")
        for first, last, failure in failed:
            self.stderr.write(f"lines {first}-{last}: not imported ({failure})")
        self.stdout.write(
            f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged, "
            f"{report.held} held by the publish gate, {len(report.errors)} errors"
        )
        if failed:
            raise CommandError(f"{len(failed)} chunks of {path} were not imported; the same command again imports "
                               f"them (what landed is found unchanged)")
        if report.errors and not (report.created or report.updated or report.unchanged):
            raise CommandError(f"no line of {path} could be imported")

    def _import_here(self, handle, path: Path, options) -> ImportReport:
        report = ImportReport()
        with tqdm(total=path.stat().st_size, unit="B", unit_scale=True, desc="import",
                  disable=options["no_progress"], file=self.stderr._out) as bar:
            def lines():
                for number, text in read_lines(handle):
                    bar.update(len(text.encode("utf-8")) + 1)
                    yield number, text

            import_lines(lines(), actor=options["by"], report=report, batch_size=options["batch_size"])
        return report

    def _import_in_parallel(self, handle, path: Path, options) -> tuple[ImportReport, list[tuple[int, int, str]]]:
        from articles.tasks import import_article_chunk

        def send(chunk: Chunk) -> None:
            import_article_chunk.delay(chunk.message(), actor=options["by"])

        workers = options["workers"]
        with tqdm(total=_line_count(handle), unit=" lines", desc=f"import ({workers} workers)",
                  disable=options["no_progress"], file=self.stderr._out) as bar:
            try:
                done = import_in_parallel(read_lines(handle), send=send, workers=workers,
                                          chunk_size=options["chunk_size"], on_chunk=bar.update)
            except ParallelImportStalled as exc:
                raise CommandError(str(exc)) from None
        return done.report, [(row.first_line, row.last_line, row.failure) for row in done.failed]


def _line_count(handle) -> int:
    """For the progress bar: the file's lines, counted in blocks (a blank line counts, and is skipped later)."""
    lines = sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))
    handle.seek(0)
    return lines
