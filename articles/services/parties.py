"""Finding or creating the sources, rights holders and creators that provenance names."""

from __future__ import annotations

from django.utils.text import slugify

from articles.ingestion.addresses import site_of
from articles.shortening import shortened
from articles.models import Creator, RightsHolder, Source, SourceDomain
from articles.urlnorm import bare_host, host_aliases, host_of


def source_for_host(host: str) -> Source | None:
    domain = (
        SourceDomain.objects.select_related("source")
        .filter(host__in=host_aliases(host))
        .order_by("host")
        .first()
    )
    return domain.source if domain else None


def source_for_host_or_new(host: str, *, name: str = "", language: str = "") -> Source:
    source = source_for_host(host)
    if source:
        return source
    bare = bare_host(host)
    source, _ = Source.objects.get_or_create(
        slug=slugify(bare)[:200] or "source",
        defaults={"name": shortened(name or bare, Source._meta.get_field("name").max_length or 200), "homepage": f"https://{bare}/", "language": language},
    )
    SourceDomain.objects.get_or_create(host=bare, defaults={"source": source})
    return source


def register_hosts(source: Source, urls: list[str]) -> None:
    """The hosts an article of *source* is known under belong to it (unless another source has them),
    so a notice for the whole domain of its canonical or AMP address reaches it."""
    hosts = {bare_host(host_of(url)) for url in urls} | {site_of(url) for url in urls}
    for host in sorted(hosts):
        SourceDomain.objects.get_or_create(host=host, defaults={"source": source})


# A party's name is its key (get_or_create): cut to the column. Callers that read it from a page or a
# picture keep the whole wording in their own record (the extraction event's cut_to_fit, the reading).
PARTY_NAME_LENGTH = 300


def party_name(name: str) -> str:
    """The name as a party's key holds it: spaces collapsed, cut to PARTY_NAME_LENGTH."""
    return " ".join(name.split())[:PARTY_NAME_LENGTH]


def rights_holder_named(name: str) -> RightsHolder | None:
    name = party_name(name)
    if not name:
        return None
    holder, _ = RightsHolder.objects.get_or_create(name=name)
    return holder


def creator_named(name: str, role: str, holder: RightsHolder | None = None, *, affiliation: str = "") -> Creator | None:
    name = party_name(name)
    if not name:
        return None
    creator, _ = Creator.objects.get_or_create(
        name=name, role=role, defaults={"rights_holder": holder, "affiliation": party_name(affiliation)})
    return creator
