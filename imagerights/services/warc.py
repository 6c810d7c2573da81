"""Reading a web capture (WARC, ISO 28500) with warcio: its HTTP responses by URL.

A truncated or corrupt capture yields the records read before the damage and a note of it; a
record larger than the limit is skipped with a note, never loaded whole.
"""

from __future__ import annotations

import base64
import hashlib

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from django.conf import settings
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from articles.urlnorm import normalise_url


class CaptureError(ValueError):
    """A capture that cannot give a page; the message says why in one line."""


@dataclass(frozen=True)
class CapturedResponse:
    url: str
    status: int
    content_type: str
    body: bytes


@dataclass
class Capture:
    path: Path
    responses: list[CapturedResponse] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def page(self, url: str | None = None) -> CapturedResponse:
        """The response for ``url``, or the first HTML page of the capture."""
        if url:
            found = self.response_for(url)
            if found is None:
                raise CaptureError(f"{self.path.name} holds no successful response for {url}")
            return found
        for response in self.responses:
            if response.content_type in ("text/html", "application/xhtml+xml") and 200 <= response.status < 300:
                return response
        raise CaptureError(f"{self.path.name} holds no HTML page" + (f" ({self.problems[0]})" if self.problems else ""))

    def response_for(self, url: str, *, base: str = "") -> CapturedResponse | None:
        wanted = urljoin(base, url) if base else url
        keys = {wanted, _normalised(wanted)}
        for response in self.responses:
            if 200 <= response.status < 300 and (response.url in keys or _normalised(response.url) in keys):
                return response
        return None


def _normalised(url: str) -> str:
    try:
        return normalise_url(url)
    except ValueError:
        return url


def _damage(record, body: bytes) -> str:
    """Why a record's payload cannot be trusted whole (cut short, altered), or ""."""
    headers = record.http_headers
    if headers.get_header("Transfer-Encoding") or headers.get_header("Content-Encoding"):
        return ""  # the payload as sent differs from the decoded body: warcio's own checks only
    declared = (headers.get_header("Content-Length") or "").strip()
    if declared.isdigit() and int(declared) != len(body):
        return f"cut short ({len(body)} of {declared} bytes)"
    digest = record.rec_headers.get_header("WARC-Payload-Digest") or ""
    algorithm, _, expected = digest.partition(":")
    if algorithm.lower() in ("sha1", "sha256") and expected:
        actual = hashlib.new(algorithm.lower(), body).digest()
        if expected.upper() not in (base64.b32encode(actual).decode(), actual.hex().upper()):
            return "not what its payload digest says (cut short or altered)"
    return ""


def read_capture(path: Path) -> Capture:
    limit = settings.IMAGERIGHTS_MAX_WARC_RECORD_BYTES
    capture = Capture(path=path)
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise CaptureError(f"cannot read {path}: {exc.strerror}") from None
    with stream:
        records = 0
        try:
            for record in ArchiveIterator(stream):
                records += 1
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                body = record.content_stream().read(limit + 1)
                if len(body) > limit:
                    capture.problems.append(f"record {records} for {url} is over {limit} bytes: skipped")
                    continue
                damage = _damage(record, body)
                if damage:
                    capture.problems.append(f"record {records} for {url} is {damage}: skipped")
                    continue
                content_type = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
                status = int((record.http_headers.get_statuscode() or "0")[:3] or 0)
                capture.responses.append(CapturedResponse(url=url, status=status, content_type=content_type, body=body))
        except (ArchiveLoadFailed, EOFError, OSError, ValueError) as exc:
            capture.problems.append(f"capture damaged after {records} records: {' '.join(str(exc).split())[:200]}")
    if not capture.responses and capture.problems:
        raise CaptureError(f"{path.name} is not a readable web capture: {capture.problems[0]}")
    return capture
