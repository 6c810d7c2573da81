"""The claimant's contact details (postal address, phone) and the identification of the work, from the body.

Read from labelled lines ("Phone: …", "Address:" with the address on the following lines), from the
answers under a form's questions ("So that we can get back to you, please provide either your telephone
number or physical address", "Please describe the original copyrighted work"), and, for the phone, from
a line that is nothing but a telephone number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from compliance.parsing.notice_lines import Line, Source, source_of

_PHONE_LABEL = re.compile(
    r"^(?:(?:tele)?phone|tel|mobile|cell(?:\s*phone)?|telefon(?:nummer)?|téléphone|tél|teléfono|móvil"
    r"|telefon\s+komórkowy|телефон|тел|мобільний|моб)(?![^\W\d_])\.?(?:\s+(?:number|no\.?|nr\.?))?\s*[:：]?\s*(.*)$",
    re.IGNORECASE,
)
_PHONE_VALUE = re.compile(r"^\+?[\d\s().\-/]{7,25}(?:\s*(?:ext\.?|x)\s*\d{1,5})?$")
_ADDRESS_LABEL = re.compile(
    r"^(?:(?:postal|mailing|physical|street|business|office)\s+)?address|^anschrift|^postanschrift|^adresse(?:\s+postale)?"
    r"|^direcci[oó]n(?:\s+postal)?|^domicilio|^adres(?:\s+(?:pocztowy|do\s+korespondencji))?|^адреса|^адрес",
    re.IGNORECASE,
)
_CONTACT_PROMPT = re.compile(
    r"telephone\s+number\s+or\s+(?:physical|postal|mailing)\s+address|(?:physical|postal|mailing)\s+address"
    r"|your\s+(?:telephone|phone)\s+number|contact\s+(?:information|details)\s+(?:of|for)\s+(?:you|the\s+claimant)",
    re.IGNORECASE,
)
_STREET = re.compile(
    r"\d+[a-z]?,?\s+(?:[\w.'-]+\s+){0,4}?(?:street|st\.?|avenue|ave\.?|road|rd\.?|boulevard|blvd\.?|lane|ln\.?"
    r"|drive|dr\.?|way|place|pl\.?|square|suite|floor)\b"
    r"|\b[\wäöüß-]+(?:straße|strasse|str\.|weg|platz|allee|gasse)\s*\d+"
    r"|\b\d+,?\s+(?:rue|avenue|boulevard|bd|place|chemin|allée)\b|\b(?:calle|avenida|avda\.?|c/)\s+\w+"
    r"|\bul\.\s*\w+|\bвул(?:иця|\.)\s*\w+|\bпр(?:оспект|\.)\s*\w+|\bP\.?\s?O\.?\s+Box\b",
    re.IGNORECASE,
)
_WORK_QUESTION = re.compile(
    r"\b(?:describe|description\s+of|identify|identification\s+of)\s+(?:\w+\s+){0,3}?(?:copyrighted\s+)?"
    r"(?:work|material|content|photo\w*|image|article)"
    r"|what\s+(?:work|content|material)\s+(?:was|is|has\s+been)\s+(?:allegedly\s+)?(?:infringed|copied)",
    re.IGNORECASE,
)
# "Original work: …", "Werk: …": a label, its value after the colon.
_WORK_LABEL = re.compile(
    r"^(?:(?:the\s+)?(?:original|copyrighted|infringed|protected)\s+(?:work|content|material|photo(?:graph)?|article)"
    r"|(?:description\s+of\s+the\s+|identification\s+of\s+the\s+(?:copyrighted\s+)?)?work(?:\s+infringed)?"
    r"|(?:das\s+)?(?:original)?werk|geschützte[sn]?\s+werk|(?:l')?(?:œuvre|oeuvre)(?:\s+originale)?|(?:la\s+)?obra"
    r"(?:\s+original)?|utw[oó]r(?:\s+oryginalny)?|(?:оригінальний\s+)?твір|оригінал|произведение)\s*[:：]\s*(.+)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Found:
    value: str
    source: Source


def find_phone(lines: list[Line]) -> Found | None:
    for index, line in enumerate(lines):
        if (match := _PHONE_LABEL.match(line.plain)) and _is_phone(value := match.group(1)):
            return Found(value, source_of([line]))
        if match and not match.group(1) and index + 1 < len(lines) and _is_phone(lines[index + 1].plain):
            return Found(lines[index + 1].plain, source_of(lines[index:index + 2]))
    for index, line in enumerate(lines):
        if _CONTACT_PROMPT.search(line.plain):
            for answer in _answer(lines, index):
                if _is_phone(answer.plain):
                    return Found(answer.plain, source_of([answer]))
    bare = next((line for line in lines if _is_phone(line.plain) and line.plain.startswith("+")), None)
    return Found(bare.plain, source_of([bare])) if bare else None


def find_address(lines: list[Line]) -> Found | None:
    for index, line in enumerate(lines):
        match = re.match(r"^(.{2,40}?)\s*[:：]\s*(.*)$", line.plain)
        if match and _ADDRESS_LABEL.match(match.group(1)) and "email" not in match.group(1).lower():
            block = ([line] if match.group(2) else []) + _block(lines, index + 1, limit=4)
            if block:
                return _address(block, first_value=match.group(2))
    for index, line in enumerate(lines):
        if _CONTACT_PROMPT.search(line.plain):
            answer = [a for a in _answer(lines, index) if not _is_phone(a.plain)]
            if answer:
                return _address(answer, first_value=answer[0].plain)
    for index, line in enumerate(lines):
        if _STREET.search(line.plain) and len(line.plain) <= 120 and not line.bold and "://" not in line.plain:
            return _address([line] + _block(lines, index + 1, limit=3), first_value=line.plain)
    return None


def find_work(lines: list[Line]) -> Found | None:
    for index, line in enumerate(lines):
        if (label := _WORK_LABEL.match(line.plain)) and len(label.group(1).strip()) > 2:
            return Found(label.group(1).strip(), source_of([line]))
        if _WORK_QUESTION.search(line.plain) and (answer := _answer(lines, index, limit=12)):
            return Found("\n".join(a.plain for a in answer), source_of(answer))
    return None


def _address(block: list[Line], *, first_value: str) -> Found:
    values = [first_value] + [line.plain for line in block[1:]] if first_value else [line.plain for line in block]
    return Found("\n".join(v for v in values if v), source_of(block))


def _block(lines: list[Line], start: int, *, limit: int) -> list[Line]:
    """Consecutive non-blank lines from `start`, stopping at a blank line, a new label or a question."""
    block: list[Line] = []
    for line in lines[start:start + limit]:
        if not line.plain or line.bold or (block and re.match(r"^[\w\s.-]{2,30}:", line.plain)):
            break
        if block and line.number != block[-1].number + 1:
            break
        block.append(line)
    return block


def _answer(lines: list[Line], question: int, *, limit: int = 4) -> list[Line]:
    """The answer under a form question: the lines up to the next bold question or blank gap."""
    answer: list[Line] = []
    for line in lines[question + 1:question + 1 + limit]:
        if line.bold or line.plain.endswith("?"):
            break
        if not line.plain:
            if answer:
                break
            continue
        answer.append(line)
    return [a for a in answer if a.plain.casefold().rstrip(".") not in {"n/a", "none", "no", "yes"}]


def _is_phone(text: str) -> bool:
    text = text.strip()
    return bool(_PHONE_VALUE.match(text)) and sum(ch.isdigit() for ch in text) >= 7
