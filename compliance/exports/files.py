"""Export files appear whole or not at all: written beside their place, then renamed over it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO


@contextmanager
def written_whole(out: Path) -> Iterator[TextIO]:
    partial = out.with_name(f".{out.name}.partial")
    try:
        with partial.open("w", encoding="utf-8") as file:
            yield file
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
