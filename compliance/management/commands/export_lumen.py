import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from compliance.exports.files import written_whole
from compliance.exports.lumen import bodies, problems, to_share_count
from compliance.exports.provenance import ExportArgumentError, parse_moment
from compliance.exports.skipped import STRICT_HELP, Skipped


class Command(BaseCommand):
    help = ("Write notices, then counter-notices, as JSON lines, each the body of Lumen's POST /notices, "
            "without claimants' contact details. A record Lumen cannot take (a notice with no items) is "
            "skipped and named on stderr.")

    def add_arguments(self, parser):
        parser.add_argument("--since", default="", help="only notices received on or after this date (YYYY-MM-DD)")
        parser.add_argument("--out", required=True, help="file to write (.jsonl)")
        parser.add_argument("--strict", action="store_true", help=STRICT_HELP)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        try:
            since = parse_moment(options["since"], "since", end=False)
        except ExportArgumentError as exc:
            raise CommandError(str(exc)) from None
        out = Path(options["out"])
        bar = tqdm(total=to_share_count(since), unit=" notices", desc="lumen", file=sys.stderr,
                   disable=options["no_progress"])
        skipped = Skipped(self.stderr)
        written = 0
        try:
            with written_whole(out) as file:
                for reference, body in bodies(since):
                    bar.update()
                    broken = problems(body)
                    if broken:
                        skipped.add(reference, f"Lumen cannot take it: {broken[0]}")
                        continue
                    file.write(json.dumps(body, ensure_ascii=False) + "\n")
                    written += 1
                if skipped and options["strict"]:
                    raise CommandError(skipped.strict_failure())
        except OSError as exc:
            raise CommandError(f"cannot write {out}: {exc.strerror}") from None
        finally:
            bar.close()
        self.stdout.write(f"{written} notices written to {out}{skipped.summary()}")
