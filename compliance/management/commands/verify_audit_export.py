from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from compliance.exports.audit_log import check_export, check_extends


class Command(BaseCommand):
    help = ("Check an exported audit log's hash chain, and with --extends that it continues an earlier "
            "export unchanged; exits non-zero naming the first problem. Needs no database.")
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("export", type=Path)
        parser.add_argument("--extends", type=Path, help="an earlier export this one must continue")

    def handle(self, *args, export: Path, extends: Path | None, **options):
        try:
            with export.open(encoding="utf-8") as later:
                if extends:
                    with extends.open(encoding="utf-8") as earlier:
                        result = check_extends(later, earlier)
                else:
                    result = check_export(later)
        except OSError as exc:
            raise CommandError(f"cannot read {exc.filename}: {exc.strerror}") from None
        if not result.ok:
            raise CommandError(result.message)
        self.stdout.write(result.message)
