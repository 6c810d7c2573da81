"""Run the project's benchmarks; each prints a result line and records it in bench/results/<name>.json.

    python bench/run.py                        # every benchmark (what `make bench` runs)
    python bench/run.py --only import          # one of them: import, notice_match, mail_store, sla_sweep,
                                               # staydown, provenance_export, image_gate, import_workers
    python bench/run.py --quick                # smaller inputs, for development

One module per benchmark (bench/article_import.py, bench/notice_match.py, bench/mail_store.py,
bench/sla_sweep.py, bench/staydown.py, bench/provenance_export.py, bench/image_gate.py,
bench/import_workers.py),
each with `run(context) -> (results, database version)`; bench/common.py holds what they share.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from types import ModuleType

from tqdm import tqdm

import article_import
import image_gate
import import_workers
import mail_store
import notice_match
import provenance_export
import sla_sweep
import staydown
from common import ROOT, BenchError, Context, machine, record

BENCHMARKS: dict[str, ModuleType] = {module.NAME: module for module in (article_import, notice_match, mail_store,
                                                                       sla_sweep, staydown, provenance_export,
                                                                       image_gate, import_workers)}


def run(names: list[str], context: Context) -> bool:
    all_met = True
    bar = tqdm(names, unit=" benchmark", desc="bench", disable=not context.progress, file=sys.stderr)
    for name in bar:
        context.stage = lambda stage, name=name: bar.set_postfix_str(f"{name}: {stage}")
        results, database = BENCHMARKS[name].run(context)
        path = record(name, results, context=context, database=database)
        for result in results:
            tqdm.write(result.line())
            all_met = all_met and result.met
        tqdm.write(f"  recorded in {path.relative_to(ROOT)} ({database}; {machine()['description']})")
    return all_met


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=list(BENCHMARKS), action="append", help="run only this benchmark")
    parser.add_argument("--count", type=int, default=100_000, help="articles to import (default 100000)")
    parser.add_argument("--quick", action="store_true",
                        help=f"smaller inputs: {article_import.QUICK_COUNT} articles to import, "
                             f"{notice_match.QUICK_ARTICLES} articles to match against, {mail_store.QUICK_MAILS} mails")
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")
    command = shlex.join(["python", "bench/run.py", *sys.argv[1:]]) if argv is None else shlex.join(argv)
    context = Context(count=args.count, command=command, progress=not args.no_progress, quick=args.quick)
    try:
        met = run(args.only or list(BENCHMARKS), context)
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
