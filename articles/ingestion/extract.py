"""Extract provenance facts from one ingested HTML page.

Pure module: no Django, no database.  Precedence for every metadata field:
structured data read by extruct (JSON-LD article, then microdata article, then
OpenGraph), then plain ``<meta>``/``<link>``/``<html lang>``, then trafilatura.
Nothing is invented: a field the page does not declare is "".
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import extruct
import trafilatura
from lxml import etree
from lxml import html as lxml_html

from .bylines import Byline, clean_bylines
from .dates import publication_date
from .figures import ExtractedFigure, extract_figures, text_of
from .headline import headline_of

__all__ = ["Byline", "ExtractedFigure", "ExtractedPage", "NotAnArticle", "extract_page"]


class NotAnArticle(ValueError):
    """The input cannot be an article page; ``str(exc)`` is a one-line reason."""


@dataclass(frozen=True)
class ExtractedPage:
    title: str
    body: str  # paragraphs joined by "\n\n"
    language: str  # ISO 639-1, lower case, "" if unknown
    authors: tuple[str, ...]
    published: str  # as declared (trafilatura's fallback is YYYY-MM-DD), or YYYY-MM-DD from the URL path
    site_name: str
    canonical_url: str  # rel=canonical, og:url, JSON-LD url/mainEntityOfPage
    based_on_url: str  # JSON-LD isBasedOn / translationOfWork
    copyright_holder: str
    license: str
    credit_text: str
    figures: tuple[ExtractedFigure, ...]
    content_sha256: str  # sha256 hex of body.encode("utf-8")
    published_from: str = ""  # dates.DECLARED or dates.URL_PATH
    bylines: tuple[Byline, ...] = ()  # the authors with the organisation beside each
    canonical_link: str = ""  # <link rel=canonical> alone
    og_url: str = ""
    alternates: tuple[str, ...] = ()  # <link rel=amphtml>, mobile alternates
    publisher: str = ""  # JSON-LD publisher's name
    publisher_url: str = ""
    source_organization: str = ""  # JSON-LD sourceOrganization / provider
    source_organization_url: str = ""
    rights_statement: str = ""  # dc.rights / dcterms.rights
    copyright_meta: str = ""  # <meta name=copyright>
    publisher_meta: str = ""  # <meta name=publisher> / dc.publisher
    footer_copyright: str = ""  # "© 2021 Example Media" in the page's footer
    article_publisher: str = ""  # <meta property=article:publisher>
    originally_published_by: str = ""  # "Originally published by X" in the page
    originally_published_url: str = ""  # the link in that statement


ARTICLE_TYPES = {"NewsArticle", "Article", "ReportageNewsArticle", "BlogPosting"}
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b")
_CHARSET = re.compile(rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
_ANY_TAG = re.compile(r"<(?:!doctype|[a-z][a-z0-9-]*)[\s/>]", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_LANG = re.compile(r"([A-Za-z]{2})(?:[-_][A-Za-z0-9-]*)?")
_PRUNE = ["//figure", "//figcaption", "//footer", "//*[@role='contentinfo']"]


# -- input ------------------------------------------------------------------

def decode_html(raw: bytes | str) -> str:
    """Text of *raw*: BOM, else declared meta charset, else UTF-8 (errors replaced)."""
    if isinstance(raw, str):
        return raw.lstrip("\ufeff")
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if raw.startswith(bom):
            return raw[len(bom):].decode(encoding, errors="replace")
    encoding = "utf-8"
    match = _CHARSET.search(raw[:8192])
    if match:
        try:
            encoding = codecs.lookup(match.group(1).decode("ascii")).name
        except LookupError:
            pass
        # WHATWG: latin-1/ascii labels mean windows-1252; a utf-16 label in ASCII bytes is wrong.
        encoding = {"latin-1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252"}.get(encoding, encoding)
        encoding = "utf-8" if encoding.startswith("utf-16") else encoding
    return raw.decode(encoding, errors="replace")


def _parse(raw: bytes | str) -> tuple[str, lxml_html.HtmlElement]:
    """Decoded text and parsed document, or NotAnArticle."""
    if not raw or not raw.strip():
        raise NotAnArticle("input is empty")
    if isinstance(raw, bytes) and (raw.lstrip().startswith(_BINARY_MAGIC) or b"\x00" in raw[:1024]):
        raise NotAnArticle("input is not HTML")
    text = _XML_DECL.sub("", decode_html(raw))
    if text.lstrip().startswith("%PDF") or "\x00" in text[:1024] or not _ANY_TAG.search(text):
        raise NotAnArticle("input is not HTML")
    try:
        return text, lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise NotAnArticle("input is not HTML") from exc


# -- structured data (extruct) ------------------------------------------------

def _is_article(item: dict[str, Any]) -> bool:
    types = item.get("@type")
    types = types if isinstance(types, list) else [types]
    names = {str(t).rsplit("/", 1)[-1].rsplit(":", 1)[-1] for t in types if t}
    return bool(names & ARTICLE_TYPES) or any(n.endswith("NewsArticle") for n in names)


def _flatten(items: list[Any]) -> list[dict[str, Any]]:
    """Items plus their @graph members and mainEntity, depth first."""
    out: list[dict[str, Any]] = []
    for item in items:
        if isinstance(item, dict):
            out.append(item)
            graph = item.get("@graph")
            out.extend(_flatten(graph if isinstance(graph, list) else [graph]))
            out.extend(_flatten([item.get("mainEntity")]))
    return out


def structured_sources(root: lxml_html.HtmlElement, base_url: str | None) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """(article items: JSON-LD first then microdata, OpenGraph properties)."""
    jsonld: list[Any] = []
    # One script at a time: extruct drops *all* JSON-LD when one block is malformed.
    for script in root.xpath('//script[@type="application/ld+json"]'):
        jsonld.extend(extruct.extract(script, syntaxes=["json-ld"], errors="ignore").get("json-ld", []))
    data = extruct.extract(root, base_url=base_url, syntaxes=["microdata", "opengraph"],
                           uniform=True, errors="ignore")
    items = _flatten(jsonld) + _flatten(data.get("microdata", []))
    # Yoast-style graphs reference people/organisations by {"@id": ...}: resolve those.
    index = {i["@id"]: i for i in items if isinstance(i.get("@id"), str) and len(i) > 1}
    articles = [{k: _deref(v, index) if k in _REFERENCED else v for k, v in i.items()}
                for i in items if _is_article(i)]
    og = (data.get("opengraph") or [{}])[0]
    return articles, og


_REFERENCED = {"author", "publisher", "copyrightHolder"}


def _deref(value: Any, index: dict[str, dict[str, Any]]) -> Any:
    if isinstance(value, list):
        return [_deref(v, index) for v in value]
    if isinstance(value, dict) and "name" not in value and value.get("@id") in index:
        return index[value["@id"]]
    return value


def _names(value: Any) -> list[str]:
    """Names in a schema.org value: "X", {"name": "X"}, or a list of those."""
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    if isinstance(value, dict):
        return _names(value.get("name"))
    text = " ".join(str(value).split()) if isinstance(value, (str, int, float)) else ""
    return [text] if text and not text.startswith(("http://", "https://")) else []


def _url(value: Any) -> str:
    """A URL in a schema.org value: "u", {"url"|"@id": "u"}, or the first of a list."""
    if isinstance(value, list):
        return next((u for u in map(_url, value) if u), "")
    if isinstance(value, dict):
        return _url(value.get("url") or value.get("@id"))
    return value.strip() if isinstance(value, str) else ""


def _first(*candidates: Any) -> str:
    return next((c.strip() for c in candidates if isinstance(c, str) and c.strip()), "")


# -- plain HTML fallbacks -------------------------------------------------------

def meta_tags(root: lxml_html.HtmlElement) -> dict[str, str]:
    """First content of each <meta name|property|http-equiv>, keys lower-cased."""
    tags: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("http-equiv") or ""
        content = " ".join((meta.get("content") or "").split())
        if key and content:
            tags.setdefault(key.strip().lower(), content)
    return tags


def _link(root: lxml_html.HtmlElement, rel: str) -> str:
    for link in root.iter("link"):
        if rel in (link.get("rel") or "").lower().split() and (link.get("href") or "").strip():
            return link.get("href").strip()
    return ""


def _language(*candidates: str) -> str:
    for value in candidates:
        match = _LANG.fullmatch((value or "").strip())
        if match:
            return match.group(1).lower()
    return ""


# -- body -------------------------------------------------------------------------

def _trafilatura(text: str) -> Any:
    # No url: htmldate would read a date out of the URL path, and the sitename out of its host.
    return trafilatura.bare_extraction(
        text, url=None, with_metadata=True, include_comments=False, include_images=False,
        prune_xpath=_PRUNE,
        # extensive search guesses dates from body/caption text ("May 16, 2022"): not declared.
        date_extraction_params={"original_date": True, "extensive_search": False},
    )


def _fallback_paragraphs(root: lxml_html.HtmlElement) -> list[str]:
    scope = root.xpath("//article") or root.xpath("//main") or root.xpath("//body")
    excluded = {"figure", "figcaption", "footer", "nav", "aside"}
    return [text_of(p) for s in scope[:1] for p in s.iter("p")
            if not any(a.tag in excluded for a in p.iterancestors())]


def _body(paragraphs: list[str], title: str, authors: tuple[str, ...]) -> str:
    bylines = {a.lower() for a in authors} | {f"by {a.lower()}" for a in authors}
    kept = [p for p in (" ".join(p.split()) for p in paragraphs) if p and p.lower() not in bylines]
    if kept and kept[0] == title:
        kept = kept[1:]
    return "\n\n".join(kept)


# -- entry point ---------------------------------------------------------------------

def extract_page(html: bytes | str, page_url: str | None = None) -> ExtractedPage:
    """Everything the page declares about itself; raises NotAnArticle."""
    text, root = _parse(html)
    base_href = "".join(root.xpath("//base/@href")[:1]).strip()
    base = urljoin(page_url, base_href) if page_url and base_href else (base_href or page_url)
    articles, og = structured_sources(root, base)
    tags = meta_tags(root)
    doc = _trafilatura(text)

    def article(key: str) -> list[Any]:
        return [a[key] for a in articles if a.get(key)]

    def resolve(url: str) -> str:
        return urljoin(base, url) if url and base else url

    publishers = [n for v in article("publisher") for n in _names(v)]
    site_name = _first(*publishers, og.get("og:site_name"), tags.get("og:site_name"))
    title = _first(*(n for v in article("headline") + article("name") for n in _names(v)),
                   og.get("og:title"), tags.get("og:title"), headline_of(root, site_name),
                   getattr(doc, "title", None))
    declared_authors = [n for v in article("author") for n in _names(v)] or _names(tags.get("author")) \
        or [a.strip() for a in (getattr(doc, "author", None) or "").split(";") if a.strip()]
    # The publisher, the original's outlet or an author typed Organization is not a person who wrote it.
    organisations = {n.casefold() for n in [site_name, *publishers] + _names(og.get("og:site_name"))
                     + [n for v in article("sourceOrganization") + article("provider") for n in _names(v)]
                     + [n for v in article("author") for a in (v if isinstance(v, list) else [v])
                        if isinstance(a, dict) and "Organization" in str(a.get("@type")) for n in _names(a)] if n}
    bylines = tuple(dict.fromkeys(b for a in declared_authors for b in clean_bylines(a)
                                  if b.name.casefold() not in organisations))
    authors_t = tuple(dict.fromkeys(b.name for b in bylines))
    body = _body((getattr(doc, "text", None) or "").splitlines(), title, authors_t) \
        or _body(_fallback_paragraphs(root), title, authors_t)
    if not title and not body:
        raise NotAnArticle("page has no title or body text")
    in_language = [str(v.get("alternateName") or v.get("name") or "") if isinstance(v, dict) else str(v)
                   for v in article("inLanguage")]
    canonical_link = resolve(_link(root, "canonical"))
    og_url = resolve(_first(og.get("og:url"), tags.get("og:url")))
    source_organizations = article("sourceOrganization") + article("provider")
    statement_by, statement_url = originally_published(root)
    published, published_from = publication_date(
        [*article("datePublished"), og.get("article:published_time"), tags.get("article:published_time"),
         getattr(doc, "date", None)],
        [u for u in (canonical_link, og_url, page_url or "") if u])
    return ExtractedPage(
        title=title,
        body=body,
        language=_language(*in_language, og.get("og:locale", ""), tags.get("og:locale", ""),
                           root.get("lang", ""), tags.get("content-language", ""),
                           getattr(doc, "language", None) or ""),
        authors=authors_t,
        published=published,
        published_from=published_from,
        bylines=bylines,
        site_name=site_name,
        canonical_url=_first(canonical_link, og_url,
                             resolve(_first(*map(_url, article("url") + article("mainEntityOfPage"))))),
        canonical_link=canonical_link,
        og_url=og_url,
        alternates=tuple(dict.fromkeys(resolve(u) for u in _alternates(root) if u)),
        based_on_url=resolve(_first(*map(_url, _copied_works(article("isBasedOn")) + article("translationOfWork")
                                         + article("isBasedOnUrl")))),
        copyright_holder="; ".join(dict.fromkeys(n for v in article("copyrightHolder")[:1]
                                                 for n in _names(v))),
        publisher=_first(*publishers),
        publisher_url=resolve(_first(*map(_url, article("publisher")))),
        source_organization=_first(*(n for v in source_organizations for n in _names(v))),
        source_organization_url=resolve(_first(*map(_url, source_organizations))),
        rights_statement=_first(tags.get("dc.rights"), tags.get("dcterms.rights"), tags.get("dc.rights.rightsholder")),
        article_publisher=_first(og.get("article:publisher"), tags.get("article:publisher")),
        copyright_meta=_first(tags.get("copyright"), tags.get("dcterms.rightsholder")),
        publisher_meta=_first(tags.get("publisher"), tags.get("dc.publisher"), tags.get("dcterms.publisher")),
        footer_copyright=footer_copyright(root),
        originally_published_by=statement_by,
        originally_published_url=resolve(statement_url),
        license=_first(*(_url(v) or _first(*_names(v)) for v in article("license")),
                       resolve(_link(root, "license"))),
        credit_text=_first(*(n for v in article("creditText") for n in _names(v))),
        figures=extract_figures(root, base),
        content_sha256=hashlib.sha256(body.encode("utf-8")).hexdigest(),
    )


def _copied_works(values: list[Any]) -> list[Any]:
    """isBasedOn values that can be another copy of the article: not a study, a data set or a book it cites."""
    flat = [v for value in values for v in (value if isinstance(value, list) else [value])]
    return [v for v in flat if not isinstance(v, dict) or not _NOT_A_COPY & _type_names(v.get("@type"))]


def _type_names(value: Any) -> set[str]:
    return {str(t).rsplit("/", 1)[-1] for t in (value if isinstance(value, list) else [value])}


_NOT_A_COPY = {"ScholarlyArticle", "MedicalScholarlyArticle", "Dataset", "Book", "Movie", "Product", "Report",
               "SoftwareSourceCode", "Thesis", "Legislation"}


_COPYRIGHT_LINE = re.compile(r"(?:©|\(c\)|Copyright\b)[^©\n|]{2,100}", re.IGNORECASE)


def footer_copyright(root: lxml_html.HtmlElement) -> str:
    """The copyright line of the page's footer ("© 2021 Example Media GmbH"), else ""."""
    footers = root.xpath("//footer | //*[@role='contentinfo'] | //*[contains(@class, 'footer') or "
                         "contains(@id, 'footer') or contains(@class, 'copyright')]")
    for footer in footers[-3:][::-1]:
        match = _COPYRIGHT_LINE.search(text_of(footer))
        if match:
            return match.group(0).strip()
    return ""


