"""The publish gate: the one seam through which compliance decides what may go live.

``settings.ARTICLES_PUBLISH_GATE`` names a callable taking a :class:`GateRequest` and
returning a :class:`GateVerdict`. articles never imports compliance; compliance's stay-down
check is plugged in by naming it in settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class GateRequest:
    title: str
    body: str
    language: str
    source_id: int | None
    primary_source_key: str
    asset_url_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class GateVerdict:
    publish: bool
    reason: str = ""
    evidence: dict = field(default_factory=dict)


def allow_all(request: GateRequest) -> GateVerdict:
    return GateVerdict(publish=True, reason="no publish gate configured")


def ask_gate(request: GateRequest) -> GateVerdict:
    gate: Callable[[GateRequest], GateVerdict] = import_string(settings.ARTICLES_PUBLISH_GATE)
    return gate(request)
