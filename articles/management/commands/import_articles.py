from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.services.importer import ImportReport, import_lines, read_lines


class Command(BaseCommand):
    help = "Import articles from a JSON-lines file: idempotent upsert by lookup key."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--by", default="cli:import_articles", help="actor recorded in provenance")
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        path: Path = options["file"]
        try:
            handle = path.open("rb")
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from None
        report = ImportReport()
        with handle, tqdm(total=path.stat().st_size, unit="B", unit_scale=True, desc="import",
                          disable=options["no_progress"], file=self.stderr._out) as bar:
            def lines():
                for number, text in read_lines(handle):
                    bar.update(len(text.encode("utf-8")) + 1)
                    yield number, text

            import_lines(lines(), actor=options["by"], report=report, batch_size=options["batch_size"])
        for number, message in report.errors:
            self.stderr.write(f"line {number}: {message}")
        self.stdout.write(
            f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged, "
            f"{report.held} held by the publish gate, {len(report.errors)} errors"
        )
        if report.errors and not (report.created or report.updated or report.unchanged):
            raise CommandError(f"no line of {path} could be imported")
