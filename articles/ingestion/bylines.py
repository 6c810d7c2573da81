"""Bylines cleaned to names: "By TOM KRISHER, AP Auto Writer" -> Tom Krisher, affiliation "AP Auto Writer".

A byline carries more than a name: the "By" label, the writer's organisation or role, a
trailing "Published"/"Updated" with a date. The name is what a Creator is; the rest is kept as
the affiliation, never dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LABEL = re.compile(r"^\s*(?:written by|by|von|par|por|door|texte?)\s*:?\s+", re.IGNORECASE)
_TRAILER = re.compile(
    r"\s*(?:\||-|–|—|,)?\s*\b(?:published|updated|posted|last updated|veröffentlicht|aktualisiert|publié|mis à jour)\b.*$",
    re.IGNORECASE)
_DATE_TAIL = re.compile(r"[\s,|-]*(?:\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}).*$")
_SEPARATOR = re.compile(r"\s*(?:,|\||\s[-–—]\s|/)\s*")
_SEVERAL = re.compile(r"\s*(?:;|\band\b|\bund\b|\bet\b|&)\s*", re.IGNORECASE)
_ORGANISATION = re.compile(
    r"\b(?:wire services?|news service|staff|newsroom|editors?|redaktion|rédaction|desk|agency|agencies"
    r"|press|associated press|reuters|afp|dpa|news|media|times|post|journal|gazette|herald|tribune)\b",
    re.IGNORECASE)


@dataclass(frozen=True)
class Byline:
    name: str
    affiliation: str = ""


def _title_case(name: str) -> str:
    # "TOM KRISHER" is a name set in capitals, not an acronym: Tom Krisher.
    if name.isupper() and len(name) > 4 and " " in name:
        return " ".join(w.capitalize() if len(w) > 1 else w for w in name.split())
    return name


def clean_bylines(raw: str) -> list[Byline]:
    """Each person a byline names, with the organisation or role beside them; an organisation alone
    ("Detroit News wire services") is kept as its own name and affiliation."""
    text = " ".join((raw or "").split())
    text = _DATE_TAIL.sub("", _TRAILER.sub("", text))
    text = _LABEL.sub("", text).strip(" ,;|-")
    if not text:
        return []
    head, *rest = _SEPARATOR.split(text, maxsplit=1)
    affiliation = rest[0].strip(" ,;|-") if rest else ""
    names = [n.strip(" ,.") for n in _SEVERAL.split(head) if n.strip(" ,.")]
    bylines = []
    for name in names:
        name = name.strip()
        if _ORGANISATION.search(name) and len(name.split()) > 1 and not affiliation:
            bylines.append(Byline(name, name))
        else:
            bylines.append(Byline(_title_case(name), affiliation))
    return bylines


def is_organisation(name: str) -> bool:
    return bool(_ORGANISATION.search(name))
