"""The fault suite's figures: each scenario records what it counted, and the run prints one table
(docs/operations.md carries a copy, with the command that reproduces it)."""

from __future__ import annotations

from dataclasses import dataclass

HEADER = ("scenario", "notices", "lost", "missed silently", "enforced twice", "max lateness (s)")


@dataclass(frozen=True)
class Figures:
    scenario: str
    notices: int
    lost: int
    missed: int
    twice: int
    max_lateness_seconds: float | None = None  # None: no deadline was due in this scenario

    def row(self) -> tuple[str, ...]:
        lateness = "–" if self.max_lateness_seconds is None else f"{self.max_lateness_seconds:.1f}"
        return (self.scenario, str(self.notices), str(self.lost), str(self.missed), str(self.twice), lateness)


RECORDED: list[Figures] = []


def record(figures: Figures) -> Figures:
    RECORDED.append(figures)
    return figures


def table(rows: list[Figures]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(figures.row()) + " |" for figures in rows]
    return "\n".join(lines)
