"""Read the free text of a notice: which legal statements it makes, what kind it is, for whom.

Pure and cheap: regular expressions over English plus the basics of the languages our
claimants write in (German, Ukrainian, Russian, French, Polish). These are hints for staff
and for the "awaiting information" step, never a legal judgement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

_GOOD_FAITH = re.compile(
    r"good[\s-]*faith\b.{0,300}?(?:\bnot\s+(?:been\s+)?authori[sz]ed|\bunauthori[sz]ed)"
    r"|in\s+gutem\s+glauben|nach\s+treu\s+und\s+glauben|de\s+bonne\s+foi|w\s+dobrej\s+wierze"
    r"|добросовісн|добросовестн",
    re.IGNORECASE,
)
_ACCURATE = re.compile(r"\binformation\b.{0,80}?\b(?:is|are)\s+(?:accurate|correct|true)\b", re.IGNORECASE)
_PERJURY = re.compile(r"penalty\s+of\s+perjury", re.IGNORECASE)
_S_SIGNATURE = re.compile(r"^\s*/s/\s*(\S.*?)\s*$", re.MULTILINE)
_SLASHED_NAME = re.compile(r"(?<![\w/:.])/([^/\n]{2,80})/(?![\w/])")
_CLOSING = re.compile(
    r"^\s*(?:(?:yours\s+)?(?:sincerely|faithfully|truly)|(?:best|kind|warm)?\s*regards|best|respectfully"
    r"|thanks|thank\s+you|mit\s+freundlichen\s+grüßen|freundliche\s+grüße|viele\s+grüße|beste\s+grüße"
    r"|cordialement|bien\s+à\s+vous|z\s+poważaniem|pozdrawiam|з\s+повагою|с\s+уважением)\s*[,.!]?\s*$",
    re.IGNORECASE,
)
_NAME_CHARS = re.compile(r"^[^\W\d_][\w .'’-]*$")
_SIGNATURE_MAX = 80

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
_URL = re.compile(r"(?<![a-z0-9])https?://[^\s<>\"«»“”‘’]+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?)>]}\"'»”’"
_PRINCIPAL_END = re.compile(r"[,;:()\n\"«»“”]|\.(?:\s|$)|\s(?:who|which|that|whose|and)\s", re.IGNORECASE)


@dataclass(frozen=True)
class NoticeStatements:
    good_faith: bool
    accuracy: bool
    signature: str
    missing: tuple[str, ...]


def find_statements(text: str, urls: tuple[str, ...]) -> NoticeStatements:
    flat = " ".join(text.split())  # statements are often wrapped mid-sentence
    good_faith = bool(_GOOD_FAITH.search(flat))
    accuracy = bool(_ACCURATE.search(flat) and _PERJURY.search(flat))
    signature = _signature(text)
    present = {"good_faith": good_faith, "accuracy": accuracy, "signature": bool(signature), "urls": bool(urls)}
    return NoticeStatements(
        good_faith=good_faith,
        accuracy=accuracy,
        signature=signature,
        missing=tuple(name for name, ok in present.items() if not ok),
    )


def _signature(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if not line.lstrip().startswith(">")]
    if match := _S_SIGNATURE.search("\n".join(lines)):
        return match.group(1)[:_SIGNATURE_MAX]
    for match in _SLASHED_NAME.finditer("\n".join(lines)):
        if _looks_like_name(match.group(1).strip()):
            return match.group(1).strip()
    closings = [i for i, line in enumerate(lines) if _CLOSING.match(line)]
    if closings:
        return next((line for line in lines[closings[-1] + 1 :] if _short(line)), "")
    return _typed_name_after_statements(lines)


def _typed_name_after_statements(lines: list[str]) -> str:
    """A typed name closing the notice right after the perjury statement is an electronic signature
    (E-SIGN), and most notices sign that way rather than with "/s/"."""
    perjury = [i for i, line in enumerate(lines) if "perjury" in line.lower()]  # the clause may wrap
    if not perjury:
        return ""
    following = [line for line in lines[perjury[-1] + 1 :] if line and line != "--"]
    first = following[0] if following else ""
    sentence = first[-1:] in (".", "!", "?", ":") and len(first.split()) > 3
    return first if _short(first) and first[0].isupper() and not sentence and "://" not in first else ""


def _short(line: str) -> bool:
    return 0 < len(line) <= _SIGNATURE_MAX and len(line.split()) <= 10


def _looks_like_name(candidate: str) -> bool:
    return bool(_NAME_CHARS.match(candidate)) and candidate[0].isupper()


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
    """Every http(s) URL as written (normalising is the matcher's job), minus quoted reply lines."""
    urls: list[str] = []
    for line in text.splitlines():
        if line.lstrip().startswith(">"):  # a quoted reply: our own words coming back
            continue
        urls += [u for u in (_trim_url(m.group(0)) for m in _URL.finditer(line)) if is_web_url(u)]
    return tuple(dict.fromkeys(urls))


def is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return False


def _trim_url(url: str) -> str:
    while url and url[-1] in _URL_TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break  # balanced, as in a Wikipedia title: part of the URL
        url = url[:-1]
    return url
