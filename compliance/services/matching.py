"""Resolving a notice's items to what we publish, set-wise: a few queries per notice, never one per URL.

A notice may name 10,000 URLs and is still received within one request, so matching reads plain
values (never whole articles), passes key lists to PostgreSQL as one array, and writes with COPY
there (articles.importing.bulk; bulk_create elsewhere).
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable, NamedTuple
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection, transaction
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.urls import get_script_prefix, reverse
from django.urls.converters import SlugConverter

from articles.importing.bulk import insert_rows, insert_rows_returning_ids
from articles.models import Article, ArticleUrlKey, Asset, SourceDomain
from articles.urlnorm import host_aliases
from compliance.parsing.submission import ValidItem
from compliance.models import Notice, NoticeItem, NoticeItemMatch
from imagerights.services.image_gate import copies_of_many

log = logging.getLogger(__name__)

How = NoticeItemMatch.How
# One match per item and target; the most specific way of matching wins.
RANK = {How.ASSET_URL: 0, How.EXACT_URL: 1, How.PRIMARY_SOURCE: 2, How.TRAILING_SLASH: 3, How.DOMAIN: 4,
        How.IMAGE_HASH: 5}
# What an article match's evidence needs, after the column it was found by.
ARTICLE_VALUES = ("id", "status", "title", "content_sha256")
# The article page's route takes its slug with Django's slug converter.
SLUG = re.compile(SlugConverter.regex)
ROUTE_MARKER = "route-marker"


class Item(NamedTuple):
    """What matching reads of an item; `ref` is its id, or its index while it is not stored yet."""

    ref: int
    scope: str
    url_key: str
    normalised_url: str


@dataclass(frozen=True)
class Found:
    ref: int
    how: str
    article_id: int
    asset_id: int | None
    evidence_sha256: str
    evidence: dict[str, Any]


class ArticleRoute(NamedTuple):
    """Where our article pages live: their hosts and the path on either side of the slug."""

    hosts: frozenset[str]
    prefix: str
    suffix: str
    # Most URLs of a notice are elsewhere: a test of how they start turns them away before urlsplit.
    url_starts: tuple[str, ...]

    def slug(self, normalised_url: str) -> str:
        if not normalised_url.startswith(self.url_starts):
            return ""
        parts = urlsplit(normalised_url)
        if parts.hostname not in self.hosts:
            return ""
        path = parts.path
        if not (path.startswith(self.prefix) and path.endswith(self.suffix)):
            return ""
        slug = path[len(self.prefix):len(path) - len(self.suffix)]
        return slug if SLUG.fullmatch(slug) else ""


def article_route() -> ArticleRoute:
    """Read from the URLconf once per notice: resolve() per URL costs more than the lookups it feeds."""
    path = reverse("articles:detail", kwargs={"slug": ROUTE_MARKER})
    prefix, _, suffix = ("/" + path.removeprefix(get_script_prefix())).partition(ROUTE_MARKER)
    hosts = frozenset(settings.PUBLIC_HOSTS)
    url_starts = tuple(f"https://[{host}]" if ":" in host else f"https://{host}" for host in hosts)
    return ArticleRoute(hosts, prefix, suffix, url_starts)


def our_article_slug(normalised_url: str) -> str:
    """The slug when the URL is one of our article pages, else ""."""
    return article_route().slug(normalised_url)


def _any(column: str, values: Iterable[str]) -> Q | RawSQL:
    """`column IN values`; on PostgreSQL `column = ANY(array)`, one parameter rather than thousands
    that the driver would splice into the statement one by one."""
    values = list(values)
    if connection.vendor == "postgresql":
        return RawSQL(f"{connection.ops.quote_name(column)} = ANY(%s::text[])", [_text_array(values)],
                      output_field=BooleanField())
    return Q(**{f"{column}__in": values})


def _text_array(values: list[str]) -> str:
    """The array as one text[] literal: psycopg adapts a list element by element, 40 ms for 10,000 keys."""
    return "{" + ",".join('"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"' for value in values) + "}"


def _article_found(item: Item, how: str, values: list[Any], extra: dict[str, str] | None = None) -> Found:
    article_id, status, title, content_sha256 = values
    return Found(item.ref, how, article_id, None, content_sha256, {"status": status, "title": title[:200],
                                                                   **(extra or {})})


def slash_twin(normalised_url: str) -> str:
    """The same URL with the trailing slash of its path added or taken away, where that is the same
    address on nearly every server (`/story` and `/story/`); "" for a site's root and for a file's
    name (`/photo.jpg/` is a 404 or another resource on many servers)."""
    head, sep, query = normalised_url.partition("?")
    path_start = head.find("/", head.find("://") + 3)
    if path_start < 0 or path_start == len(head) - 1:
        return ""
    if "." in head.rstrip("/").rsplit("/", 1)[-1]:
        return ""
    return (head[:-1] if head.endswith("/") else head + "/") + sep + query


def _url_matches(items: list[Item]) -> list[Found]:
    """Exact lookups for every item, then the slash twins of those that found nothing: a twin is
    looked up only where it can add a match, which keeps the second round's arrays short."""
    found = _lookups(items, twins=False)
    matched = {match.ref for match in found}
    rest = [item for item in items if item.ref not in matched]
    return found + _lookups(rest, twins=True) if rest else found


