"""The publish gate: may this article go live, or is it withdrawn content coming back?

Named in ``settings.ARTICLES_PUBLISH_GATE`` (``compliance.staydown.gate.stay_down``). In order:
the source's policy, its standing as a repeat infringer and notices on its whole domain; the primary-source URL, asset URLs and
asset file hashes of withdrawn content or named by a notice; then near duplicates of withdrawn
text. Text does not see across languages: a translated copy is caught by its primary source
and its assets. A batch of requests costs a handful of queries, whatever its size.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from articles.models import Article, Asset, Source
from articles.publishing import GateRequest, GateVerdict, PublishGate
from articles.actors import STAY_DOWN
from compliance.models import SourceStanding
from compliance.services.audit import record
from compliance.staydown.candidates import WITHDRAWN, any_of
from compliance.staydown.notices import claimed_sources, claimed_urls
from compliance.staydown.resemblance import hold_at, withdrawn_resemblances

PUBLISH = GateVerdict(publish=True)


@dataclass(frozen=True)
class Facts:
    """What the batch's requests point at, read in one query per kind."""

    blocked_sources: dict[int, str]
    repeat_infringers: set[int]
    source_notices: dict[int, str]
    withdrawn_primary: dict[str, int]
    withdrawn_assets: dict[str, int]
    withdrawn_files: dict[str, int]
    claimed: dict[str, str]


def _facts(requests: list[GateRequest]) -> Facts:
    source_ids = {r.source_id for r in requests if r.source_id}
    primary = {r.primary_source_key for r in requests if r.primary_source_key}
    asset_keys = {k for r in requests for k in r.asset_url_keys}
    files = {h for r in requests for h in r.asset_file_hashes}
    withdrawn_asset = Q(status=Asset.Status.WITHDRAWN) | Q(article__status=WITHDRAWN)
    return Facts(
        blocked_sources=dict(Source.objects.filter(pk__in=source_ids, policy=Source.Policy.DO_NOT_REPUBLISH)
                             .values_list("id", "name")) if source_ids else {},
        repeat_infringers=set(SourceStanding.objects.filter(source_id__in=source_ids, repeat_infringer=True)
                              .values_list("source_id", flat=True)) if source_ids else set(),
        source_notices=claimed_sources(source_ids),
        withdrawn_primary=dict(Article.objects.filter(any_of(Article, "primary_source_key", primary), status=WITHDRAWN)
                               .values_list("primary_source_key", "id")) if primary else {},
        withdrawn_assets=dict(Asset.objects.filter(withdrawn_asset, any_of(Asset, "url_key", asset_keys))
                              .values_list("url_key", "article_id")) if asset_keys else {},
        withdrawn_files=dict(Asset.objects.filter(withdrawn_asset, any_of(Asset, "file_sha256", files))
                             .values_list("file_sha256", "article_id")) if files else {},
        claimed=claimed_urls(primary | asset_keys),
    )


def _held(reason: str, *, how: str, matched: int | None = None, **evidence) -> GateVerdict:
    return GateVerdict(publish=False, reason=reason, matched_article_id=matched,
                       evidence={"how": how, "matched_article_id": matched, **evidence})


def _by_provenance(request: GateRequest, facts: Facts) -> GateVerdict | None:
    source = request.source_id
    if source in facts.blocked_sources:
        return _held(f"source {facts.blocked_sources[source]} is marked do-not-republish", how="source_policy",
                     source_id=source)
    if source in facts.repeat_infringers:
        return _held("its source is flagged as a repeat infringer (DMCA 512(i)): new articles wait for review",
                     how="repeat_infringer", source_id=source)
    if source in facts.source_notices:
        reference = facts.source_notices[source]
        return _held(f"notice {reference} covers the source's whole domain", how="domain", source_id=source,
                     notice=reference)
    key = request.primary_source_key
    if key in facts.withdrawn_primary:
        matched = facts.withdrawn_primary[key]
        return _held(f"its primary source is that of withdrawn article {matched}", how="primary_source",
                     matched=matched, url_key=key)
    if key and key in facts.claimed:
        return _held(f"notice {facts.claimed[key]} names its primary source", how="primary_source",
                     url_key=key, notice=facts.claimed[key])
    for asset_key in request.asset_url_keys:
        if asset_key in facts.withdrawn_assets:
            matched = facts.withdrawn_assets[asset_key]
            return _held(f"it embeds an asset withdrawn from article {matched}", how="asset_url",
                         matched=matched, url_key=asset_key)
        if asset_key in facts.claimed:
            return _held(f"notice {facts.claimed[asset_key]} names one of its assets", how="asset_url",
                         url_key=asset_key, notice=facts.claimed[asset_key])
    for file_hash in request.asset_file_hashes:
        if file_hash in facts.withdrawn_files:
            matched = facts.withdrawn_files[file_hash]
            return _held(f"it embeds a file withdrawn from article {matched}", how="image_hash",
                         matched=matched, file_sha256=file_hash)
    return None


def check_many(requests: list[GateRequest]) -> list[GateVerdict]:
    facts = _facts(requests)
    verdicts: list[GateVerdict | None] = [_by_provenance(r, facts) for r in requests]
    by_text = [i for i, verdict in enumerate(verdicts) if verdict is None]
    found = withdrawn_resemblances([requests[i].fingerprint for i in by_text])
    for index, resemblances in zip(by_text, found):
        best = resemblances[0] if resemblances else None
        if best and best.score >= hold_at():
            verdicts[index] = GateVerdict(
                publish=False, matched_article_id=best.article_id, resemblances=resemblances,
                reason=f"near duplicate of withdrawn article {best.article_id} "
                       f"(Jaccard {best.jaccard:.2f}, containment {best.containment:.2f})",
                evidence={"how": "near_duplicate", "matched_article_id": best.article_id,
                          "jaccard": best.jaccard, "containment": best.containment})
        else:
            verdicts[index] = GateVerdict(publish=True, resemblances=resemblances) if resemblances else PUBLISH
    return verdicts  # type: ignore[return-value]


def held(outcomes: list[tuple[int, GateVerdict]]) -> None:
    """One audit entry per article the gate held, in the transaction that stored it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("held articles are audited in the transaction that stores them")
    articles = Article.objects.only("id", "content_sha256").in_bulk([article_id for article_id, _ in outcomes])
    for article_id, verdict in outcomes:
        record(action="article.held", target=articles[article_id], actor=STAY_DOWN,
               data={"to": Article.Status.HELD, "reason": verdict.reason,
                     "how": verdict.evidence.get("how", ""), "matched_article_id": verdict.matched_article_id,
                     "content_sha256": articles[article_id].content_sha256})


class StayDownGate:
    """The gate as settings name it (a PublishGate): called for one article, check_many for a batch,
    held to audit what it held."""

    check_many = staticmethod(check_many)
    held = staticmethod(held)

    def __call__(self, request: GateRequest) -> GateVerdict:
        return check_many([request])[0]


stay_down: PublishGate = StayDownGate()
