"""Every address an ingested page is known by, which of them is the primary source, and whether the
page is a syndicated copy of an original published elsewhere.

Pure module: no Django. A page is reached by one URL and names itself by others: where fetching
ended, its declared canonical, og:url, AMP and mobile alternates. On the fetched site those are
all the same article, and a notice naming any of them must reach it. A canonical (or og:url,
JSON-LD isBasedOn, or an "originally published by" link) on *another* site means the page is a
copy: the original is then the primary source, and the site we fetched is where we took it from.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from tld import get_fld

from articles.shortening import shortened
from articles.urlnorm import InvalidUrl, host_of, normalise_url, url_key, validate_url

from .extract import ExtractedPage

GIVEN, FINAL, CANONICAL, OG_URL, ALTERNATE, ORIGINAL = "given", "final", "canonical", "og_url", "alternate", "original"


class UnusableSourceUrl(ValueError):
    """The URL given as the page's source cannot be used; str() is one line."""


@dataclass(frozen=True)
class PrimarySource:
    raw: str = ""
    canonical: str = ""
    final: str = ""
    normalised: str = ""
    key: str = ""


@dataclass(frozen=True)
class KnownAddress:
    kind: str
    url: str  # normalised
    key: str


@dataclass(frozen=True)
class Rejected:
    what: str
    url: str
    reason: str


@dataclass(frozen=True)
class PageAddresses:
    primary: PrimarySource
    known: tuple[KnownAddress, ...] = ()
    # A syndicated copy: how the original was declared, the publisher named for it, and our fetched URL.
    original_declared_by: str = ""
    original_publisher: str = ""
    taken_from_url: str = ""
    rejected: tuple[Rejected, ...] = ()

    @property
    def syndicated(self) -> bool:
        return bool(self.taken_from_url)


def site_of(url: str) -> str:
    """The registrable domain (cnn.com for edition.cnn.com), or the host where there is none."""
    host = host_of(url)
    found = get_fld(host, fix_protocol=True, fail_silently=True)
    if found:
        return found
    # No known public suffix (an IP address, a reserved name such as .example): the last two labels.
    return host if host.replace(".", "").isdigit() or ":" in host else ".".join(host.split(".")[-2:])


def resolve_primary_source(*, given: str | None, declared: str, final: str | None) -> PrimarySource:
    """Keep all spellings; the key comes from the declared canonical when it is on the same site.

    A page may declare a canonical elsewhere (a syndication partner, the homepage by mistake);
    only a canonical on the fetched site is trusted over where fetching ended.
    """
    if not given:
        return PrimarySource()
    try:
        raw = validate_url(given)
        final_url = validate_url(final) if final else raw
    except ValueError as exc:
        raise UnusableSourceUrl(f"source URL is not usable: {exc}") from None
    chosen = final_url
    if declared:
        try:
            if site_of(declared) == site_of(final_url) and _is_article_address(declared):
                chosen = declared
        except ValueError:
            declared = ""
    return PrimarySource(raw=raw, canonical=declared, final=final_url,
                         normalised=normalise_url(chosen), key=url_key(chosen))


def _is_article_address(url: str) -> bool:
    # A site's homepage is never the address of one of its articles: a canonical pointing there is a mistake.
    return urlsplit(normalise_url(url)).path.strip("/") != ""


def page_addresses(page: ExtractedPage, *, given: str | None, final: str | None) -> PageAddresses:
    """Raises UnusableSourceUrl when the given or final URL is unusable; declared ones are only rejected."""
    if not given:
        return PageAddresses(PrimarySource())
    rejected: list[Rejected] = []
    declared: list[tuple[str, str]] = []
    for kind, url in ((CANONICAL, page.canonical_link), (OG_URL, page.og_url),
                      *((ALTERNATE, u) for u in page.alternates)):
        usable = _usable(kind, url, rejected)
        if usable:
            declared.append((kind, usable))
    primary = resolve_primary_source(given=given, declared=_usable(CANONICAL, page.canonical_url, []), final=final)
    fetched_site = site_of(primary.final)
    original_kind, original = _original(page, fetched_site, declared, rejected)
    known = [(GIVEN, primary.raw), (FINAL, primary.final)]
    known += [(kind, url) for kind, url in declared if site_of(url) == fetched_site and _is_article_address(url)]
    if original:
        known.append((ORIGINAL, original))
        primary = PrimarySource(raw=primary.raw, canonical=primary.canonical, final=primary.final,
                                normalised=normalise_url(original), key=url_key(original))
    addresses: dict[str, KnownAddress] = {}
    for kind, url in known:
        key = url_key(url)
        addresses.setdefault(key, KnownAddress(kind, normalise_url(url), key))
    return PageAddresses(
        primary=primary, known=tuple(addresses.values()), original_declared_by=original_kind,
        original_publisher=_original_publisher(page, original, fetched_site) if original else "",
        taken_from_url=normalise_url(primary.final) if original else "", rejected=tuple(rejected))


def _usable(what: str, url: str, rejected: list[Rejected]) -> str:
    if not url:
        return ""
    try:
        return validate_url(url)
    except InvalidUrl as exc:
        rejected.append(Rejected(what, shortened(url, 200), str(exc)))
        return ""


def _original(page: ExtractedPage, fetched_site: str, declared: list[tuple[str, str]],
              rejected: list[Rejected]) -> tuple[str, str]:
    """(how it was declared, the original's URL) when the page declares an original on another site."""
    candidates = [(kind, url) for kind, url in declared if kind in (CANONICAL, OG_URL)]
    for what, url in (("isBasedOn", page.based_on_url), ("originally published", page.originally_published_url)):
        usable = _usable(what, url, rejected)
        if usable:
            candidates.append((what, usable))
    for kind, url in candidates:
        if site_of(url) != fetched_site and _is_article_address(url):
            return kind, url
    return "", ""


def _original_publisher(page: ExtractedPage, original: str, fetched_site: str) -> str:
    """Who published the original: a name the page gives for the original's site, else that site."""
    site = site_of(original)
    for name, url in ((page.source_organization, page.source_organization_url),
                      (page.publisher, page.publisher_url),
                      (page.originally_published_by, page.originally_published_url)):
        if name and url and _site_or_empty(url) == site:
            return name
    for name in (page.originally_published_by, page.source_organization):
        if name:
            return name
    publisher_site = _site_or_empty(page.publisher_url)
    if page.publisher and publisher_site and publisher_site != fetched_site:
        return page.publisher
    return site


def _site_or_empty(url: str) -> str:
    try:
        return site_of(url) if url else ""
    except ValueError:
        return ""
