"""A notice's text as numbered lines, so every element can say exactly which line it came from.

Real notices arrive as web-form printouts (often markdown: `**question**` then the answer), agency
letters and plain emails. Each line keeps its number in the notice text as stored (the explanation the
reviewer sees) and a plain version without markdown emphasis, list bullets or heading marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from articles.shortening import shortened

QUOTED_LENGTH = 1000  # of a passage quoted in element_sources
_EMPHASIS = re.compile(r"(\*\*|__|~~|`)")
_LEADING_MARKS = re.compile(r"^\s*(?:#{1,6}\s+|[-*+•·]\s+|\d{1,3}[.)]\s+)")
_SINGLE_STARS = re.compile(r"(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])")
# A bracketed redaction stands where the sender typed a name (published notices are redacted).
REDACTION_TOKEN = re.compile(r"\[\s*(?:private|redacted|name\s+redacted|removed|personal\s+data)\s*\]", re.IGNORECASE)
REDACTION = re.compile(rf"^{REDACTION_TOKEN.pattern}$", re.IGNORECASE)
_ATTRIBUTION = re.compile(
    r"^(?:on\s.{4,120}\swrote:|am\s.{4,120}\sschrieb|le\s.{4,120}\sa\s+écrit\s*:|el\s.{4,120}\sescribió:"
    r"|-{2,}\s*(?:original\s+message|ursprüngliche\s+nachricht|message\s+d'origine|mensaje\s+original)\s*-{2,})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Line:
    number: int  # 1-based, in the notice text as stored
    raw: str
    plain: str  # without markdown emphasis, bullets or quote marks; stripped
    quoted: bool  # a "> " line: someone else's words coming back in a reply

    @property
    def bold(self) -> bool:
        """A whole line in bold: how a web-form printout writes its questions."""
        text = self.raw.strip().lstrip(">").strip()
        return text.startswith(("**", "__")) and len(text) > 4


@dataclass(frozen=True)
class Source:
    """Where an element was read: the first and last line of the passage, and their text."""

    line: int
    last_line: int
    text: str

    def as_json(self) -> dict:
        # A quote for the review page, shortened visibly: the stored mail holds the passage whole.
        return {"line": self.line, "last_line": self.last_line, "text": shortened(self.text, QUOTED_LENGTH)}


def plain_text(raw: str) -> str:
    text = raw.strip()
    while text.startswith(">"):
        text = text[1:].strip()
    text = _LEADING_MARKS.sub("", text)
    text = _EMPHASIS.sub("", text)
    text = _SINGLE_STARS.sub("", text)
    return " ".join(text.replace("\xa0", " ").split())


def notice_lines(text: str) -> list[Line]:
    return [Line(number, raw, plain_text(raw), raw.lstrip().startswith(">"))
            for number, raw in enumerate(text.splitlines(), start=1)]


def own_lines(lines: list[Line]) -> list[Line]:
    """The sender's own words: "> " lines out (a reply quoting us, inline or below), and everything
    below a reply attribution ("On … wrote:") too, since clients quote without marks as often as with."""
    own: list[Line] = []
    for line in lines:
        if _ATTRIBUTION.match(line.plain):
            break
        if not line.quoted:
            own.append(line)
    return own


def source_of(lines: list[Line]) -> Source:
    return Source(lines[0].number, lines[-1].number, "\n".join(line.raw.rstrip() for line in lines))


@dataclass(frozen=True)
class Flat:
    """The lines joined by spaces (statements wrap mid-sentence), mapping offsets back to lines."""

    text: str
    starts: tuple[int, ...]
    lines: tuple[Line, ...]

    def source(self, start: int, end: int) -> Source:
        first = last = 0
        for index, offset in enumerate(self.starts):
            if offset <= start:
                first = index
            if offset < end:
                last = index
        return source_of(list(self.lines[first:last + 1]))


def flatten(lines: list[Line]) -> Flat:
    parts: list[str] = []
    starts: list[int] = []
    offset = 0
    for line in lines:
        starts.append(offset)
        parts.append(line.plain)
        offset += len(line.plain) + 1
    return Flat(" ".join(parts), tuple(starts), tuple(lines))
