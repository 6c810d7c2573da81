"""The publish gate: the one seam through which compliance decides what may go live.

``settings.ARTICLES_PUBLISH_GATE`` names the gate: a :class:`PublishGate` (compliance's stay-down
gate, ``compliance.staydown.gate.stay_down``), or any plain callable taking a :class:`GateRequest`
and returning a :class:`GateVerdict`, asked one request at a time and auditing nothing
(``allow_all``, a test's gate). articles never imports compliance: this module is all it knows of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Protocol

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


class PublishGate(Protocol):
    """The gate as articles uses it: asked for one article, or for a batch in one set of queries,
    and told which articles it held once they have ids, in the transaction that stored them
    (compliance audits what it holds)."""

    def __call__(self, request: GateRequest) -> GateVerdict: ...

    def check_many(self, requests: list[GateRequest]) -> list[GateVerdict]: ...

    def held(self, outcomes: list[tuple[int, GateVerdict]]) -> None: ...


class CallableGate:
    """A plain callable named as the gate: asked request by request; what it holds is not reported."""

    def __init__(self, check: Callable[[GateRequest], GateVerdict]) -> None:
        self.check = check

    def __call__(self, request: GateRequest) -> GateVerdict:
        return self.check(request)

    def check_many(self, requests: list[GateRequest]) -> list[GateVerdict]:
        return [self.check(request) for request in requests]

    def held(self, outcomes: list[tuple[int, GateVerdict]]) -> None:
        pass


def allow_all(request: GateRequest) -> GateVerdict:
    return GateVerdict(publish=True, reason="no publish gate configured")


def publish_gate() -> PublishGate:
    named = import_string(settings.ARTICLES_PUBLISH_GATE)
    # Checked by hand: isinstance on a runtime_checkable Protocol costs ten times the import.
    is_gate = hasattr(named, "check_many") and hasattr(named, "held")
    return named if is_gate else CallableGate(named)


def ask_gate(request: GateRequest) -> GateVerdict:
    return publish_gate()(request)


def ask_gate_many(requests: list[GateRequest]) -> list[GateVerdict]:
    return publish_gate().check_many(requests)


def report_held(outcomes: Iterable[tuple[int, GateVerdict]]) -> None:
    outcomes = [(article_id, verdict) for article_id, verdict in outcomes if not verdict.publish]
    if outcomes:
        publish_gate().held(outcomes)
