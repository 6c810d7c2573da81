"""Embedded figures (photos, videos, maps, embeds) and their credit lines.

Pure module: lxml only.  trafilatura drops ``<figure>`` content, so every
``<figure>`` is read here, in document order.

The picture's address: lazy loaders put a spacer or loader in ``src`` and the real photo
elsewhere, so ``data-src``-like attributes, then the largest ``srcset``/``data-srcset``
candidate, then ``<picture><source>``, then an ``<img>`` inside ``<noscript>``, and only then
``src``; an address that is a placeholder (``data:`` URI, spacer/loader/blank file names, one
address shown with different captions) is never the asset's address: the figure is kept as
rejected with its reason.

Credit-line policy: the credit is taken *exactly as shown* -- an inner credit element
(``<cite>``, a class containing "credit"/"copyright", ``itemprop=copyrightHolder``), else a
substring of the whitespace-collapsed figcaption that a credit pattern finds ("Photo: ...",
"© ...", "X/Agency"), trailing punctuation kept, only enclosing parentheses dropped.  A
caption with no credit pattern has no credit line: it stays a caption.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html

from articles.credits import AGENCIES
from articles.shortening import shortened

__all__ = ["CAPTION_PATTERN", "CREDIT_ELEMENT", "ExtractedFigure", "extract_figures", "find_credit",
           "is_placeholder_address", "largest_candidate", "text_of"]


@dataclass(frozen=True)
class ExtractedFigure:
    kind: str  # "photo" | "video" | "map" | "embed"
    url: str  # absolute when page_url / <base href> allows it
    caption: str  # full figcaption text, whitespace collapsed
    credit_line: str  # the credit exactly as shown, "" when the caption has none
    alt: str  # img alt; title / aria-label for video, iframe, embed
    position: int  # order on the page, 0-based
    credit_origin: str = ""  # CREDIT_ELEMENT or CAPTION_PATTERN, "" without a credit line
    rejected: str = ""  # why the address cannot be the asset's (a placeholder), "" when it can


CREDIT_ELEMENT = "credit_element"
CAPTION_PATTERN = "caption_pattern"

_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "figcaption", "cite", "h1", "h2",
               "h3", "h4", "h5", "h6", "blockquote", "section", "table", "tr", "td"}
_VIDEO_HOSTS = ("youtube.com", "youtu.be", "youtube-nocookie.com", "vimeo.com",
                "dailymotion.com", "dai.ly")
# A credit keyword, starting the caption or following whitespace / "(" / "|" / "•".
_CREDIT_START = re.compile(
    r"(?<![^\s(|•\u00a0])(?:"
    r"(?:Photo(?:graph)?s?|PHOTO(?:GRAPH)?S?|Image|IMAGE|Picture|Illustration|Graphic"
    r"|Video|VIDEO|Footage|Map|MAP|Credits?|CREDITS?|Sources?|SOURCES?|Foto|FOTO|Fotos|Bild|BILD"
    r"|Quelle|Bildquelle|Cr[ée]dits?|Fuente)\s*(?:by\b|:|\.\.\.|…)"
    r"|©|\([cC]\)\s|Copyright\b)"
)
# Sentence break inside a tail: ". Next" but not an initial like "J. Smith".
_SENTENCE_BREAK = re.compile(r"(?<!\b[A-Z])[.!?]\s+\S")
# "John Moore/Getty Images" as the whole last sentence, no keyword.
_AGENCY_TAIL = re.compile(r"[^/]{1,60}/\s*(?:[\w.&-]+ ){0,3}?(?:" + AGENCIES + r")\.?")
# "(Reuters)" closing a caption.
_AGENCY_IN_BRACKETS = re.compile(r"\((?:" + AGENCIES + r")\)$")
# Longer than this, an element classed "credit" is a caption with a credit inside, not a credit.
_CREDIT_ELEMENT_MAX = 150
_CREDIT_ELEMENT_XPATH = (".//cite | .//*[@itemprop='copyrightHolder' or @itemprop='creditText']"
                         " | .//*[contains(translate(@class, 'CREDITOPYRIGH', 'creditopyrigh'), 'credit')"
                         " or contains(translate(@class, 'CREDITOPYRIGH', 'creditopyrigh'), 'copyright')]")

# Where lazy loaders keep the real address, in the order they are trusted.
_LAZY_ATTRIBUTES = ("data-src", "data-lazy-src", "data-original", "data-lazy", "data-full-src",
                    "data-hi-res-src", "data-url", "data-img-src", "data-image", "data-orig-file")
_SRCSET_ATTRIBUTES = ("data-srcset", "data-lazy-srcset", "srcset")
# File names that are placeholders wherever they appear in the name, and words that are one only
# when they are the whole name ("grey.gif", not "grey-heron.jpg").
_PLACEHOLDER_NAME = re.compile(
    r"(?:^|[-_.])(?:spacer|placeholder|lazy[-_]?load(?:er|ing)?|loader|missing[-_]?image|no[-_]?image"
    r"|image[-_]?missing|1x1|blank|transparent)(?:[-_.\d]|$)", re.IGNORECASE)
_PLACEHOLDER_STEM = re.compile(
    r"(?:grey|gray|empty|clear|dummy|loading|lazy|default|pixel|trans|px|spinner)(?:[-_]?\d+(?:x\d+)?)?"
    r"(?:\.\w{2,4})?", re.IGNORECASE)


def is_placeholder_address(url: str) -> bool:
    """A data: URI or a file named like a spacer, loader or missing-image picture."""
    url = url.strip()
    if url.lower().startswith(("data:", "about:", "javascript:")):
        return True
    name = urlsplit(url).path.rsplit("/", 1)[-1] if "//" in url else url.rsplit("/", 1)[-1]
    name = name.split("?", 1)[0]
    return bool(_PLACEHOLDER_NAME.search(name) or _PLACEHOLDER_STEM.fullmatch(name))


def text_of(el: lxml_html.HtmlElement) -> str:
    """Visible text of *el*, block boundaries and <br> as spaces, collapsed."""
    parts: list[str] = []

    def walk(node: lxml_html.HtmlElement) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in ("script", "style", "template"):
            parts.append(" ")
        else:
            if tag in _BLOCK_TAGS:
                parts.append(" ")
            parts.append(node.text or "")
            for child in node:
                walk(child)
                parts.append(child.tail or "")
            if tag in _BLOCK_TAGS:
                parts.append(" ")

    walk(el)
    return " ".join("".join(parts).split())


def find_credit(caption: str) -> str:
    """The trailing credit phrase of *caption* as shown, else "" (the caption is only a caption)."""
    for match in _CREDIT_START.finditer(caption):
        tail = caption[match.start():]
        if _SENTENCE_BREAK.search(tail):
            continue  # more sentences follow: not a trailing credit
        if match.start() > 0 and caption[match.start() - 1] == "(" and tail.endswith(")"):
            tail = tail[:-1]
        return tail.strip()
    bracketed = _AGENCY_IN_BRACKETS.search(caption)
    if bracketed:
        return bracketed.group(0)
    start = 0
    for match in _SENTENCE_BREAK.finditer(caption):
        start = match.end() - 1
    if _AGENCY_TAIL.fullmatch(caption[start:]):
        return caption[start:]
    return ""


def _classes(el: lxml_html.HtmlElement) -> str:
    return (el.get("class") or "").lower()


def largest_candidate(srcset: str) -> str:
    """The widest (or densest) candidate of a srcset, read as the HTML standard does: an address runs
    to the next whitespace (commas inside it are its own), its descriptors to the next comma."""
    best, best_size, position = "", -1.0, 0
    while position < len(srcset):
        match = re.compile(r"[\s,]*(\S*)").match(srcset, position)
        assert match is not None  # the pattern matches the empty string
        url, position = match.group(1), match.end()
        if not url:
            break
        descriptor = ""
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            end = srcset.find(",", position)
            end = len(srcset) if end < 0 else end
            descriptor, position = srcset[position:end].strip(), end + 1
        size = 1.0
        if re.fullmatch(r"\d+(?:\.\d+)?[wxh]", descriptor):
            size = float(descriptor[:-1])
        if url and size > best_size:
            best, best_size = url, size
    return best


def _address_candidates(el: lxml_html.HtmlElement) -> list[str]:
    """Every address the element offers for its media, most trusted first."""
    found = [(el.get(attr) or "").strip() for attr in _LAZY_ATTRIBUTES]
    found += [largest_candidate(el.get(attr) or "") for attr in _SRCSET_ATTRIBUTES]
    picture = next(el.iterancestors("picture"), None)
    if picture is not None:
        found += [largest_candidate(s.get("srcset") or s.get("data-srcset") or "") for s in picture.iter("source")]
    for noscript in (el.getparent().iter("noscript") if el.getparent() is not None else ()):
        for inner in _noscript_images(noscript):
            found += [(inner.get("src") or "").strip(), largest_candidate(inner.get("srcset") or "")]
    found += [(el.get(attr) or "").strip() for attr in ("src", "data")]
    if el.tag == "video":
        found += [(source.get("src") or "").strip() for source in el.iter("source")]
    return [url for url in dict.fromkeys(found) if url]


def _noscript_images(noscript: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    images = list(noscript.iter("img"))
    if not images and "<img" in (noscript.text or ""):
        # Some parsers keep <noscript> as raw text: parse it as the fragment it is.
        images = list(lxml_html.fragment_fromstring(noscript.text, create_parent="div").iter("img"))
    return images


def _media_url(el: lxml_html.HtmlElement) -> tuple[str, str]:
    """(the real address, "") or (the placeholder shown, why it is rejected), or ("", "") for none."""
    candidates = _address_candidates(el)
    for url in candidates:
        if not is_placeholder_address(url):
            return url, ""
    if candidates:
        return shortened(candidates[0], 300), "the only address is a placeholder (spacer, loader or data: URI)"
    return "", ""


def _kind(media: lxml_html.HtmlElement, figure_class: str, url: str, texts: tuple[str, ...]) -> str:
    if media.tag == "img":
        if re.search(r"(?<![a-z])map(?![a-z])", figure_class) or any(
            re.match(r"Map\b|MAP\b", text) for text in texts
        ):
            return "map"
        return "photo"
    if media.tag == "video":
        return "video"
    if media.tag == "iframe":
        host = urlsplit(url).hostname or ""
        if "video" in figure_class or "video" in _classes(media) or any(
            host == h or host.endswith("." + h) for h in _VIDEO_HOSTS
        ):
            return "video"
    return "embed"


def _own(figure: lxml_html.HtmlElement, xpath: str) -> list[lxml_html.HtmlElement]:
    """Matches of *xpath* inside *figure* but not inside a nested figure."""
    return [el for el in figure.xpath(xpath)
            if next(el.iterancestors("figure"), None) is figure]


def _credit(figure: lxml_html.HtmlElement, caption: str) -> tuple[str, str]:
    """(credit line as shown, where it was found)."""
    for element in _own(figure, _CREDIT_ELEMENT_XPATH):
        if element.tag == "figcaption":
            continue  # a figcaption classed "credit" is still the caption: look inside it
        text = text_of(element)
        if text and len(text) <= _CREDIT_ELEMENT_MAX:
            return text, CREDIT_ELEMENT
        if text:
            found = find_credit(text)
            if found:
                return found, CAPTION_PATTERN
    found = find_credit(caption)
    return (found, CAPTION_PATTERN) if found else ("", "")


def _media_of(figure: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    media = _own(figure, ".//*[self::img or self::video or self::iframe or self::embed or self::object]")
    # An <img> in <noscript> is the same picture as the lazy one beside it, not a second figure.
    shown = [m for m in media if next(m.iterancestors("noscript"), None) is None]
    return shown or media


def extract_figures(root: lxml_html.HtmlElement, base_url: str | None) -> tuple[ExtractedFigure, ...]:
    """Every ``<figure>`` with a media element, in document order."""
    figures: list[ExtractedFigure] = []
    for figure in root.iter("figure"):
        media = [(m, *_media_url(m)) for m in _media_of(figure)]
        media = [m for m in media if m[1]]
        if not media:
            continue
        first, url, rejected = next((m for m in media if not m[2]), media[0])
        url = urljoin(base_url, url) if base_url and not rejected else url
        captions = _own(figure, ".//figcaption")
        caption = text_of(captions[0]) if captions else ""
        credit, origin = _credit(figure, caption)
        alt = first.get("alt") if first.tag == "img" else (
            first.get("title") or first.get("aria-label"))
        figures.append(ExtractedFigure(
            kind=_kind(first, _classes(figure), url, (credit, caption)),
            url=url, caption=caption, credit_line=credit,
            alt=" ".join((alt or "").split()), position=len(figures),
            credit_origin=origin, rejected=rejected,
        ))
    return _without_shared_placeholders(figures)


def _without_shared_placeholders(figures: list[ExtractedFigure]) -> tuple[ExtractedFigure, ...]:
    """One photo address shown under different captions is a placeholder, whatever its name."""
    captions_by_url: dict[str, set[str]] = {}
    for figure in figures:
        if figure.kind in ("photo", "map") and not figure.rejected:
            captions_by_url.setdefault(figure.url, set()).add(figure.caption or figure.alt)
    shared = {url for url, captions in captions_by_url.items() if len(captions) > 1}
    return tuple(
        replace(f, rejected=f"one address shown for {len(captions_by_url[f.url])} pictures with different captions")
        if f.url in shared and f.kind in ("photo", "map") and not f.rejected else f
        for f in figures)
