import json
from collections.abc import Iterator
from datetime import datetime

from compliance.exports.lumen import bodies, problems, to_share_count
from compliance.exports.skipped import Skipped
from compliance.management.json_lines import JsonLinesExportCommand, Progress


class Command(JsonLinesExportCommand):
    help = ("Write notices, then counter-notices, as JSON lines, each the body of Lumen's POST /notices, "
            "without claimants' contact details. A record Lumen cannot take (a notice with no items) is "
            "skipped and named on stderr.")
    unit, desc = " notices", "lumen"
    since_help, strict = "only notices received on or after this date (YYYY-MM-DD)", True

    def total(self, since: datetime | None) -> int:
        return to_share_count(since)

    def lines(self, since: datetime | None, *, progress: Progress, skipped: Skipped) -> Iterator[tuple[str, int]]:
        for reference, body in bodies(since):
            broken = problems(body)
            if broken:
                skipped.add(reference, f"Lumen cannot take it: {broken[0]}")
                progress(1)
                continue
            yield json.dumps(body, ensure_ascii=False) + "\n", 1
