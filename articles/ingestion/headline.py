"""The page's headline from its HTML when structured data gives none: the article's <h1>, else <title>.

Pure module: lxml only.
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

from .figures import text_of

_TITLE_SEPARATORS = (" - ", " | ", " – ", " — ", " :: ", " · ")


def headline_of(root: lxml_html.HtmlElement, site_name: str) -> str:
    """The <h1> of the article, else <title> minus a trailing " - Site Name".

    A lone <h1> that is the site's name or its logo (a masthead) loses to the <title> headline.
    """
    title_tag = " ".join("".join(root.xpath("//title[1]//text()")).split())
    mastheads = []
    for xpath in ("//article//h1", "//main//h1", "//h1"):
        found = [(h, t or (h.xpath("string(.//img/@alt)") or "").strip()) for h, t in
                 ((h, text_of(h)) for h in root.xpath(xpath))]
        mastheads += [t for h, t in found if t and _is_masthead(h, t, site_name, title_tag)]
        found = [(h, t) for h, t in found if t and t not in mastheads]
        if found and (xpath != "//h1" or len(found) == 1):
            return found[0][1]
    # A masthead's text is the site's name even where the page declares none.
    for name in filter(None, (site_name, *mastheads)):
        for sep in _TITLE_SEPARATORS:
            if title_tag.lower().endswith((sep + name).lower()):
                return title_tag[: -len(sep + name)].strip()
    return title_tag


_MASTHEAD = re.compile(r"logo|brand|masthead|site-?title|site-?name|navbar|header__title", re.I)


def _is_masthead(h1: lxml_html.HtmlElement, text: str, site_name: str, title_tag: str) -> bool:
    words = text.casefold()
    if site_name and words == site_name.casefold():
        return True
    for element in (h1, *h1.iterancestors()):
        if element.tag in ("article", "main"):
            break
        if _MASTHEAD.search(f"{element.get('class') or ''} {element.get('id') or ''}"):
            return True
    if h1.xpath(".//img") and len(text) < 40:
        return True  # a logo picture with its alt text or a short name
    # The part of <title> after its separator is the site's name: "Story - Site" with <h1>Site</h1>.
    return any(title_tag.casefold().endswith((sep + text).casefold()) for sep in _TITLE_SEPARATORS)
