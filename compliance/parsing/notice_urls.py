"""The URLs of a notice, cleaned of markdown and quoting, each classed by the part it plays.

- reported: a page of ours, or a page elsewhere the notice says was copied (its republications match);
- original: the claimant's own work, which the notice points to as the original;
- reference: everything a reader would not report: links inside a form's questions, help and policy
  pages, licence and law texts, published notices, the sender's own site and signature footers.

Only reported and original URLs become items; references are kept for the reviewer. The rules read
the URL's shape and the words around it, never one sender's template.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from compliance.parsing.notice_lines import Line

REPORTED, ORIGINAL, REFERENCE = "reported", "original", "reference"

_URL = re.compile(r"(?<![a-z0-9])https?://[^\s<>\"«»“”‘’|\\^`{}]+", re.IGNORECASE)
_MD_LINK = re.compile(r"\]\((?=https?://)", re.IGNORECASE)
_TRAILING = ".,;:!?*_'\"»”’>"
_CONTINUATION = re.compile(r"^[\w.%~+=&?#-]+(?:/[\w.%~+=&?#-]*)*$")
_PATH_TAIL = re.compile(r"^[\w.%~+=&?#-]*/|\.\w{1,5}$")

_HELP_HOST = re.compile(r"^(?:help|support|docs?|faq|legal|polic(?:y|ies)|privacy|status|kb|knowledge(?:base)?)\.")
_POLICY_SEGMENTS = {
    "help", "support", "faq", "faqs", "policy", "policies", "privacy", "privacy-policy", "privacypolicy", "terms",
    "tos", "terms-of-service", "terms-of-use", "terms-and-conditions", "legal", "guidelines", "site-policy",
    "copyright-policy", "dmca-policy", "contact", "contact-us", "contactus", "imprint", "impressum", "mentions-legales", "aviso-legal", "unsubscribe", "cookies", "cookie-policy",
    "datenschutz", "agb", "licenses", "licences",
}
# Anywhere in the path these name a policy page ("/site/terms", "/en/legal/privacy").
_POLICY_ANYWHERE = {"terms", "tos", "terms-of-service", "terms-of-use", "privacy", "privacy-policy", "dmca-policy",
                    "copyright-policy", "site-policy", "guidelines", "impressum", "imprint"}
_REFERENCE_HOSTS = (
    "opensource.org", "creativecommons.org", "gnu.org", "choosealicense.com", "spdx.org", "tldrlegal.com",
    "law.cornell.edu", "copyright.gov", "eur-lex.europa.eu", "legislation.gov.uk", "gesetze-im-internet.de",
    "legifrance.gouv.fr", "boe.es", "isap.sejm.gov.pl", "zakon.rada.gov.ua", "wikipedia.org", "lumendatabase.org",
    "chillingeffects.org", "linkedin.com", "w3.org", "ietf.org", "wipo.int",
)
_LICENCE_FILE = re.compile(r"^(?:(?:software-|end-user-)?licen[cs]e(?:s|-agreement)?|eula|copying)(?:[._-][\w.-]*)?$",
                           re.IGNORECASE)
_SOCIAL_HOSTS = ("twitter.com", "x.com", "facebook.com", "instagram.com", "t.me", "vk.com", "xing.com")
_PROMPT_WORDS = re.compile(
    r"guide\s+to|please\s+(?:confirm|read|review|refer\s+to|consult)|have\s+(?:you\s+)?read|learn\s+more"
    r"|(?:our|the|your)\s+(?:site\s+)?(?:policy|policies|terms|guidelines)\b|privacy\s+(?:policy|notice)"
    r"|terms\s+of\s+(?:service|use)|licen[sc]ed\s+under|under\s+the\s+terms",
    re.IGNORECASE,
)
_CONTACT_CONTEXT = re.compile(
    r"contact\s+(?:information|details|info)|infringer'?s\s+contact|^(?:web(?:site)?|homepage|home\s+page|site|url\s+of"
    r"\s+(?:our|my)\s+(?:company|website)|linkedin|twitter|facebook)\s*:",
    re.IGNORECASE,
)
_ORIGINAL_CONTEXT = re.compile(
    r"\boriginal|\bcopyrighted\s+(?:work|material|content)|allegedly\s+infringed\b(?!\s+files)"
    r"|\b(?:my|our)\s+(?:own\s+)?(?:work|site|website|product|repositor\w*|code|photo\w*|article|blog|book|app)"
    r"|\bofficial|\bpublished\s+(?:at|on)|\bsource\s+(?:of|is)|urheber|originalwerk|œuvre|obra\s+original"
    r"|oryginał|utw[oó]r|оригінал|оригинал|мій\s+твір|наш\w*\s+(?:сайт|статт)",
    re.IGNORECASE,
)
_COPY_CONTEXT = re.compile(
    r"infring|\bcop(?:y|ies|ied)\b|stolen|\bpirat|unauthori[sz]ed|take\s*down|\bremov|\bfork|republish|mirror"
    r"|verletz|kopie|kopiert|contrefa|copi[ae]|infrac|narusz|skopiow|порушен|скопійов|копі",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class NoticeUrl:
    url: str
    role: str  # reported, original or reference
    why: str  # for a reference: in words the reviewer reads
    line: int  # 0 for a link found only in the HTML markup

    def as_json(self) -> dict:
        return {"url": self.url, "role": self.role, "why": self.why, "line": self.line}


def clean_url(found: str) -> str:
    """A URL as written, without the markdown and punctuation around it."""
    url = _MD_LINK.split(found, 1)[0]  # "[text](url)" when the text is itself the URL
    url = url.lstrip("<(*_[")
    for marker in ("**", "__", "](", "]", "*", "~~"):
        if marker in url:
            url = url.split(marker, 1)[0]
    while url and url[-1] in _TRAILING + ")]}":
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break  # balanced, as in a Wikipedia title: part of the URL
        url = url[:-1]
    return url


def is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        return parts.scheme.lower() in ("http", "https") and bool(parts.hostname) and "." in (parts.hostname or "")
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return False


def urls_in_lines(lines: list[Line]) -> list[tuple[str, Line]]:
    """Each URL with the line it stands on; a URL wrapped onto the next line is joined back."""
    found: list[tuple[str, Line]] = []
    for index, line in enumerate(lines):
        for match in _URL.finditer(line.raw):
            url = clean_url(match.group(0))
            rest = line.raw[match.end():].strip(" *_>")
            if url.endswith(("/", "-")) and not rest and index + 1 < len(lines):
                url += _continuation(lines[index + 1])
            if is_web_url(url):
                found.append((url, line))
    return found


def _continuation(following: Line) -> str:
    text = following.plain
    if "://" in text or " " in text or not _CONTINUATION.match(text) or not _PATH_TAIL.search(text):
        return ""
    return clean_url("https://x/" + text)[len("https://x/"):]


def classify(urls: list[tuple[str, Line]], *, lines: list[Line], our_hosts: tuple[str, ...],
             sender_domain: str = "", archive_prefixes: tuple[str, ...] = (), footer_from: int = 0,
             hrefs: tuple[str, ...] = ()) -> list[NoticeUrl]:
    """Each URL once, in order of first appearance; a URL named both as a reference and as an item
    is an item (the sender named it in earnest somewhere)."""
    classed: dict[str, NoticeUrl] = {}
    for url, line in urls:
        role, why = _role(url, line, lines=lines, our_hosts=our_hosts, sender_domain=sender_domain,
                          archive_prefixes=archive_prefixes, footer_from=footer_from)
        earlier = classed.get(url)
        if earlier is None or (earlier.role == REFERENCE and role != REFERENCE):
            classed[url] = NoticeUrl(url, role, why, line.number)
    for url in hrefs:  # a link only in the HTML markup: no words around it, only its shape
        if url not in classed and is_web_url(url):
            ours = _is_ours(url, our_hosts)
            why = _shape_reference(url, sender_domain, archive_prefixes, ours=ours)
            role = REFERENCE if why else REPORTED if ours else ORIGINAL
            classed[url] = NoticeUrl(url, role, why, 0)
    return list(classed.values())


def _role(url: str, line: Line, *, lines: list[Line], our_hosts: tuple[str, ...], sender_domain: str,
          archive_prefixes: tuple[str, ...], footer_from: int) -> tuple[str, str]:
    question = _question_above(line, lines)
    if _inside_question(url, line):
        return REFERENCE, "a link in the form's question, not in the answer"
    ours = _is_ours(url, our_hosts)
    if why := _shape_reference(url, sender_domain, archive_prefixes, ours=ours):
        return REFERENCE, why
    if _CONTACT_CONTEXT.search(line.plain.replace(url, " ")) or (question and _CONTACT_CONTEXT.search(question.plain)):
        return REFERENCE, "contact details"
    if ours:
        return REPORTED, ""
    sentence = _sentence_of(url, line.plain)
    if _PROMPT_WORDS.search(sentence) and not _COPY_CONTEXT.search(sentence):
        return REFERENCE, "a link in a policy or instruction sentence"
    if footer_from and line.number > footer_from and len([s for s in urlsplit(url).path.split("/") if s]) <= 1:
        return REFERENCE, "below the signature (a footer)"
    context = " ".join(x.plain for x in (question, _previous(line, lines), line) if x)
    if _is_sender_home(url, sender_domain) and not _ORIGINAL_CONTEXT.search(context):
        return REFERENCE, "the sender's own home page"
    if _ORIGINAL_CONTEXT.search(line.plain) or (question and _ORIGINAL_CONTEXT.search(question.plain)):
        return ORIGINAL, ""
    if _COPY_CONTEXT.search(context):
        return REPORTED, ""  # a page elsewhere that the notice says was copied: its republications match
    return ORIGINAL, ""


def _sentence_of(url: str, text: str) -> str:
    """The sentence a URL stands in: a line often holds several, about different things."""
    at = text.find(url)
    if at < 0:
        return text
    start = max(text.rfind(mark, 0, at) for mark in (". ", "? ", "! ", "; ")) + 1
    end = text.find(". ", at + len(url))
    return text[start:end if end >= 0 else len(text)]


def _is_ours(url: str, our_hosts: tuple[str, ...]) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in our_hosts)


def _shape_reference(url: str, sender_domain: str, archive_prefixes: tuple[str, ...], *, ours: bool = False) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    segments = [s.lower() for s in parts.path.split("/") if s]
    bare = f"{host}{parts.path}".lower()
    if any(bare.startswith(prefix.lower().removeprefix("www.")) for prefix in archive_prefixes):
        return "a published notice"
    if any(host == h or host.endswith("." + h) for h in _REFERENCE_HOSTS):
        return "a licence, law, encyclopedia or profile page"
    if any(host == h or host.endswith("." + h) for h in _SOCIAL_HOSTS) and len(segments) <= 1:
        return "a social media profile"
    if segments and _LICENCE_FILE.match(segments[-1]) and not ours:  # on our site, a copied licence file is an item
        return "a licence text"
    if _HELP_HOST.match(host):
        return "a help or policy page"
    if segments and (segments[0] in _POLICY_SEGMENTS or any(s in _POLICY_ANYWHERE or s.startswith("guide-to")
                                                            for s in segments)):
        return "a help or policy page"
    return ""


def _is_sender_home(url: str, sender_domain: str) -> bool:
    """The sender's own home page (a letterhead link), not a page of theirs the notice is about."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    on_sender = bool(sender_domain) and (host == sender_domain or host.endswith("." + sender_domain))
    return on_sender and parts.path.strip("/") == "" and not parts.query


def _inside_question(url: str, line: Line) -> bool:
    """A URL inside the bold question of a form printout, or in a question line the answer follows."""
    raw = line.raw.strip().lstrip("> ")
    if raw.startswith(("**", "__")):
        end = raw.find(raw[:2], 2)
        return url in raw[: end if end > 0 else len(raw)]
    at = line.plain.find(url)
    return at >= 0 and line.plain.endswith("?") and "?" not in line.plain[:at]


def _question_above(line: Line, lines: list[Line]) -> Line | None:
    """The nearest bold form question above, if no blank-line-free prose section intervenes too far."""
    before = [x for x in lines if x.number < line.number]
    for candidate in reversed(before[-12:]):
        if candidate.bold:
            return candidate
    return None


def _previous(line: Line, lines: list[Line]) -> Line | None:
    before = [x for x in lines if x.number < line.number and x.plain]
    return before[-1] if before else None
