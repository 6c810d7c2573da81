"""Sources, rights holders and creators of one import batch, fetched and created set-wise.

Created in one global order (sources, then rights holders, then creators, each sorted) before any
article of the batch: two batches in concurrent transactions (`import_articles --workers`) that
both create a party wait for each other in the same order, never in a cycle, so they cannot deadlock.
"""

from __future__ import annotations

from articles.importing.records import ArticleRecord
from articles.models import Asset, Creator, RightsHolder, Source, SourceDomain
from articles.services.parties import source_for_host_or_new
from articles.urlnorm import host_aliases


class PartyRegistry:
    def __init__(self) -> None:
        self._sources: dict[str, Source] = {}
        self._holders: dict[str, RightsHolder] = {}
        self._creators: dict[tuple[str, str], Creator] = {}

    @classmethod
    def for_records(cls, records: list[ArticleRecord]) -> "PartyRegistry":
        registry = cls()
        registry._load_sources(records)
        holders = {r.rights_holder for r in records} | {a.rights_holder for r in records for a in r.assets}
        registry._load_holders({h for h in holders if h})
        creators: set[tuple[str, str]] = {(name, Creator.Role.AUTHOR.value) for r in records for name in r.authors}
        creators |= {(a.creator, Creator.Role(Asset.creator_role_for(a.kind)).value) for r in records for a in r.assets
                     if a.creator}
        registry._load_creators(creators)
        return registry

    def _load_sources(self, records: list[ArticleRecord]) -> None:
        hosts = {r.source_host: r for r in records if r.source_host}
        aliases = {alias: host for host in hosts for alias in host_aliases(host)}
        for domain in SourceDomain.objects.select_related("source").filter(host__in=aliases):
            self._sources.setdefault(aliases[domain.host], domain.source)
        for host, record in sorted(hosts.items()):
            if host not in self._sources:
                self._sources[host] = source_for_host_or_new(
                    host, name=record.source_name, language=record.translated_from or record.language)

    def _load_holders(self, names: set[str]) -> None:
        existing = {h.name: h for h in RightsHolder.objects.filter(name__in=names)}
        missing = names - existing.keys()
        if missing:
            RightsHolder.objects.bulk_create([RightsHolder(name=n) for n in sorted(missing)], ignore_conflicts=True)
            existing.update({h.name: h for h in RightsHolder.objects.filter(name__in=missing)})
        self._holders.update(existing)

    def _load_creators(self, keys: set[tuple[str, str]]) -> None:
        names = {name for name, _ in keys}
        existing = {(c.name, c.role): c for c in Creator.objects.filter(name__in=names) if (c.name, c.role) in keys}
        missing = keys - existing.keys()
        if missing:
            Creator.objects.bulk_create([Creator(name=n, role=r) for n, r in sorted(missing)], ignore_conflicts=True)
            existing.update({(c.name, c.role): c for c in Creator.objects.filter(name__in={n for n, _ in missing})
                             if (c.name, c.role) in missing})
        self._creators.update(existing)

    def source(self, record: ArticleRecord) -> Source | None:
        return self._sources.get(record.source_host)

    def source_slug(self, record: ArticleRecord) -> str:
        source = self.source(record)
        return source.slug if source else ""

    def holder(self, name: str) -> RightsHolder | None:
        return self._holders.get(name) if name else None

    def creator(self, name: str, role: str) -> Creator:
        key = (name, role)
        if key not in self._creators:
            self._creators[key], _ = Creator.objects.get_or_create(name=name, role=role)
        return self._creators[key]
