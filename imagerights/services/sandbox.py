"""Parsing untrusted files in a subprocess with a time and a memory limit (DESIGN "Pitfalls").

A crash, a hang or a memory blow-up ends that process only; the caller gets a ParseFailure with one
line of reason and records it.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


class ParseFailure(RuntimeError):
    """The parser process did not answer: crashed, timed out, ran out of memory."""


def _limits(memory_bytes: int, cpu_seconds: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


def trust_anchors_pem() -> str:
    path = settings.IMAGERIGHTS_C2PA_TRUST_ANCHORS
    if not path:
        return ""
    try:
        return Path(path).read_text()
    except OSError as exc:
        raise ParseFailure(f"cannot read the C2PA trust anchors at {path}: {exc.strerror}") from None


def parser_environment() -> dict[str, str]:
    """Only what the parser needs: a hostile file's parser never sees our secrets (database URL,
    secret key, mail and webhook credentials), which live in this process's environment."""
    return {"PATH": os.defpath, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PYTHONPATH": str(ROOT),
            "PYTHONDONTWRITEBYTECODE": "1", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1"}


def parse_in_subprocess(data: bytes, *, content_type: str, image_only: bool = False) -> dict[str, Any]:
    """{"image": {...}, "iptc_xmp": {...}, "c2pa": {...}} as imagerights.services.parse_worker answers
    (only "image", with the pHash, when ``image_only``)."""
    header = {"content_type": content_type, "max_pixels": settings.IMAGERIGHTS_MAX_PIXELS,
              "trust_anchors": "" if image_only else trust_anchors_pem(), "only": "image" if image_only else ""}
    seconds = settings.IMAGERIGHTS_PARSE_SECONDS
    env = parser_environment()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "imagerights.services.parse_worker"],
            input=json.dumps(header).encode() + b"\n" + data, capture_output=True, timeout=seconds, cwd=ROOT, env=env,
            preexec_fn=_limits(settings.IMAGERIGHTS_PARSE_MEMORY_BYTES, seconds),
        )
    except subprocess.TimeoutExpired:
        raise ParseFailure(f"parser gave no answer within {seconds} s") from None
    if done.returncode != 0:
        last = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["no output"])[-1]
        raise ParseFailure(f"parser exited with status {done.returncode}: {last[:250]}")
    try:
        return json.loads(done.stdout)
    except ValueError:
        raise ParseFailure("parser answered something that is not JSON") from None
