"""Reading an asset's file for rights: each witness recorded as a RightsReading and a ProvenanceEvent."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone as dt_timezone
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from articles.credits import parse_credit
from articles.models import Asset, ProvenanceEvent
from articles.shortening import shortened
from imagerights.models import RightsReading, StoredFile
from imagerights.services.hamming import BANDS, bands_of, to_signed
from imagerights.services.rights import settle_rights
from imagerights.services.sandbox import ParseFailure, parse_in_subprocess

Witness, State = RightsReading.Witness, RightsReading.State
FILE_WITNESSES = (Witness.C2PA, Witness.IPTC_XMP)
MAX_ERROR_LENGTH = 500  # StoredFile.parse_error and RightsReading.error


def read_asset_file(*, asset: Asset, stored: StoredFile, data: bytes, actor: str,
                    again: bool = False) -> list[RightsReading]:
    """Read what the file says (in a subprocess), record it, and settle the asset's creator and rights holder.

    Reading the same file for the same asset twice records nothing new unless ``again`` (say, after
    the trust anchors changed).
    """
    if not again and RightsReading.objects.filter(asset=asset, file=stored).exists():
        return list(RightsReading.objects.filter(asset=asset, file=stored))
    parsed = _parse_counted(stored, data)
    now = timezone.now()
    with transaction.atomic():
        _record_image_facts(stored, parsed.get("image") or {})
        readings = [_file_reading(asset, stored, witness, parsed.get(witness) or {}, now) for witness in FILE_WITNESSES]
        credit = html_credit_reading(asset, now)
        if credit:
            readings.append(credit)
        RightsReading.objects.bulk_create(readings)
        ProvenanceEvent.objects.bulk_create([_event(asset, reading, actor) for reading in readings])
        settle_rights(asset, actor=actor, now=now)
    return readings


def _parse_counted(stored: StoredFile, data: bytes) -> dict[str, Any]:
    """The attempt is counted (and committed) before parsing: a file that kills its parser is given up on."""
    attempts = StoredFile.objects.filter(pk=stored.pk).values_list("parse_attempts", flat=True).first() or 0
    if attempts >= settings.IMAGERIGHTS_PARSE_MAX_ATTEMPTS and stored.phash is None:
        return _failed(f"given up after {attempts} failed parses: {stored.parse_error or 'no answer'}")
    StoredFile.objects.filter(pk=stored.pk).update(parse_attempts=F("parse_attempts") + 1)
    try:
        return parse_in_subprocess(data, content_type=stored.content_type)
    except ParseFailure as exc:
        return _failed(str(exc))


def _failed(reason: str) -> dict[str, Any]:
    return {"image": {"error": reason}, **{w: {"state": State.UNREADABLE, "error": reason} for w in FILE_WITNESSES}}


def _record_image_facts(stored: StoredFile, image: dict[str, Any]) -> None:
    if "phash" in image:
        stored.phash = to_signed(int(image["phash"]))
        for band, value in enumerate(bands_of(stored.phash)):
            setattr(stored, f"phash_band_{band}", value)
        stored.width, stored.height = image.get("width"), image.get("height")
        if image.get("content_type"):
            stored.content_type = image["content_type"]
        stored.parse_error = ""
    else:
        stored.parse_error = _error(str(image.get("error", "not a picture")))
    stored.save(update_fields=["phash", *(f"phash_band_{band}" for band in range(BANDS)), "width", "height",
                               "content_type", "parse_error"])


def _file_reading(asset: Asset, stored: StoredFile, witness: str, found: dict[str, Any], now: datetime) -> RightsReading:
    state = found.get("state") if found.get("state") in State.values else State.UNREADABLE
    return RightsReading(
        asset=asset, file=stored, witness=witness, state=state, read_at=now, input_sha256=stored.sha256,
        creator=_text(found, "creator"), rights_holder=_text(found, "rights_holder"),
        credit_line=_text(found, "credit_line"), copyright_notice=_text(found, "copyright_notice"),
        digital_source_type=_text(found, "digital_source_type"),
        ai_label=found.get("ai_label", "") if state != State.INVALID else "",
        signer=_text(found, "signer"), signer_issuer=_text(found, "signer_issuer"),
        signed_at=_moment(found.get("signed_at")), claim_generator=_text(found, "claim_generator"),
        fields=found.get("fields") or {}, error=_error(str(found.get("error") or "")),
    )


def html_credit_reading(asset: Asset, now: datetime) -> RightsReading | None:
    """The page's credit line as a witness too, once per wording, so a disagreement shows both sides."""
    digest = hashlib.sha256(asset.credit_line.encode("utf-8")).hexdigest()
    if RightsReading.objects.filter(asset=asset, witness=Witness.HTML_CREDIT, input_sha256=digest).exists():
        return None
    credit = parse_credit(asset.credit_line)
    return RightsReading(asset=asset, witness=Witness.HTML_CREDIT, read_at=now, input_sha256=digest,
                         state=State.READ if credit.creator or credit.holder else State.ABSENT,
                         creator=credit.creator, rights_holder=credit.holder, credit_line=asset.credit_line)


def _event(asset: Asset, reading: RightsReading, actor: str) -> ProvenanceEvent:
    detail = {"reading": "rights", "witness": reading.witness, "state": reading.state}
    for name in ("creator", "rights_holder", "signer", "signer_issuer", "claim_generator", "ai_label",
                 "digital_source_type", "error"):
        if getattr(reading, name):
            detail[name] = getattr(reading, name)
    if reading.signed_at:
        detail["signed_at"] = reading.signed_at.isoformat()
    return ProvenanceEvent(article_id=asset.article_id, asset=asset, kind=ProvenanceEvent.Kind.EXTRACTED, actor=actor,
                           occurred_at=reading.read_at, input_sha256=reading.input_sha256, detail=detail)


def _text(found: dict[str, Any], key: str) -> str:
    return str(found.get(key) or "")


def _error(message: str) -> str:
    return shortened(message, MAX_ERROR_LENGTH)


def _moment(value: Any) -> datetime | None:
    moment = parse_datetime(str(value)) if value else None
    return moment if moment is None or timezone.is_aware(moment) else timezone.make_aware(moment, dt_timezone.utc)
