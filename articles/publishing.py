"""The publish gate: the one seam through which compliance decides what may go live.

``settings.ARTICLES_PUBLISH_GATE`` names a callable taking a :class:`GateRequest` and
returning a :class:`GateVerdict`. articles never imports compliance; compliance's stay-down
check is plugged in by naming it in settings.

The callable may also have, and articles uses them when present: ``check_many(requests) ->
list[GateVerdict]`` (one set of queries for a whole batch); ``held(outcomes)``, called with
``(article_id, verdict)`` for every article the gate held, in the transaction that stored them,
once they have ids (compliance audits what it holds); and ``review``, the reviewer's decisions
the admin's stay-down queue offers (``release_held``, ``withdraw_held``, ``dismiss_suggestion``,
``withdraw_suggested``, each taking ids, ``by`` and a reason, and raising ``review.Refused``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType
from typing import Callable, Iterable

from django.conf import settings
from django.utils.module_loading import import_string

from articles.fingerprints import Fingerprint, fingerprint


@dataclass(frozen=True)
class GateRequest:
    title: str
    body: str
    language: str
    source_id: int | None
    primary_source_key: str
    asset_url_keys: tuple[str, ...] = ()
    asset_file_hashes: tuple[str, ...] = ()
    # Computed by whoever stores the article (the same fingerprint goes into the store), or here.
    text_fingerprint: Fingerprint | None = None

    @property
    def fingerprint(self) -> Fingerprint:
        return self.text_fingerprint if self.text_fingerprint is not None else fingerprint(self.body)


@dataclass(frozen=True)
class Resemblance:
    """A withdrawn article that the text resembles, measured exactly on their shingles."""

    article_id: int
    jaccard: float
    containment: float

    @property
    def score(self) -> float:
        return max(self.jaccard, self.containment)


@dataclass(frozen=True)
class GateVerdict:
    publish: bool
    reason: str = ""
    evidence: dict = field(default_factory=dict)
    # The withdrawn article this one is held as a copy of (by text, primary source or asset).
    matched_article_id: int | None = None
    # Near duplicates of withdrawn articles: the held match first, then review suggestions.
    resemblances: tuple[Resemblance, ...] = ()


def allow_all(request: GateRequest) -> GateVerdict:
    return GateVerdict(publish=True, reason="no publish gate configured")


def _gate() -> Callable[[GateRequest], GateVerdict]:
    return import_string(settings.ARTICLES_PUBLISH_GATE)


def ask_gate(request: GateRequest) -> GateVerdict:
    return _gate()(request)


def ask_gate_many(requests: list[GateRequest]) -> list[GateVerdict]:
    gate = _gate()
    check_many = getattr(gate, "check_many", None)
    return check_many(requests) if check_many else [gate(request) for request in requests]


def report_held(outcomes: Iterable[tuple[int, GateVerdict]]) -> None:
    outcomes = [(article_id, verdict) for article_id, verdict in outcomes if not verdict.publish]
    held = getattr(_gate(), "held", None)
    if outcomes and held:
        held(outcomes)


def gate_review() -> ModuleType | None:
    return getattr(_gate(), "review", None)
