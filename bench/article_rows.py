"""Published articles by the million for the intake benchmarks, COPYed straight into their tables.

Runs inside a Django worker (bench/common.py's worker_main). Article i has id i + 1; every tenth
article (i % 10 == 9) is a German copy of the one before it, with the same primary source, so a
notice naming that source matches two articles; every fifth article has a photo; every article is
also known by an AMP address (articles_articleurlkey).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Iterator

from common import copy_rows

OUR_HOST = "worldtimetodays.example"
CDN = "cdn.worldtimetodays.example"
TWIN_EVERY = 10
ASSET_EVERY = 5
TEXT = ("Officials said the city council restored power and water to the district on Monday morning, "
        "while engineers repaired the bridge and volunteers delivered supplies to the shelters.")


@dataclass(frozen=True)
class Synthetic:
    """The URLs of `count` articles, as the loader writes them and as notices name them."""

    count: int

    @staticmethod
    def primary_of(index: int) -> int:
        return index - 1 if index % TWIN_EVERY == TWIN_EVERY - 1 else index

    def copies_of_primary(self, index: int) -> int:
        """How many articles republish article `index`'s primary source (`index` is not a copy)."""
        copy = index + 1
        return 2 if copy % TWIN_EVERY == TWIN_EVERY - 1 and copy < self.count else 1

    @staticmethod
    def primary_url(index: int) -> str:
        from articles.synthetic import SOURCES, TOPICS

        topic = TOPICS[index % len(TOPICS)].replace(" ", "-")
        return f"https://{SOURCES[index % len(SOURCES)][1]}/2022/{_month(index)}/{1 + index % 28:02d}/{topic}-{index}.html"

    @staticmethod
    def slug(index: int, key: str) -> str:
        from articles.synthetic import TOPICS

        return f"report-{index}-what-changed-for-{TOPICS[index % len(TOPICS)].replace(' ', '-')}-{key[:8]}"

    def our_url(self, index: int) -> str:
        from articles.urlnorm import url_key

        return f"https://{OUR_HOST}/articles/{self.slug(index, url_key(self.primary_url(self.primary_of(index))))}/"

    @staticmethod
    def asset_url(index: int) -> str:
        return f"https://{CDN}/img/2022/{_month(index)}/photo-{index}.jpg"


def _month(index: int) -> str:
    return f"{1 + index // 28 % 12:02d}"


def load(synthetic: Synthetic, *, progress: bool) -> dict[str, Any]:
    """Sources by ORM, articles and assets by COPY, then VACUUM ANALYZE and a checkpoint; what it
    did and how long it took."""
    from django.db import connection

    started = time.perf_counter()
    sources = _sources()
    assets = len(range(0, synthetic.count, ASSET_EVERY))
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")  # for rebuilding the indexes
        copy_rows(cursor, "articles_article", _article_rows(synthetic, sources), total=synthetic.count,
                  unit="articles", progress=progress)
        copy_rows(cursor, "articles_asset", _asset_rows(synthetic), total=assets, unit="assets", progress=progress)
        copy_rows(cursor, "articles_articleurlkey", _alternate_rows(synthetic), total=synthetic.count,
                  unit="addresses", progress=progress)
        for table in ("articles_article", "articles_asset", "articles_articleurlkey"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        # As a table in service would be: statistics, hint bits and visibility map set, and no
        # checkpoint of the load left to write while the notices are timed.
        settled = time.perf_counter()
        cursor.execute("VACUUM ANALYZE articles_article, articles_asset, articles_articleurlkey")
        cursor.execute("CHECKPOINT")
    return {"articles": synthetic.count, "assets": assets, "seconds": round(time.perf_counter() - started, 1),
            "vacuum_analyze_checkpoint_seconds": round(time.perf_counter() - settled, 1)}


def _sources() -> dict[str, int]:
    from articles.models import Source, SourceDomain
    from articles.synthetic import SOURCES

    ids = {}
    for name, host, country, language in SOURCES:
        source = Source.objects.create(name=name, slug=host.replace(".", "-"), country=country, language=language)
        SourceDomain.objects.create(source=source, host=host)
        ids[host] = source.pk
    return ids


def _article_rows(synthetic: Synthetic, sources: dict[str, int]) -> Iterator[dict[str, Any]]:
    from articles.synthetic import SOURCES
    from articles.urlnorm import url_key

    start, now = datetime(2022, 5, 1, 6, 0, tzinfo=timezone.utc), datetime.now(timezone.utc)
    for index in range(synthetic.count):
        primary = synthetic.primary_of(index)
        url = synthetic.primary_url(primary)
        key = url_key(url)
        title = f"Report {index}: what changed"
        body = f"{title}\n\n{TEXT}"
        copy = primary != index
        yield {
            "id": index + 1, "slug": synthetic.slug(index, key), "title": title, "body": body,
            "language": "de" if copy else "en", "source_id": sources[SOURCES[primary % len(SOURCES)][1]],
            "basis": "license", "primary_source_url_raw": url, "primary_source_url_final": url,
            "primary_source_url": url, "primary_source_key": key, "lookup_key": key,
            "translated_from": "en" if copy else "", "translation_engine": "deepl" if copy else "",
            "status": "published", "content_sha256": hashlib.sha256(body.encode()).hexdigest(),
            "published_at": start + timedelta(minutes=7 * index), "created_at": now, "updated_at": now,
            "rejected_parts": "[]",
        }


def _alternate_rows(synthetic: Synthetic) -> Iterator[dict[str, Any]]:
    """Each article is also known by an AMP address (a key table of 1M rows for the notice's lookups)."""
    from articles.urlnorm import url_key

    for index in range(synthetic.count):
        url = synthetic.primary_url(synthetic.primary_of(index)).replace("https://", "https://amp.", 1)
        yield {"id": index + 1, "article_id": index + 1, "key": url_key(url), "url": url, "kind": "alternate"}


def _asset_rows(synthetic: Synthetic) -> Iterator[dict[str, Any]]:
    from articles.urlnorm import url_key

    for index in range(0, synthetic.count, ASSET_EVERY):
        url = synthetic.asset_url(index)
        yield {"id": index // ASSET_EVERY + 1, "article_id": index + 1, "position": 0, "kind": "photo",
               "original_url": url, "url_key": url_key(url), "credit_line": "Photo by Anna Kovalenko/Reuters",
               "caption": f"A scene from report {index}.", "display": "hotlinked", "status": "live"}
