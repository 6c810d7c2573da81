"""What the reviewer sees of where each element of a notice was read: the lines, highlighted."""

from __future__ import annotations

from dataclasses import dataclass, field

from compliance.models import Notice

ELEMENT_LABELS = {
    "signature": "Signature",
    "good_faith": "Good-faith statement",
    "accuracy": "Accuracy statement",
    "perjury": "Under penalty of perjury",
    "authority": "Authority to act",
    "address": "Postal address",
    "phone": "Phone",
    "work": "The work",
}


@dataclass(frozen=True)
class ElementRow:
    label: str
    line: int
    last_line: int
    text: str


@dataclass
class TextLine:
    number: int
    text: str
    elements: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class NoticeSources:
    elements: list[ElementRow]
    lines: list[TextLine]
    references: list[dict]

    @property
    def any(self) -> bool:
        return bool(self.elements or self.references)


def sources_of(notice: Notice) -> NoticeSources:
    """Lines are numbered as in the stored explanation (the notice's text), which is what intake read."""
    raw = notice.element_sources or {}
    rows = [ElementRow(ELEMENT_LABELS.get(name, name), int(src.get("line", 0)), int(src.get("last_line", 0)),
                       str(src.get("text", "")))
            for name, src in raw.items() if isinstance(src, dict)]
    rows.sort(key=lambda row: (row.line, row.label))
    lines = [TextLine(number, text) for number, text in enumerate(notice.explanation.splitlines(), start=1)]
    for row in rows:
        for line in lines[max(row.line - 1, 0):row.last_line]:
            line.elements.append(row.label)
    return NoticeSources(rows, lines, [r for r in notice.reference_urls or [] if isinstance(r, dict)])