def _alternates(root: lxml_html.HtmlElement) -> list[str]:
    """The page's AMP and mobile copies: <link rel=amphtml>, <link rel=alternate media=...>."""
    found = []
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        href = (link.get("href") or "").strip()
        if href and ("amphtml" in rel or ("alternate" in rel and link.get("media") and not link.get("hreflang")
                                          and not link.get("type"))):
            found.append(href)
    return found


_ORIGINALLY = re.compile(
    r"\b(?:originally|first)\s+(?:published|appeared|posted)\s+(?:by|on|in|at)\s+(?:the\s+)?"
    r"(?P<name>[A-Z0-9][\w&.'’ -]{1,60}?)\s*(?=[.,;:()]|\s+(?:on|and|as|under|in)\s|$)",
    re.IGNORECASE)


def originally_published(root: lxml_html.HtmlElement) -> tuple[str, str]:
    """("The Conversation", its link) from "This article was originally published by The Conversation"."""
    for element in root.iter("p", "div", "em", "i", "span", "small", "footer", "aside"):
        if len(element) > 20:
            continue  # a container of the whole page, not the statement
        text = text_of(element)
        if len(text) > 400:
            continue
        match = _ORIGINALLY.search(text)
        if match:
            links = [a.get("href", "").strip() for a in element.iter("a") if a.get("href", "").strip()]
            name_link = next((a.get("href", "").strip() for a in element.iter("a")
                              if text_of(a) and text_of(a).casefold() in match.group("name").casefold()), "")
            return match.group("name").strip(), name_link or (links[0] if links else "")
    return "", ""
