"""Provenance records, one per article and one per asset, read in keyset-paged chunks.

This is the database-neutral path (SQLite, and JSON / JSON-LD everywhere); CSV on PostgreSQL is
written by COPY from the same rules (provenance_copy.py), and a test holds the two equal.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterable, Iterator

from django.conf import settings
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse

from articles.models import Article, Asset, Source
from compliance.models import Decision, NoticeItemMatch
from imagerights.models import RightsReading

CHUNK = 2000
REDACTED = "[redacted]"
STATUSES = sorted(set(Article.Status.values) | set(Asset.Status.values))
COLUMNS = ["record", "article_id", "asset_id", "our_url", "title", "language", "content_url", "primary_source_url",
           "source", "authors", "rights_holder", "credit", "license", "basis", "display", "translated_from",
           "translation_engine", "status", "published_at", "original_published_at", "withdrawn_at",
           "withdrawal_reference", "notices", "decisions", "claimants", "taken_from"]
# Free text that may come from outside (sources, claimants, page markup): neutralised in CSV.
TEXT_COLUMNS = [c for c in COLUMNS if c not in {"record", "article_id", "asset_id", "published_at",
                                                "original_published_at", "withdrawn_at"}]


class ExportArgumentError(ValueError):
    """A filter an auditor gave that cannot be applied; the message is one line."""


def iso(moment: datetime | None) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else ""


def our_url_prefix() -> str:
    """Our article URL is this prefix, the slug and a slash."""
    marker = "SLUG-MARKER"
    return settings.SITE_URL + reverse("articles:detail", args=[marker]).split(marker)[0]


@dataclass(frozen=True)
class ExportFilter:
    source_ids: tuple[int, ...] = ()
    since: datetime | None = None
    until: datetime | None = None  # exclusive
    statuses: tuple[str, ...] = ()

    @classmethod
    def parse(cls, *, sources: Iterable[str] = (), since: str = "", until: str = "",
              statuses: Iterable[str] = ()) -> ExportFilter:
        source_ids = tuple(_source_id(name) for name in _split(sources))
        wanted = tuple(_split(statuses))
        unknown = sorted(set(wanted) - set(STATUSES))
        if unknown:
            raise ExportArgumentError(f"unknown status {unknown[0]!r}; choose from {', '.join(STATUSES)}")
        start, end = parse_moment(since, "since", end=False), parse_moment(until, "until", end=True)
        if start and end and start >= end:
            raise ExportArgumentError("--since must be before --until")
        return cls(source_ids, start, end, wanted)

    def describe(self) -> dict:
        return {"sources": list(self.source_ids), "since": iso(self.since), "until": iso(self.until),
                "statuses": list(self.statuses)}

    def articles(self) -> QuerySet[Article]:
        articles = Article.objects.all()
        if self.source_ids:
            articles = articles.filter(source_id__in=self.source_ids)
        if self.since or self.until:
            articles = articles.annotate(dated=Coalesce("published_at", "created_at"))
            if self.since:
                articles = articles.filter(dated__gte=self.since)
            if self.until:
                articles = articles.filter(dated__lt=self.until)
        return articles

    def article_rows(self) -> QuerySet[Article]:
        articles = self.articles()
        return articles.filter(status__in=self.statuses) if self.statuses else articles

    def asset_rows(self) -> QuerySet[Asset]:
        assets = Asset.objects.filter(article__in=self.articles().values("id")) if self._narrowed() \
            else Asset.objects.all()
        return assets.filter(status__in=self.statuses) if self.statuses else assets

    def _narrowed(self) -> bool:
        return bool(self.source_ids or self.since or self.until)


def _split(values: Iterable[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _source_id(name: str) -> int:
    found = Source.objects.filter(Q(slug=name) | Q(domains__host=name.lower())).values_list("id", flat=True).first()
    if found is None:
        raise ExportArgumentError(f"no source has the slug or domain {name!r}")
    return found


def parse_moment(text: str, name: str, *, end: bool) -> datetime | None:
    """A date (the whole day, UTC) or an ISO 8601 time; `--until` includes the day it names."""
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise ExportArgumentError(f"--{name} {text!r} is not a date (YYYY-MM-DD) or an ISO 8601 time") from None
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    start = datetime.combine(day, time.min, tzinfo=timezone.utc)
    return start + timedelta(days=1) if end else start


@dataclass(frozen=True, order=True)
class NoticeRef:
    reference: str
    kind: str
    how: str
    received_at: datetime
    claimant: str  # REDACTED unless personal data was asked for and allowed

    @property
    def entry(self) -> str:
        return f"{self.reference} {self.kind} {self.how} {iso(self.received_at)}"

    @property
    def claimant_entry(self) -> str:
        return f"{self.reference}: {self.claimant}"


@dataclass(frozen=True, order=True)
class DecisionRef:
    reference: str
    action: str
    decided_at: datetime
    actor: str
    automated: bool
    pending_review: bool

    @property
    def entry(self) -> str:
        return (f"{self.reference} {self.action} {iso(self.decided_at)} {self.actor}"
                + (" pending_review" if self.pending_review else ""))


@dataclass(frozen=True)
class ReadingRef:
    """What a picture's own file said (imagerights): IPTC/XMP, or C2PA with its signer and state."""

    witness: str
    state: str
    creator: str
    rights_holder: str
    copyright_notice: str
    ai_label: str
    signer: str
    signer_issuer: str
    input_sha256: str
    read_at: datetime

    def data(self) -> dict[str, str]:
        return {name: iso(value) if isinstance(value, datetime) else value
                for name, value in self.__dict__.items() if value}


