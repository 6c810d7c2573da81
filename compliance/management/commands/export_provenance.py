import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from compliance.exports.provenance import ExportArgumentError, ExportFilter
from compliance.exports.provenance_stream import (FORMATS, PersonalDataRefused, authorise_personal_data, chunks,
                                                  count_rows)


class Command(BaseCommand):
    help = "Export provenance records, one per article and per asset, as CSV, JSON or JSON-LD (PROV-O)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=list(FORMATS), default="csv")
        parser.add_argument("--source", action="append", default=[], help="slug or domain; repeatable")
        parser.add_argument("--since", default="", help="YYYY-MM-DD or ISO 8601 time (publication date)")
        parser.add_argument("--until", default="", help="YYYY-MM-DD (included) or ISO 8601 time")
        parser.add_argument("--status", action="append", default=[], help="article or asset status; repeatable")
        parser.add_argument("--with-personal-data", action="store_true",
                            help="include claimants' names and emails (needs --as a user allowed to see them)")
        parser.add_argument("--as", dest="username", default="", help="the user the export is made for")
        parser.add_argument("--out", required=True, help="file to write ('-' for standard output)")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        try:
            filters = ExportFilter.parse(sources=options["source"], since=options["since"], until=options["until"],
                                         statuses=options["status"])
            personal = authorise_personal_data(self._user(options["username"]), asked=options["with_personal_data"],
                                               filters=filters, via="cli:export_provenance")
        except (ExportArgumentError, PersonalDataRefused) as exc:
            raise CommandError(str(exc)) from None
        to_stdout = options["out"] == "-"
        try:
            out = sys.stdout.buffer if to_stdout else Path(options["out"]).open("wb")
        except OSError as exc:
            raise CommandError(f"cannot write {options['out']}: {exc.strerror}") from None
        bar = tqdm(total=count_rows(filters), unit=" rows", desc="provenance", file=sys.stderr, mininterval=1.0,
                   disable=options["no_progress"])
        written = 0
        try:
            for chunk in chunks(options["format"], filters, personal_data=personal):
                out.write(chunk.data)
                written += chunk.rows
                bar.update(chunk.rows)
        finally:
            bar.close()
            if not to_stdout:
                out.close()
        if not to_stdout:
            self.stdout.write(f"{written} rows written to {options['out']}"
                              + (" with claimants' personal data" if personal else ""))

    @staticmethod
    def _user(username: str):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}")
        return user
