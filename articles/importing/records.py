"""Validating one JSON line of an import into an :class:`ArticleRecord`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from datetime import datetime, timezone as dt_timezone
from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.text import slugify

from articles.credits import parse_credit
from articles.fingerprints import Fingerprint, fingerprint, sha256_hex
from articles.models import Article, Asset
from articles.ingestion.page import PrimarySource, resolve_primary_source
from articles.urlnorm import host_of, url_key, validate_url

ISO_LANGUAGE_LENGTH = (2, 3)
ASSET_KINDS = list(Asset.Kind.values)
BASES = list(Article.Basis.values)


# The same few credit lines come back on every line of a file (an agency's photographers).
_credit = lru_cache(maxsize=4096)(parse_credit)


class RecordError(ValueError):
    pass


@dataclass(frozen=True)
class AssetRecord:
    kind: str
    url: str
    url_key: str
    credit_line: str
    caption: str
    creator: str
    rights_holder: str
    license: str
    file_sha256: str = ""


@dataclass(frozen=True)
class ArticleRecord:
    title: str
    body: str
    language: str
    primary: PrimarySource
    source_name: str
    source_host: str
    authors: tuple[str, ...]
    rights_holder: str
    license: str
    basis: str
    translated_from: str
    translation_engine: str
    published_at: datetime | None
    assets: tuple[AssetRecord, ...]
    content_sha256: str
    line_sha256: str
    # Computed while parsing (in the parser thread), stored with the article and given to the gate.
    text_print: Fingerprint

    @property
    def slug_stem(self) -> str:
        return slugify(self.title)[:80].strip("-") or "article"


def _text(data: dict, name: str, *, required: bool = False, limit: int = 500) -> str:
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise RecordError(f"'{name}' is required")
        return ""
    if not isinstance(value, str):
        raise RecordError(f"'{name}' must be a string")
    value = value.strip()
    if len(value) > limit:
        raise RecordError(f"'{name}' is longer than {limit} characters")
    return value


def _language(data: dict, name: str, *, required: bool) -> str:
    value = _text(data, name, required=required, limit=8).lower()
    if value and (len(value) not in ISO_LANGUAGE_LENGTH or not value.isalpha()):
        raise RecordError(f"'{name}' must be an ISO 639 code such as 'en'")
    return value


def _choice(data: dict, name: str, choices: list[str], default: str) -> str:
    value = _text(data, name) or default
    if value not in choices:
        raise RecordError(f"'{name}' must be one of {', '.join(choices)}")
    return value


def _asset(data: Any, index: int) -> AssetRecord:
    if not isinstance(data, dict):
        raise RecordError(f"assets[{index}] must be an object")
    url = _text(data, "url", required=True, limit=2048)
    try:
        url = validate_url(url)
        key = url_key(url)
    except ValueError as exc:
        raise RecordError(f"assets[{index}].url: {exc}") from None
    credit_line = _text(data, "credit_line", limit=1000)
    credit = _credit(credit_line)  # who the credit names, unless the record says it outright
    return AssetRecord(
        kind=_choice(data, "kind", ASSET_KINDS, Asset.Kind.PHOTO), url=url, url_key=key,
        credit_line=credit_line, caption=_text(data, "caption", limit=5000),
        creator=_text(data, "creator", limit=300) or _named(credit.creator, "creator", index),
        rights_holder=_text(data, "rights_holder", limit=300) or _named(credit.holder, "rights holder", index),
        license=_text(data, "license"), file_sha256=_file_hash(data, index),
    )


def _named(name: str, role: str, index: int) -> str:
    """A party the credit line names, refused (never cut) when longer than a party's name may be."""
    if len(name) > 300:
        raise RecordError(f"assets[{index}].credit_line names a {role} of {len(name)} characters; "
                          f"at most 300 are allowed (give 'creator' or 'rights_holder' outright)")
    return name


def _file_hash(data: dict, index: int) -> str:
    value = _text(data, "sha256", limit=64).lower()
    if value and not (len(value) == 64 and all(c in "0123456789abcdef" for c in value)):
        raise RecordError(f"assets[{index}].sha256 must be 64 hexadecimal digits")
    return value


def _published(data: dict) -> datetime | None:
    value = _text(data, "published_at", limit=40)
    if not value:
        return None
    moment = parse_datetime(value)
    if moment is None:
        raise RecordError("'published_at' must be an ISO 8601 date-time")
    return moment if moment.tzinfo else moment.replace(tzinfo=dt_timezone.utc)


def parse_record(data: Any, *, raw_line: str) -> ArticleRecord:
    if not isinstance(data, dict):
        raise RecordError("each line must be a JSON object")
    body = data.get("body")
    if not isinstance(body, str) or not body.strip():
        raise RecordError("'body' is required")
    try:
        primary = resolve_primary_source(
            given=_text(data, "primary_source_url", limit=2048) or None,
            declared=_text(data, "canonical_url", limit=2048),
            final=_text(data, "final_url", limit=2048) or None,
        )
    except ValueError as exc:
        raise RecordError(str(exc)) from None
    source = data.get("source") or {}
    if not isinstance(source, dict):
        raise RecordError("'source' must be an object with 'name' and 'host'")
    authors = data.get("authors") or []
    if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
        raise RecordError("'authors' must be a list of names")
    assets = data.get("assets") or []
    if not isinstance(assets, list):
        raise RecordError("'assets' must be a list")
    source_host = _text(source, "host", limit=253)
    if source_host:
        try:
            source_host = host_of(f"https://{source_host}/")
        except ValueError as exc:
            raise RecordError(f"source.host: {exc}") from None
    elif primary.normalised:
        source_host = host_of(primary.normalised)
    body = body.strip()
    return ArticleRecord(
        title=_text(data, "title", required=True), body=body,
        language=_language(data, "language", required=True), primary=primary,
        source_name=_text(source, "name", limit=200), source_host=source_host,
        authors=tuple(dict.fromkeys(a.strip() for a in authors if a.strip())),
        rights_holder=_text(data, "rights_holder", limit=300), license=_text(data, "license"),
        basis=_choice(data, "basis", BASES, Article.Basis.UNKNOWN),
        translated_from=_language(data, "translated_from", required=False),
        translation_engine=_text(data, "translation_engine", limit=100),
        published_at=_published(data),
        assets=tuple(_asset(item, index) for index, item in enumerate(assets)),
        content_sha256=sha256_hex(body),
        line_sha256=sha256_hex(raw_line.strip()),
        text_print=fingerprint(body),
    )

