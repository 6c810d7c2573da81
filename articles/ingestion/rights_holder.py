"""Who holds the rights in an ingested article, and where the page says so.

In order: JSON-LD copyrightHolder, dc.rights, the original publisher of a syndicated copy (or an
"originally published by" statement), JSON-LD publisher, article:publisher, <meta name=copyright>,
<meta name=publisher>, the site's name, the footer's copyright line. A
syndicated copy's own publisher and site name are the portal's, never the holder of the original.
"""

from __future__ import annotations

from articles.credits import parse_credit

from .addresses import PageAddresses
from .extract import ExtractedPage


def _statement_holder(statement: str) -> str:
    # "© 2019 Example Media. All rights reserved." -> Example Media; a licence sentence names nobody.
    return parse_credit(statement if statement.lstrip().startswith(("©", "(c)", "Copyright")) else f"© {statement}").holder


def _not_an_address(value: str) -> str:
    return "" if value.startswith(("http://", "https://", "//")) else value


def article_rights_holder(page: ExtractedPage, addresses: PageAddresses) -> tuple[str, str]:
    """(name, where it was read), or ("", "")."""
    copy = addresses.syndicated
    # The site's own marks (its name, its footer, its meta tags) name the page's publisher, which is the
    # rights holder only when that page is the primary source: not a portal's copy, not a page of
    # unknown origin (which may be a republication, ours included).
    weak = copy or not addresses.primary.key
    candidates = (
        (page.copyright_holder, "JSON-LD copyrightHolder"),
        (_statement_holder(page.rights_statement) if page.rights_statement else "", "dc.rights"),
        (addresses.original_publisher, "original publisher"),
        (page.originally_published_by, "originally published by"),
        ("" if copy else page.publisher, "JSON-LD publisher"),
        ("" if copy else _not_an_address(page.article_publisher), "article:publisher"),
        ("" if weak or not page.copyright_meta else _statement_holder(page.copyright_meta), "meta copyright"),
        ("" if weak else _not_an_address(page.publisher_meta), "meta publisher"),
        ("" if weak else page.site_name, "site name"),
        ("" if weak or not page.footer_copyright else _statement_holder(page.footer_copyright), "footer ©"),
    )
    return next(((" ".join(name.split()), where) for name, where in candidates if name and name.strip()), ("", ""))
