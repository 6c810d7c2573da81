"""Read the free text of a notice: its elements and the line each came from, its URLs and their roles,
what kind it is, for whom.

Pure and cheap: regular expressions over English and the languages our claimants write in (German,
French, Spanish, Polish, Ukrainian, Russian). These are hints for staff and for the "awaiting
information" step, never a legal judgement. The pieces live in their own modules: notice_lines
(numbered lines), statements, signature, contact_work and notice_urls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from compliance.parsing.contact_work import find_address, find_phone, find_work
from compliance.parsing.notice_lines import Line, Source, flatten, notice_lines, own_lines
from compliance.parsing.notice_urls import REFERENCE, NoticeUrl, classify, is_web_url, urls_in_lines
from compliance.parsing.signature import find_signature, last_closing
from compliance.parsing.statements import find_statements_in

__all__ = ["NoticeReading", "NoticeStatements", "acting_for", "find_statements", "find_urls", "guess_kind",
           "is_web_url", "read_notice"]

# Checked in this order: the narrower legal kinds first, because their notices usually also
# say "copyright" or "content" somewhere.
_KINDS = (
    ("court_order", r"court\s+order|injunction|subpoena|\b(?:land|amts|oberlandes|bundes)?gericht(?!et)"
     r"|einstweilige\s+verfügung|рішення\s+суду|ухвал\w*\s+суду|решени\w*\s+суда|ordonnance|nakaz\s+sądowy"),
    ("government", r"\bministry\b|\bpolice\b|law\s+enforcement|authority\s+request|government\s+request"
     r"|\bregulator\b|ministerium|polizei|behörde|staatsanwaltschaft|міністерств|поліці|прокуратур"
     r"|министерств|полици|роскомнадзор|ministère|ministerstw|policj"),
    ("privacy", r"\bgdpr\b|\bdsgvo\b|\brgpd\b|\brodo\b|personal\s+data|\berasure\b|right\s+to\s+be\s+forgotten"
     r"|personenbezogene|vergessenwerden|персональн\w*\s+дан|données\s+personnelles|dane\s+osobowe"),
    ("defamation", r"defamat|\blibel|\bslander|verleumdung|üble\s+nachrede|наклеп|клевет|diffamation|zniesławi"),
    ("trademark", r"trade\s*mark|\bmarken\w*|\bmarke\b|товарн\w*\s+знак|торговельн\w*\s+мар|marque\s+déposée"
     r"|znak\w*\s+towarow"),
    ("copyright", r"copyright|\bdmca\b|urheberrecht|авторськ|авторск|droits?\s+d'auteur|autorski"),
)
_COPYING = re.compile(
    r"\bcop(?:y|ies|ied|ying)\b|\blicen[cs]|photo\s*credit|\breproduc|\blizenz|\bkopi|скопі|скопи|копіює|копиру"
    r"|ліценз|лиценз|licencj",
    re.IGNORECASE,
)
_AGENT = re.compile(
    r"\b(?:on\s+behalf\s+of|we\s+represent|our\s+clients?|acting\s+for|authori[sz]ed\s+agents?\s+(?:of|for)"
    r"|as\s+(?:an?\s+)?agents?\s+for|im\s+(?:auftrag|namen)\s+(?:von|de[rs])|unser(?:e|er)?\s+mandant(?:in)?"
    r"|від\s+імені|от\s+имени|au\s+nom\s+de|pour\s+le\s+compte\s+de|w\s+imieniu)\s+([^\n]{1,200})",
    re.IGNORECASE,
)
_CLIENT_PREFIX = re.compile(r"^(?:(?:our|my|the)\s+clients?|unser(?:e|er)?\s+mandant(?:in)?)[\s,:]+", re.IGNORECASE)
_PRINCIPAL_END = re.compile(r"[,;:()\n\"«»“”]|\.(?:\s|$)|\s(?:who|which|that|whose|and)\s", re.IGNORECASE)


@dataclass(frozen=True)
class NoticeStatements:
    good_faith: bool
    accuracy: bool
    signature: str
    missing: tuple[str, ...]


@dataclass(frozen=True)
class NoticeReading:
    """Every element a notice gives, each with the line(s) it was read from."""

    good_faith: bool
    accuracy: bool
    authority: bool
    signature: str
    address: str
    phone: str
    work: str
    urls: tuple[NoticeUrl, ...]
    sources: dict[str, Source] = field(default_factory=dict)

    @property
    def item_urls(self) -> tuple[str, ...]:
        return tuple(u.url for u in self.urls if u.role != REFERENCE)

    @property
    def references(self) -> tuple[NoticeUrl, ...]:
        return tuple(u for u in self.urls if u.role == REFERENCE)

    def sources_json(self) -> dict[str, dict]:
        return {name: source.as_json() for name, source in self.sources.items()}


def read_notice(text: str, *, hrefs: tuple[str, ...] = (), our_hosts: tuple[str, ...] = (), sender_domain: str = "",
                archive_prefixes: tuple[str, ...] = ()) -> NoticeReading:
    lines = own_lines(notice_lines(text))
    sources = find_statements_in(flatten([line for line in lines if line.plain]))
    perjury = sources.get("perjury")
    signature = find_signature(lines, perjury_line=_sentence_end(perjury, lines) if perjury else 0)
    found = {"signature": signature, "address": find_address(lines), "phone": find_phone(lines),
             "work": find_work(lines)}
    sources |= {name: value.source for name, value in found.items() if value}
    footer = signature.source.last_line if signature and _near_the_end(signature.source, lines) else 0
    footer = footer or last_closing(lines)
    urls = classify(urls_in_lines(lines), lines=lines, our_hosts=our_hosts, sender_domain=sender_domain.lower(),
                    archive_prefixes=archive_prefixes, footer_from=footer, hrefs=hrefs)
    accuracy = "accuracy" in sources and perjury is not None
    if not accuracy:
        sources.pop("accuracy", None)
    return NoticeReading(
        good_faith="good_faith" in sources, accuracy=accuracy, authority="authority" in sources,
        signature=signature.value if signature else "", address=found["address"].value if found["address"] else "",
        phone=found["phone"].value if found["phone"] else "", work=found["work"].value if found["work"] else "",
        urls=tuple(urls), sources=sources)


def _sentence_end(source: Source, lines: list[Line]) -> int:
    """The line where the statement holding the perjury clause ends (it often wraps over several)."""
    following = [line for line in lines if line.number >= source.last_line]
    for line, after in zip(following, following[1:] + following[-1:]):
        if not after.plain or line.plain.rstrip("*_\"”' ").endswith((".", "!")) or after is line:
            return line.number
    return source.last_line


def _near_the_end(source: Source, lines: list[Line]) -> bool:
    """Links under a closing signature are a footer; under a signature at the top of a form, they are not."""
    return sum(1 for line in lines if line.number > source.last_line and line.plain) <= 12


def find_statements(text: str, urls: tuple[str, ...]) -> NoticeStatements:
    reading = read_notice(text)
    present = {"good_faith": reading.good_faith, "accuracy": reading.accuracy, "signature": bool(reading.signature),
               "urls": bool(urls)}
    return NoticeStatements(
        good_faith=reading.good_faith, accuracy=reading.accuracy, signature=reading.signature,
        missing=tuple(name for name, ok in present.items() if not ok),
    )

def guess_kind(subject: str, text: str) -> str:
    # The subject is the sender's own label; the body may mention other laws in passing.
    for haystack in (subject, f"{subject}\n{text}"):
        for kind, pattern in _KINDS:
            if re.search(pattern, haystack, re.IGNORECASE):
                return kind
    return "copyright" if _COPYING.search(f"{subject}\n{text}") else "other"


def acting_for(text: str, from_name: str) -> tuple[str, str]:
    for match in _AGENT.finditer(text):
        principal = _principal(match.group(1))
        if not principal:
            continue  # e.g. the DMCA boilerplate "on behalf of the owner of an exclusive right"
        if _same_party(principal, from_name):
            return ("owner", "")  # a company's own staff writing "on behalf of" it
        return ("agent", principal)
    return ("owner", "")


def _principal(rest: str) -> str:
    rest = _CLIENT_PREFIX.sub("", rest.strip())
    end = _PRINCIPAL_END.search(rest)
    name = (rest[: end.start()] if end else rest).strip(" '’\t")
    bare = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
    # Organisations are written capitalised; "the owner", "our rights" and "them" are not names.
    return name if bare[:1].isupper() and len(name) <= 100 else ""


def _same_party(principal: str, from_name: str) -> bool:
    a, b = principal.casefold(), from_name.casefold().strip()
    return bool(b) and a in b


def find_urls(text: str) -> tuple[str, ...]:
    """Every http(s) URL as written (normalising is the matcher's job) but cleaned of the markdown and
    punctuation around it, minus quoted reply lines."""
    return tuple(dict.fromkeys(url for url, _line in urls_in_lines(own_lines(notice_lines(text)))))