@dataclass
class ProvenanceRow:
    record: str
    article_id: int
    asset_id: int | None
    our_url: str
    title: str
    language: str
    content_url: str
    primary_source_url: str
    source: str
    authors: list[str]
    rights_holder: str
    credit: str
    license: str
    basis: str
    display: str
    translated_from: str
    translation_engine: str
    status: str
    published_at: datetime | None
    original_published_at: datetime | None
    withdrawn_at: datetime | None
    withdrawal_reference: str
    notices: list[NoticeRef] = field(default_factory=list)
    decisions: list[DecisionRef] = field(default_factory=list)
    readings: list[ReadingRef] = field(default_factory=list)
    taken_from: str = ""  # a syndicated copy: the page we took it from; the primary source is the original

    def flat(self) -> dict[str, str | int | None]:
        """One CSV line's cells (lists joined by '; ' in code-point order, as COPY's COLLATE "C" does)."""
        return {
            **{name: getattr(self, name) or "" for name in COLUMNS if name not in _FORMATTED},
            "article_id": self.article_id, "asset_id": self.asset_id if self.asset_id is not None else "",
            "published_at": iso(self.published_at), "original_published_at": iso(self.original_published_at),
            "withdrawn_at": iso(self.withdrawn_at),
            "authors": "; ".join(sorted(set(self.authors))),
            "notices": "; ".join(sorted({n.entry for n in self.notices})),
            "decisions": "; ".join(sorted({d.entry for d in self.decisions})),
            "claimants": "; ".join(sorted({n.claimant_entry for n in self.notices})),
        }


_FORMATTED = {"authors", "notices", "decisions", "claimants", "article_id", "asset_id", "published_at",
          "original_published_at", "withdrawn_at"}


def claimant_text(name: str, email: str, organisation: str) -> str:
    return f"{name} <{email}>" + (f" ({organisation})" if organisation else "")