def _lookups(items: list[Item], *, twins: bool) -> list[Found]:
    """One query per column for all items (`= ANY(array)`): our slugs, primary sources, assets."""
    by_key: dict[str, list[Item]] = defaultdict(list)
    by_slug: dict[str, list[Item]] = defaultdict(list)
    elsewhere: dict[str, list[Item]] = defaultdict(list)  # not our pages: addresses an article may be known by
    route = article_route()
    for item in items:
        url, key = item.normalised_url, item.url_key
        if twins:
            url = slash_twin(url)
            if not url:
                continue
            # The twin of a normalised URL is normalised too (only the path's last slash differs), so
            # its key is its hash; normalising thousands of them again would cost more than the lookups.
            key = hashlib.sha256(url.encode("utf-8")).hexdigest()
        by_key[key].append(item)
        slug = route.slug(url)
        if slug:
            by_slug[slug].append(item)
        else:
            elsewhere[key].append(item)

    def how(matched_as: str) -> tuple[str, dict[str, str]]:
        """A twin is a candidate for a person, never withdrawn automatically; its evidence says what
        it would otherwise have been."""
        return (How.TRAILING_SLASH, {"twin_of": matched_as}) if twins else (matched_as, {})

    found: list[Found] = []
    if by_slug:
        as_, extra = how(How.EXACT_URL)
        for slug, *values in Article.objects.filter(_any("slug", by_slug)).values_list("slug", *ARTICLE_VALUES):
            found += [_article_found(item, as_, values, extra) for item in by_slug[slug]]
    if by_key:
        as_, extra = how(How.PRIMARY_SOURCE)
        for key, *values in (Article.objects.filter(_any("primary_source_key", by_key))
                             .values_list("primary_source_key", *ARTICLE_VALUES)):
            found += [_article_found(item, as_, values, extra) for item in by_key[key]]
        found += _known_address_matches(elsewhere, as_, extra)
        as_, extra = how(How.ASSET_URL)
        for asset_id, article_id, key, status, credit_line in (
                Asset.objects.filter(_any("url_key", by_key))
                .values_list("id", "article_id", "url_key", "status", "credit_line")):
            # No asset bytes are kept yet: the evidence is the URL that was live and its credit line.
            found += [Found(item.ref, as_, article_id, asset_id, key,
                            {"status": status, "credit_line": credit_line[:300], **extra}) for item in by_key[key]]
    return found


def _known_address_matches(by_key: dict[str, list[Item]], how: str, extra: dict[str, str]) -> list[Found]:
    """Every other address an article is known by (fetched, canonical, og:url, AMP, the portal a
    syndicated copy came from): one query on the key table, joined to the article's values."""
    found: list[Found] = []
    for key, *article in _articles_known_by(list(by_key)):
        found += [_article_found(item, how, article, extra) for item in by_key[key]]
    return found


