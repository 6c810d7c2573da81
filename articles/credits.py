"""Who a credit line names: "Photo by John Moore/Getty Images" -> John Moore of Getty Images.

Rules are tried in order and the first that applies decides; each says how sure it is. A line
that no rule reads names nobody: a caption is never made a rights holder.

    1. agency first        "AP Photo/Evan Vucci", "Reuters/Ann Lee"       high
    2. via a distributor   "Ann Lee/AFP via Getty Images", "Image: X via Y" high
    3. for a publication   "Photo by Ann Lee for The Times"                high
    4. creator/holder      "Ann Lee/Getty Images", "aremac / Clipdealer"   high with an agency, else medium
    5. an agency alone     "Getty Images", "(Reuters)", "© AFP 2022"       high
    6. one labelled name   "Source: Ministry of Defence", "© Origin Media" medium, low without a label
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Agencies and picture libraries whose names alone are a credit.
AGENCIES = (r"Getty Images|AFP|AP|Associated Press|Reuters|EPA(?:-EFE)?|Shutterstock(?:\.com)?|Alamy"
            r"|Bloomberg|Sipa(?: USA)?|Anadolu(?: Agency)?|TASS|Xinhua|NurPhoto|SOPA Images"
            r"|LightRocket|Pool|Redux|Polaris|ZUMA(?: Press| Wire)?|Imago(?: images)?|dpa|picture[- ]alliance"
            r"|Keystone|ANSA|APA|KNA|ddp|epd(?:-Bild)?|iStock(?:photo)?|Unsplash|Pixabay|Pexels|Fotolia(?:\.com)?"
            r"|Adobe ?Stock|stock\.adobe\.com|Depositphotos|123RF|Colourbox|Panthermedia|Westend61|Allsport"
            r"|Flickr|Wikimedia Commons|Wikipedia")
_AGENCY = re.compile(rf"(?:{AGENCIES})", re.IGNORECASE)
_LABEL = re.compile(
    r"^\s*(?:(?:photo(?:graph)?s?|image|picture|video|footage|map|graphic|illustration|foto|fotos|bild"
    r"|bildquelle|quelle|credits?|cr[ée]dits?|sources?|fuente|courtesy(?: of)?)\b\s*(?:by\b|:|\.\.\.|…)?"
    r"|©|\(c\)|copyright\b)\s*",
    re.IGNORECASE,
)
_LICENSE = re.compile(r"[\s|,;(]*(?:\b(?:Lizenz|Licen[cs]e)\s*:?\s*)?\b(?:CC0|CC[- ](?:BY|0)(?:[- ](?:SA|NC|ND))*(?:[- ]\d\.\d)?|public domain)\b\)?",
                      re.IGNORECASE)
# "(Image: Getty Images) Getty": the bracketed credit, then the same name again as text.
_BRACKETED_CREDIT = re.compile(r"^\((?P<credit>[^()]+)\)\s*\S.*$")
_RESERVED = re.compile(r"[\s,.;]*(?:all rights reserved|alle rechte vorbehalten|tous droits réservés"
                       r"|todos los derechos reservados)\b.*$", re.IGNORECASE)
_YEAR = re.compile(r"(?:^|[\s,])(?:\d{1,2}\.\d{1,2}\.)?(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?(?=$|[\s,.;])")
_LEADING = re.compile(r"^(?:[\s,.:;–—-]+|by\s+)+", re.IGNORECASE)
_TRAILING = re.compile(r"[\s.;,:|•-]+$")
_SEPARATOR = re.compile(r"\s*(?:/|\||\u2044|\s[–—-]\s)\s*")
# A remark in brackets after a name: "(M)", "(Ausschnitt)", "(bearbeitet durch …)", "(Symbolbild)".
_REMARK = re.compile(r"\s*\([^()]*\)\s*$")
_AGENCY_FIRST = re.compile(rf"^(?P<agency>{AGENCIES})(?:\s+(?:Photo|Images?|Foto))?\s*(?:/|\bby\b)\s*(?P<rest>.+)$",
                           re.IGNORECASE)
# A holder longer than this, or of more words, is prose: the line was a caption, not a credit.
MAX_NAME = 60
MAX_WORDS = 7


@dataclass(frozen=True)
class Credit:
    creator: str
    holder: str
    rule: str = field(default="", compare=False)  # which rule read it
    confidence: str = field(default="", compare=False)  # "high", "medium", "low"; "" when nobody is named
    license: str = field(default="", compare=False)


def parse_credit(credit_line: str, *, credit_element: bool = False) -> Credit:
    """Split a credit line into the person who made the work and who holds its rights.

    ``credit_element``: the line is the whole text of an element the page marks as the credit, so a
    bare name there is a credit as much as one after "Photo:"."""
    text = " ".join((credit_line or "").replace("\u200b", "").split())
    license_match = _LICENSE.search(text)
    license_text = re.sub(r"^(?:Lizenz|Licen[cs]e)\s*:?\s*", "", license_match.group(0).strip(" |,;()"),
                          flags=re.IGNORECASE) if license_match else ""
    text = (text[:license_match.start()] + " " + text[license_match.end():]).strip() if license_match else text
    bracketed = _BRACKETED_CREDIT.match(text)
    if bracketed and _LABEL.match(bracketed.group("credit")):
        text = bracketed.group("credit")
    text = _strip_brackets(text)
    if "©" in text[1:] and _LABEL.sub("", text[:text.index("©")]).strip():
        text = text[text.index("©"):]  # "Picture 1 of 4 © Ann Lee": the credit is what the sign starts
    labelled = bool(_LABEL.match(text)) or credit_element
    while _LABEL.match(text) and _LABEL.sub("", text, count=1) != text:
        text = _LABEL.sub("", text, count=1)  # "©Foto: X", "Bild: © X": every label in front
    text = _strip_brackets(_TRAILING.sub("", _RESERVED.sub("", text)))
    while _REMARK.search(text) and _REMARK.sub("", text):
        text = _TRAILING.sub("", _REMARK.sub("", text))
    if _AGENCY.search(text) or labelled:
        text = _LEADING.sub("", _TRAILING.sub("", _YEAR.sub("", text)).strip())
    by_label = bool(re.search(r"\bby\s", credit_line or "", re.IGNORECASE))
    for rule in (_agency_first, _via, _for_publication, _creator_and_holder, _agency_alone):
        credit = rule(text, by_label=by_label, labelled=labelled)
        if credit is not None:
            return _checked(credit, license_text)
    if text and labelled:
        return _checked(Credit("", text, "labelled name", "medium"), license_text)
    return Credit("", "", "no credit pattern", "", license_text)


def _checked(credit: Credit, license_text: str) -> Credit:
    creator, holder = _clean(credit.creator), _clean(credit.holder)
    if not _is_name(holder) or (creator and not _is_name(creator)):
        return Credit("", "", "not a credit (prose)", "", license_text)
    return Credit(creator, holder, credit.rule, credit.confidence, license_text)


def _clean(name: str) -> str:
    name = _strip_brackets(_LABEL.sub("", name.strip(), count=1))
    while _REMARK.search(name) and _REMARK.sub("", name):
        name = _REMARK.sub("", name)
    return _TRAILING.sub("", name).strip()


def _is_name(name: str) -> bool:
    return not name or (len(name) <= MAX_NAME and len(name.split()) <= MAX_WORDS and any(c.isalpha() for c in name))


def _strip_brackets(text: str) -> str:
    text = text.strip()
    while len(text) > 1 and text[0] in "([" and text[-1] in ")]":
        text = text[1:-1].strip()
    # A bracket left open or closed on one side only: "Getty Images) Getty" is not a name.
    return text.strip("()[] ") if text.count("(") != text.count(")") else text


def _agency_first(text: str, *, by_label: bool, labelled: bool) -> Credit | None:
    match = _AGENCY_FIRST.match(text)
    if not match:
        return None
    # "Getty Images/iStockphoto/Ann Lee", "AP Photo/Ann Lee": the first agency licenses it, the last
    # name that is no agency made it.
    rest = [p for p in _SEPARATOR.split(match.group("rest")) if p]
    people = [p for p in rest if not _AGENCY.fullmatch(_REMARK.sub("", p))]
    return Credit(people[-1] if people else "", match.group("agency"), "agency first", "high")


def _via(text: str, *, by_label: bool, labelled: bool) -> Credit | None:
    creator, sep, holder = text.rpartition(" via ")
    if not sep or not holder:
        return None
    creator = _SEPARATOR.split(creator)[0]
    return Credit(creator, holder, "via a distributor", "high")


def _for_publication(text: str, *, by_label: bool, labelled: bool) -> Credit | None:
    # "Institute for the Study of War" is one name: only "by X for Y", or "X for The Y", is this rule.
    creator, sep, holder = text.partition(" for ")
    if not sep or "/" in text or not creator[:1].isupper() or not (by_label or holder.startswith("The ")):
        return None
    return Credit(creator, holder, "for a publication", "high")


def _creator_and_holder(text: str, *, by_label: bool, labelled: bool) -> Credit | None:
    # Unlabelled, "yellow/green" is prose: a holder must then look like a name.
    parts = [p for p in _SEPARATOR.split(text) if p]
    if len(parts) < 2 or not (labelled or all(p[:1].isupper() or p[:1].isdigit() or _AGENCY.fullmatch(p)
                                               for p in parts[1:])):
        return None
    sure = "high" if _AGENCY.fullmatch(parts[-1]) else "medium"
    return Credit(parts[0], parts[-1], "creator/holder", sure)


def _agency_alone(text: str, *, by_label: bool, labelled: bool) -> Credit | None:
    return Credit("", text, "agency alone", "high") if _AGENCY.fullmatch(text) else None