def iter_rows(filters: ExportFilter, *, personal_data: bool) -> Iterator[ProvenanceRow]:
    """Every article row (by id), then every asset row (by id), in constant memory."""
    prefix = our_url_prefix()
    for chunk in _chunks(filters.article_rows().values(
            "id", "slug", "title", "language", "primary_source_url", "source__name", "rights_holder__name",
            "credit_text", "license", "basis", "translated_from", "translation_engine", "status", "published_at",
            "original_published_at", "withdrawn_at", "withdrawal_reference", "taken_from_url")):
        ids = [a["id"] for a in chunk]
        authors = _authors(ids)
        notices, decisions = _affecting(Q(article_id__in=ids, asset__isnull=True), "article_id", personal_data)
        for a in chunk:
            yield ProvenanceRow(
                "article", a["id"], None, f"{prefix}{a['slug']}/", a["title"], a["language"], "",
                a["primary_source_url"], a["source__name"] or "", authors.get(a["id"], []),
                a["rights_holder__name"] or "", a["credit_text"], a["license"], a["basis"], "",
                a["translated_from"], a["translation_engine"], a["status"], a["published_at"],
                a["original_published_at"], a["withdrawn_at"], a["withdrawal_reference"],
                notices.get(a["id"], []), decisions.get(a["id"], []), taken_from=a["taken_from_url"])
    for chunk in _chunks(filters.asset_rows().values(
            "id", "article_id", "article__slug", "article__title", "article__language", "original_url",
            "article__primary_source_url", "article__source__name", "creator__name", "rights_holder__name",
            "credit_line", "license", "display", "status", "article__published_at", "withdrawn_at",
            "withdrawal_reference", "article__taken_from_url")):
        notices, decisions = _affecting(Q(asset_id__in=[s["id"] for s in chunk]), "asset_id", personal_data)
        readings = _readings([s["id"] for s in chunk])
        for s in chunk:
            yield ProvenanceRow(
                "asset", s["article_id"], s["id"], f"{prefix}{s['article__slug']}/", s["article__title"],
                s["article__language"], s["original_url"], s["article__primary_source_url"],
                s["article__source__name"] or "", [s["creator__name"]] if s["creator__name"] else [],
                s["rights_holder__name"] or "", s["credit_line"], s["license"], "", s["display"], "", "",
                s["status"], s["article__published_at"], None, s["withdrawn_at"], s["withdrawal_reference"],
                notices.get(s["id"], []), decisions.get(s["id"], []), readings.get(s["id"], []),
                taken_from=s["article__taken_from_url"])


def _readings(asset_ids: list[int]) -> dict[int, list[ReadingRef]]:
    found: dict[int, list[ReadingRef]] = defaultdict(list)
    for asset_id, *values in (RightsReading.objects.filter(asset_id__in=asset_ids).order_by("asset_id", "read_at", "id")
                              .values_list("asset_id", "witness", "state", "creator", "rights_holder",
                                           "copyright_notice", "ai_label", "signer", "signer_issuer", "input_sha256",
                                           "read_at")):
        found[asset_id].append(ReadingRef(*values))
    return found


def _chunks(rows: QuerySet) -> Iterator[list[dict]]:
    last = 0
    while True:
        chunk = list(rows.filter(id__gt=last).order_by("id")[:CHUNK])
        if not chunk:
            return
        yield chunk
        last = chunk[-1]["id"]


def _authors(article_ids: list[int]) -> dict[int, list[str]]:
    through = Article.creators.through
    found: dict[int, list[str]] = defaultdict(list)
    for article_id, name in through.objects.filter(article_id__in=article_ids).values_list("article_id",
                                                                                            "creator__name"):
        found[article_id].append(name)
    return found


def _affecting(matches: Q, key: str, personal_data: bool) -> tuple[dict[int, list[NoticeRef]],
                                                                   dict[int, list[DecisionRef]]]:
    """The notices that matched each target, and the decisions on those matches or their items."""
    notices: dict[int, list[NoticeRef]] = defaultdict(list)
    targets_of_match, targets_of_item = defaultdict(set), defaultdict(set)
    for match_id, item_id, target, how, ref, kind, received, name, email, org in (
            NoticeItemMatch.objects.filter(matches).values_list(
                "id", "item_id", key, "how", "item__notice__reference", "item__notice__kind",
                "item__notice__received_at", "item__notice__claimant_name", "item__notice__claimant_email",
                "item__notice__claimant_organisation")):
        claimant = claimant_text(name, email, org) if personal_data else REDACTED
        notices[target].append(NoticeRef(ref, kind, how, received, claimant))
        targets_of_match[match_id].add(target)
        targets_of_item[item_id].add(target)
    decisions: dict[int, list[DecisionRef]] = defaultdict(list)
    if not targets_of_match:
        return notices, decisions
    on_match = Q(match_id__in=list(targets_of_match))
    on_item = Q(match__isnull=True, item_id__in=list(targets_of_item))
    for match_id, item_id, ref, action, decided_at, actor, automated, pending in Decision.objects.filter(
            on_match | on_item).values_list("match_id", "item_id", "notice__reference", "action", "decided_at",
                                           "actor", "automated", "pending_review"):
        targets = targets_of_match[match_id] if match_id else targets_of_item[item_id]
        for target in targets:
            decisions[target].append(DecisionRef(ref, action, decided_at, actor, automated, pending))
    return notices, decisions