def _articles_known_by(keys: list[str]) -> list[tuple[Any, ...]]:
    if not keys:
        return []
    if connection.vendor != "postgresql":
        values = [f"article__{name}" for name in ARTICLE_VALUES]
        return list(ArticleUrlKey.objects.filter(key__in=keys).values_list("key", *values))
    # The array behind a subquery, whose length the planner cannot see: given 10,000 keys outright it
    # chooses to read the whole key table (about 200 ms at a million rows) over probing its index (70-90 ms).
    quote = connection.ops.quote_name
    columns = ", ".join(f"a.{quote(name)}" for name in ARTICLE_VALUES)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT u.key, {columns} FROM {quote(ArticleUrlKey._meta.db_table)} u "
                       f"JOIN {quote(Article._meta.db_table)} a ON a.id = u.article_id "
                       f"WHERE u.key = ANY(ARRAY(SELECT unnest(%s::text[])))", [_text_array(keys)])
        return cursor.fetchall()


def articles_named(items: list[ValidItem]) -> set[int]:
    """Our articles that these URLs name (our page, its primary source, one of its assets)."""
    return {found.article_id for found in _url_matches([
        Item(index, item.scope, item.url_key, item.normalised_url)
        for index, item in enumerate(items) if item.scope == NoticeItem.Scope.URL])}


def _domain_matches(items: list[Item]) -> list[Found]:
    if not items:
        return []
    items_by_alias: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        for alias in host_aliases(urlsplit(item.normalised_url).hostname or ""):
            items_by_alias[alias].append(item)
    items_by_source: dict[int, list[Item]] = defaultdict(list)
    for domain in SourceDomain.objects.filter(host__in=items_by_alias):
        items_by_source[domain.source_id] += items_by_alias[domain.host]
    found: list[Found] = []
    for source_id, *values in (Article.objects.filter(source_id__in=items_by_source)
                               .values_list("source_id", *ARTICLE_VALUES)):
        found += [_article_found(item, How.DOMAIN, values) for item in dict.fromkeys(items_by_source[source_id])]
    # A syndicated copy belongs to its original's source; the portal we took it from is named too.
    for source_id, *values in (Article.objects.filter(taken_from_id__in=items_by_source)
                               .values_list("taken_from_id", *ARTICLE_VALUES)):
        found += [_article_found(item, How.DOMAIN, values) for item in dict.fromkeys(items_by_source[source_id])]
    return found


def _deduplicated(found: list[Found]) -> list[Found]:
    best: dict[tuple[int, int | None, int | None], Found] = {}
    for match in sorted(found, key=lambda m: RANK[m.how]):
        best.setdefault((match.ref, match.article_id if not match.asset_id else None, match.asset_id), match)
    return list(best.values())


def _photo_copies(found: list[Found]) -> list[Found]:
    """A photo named by its URL is the same photo wherever else we show it, resized or recompressed:
    each copy is a match too, for a person to decide (never withdrawn automatically)."""
    named = [match for match in found if match.how == How.ASSET_URL]
    copies = copies_of_many({match.asset_id for match in named})
    return [Found(match.ref, How.IMAGE_HASH, copy.article_id, copy.asset_id, copy.file_sha256,
                  {"copy_of_asset": match.asset_id, "phash_distance": copy.distance})
            for match in named for copy in copies.get(match.asset_id, [])]


def _find(items: list[Item]) -> list[Found]:
    found = (_url_matches([i for i in items if i.scope == NoticeItem.Scope.URL])
             + _domain_matches([i for i in items if i.scope == NoticeItem.Scope.DOMAIN]))
    return _deduplicated(found + _photo_copies(found))


def _match_row(match: Found, item_id: int, now: datetime) -> dict[str, Any]:
    return {"item_id": item_id, "article_id": match.article_id, "asset_id": match.asset_id, "how": match.how,
            "score": 1.0 - match.evidence.get("phash_distance", 0) / 64, "evidence_sha256": match.evidence_sha256, "evidence": match.evidence,
            "state": NoticeItemMatch.State.MATCHED, "puid": str(uuid.uuid4()), "created_at": now,
            "decided_at": None}


