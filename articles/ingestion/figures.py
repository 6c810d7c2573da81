"""Embedded figures (photos, videos, maps, embeds) and their credit lines.

Pure module: lxml only.  trafilatura drops ``<figure>`` content, so every
``<figure>`` is read here, in document order.

Credit-line policy: the credit is taken *exactly as shown* -- a substring of the
whitespace-collapsed figcaption, trailing punctuation kept ("Source: Ministry of
Defence of Ukraine."), only enclosing parentheses of a "(Photo: X)" credit are
dropped.  A ``<cite>`` or an element whose class contains "credit" wins; a
figcaption without a recognisable credit phrase is the credit line as a whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html

__all__ = ["ExtractedFigure", "extract_figures", "find_credit", "text_of"]


@dataclass(frozen=True)
class ExtractedFigure:
    kind: str  # "photo" | "video" | "map" | "embed"
    url: str  # absolute when page_url / <base href> allows it
    caption: str  # full figcaption text, whitespace collapsed
    credit_line: str  # the credit exactly as shown
    alt: str  # img alt; title / aria-label for video, iframe, embed
    position: int  # order on the page, 0-based


_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "figcaption", "cite", "h1", "h2",
               "h3", "h4", "h5", "h6", "blockquote", "section", "table", "tr", "td"}
_VIDEO_HOSTS = ("youtube.com", "youtu.be", "youtube-nocookie.com", "vimeo.com",
                "dailymotion.com", "dai.ly")
_AGENCIES = (r"Getty Images|AFP|AP|Reuters|EPA(?:-EFE)?|Shutterstock|Alamy|Bloomberg"
             r"|Sipa(?: USA)?|Anadolu(?: Agency)?|TASS|Xinhua|NurPhoto|SOPA Images"
             r"|LightRocket|Pool|Redux|Polaris|ZUMA(?: Press)?|Imago|dpa|Keystone")
# A credit keyword, starting the caption or following whitespace / "(" / "|".
_CREDIT_START = re.compile(
    r"(?<![^\s(|])(?:"
    r"(?:Photo(?:graph)?s?|PHOTO(?:GRAPH)?S?|Image|IMAGE|Picture|Illustration|Graphic"
    r"|Video|VIDEO|Footage|Map|MAP|Credits?|CREDITS?|Sources?|SOURCES?)\s*(?:by\b|:)"
    r"|©|\([cC]\)\s|Copyright\b)"
)
# Sentence break inside a tail: ". Next" but not an initial like "J. Smith".
_SENTENCE_BREAK = re.compile(r"(?<!\b[A-Z])[.!?]\s+\S")
# "John Moore/Getty Images" as the whole last sentence, no keyword.
_AGENCY_TAIL = re.compile(r"[^/]{1,60}/\s*(?:[\w.&-]+ ){0,3}?(?:" + _AGENCIES + r")\.?")


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
    """The trailing credit phrase of *caption* as shown, else the whole caption."""
    for match in _CREDIT_START.finditer(caption):
        tail = caption[match.start():]
        if _SENTENCE_BREAK.search(tail):
            continue  # more sentences follow: not a trailing credit
        if match.start() > 0 and caption[match.start() - 1] == "(" and tail.endswith(")"):
            tail = tail[:-1]
        return tail.strip()
    start = 0
    for match in _SENTENCE_BREAK.finditer(caption):
        start = match.end() - 1
    if _AGENCY_TAIL.fullmatch(caption[start:]):
        return caption[start:]
    return caption


def _classes(el: lxml_html.HtmlElement) -> str:
    return (el.get("class") or "").lower()


def _media_url(el: lxml_html.HtmlElement) -> str:
    for attr in ("src", "data-src", "data-lazy-src", "data-original", "data"):
        value = (el.get(attr) or "").strip()
        if value and not value.startswith("data:"):
            return value
    srcset = (el.get("srcset") or el.get("data-srcset") or "").strip()
    if srcset:
        return srcset.split(",")[0].split()[0]
    if el.tag == "video":
        for source in el.iter("source"):
            if (source.get("src") or "").strip():
                return source.get("src").strip()
    return ""


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


def extract_figures(root: lxml_html.HtmlElement, base_url: str | None) -> tuple[ExtractedFigure, ...]:
    """Every ``<figure>`` with a media element, in document order."""
    figures: list[ExtractedFigure] = []
    for figure in root.iter("figure"):
        media = _own(figure, ".//*[self::img or self::video or self::iframe"
                             " or self::embed or self::object]")
        media = [m for m in media if _media_url(m)]
        if not media:
            continue
        first = media[0]
        url = _media_url(first)
        url = urljoin(base_url, url) if base_url else url
        captions = _own(figure, ".//figcaption")
        caption = text_of(captions[0]) if captions else ""
        credit_el = _own(figure, ".//cite | .//*[contains(translate(@class,"
                                 " 'CREDIT', 'credit'), 'credit')]")
        credit = text_of(credit_el[0]) if credit_el else find_credit(caption)
        alt = first.get("alt") if first.tag == "img" else (
            first.get("title") or first.get("aria-label"))
        figures.append(ExtractedFigure(
            kind=_kind(first, _classes(figure), url, (credit, caption)),
            url=url, caption=caption, credit_line=credit,
            alt=" ".join((alt or "").split()), position=len(figures),
        ))
    return tuple(figures)
