from collections.abc import Iterator
from datetime import datetime

from compliance.exports.audit_log import export_lines
from compliance.exports.skipped import Skipped
from compliance.management.json_lines import JsonLinesExportCommand, Progress
from compliance.models import AuditEntry


class Command(JsonLinesExportCommand):
    help = "Write the audit log with its hashes as JSON lines, for an auditor to keep and check later."
    unit, desc = " entries", "audit log"

    def total(self, since: datetime | None) -> int:
        return AuditEntry.objects.count()

    def lines(self, since: datetime | None, *, progress: Progress, skipped: Skipped) -> Iterator[tuple[str, int]]:
        return ((line, 1) for line in export_lines())