def find_for_many(item_lists: list[list[ValidItem]]) -> list[list[Found]] | None:
    """The matches of several notices' items in one round of lookups (a run of stored mails): each
    list's matches come back with refs indexing that list, as `store_matched_items` reads them.
    None when the lookups fail, so that each notice then matches alone and fails alone."""
    items, owner = [], []
    for which, valid in enumerate(item_lists):
        for index, item in enumerate(valid):
            items.append(Item(len(items), item.scope, item.url_key, item.normalised_url))
            owner.append((which, index))
    try:
        with transaction.atomic():  # a savepoint: a failed query must not spoil the caller's transaction
            found = _find(items)
    except Exception:
        log.exception("matching a run of notices together failed; each is matched alone")
        return None
    per_list: list[list[Found]] = [[] for _ in item_lists]
    for match in found:
        which, index = owner[match.ref]
        per_list[which].append(Found(index, match.how, match.article_id, match.asset_id, match.evidence_sha256,
                                     match.evidence))
    return per_list


def store_matched_items(notice: Notice, rows: list[dict[str, Any]], *, now: datetime,
                        found: list[Found] | None = None, ids: list[int] | None = None) -> int:
    """Store a new notice's items (rows of NoticeItem columns, in position order), matched first so
    that each goes in with its final state, then their matches; returns how many matches.

    A notice that arrived is stored whatever matching does: if matching fails, its items are kept
    as received (unmatched, for staff to match), the leads are alerted, and the deadline treats
    them as undecided (a breach if nobody decides them).

    `found`, when given, is what `find_for_many` found for these rows moments before; `ids`, ids
    taken from the items' sequence for them (a run takes them for all its notices at once)."""
    if found is None:
        try:
            with transaction.atomic():  # a savepoint: a failed query here must not take the notice with it
                found = _find([Item(index, row["scope"], row["url_key"], row["normalised_url"])
                               for index, row in enumerate(rows)])
        except Exception as exc:
            _store_unmatched(notice, rows, exc)
            return 0
    matched = {match.ref for match in found}
    for index, row in enumerate(rows):
        row["notice_id"] = notice.pk
        row["state"] = NoticeItem.State.MATCHED if index in matched else NoticeItem.State.UNMATCHED
        row["matched_at"] = now if index in matched else None
    if ids is not None and len(ids) == len(rows):
        for row, pk in zip(rows, ids):
            row["id"] = pk
        insert_rows(NoticeItem, rows)
    else:
        insert_rows_returning_ids(NoticeItem, rows)
    insert_rows(NoticeItemMatch, [_match_row(match, rows[match.ref]["id"], now) for match in found])
    return len(found)


def _store_unmatched(notice: Notice, rows: list[dict[str, Any]], exc: Exception) -> None:
    from compliance.services.alerts import alert_compliance_leads  # alerts reach the outbox, which needs models

    log.exception("matching the items of %s failed; they are stored as received", notice.reference)
    for row in rows:
        row["notice_id"], row["state"], row["matched_at"] = notice.pk, NoticeItem.State.RECEIVED, None
    insert_rows_returning_ids(NoticeItem, rows)
    alert_compliance_leads(
        subject=f"[{notice.reference}] its items could not be matched", notice=notice,
        template="compliance/mail/queue_row_failed.txt",
        context={"what": f"Removal request {notice.reference}", "error": f"{type(exc).__name__}: {exc}"[:500],
                 "link": reverse("admin:compliance_notice_change", args=[notice.pk]),
                 "action": "The request and its items are stored, unmatched. Find what they name on our site and "
                           "decide them by hand; its deadlines run as usual."})


def match_items(notice: Notice, *, now: datetime) -> int:
    """Create the matches of every item still received; mark each matched or unmatched."""
    items = [Item(*values) for values in notice.items.filter(state=NoticeItem.State.RECEIVED)
             .values_list("id", "scope", "url_key", "normalised_url")]
    found = _find(items)
    insert_rows(NoticeItemMatch, [_match_row(match, match.ref, now) for match in found])
    matched = {match.ref for match in found}
    NoticeItem.objects.filter(pk__in=[i.ref for i in items if i.ref in matched]).update(
        state=NoticeItem.State.MATCHED, matched_at=now)
    NoticeItem.objects.filter(pk__in=[i.ref for i in items if i.ref not in matched]).update(
        state=NoticeItem.State.UNMATCHED, matched_at=None)
    return len(found)


def articles_named_by(items: list[Item]) -> dict[int, set[int]]:
    """The articles each item (by ref) would reach, matching nothing stored: for measurements."""
    reached: dict[int, set[int]] = defaultdict(set)
    for match in _find(items):
        reached[match.ref].add(match.article_id)
    return reached
