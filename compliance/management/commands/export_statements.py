import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from django.core.management.base import CommandError

from compliance.exports.skipped import Skipped
from compliance.exports.statement_rules import call_problems
from compliance.exports.transparency_db import calls, decisions_to_state
from compliance.management.json_lines import JsonLinesExportCommand, Progress


class Command(JsonLinesExportCommand):
    help = ("Write DSA Transparency Database statements of reasons as JSON lines, each line the body of one "
            "POST /api/v1/statements call (at most 100 statements). A statement the database would refuse "
            "is skipped and named on stderr.")
    unit, desc = " statements", "statements"
    since_help, strict = "only decisions taken on or after this date (YYYY-MM-DD)", True

    def total(self, since: datetime | None) -> int:
        return decisions_to_state(since).count()

    def lines(self, since: datetime | None, *, progress: Progress, skipped: Skipped) -> Iterator[tuple[str, int]]:
        def skip(decision, broken: list[str]) -> None:
            skipped.add(f"decision {decision.pk} ({decision.notice.reference})", f"would be refused: {broken[0]}")
            progress(1)

        for body, decisions in calls(since, skip=skip):
            broken = call_problems(body)
            if broken:  # the statements passed one by one; only the call as a whole can still fail
                raise CommandError(f"a call would be refused: {broken[0]}")
            yield json.dumps(body, ensure_ascii=False) + "\n", len(decisions)

    def summary(self, written: int, lines: int, out: Path) -> str:
        return f"{written} statements in {lines} calls written to {out}"
