import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from compliance.exports.audit_log import export_lines
from compliance.exports.files import written_whole
from compliance.models import AuditEntry


class Command(BaseCommand):
    help = "Write the audit log with its hashes as JSON lines, for an auditor to keep and check later."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="file to write (.jsonl)")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, out: str, no_progress: bool, **options):
        target = Path(out)
        bar = tqdm(total=AuditEntry.objects.count(), unit=" entries", desc="audit log", file=sys.stderr,
                   disable=no_progress)
        written = 0
        try:
            with written_whole(target) as file:
                for line in export_lines():
                    file.write(line)
                    written += 1
                    bar.update()
        except OSError as exc:
            raise CommandError(f"cannot write {target}: {exc.strerror}") from None
        finally:
            bar.close()
        self.stdout.write(f"{written} entries written to {target}")
