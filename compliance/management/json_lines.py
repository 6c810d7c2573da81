"""What the JSON-lines export commands share: their arguments (--since, --out, --strict, --no-progress),
a progress bar on stderr, a file written whole or not at all, records skipped by name, and the summary."""

from __future__ import annotations

import sys
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from compliance.exports.files import written_whole
from compliance.exports.provenance import ExportArgumentError, parse_moment
from compliance.exports.skipped import STRICT_HELP, Skipped

Progress = Callable[[int], object]


class JsonLinesExportCommand(BaseCommand, ABC):
    """A subclass says what it counts (`unit`, `desc`), whether it takes --since (`since_help`) and
    --strict (`strict`), how many records it expects (`total`) and yields each line with the number of
    records in it (`lines`); a record it leaves out it names in `skipped` and counts with `progress`."""

    unit = " records"
    desc = "export"
    since_help = ""  # empty: no --since
    strict = False

    def add_arguments(self, parser) -> None:
        if self.since_help:
            parser.add_argument("--since", default="", help=self.since_help)
        parser.add_argument("--out", required=True, help="file to write (.jsonl)")
        if self.strict:
            parser.add_argument("--strict", action="store_true", help=STRICT_HELP)
        parser.add_argument("--no-progress", action="store_true")

    @abstractmethod
    def total(self, since: datetime | None) -> int:
        """How many records the export expects (the progress bar's end)."""

    @abstractmethod
    def lines(self, since: datetime | None, *, progress: Progress, skipped: Skipped) -> Iterator[tuple[str, int]]:
        """Each line to write, with the number of records in it."""

    def summary(self, written: int, lines: int, out: Path) -> str:
        return f"{written}{self.unit} written to {out}"

    def handle(self, *args, **options) -> None:
        try:
            since = parse_moment(options["since"], "since", end=False) if self.since_help else None
        except ExportArgumentError as exc:
            raise CommandError(str(exc)) from None
        out = Path(options["out"])
        bar = tqdm(total=self.total(since), unit=self.unit, desc=self.desc, file=sys.stderr,
                   disable=options["no_progress"])
        skipped = Skipped(self.stderr)
        written = lines = 0
        try:
            with written_whole(out) as file:
                for line, records in self.lines(since, progress=bar.update, skipped=skipped):
                    file.write(line)
                    written, lines = written + records, lines + 1
                    bar.update(records)
                if skipped and options.get("strict"):
                    raise CommandError(skipped.strict_failure())
        except OSError as exc:
            raise CommandError(f"cannot write {out}: {exc.strerror}") from None
        finally:
            bar.close()
        self.stdout.write(self.summary(written, lines, out) + skipped.summary())
