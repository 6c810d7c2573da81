"""A notice's outcome, derived from its items' states; never stored apart (DESIGN "Domain")."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

from compliance.models import NoticeItem

ItemState = NoticeItem.State


class Outcome(models.TextChoices):
    OPEN = "open", "Open"
    ACTIONED = "actioned", "Actioned"
    PARTIALLY_ACTIONED = "partially_actioned", "Partially actioned"
    REJECTED = "rejected", "Rejected"
    RESTORED = "restored", "Restored"


def outcome_of_states(states: Iterable[str]) -> Outcome:
    states = set(states)
    if not states or states & NoticeItem.UNDECIDED:
        return Outcome.OPEN
    if states == {ItemState.ACTIONED}:
        return Outcome.ACTIONED
    if ItemState.ACTIONED in states:
        return Outcome.PARTIALLY_ACTIONED
    if ItemState.RESTORED in states:
        return Outcome.RESTORED
    return Outcome.REJECTED
