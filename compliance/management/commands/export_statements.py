import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from compliance.exports.files import written_whole
from compliance.exports.provenance import ExportArgumentError, parse_moment
from compliance.exports.skipped import STRICT_HELP, Skipped
from compliance.exports.statement_rules import call_problems
from compliance.exports.transparency_db import calls, decisions_to_state


class Command(BaseCommand):
    help = ("Write DSA Transparency Database statements of reasons as JSON lines, each line the body of one "
            "POST /api/v1/statements call (at most 100 statements). A statement the database would refuse "
            "is skipped and named on stderr.")

    def add_arguments(self, parser):
        parser.add_argument("--since", default="", help="only decisions taken on or after this date (YYYY-MM-DD)")
        parser.add_argument("--out", required=True, help="file to write (.jsonl)")
        parser.add_argument("--strict", action="store_true", help=STRICT_HELP)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        try:
            since = parse_moment(options["since"], "since", end=False)
        except ExportArgumentError as exc:
            raise CommandError(str(exc)) from None
        out = Path(options["out"])
        bar = tqdm(total=decisions_to_state(since).count(), unit=" statements", desc="statements", file=sys.stderr,
                   disable=options["no_progress"])
        skipped = Skipped(self.stderr)

        def skip(decision, broken: list[str]) -> None:
            skipped.add(f"decision {decision.pk} ({decision.notice.reference})", f"would be refused: {broken[0]}")
            bar.update()

        written = lines = 0
        try:
            with written_whole(out) as file:
                for body, decisions in calls(since, skip=skip):
                    broken = call_problems(body)
                    if broken:  # the statements passed one by one; only the call as a whole can still fail
                        raise CommandError(f"a call would be refused: {broken[0]}")
                    file.write(json.dumps(body, ensure_ascii=False) + "\n")
                    written, lines = written + len(decisions), lines + 1
                    bar.update(len(decisions))
                if skipped and options["strict"]:
                    raise CommandError(skipped.strict_failure())
        except OSError as exc:
            raise CommandError(f"cannot write {out}: {exc.strerror}") from None
        finally:
            bar.close()
        self.stdout.write(f"{written} statements in {lines} calls written to {out}{skipped.summary()}")
