"""Write N synthetic articles as JSON lines, the input of the import benchmark.

    python bench/generate.py --count 100000 --out bench/data/articles-100k.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from tqdm import tqdm  # noqa: E402

from articles.synthetic import generate_records  # noqa: E402


def write_records(path: Path, count: int, *, seed: int = 2022, progress: bool = True) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8") as out:
        records = tqdm(generate_records(count, seed=seed), total=count, unit=" articles",
                       desc="generate", disable=not progress, file=sys.stderr)
        for record in records:
            out.write(json.dumps(record))
            out.write("\n")
    partial.replace(path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=None, help="default: bench/data/articles-<count>.jsonl")
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")
    path = write_records(args.out or default_path(args.count), args.count, seed=args.seed,
                         progress=not args.no_progress)
    print(f"{args.count} articles written to {path}")
    return 0


def default_path(count: int) -> Path:
    label = f"{count // 1000}k" if count % 1000 == 0 else str(count)
    return ROOT / "bench" / "data" / f"articles-{label}.jsonl"


if __name__ == "__main__":
    sys.exit(main())
