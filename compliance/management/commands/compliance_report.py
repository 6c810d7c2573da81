from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from compliance.reports.compliance_report import build_report
from compliance.reports.period import parse_period
from compliance.reports.render import to_csv, to_html, to_json

RENDERERS = {"html": to_html, "csv": to_csv, "json": to_json}


class Command(BaseCommand):
    help = ("The compliance and transparency report for a month or a year (DSA Art. 15/24 headings): "
            "notices, outcomes, time to action, breaches, counter-notices, suspensions, a chart.")

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="a month (2026-11) or a year (2026), UTC")
        parser.add_argument("--format", choices=sorted(RENDERERS), default="html")
        parser.add_argument("--out", help="a file to write; standard output when left out")

    def handle(self, *args, period: str, format: str, out: str | None, **options):
        try:
            chosen = parse_period(period)
        except ValueError as error:
            raise CommandError(str(error)) from None
        text = RENDERERS[format](build_report(chosen, now=timezone.now()))
        if out:
            try:
                Path(out).write_text(text, encoding="utf-8")
            except OSError as error:
                raise CommandError(f"cannot write {out}: {error.strerror}") from None
            self.stderr.write(f"wrote {out}")
        else:
            self.stdout.write(text, ending="")
