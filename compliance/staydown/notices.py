"""What notices still claim: URLs and whole source domains named by items not rejected or restored."""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlsplit

from articles.models import SourceDomain
from articles.urlnorm import host_aliases
from compliance.models import NoticeItem
from compliance.staydown.candidates import any_of

CLAIMED = (NoticeItem.State.RECEIVED, NoticeItem.State.MATCHED, NoticeItem.State.UNMATCHED,
           NoticeItem.State.ACTIONED)


def claimed_urls(url_keys: set[str]) -> dict[str, str]:
    """URL key -> reference of a notice naming that URL (a primary source or an asset)."""
    if not url_keys:
        return {}
    items = (NoticeItem.objects.filter(any_of(NoticeItem, "url_key", url_keys), scope=NoticeItem.Scope.URL,
                                       state__in=CLAIMED)
             .values_list("url_key", "notice__reference"))
    return dict(items)


def claimed_sources(source_ids: set[int]) -> dict[int, str]:
    """Source id -> reference of a notice covering the source's whole domain."""
    if not source_ids:
        return {}
    by_host: dict[str, str] = {}
    for url, reference in (NoticeItem.objects.filter(scope=NoticeItem.Scope.DOMAIN, state__in=CLAIMED)
                           .values_list("normalised_url", "notice__reference")):
        for alias in host_aliases(urlsplit(url).hostname or ""):
            by_host.setdefault(alias, reference)
    if not by_host:
        return {}
    found: dict[int, str] = defaultdict(str)
    for source_id, host in SourceDomain.objects.filter(source_id__in=source_ids, host__in=by_host).values_list(
            "source_id", "host"):
        found[source_id] = found[source_id] or by_host[host]
    return dict(found)
