"""Who an asset's creator and rights holder are, from its witnesses in order of weight.

A valid manifest from a trusted C2PA signer, then IPTC/XMP, then the page's credit line. Every
reading stays recorded; the first that names someone decides, and a witness naming someone else
opens a RightsConflict for staff with both sides.
"""

from __future__ import annotations

import re
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from articles.actors import Actor
from articles.models import Asset, ProvenanceEvent
from articles.services.parties import creator_named, rights_holder_named
from imagerights.models import RightsConflict, RightsReading

Witness, State = RightsReading.Witness, RightsReading.State
_CORPORATE = {"inc", "ltd", "llc", "gmbh", "corp", "co", "plc", "ag", "sa", "the", "images", "image"}


def same_party(a: str, b: str) -> bool:
    """ "Getty Images" and "Getty Images Inc." are one party; "Getty Images" and "Reuters" are not."""
    words_a, words_b = _words(a), _words(b)
    if not words_a or not words_b:
        return _squash(a) == _squash(b)
    shorter, longer = sorted((words_a, words_b), key=len)
    return shorter <= longer


def _squash(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.casefold())


def _words(name: str) -> set[str]:
    return {w for w in re.findall(r"\w+", name.casefold()) if w not in _CORPORATE}


def current_readings(asset: Asset) -> list[RightsReading]:
    """The newest reading of each witness, in order of weight; C2PA counts only when it is proof."""
    newest: dict[str, RightsReading] = {}
    for reading in RightsReading.objects.filter(asset=asset).order_by("-read_at", "-id"):
        newest.setdefault(reading.witness, reading)
    ranked = [newest.get(Witness.C2PA), newest.get(Witness.IPTC_XMP), newest.get(Witness.HTML_CREDIT)]
    return [r for r in ranked if r is not None and r.names_someone and (r.witness != Witness.C2PA or r.is_proof)]


def settle_rights(asset: Asset, *, actor: str, now: datetime | None = None) -> list[RightsConflict]:
    now = now or timezone.now()
    readings = current_readings(asset)
    conflicts = []
    for field in (RightsConflict.Field.RIGHTS_HOLDER, RightsConflict.Field.CREATOR):
        named = [(r.witness, getattr(r, field)) for r in readings if getattr(r, field)]
        if not named:
            continue
        witness, value = named[0]
        for other_witness, other_value in named[1:]:
            if not same_party(value, other_value):
                conflict, _ = RightsConflict.objects.get_or_create(
                    asset=asset, field=field, effective_value=value, other_witness=other_witness,
                    other_value=other_value, defaults={"effective_witness": witness, "created_at": now})
                conflicts.append(conflict)
        if not RightsConflict.objects.filter(asset=asset, field=field, state=RightsConflict.State.RESOLVED).exists():
            apply_value(asset, field=field, value=value, witness=witness, actor=actor, now=now)
    return conflicts


def apply_value(asset: Asset, *, field: str, value: str, witness: str, actor: str, now: datetime) -> bool:
    """Set the asset's creator or rights holder to the named party, unless it already is that party."""
    current = getattr(asset, field)
    if current is not None and same_party(current.name, value):
        return False
    if field == RightsConflict.Field.RIGHTS_HOLDER:
        asset.rights_holder = rights_holder_named(value)
    else:
        asset.creator = creator_named(value, asset.creator_role,
                                      asset.rights_holder)
    fields = [field]
    if witness == Witness.IPTC_XMP:
        # The file's own metadata now decides; a person still sees the page's credit line beside it.
        asset.credit_source, asset.credit_confidence = Asset.CreditSource.IPTC_IN_FILE, Asset.Confidence.HIGH
        fields += ["credit_source", "credit_confidence"]
    asset.save(update_fields=fields)
    ProvenanceEvent.objects.create(
        article_id=asset.article_id, asset=asset, kind=ProvenanceEvent.Kind.EDITED, actor=actor, occurred_at=now,
        detail={"reason": "rights read from the file", "field": field, "from": current.name if current else None,
                "to": value, "witness": witness})
    return True


def resolve_conflict(conflict: RightsConflict, *, keep_effective: bool, actor: Actor) -> RightsConflict:
    """Staff choose a side; the asset takes it, and later readings no longer overrule it."""
    with transaction.atomic():
        conflict = RightsConflict.objects.select_for_update().get(pk=conflict.pk)
        if conflict.state == RightsConflict.State.RESOLVED:
            return conflict
        now = timezone.now()
        value, witness = ((conflict.effective_value, conflict.effective_witness) if keep_effective
                          else (conflict.other_value, conflict.other_witness))
        asset = Asset.objects.select_for_update().get(pk=conflict.asset_id)
        apply_value(asset, field=conflict.field, value=value, witness=f"staff chose {witness}", actor=actor.id, now=now)
        RightsConflict.objects.filter(asset=asset, field=conflict.field, state=RightsConflict.State.OPEN).update(
            state=RightsConflict.State.RESOLVED, resolved_value=value, resolved_by=actor.id, resolved_at=now)
        conflict.refresh_from_db()
        return conflict
