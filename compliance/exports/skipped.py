"""What an export leaves out because its target cannot express it: named one by one, counted, never fatal
unless asked (`--strict`), so one odd record cannot cost an auditor the whole export."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


class Writer(Protocol):
    """A command's stderr, or any text stream."""

    def write(self, text: str, /) -> object: ...

STRICT_HELP = "fail (exit 1, no file written) when any record has to be skipped"


@dataclass
class Skipped:
    stderr: Writer
    references: list[str] = field(default_factory=list)

    def add(self, reference: str, why: str) -> None:
        self.references.append(reference)
        self.stderr.write(f"skipped {reference}: {why}\n")

    def __len__(self) -> int:
        return len(self.references)

    def summary(self) -> str:
        return f"; {len(self)} skipped (named on stderr)" if self.references else ""

    def strict_failure(self) -> str:
        return f"{len(self)} record(s) could not be exported and --strict is set; no file was written"
