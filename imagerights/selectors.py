"""What the public page and the JSON-LD say about a picture: its Content Credentials and any AI label."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from articles.models import Asset
from imagerights.models import RightsReading

Witness, State = RightsReading.Witness, RightsReading.State


@dataclass(frozen=True)
class PictureFacts:
    signer: str = ""  # of a valid manifest from a trusted signer; empty otherwise
    signer_issuer: str = ""
    signed_at: datetime | None = None
    claim_generator: str = ""
    ai_label: str = ""  # "generated" | "edited" | ""
    ai_label_text: str = ""

    @property
    def has_credentials(self) -> bool:
        return bool(self.signer)


_AI_TEXT = {"generated": "AI-generated", "edited": "AI-edited"}


def latest_file_readings(asset: Asset) -> list[RightsReading]:
    """The readings of the asset's newest file, C2PA first."""
    newest = RightsReading.objects.filter(asset=asset, file__isnull=False).order_by("-read_at", "-id").first()
    if newest is None:
        return []
    return list(RightsReading.objects.filter(asset=asset, file_id=newest.file_id, read_at=newest.read_at)
                .order_by("witness"))


def picture_facts(asset: Asset) -> PictureFacts:
    readings = latest_file_readings(asset)
    proof = next((r for r in readings if r.is_proof), None)
    # A label is shown whenever a readable witness says so: saying "AI" wrongly costs less than hiding it.
    labels = [r.ai_label for r in readings if r.ai_label and r.state in (State.TRUSTED, State.UNTRUSTED, State.READ)]
    label = "generated" if "generated" in labels else labels[0] if labels else ""
    if proof is None:
        return PictureFacts(ai_label=label, ai_label_text=_AI_TEXT.get(label, ""))
    return PictureFacts(signer=proof.signer or proof.signer_issuer, signer_issuer=proof.signer_issuer,
                        signed_at=proof.signed_at, claim_generator=proof.claim_generator, ai_label=label,
                        ai_label_text=_AI_TEXT.get(label, ""))


def picture_jsonld(asset: Asset) -> dict[str, Any]:
    """schema.org additions for the asset's ImageObject: what the file itself says.

    ``copyrightNotice`` and ``acquireLicensePage`` from the weightiest readable witness; the IPTC
    ``digitalSourceType`` when AI made or edited it; the trusted C2PA signer as ``additionalProperty``.
    """
    facts = picture_facts(asset)
    readings = [r for r in latest_file_readings(asset) if r.is_proof or r.state == State.READ]
    readings.sort(key=lambda r: 0 if r.is_proof else 1)
    data: dict[str, Any] = {}
    notice = next((r.copyright_notice for r in readings if r.copyright_notice), "")
    if notice:
        data["copyrightNotice"] = notice
    statement = next((r.fields.get("web_statement") for r in readings if r.fields.get("web_statement")), "")
    if statement:
        data["acquireLicensePage"] = statement
    if facts.ai_label:
        code = "trainedAlgorithmicMedia" if facts.ai_label == "generated" else "compositeWithTrainedAlgorithmicMedia"
        data["digitalSourceType"] = f"http://cv.iptc.org/newscodes/digitalsourcetype/{code}"
    if facts.has_credentials:
        data["additionalProperty"] = [
            {"@type": "PropertyValue", "propertyID": "c2pa:signer", "value": facts.signer},
            {"@type": "PropertyValue", "propertyID": "c2pa:issuer", "value": facts.signer_issuer},
            {"@type": "PropertyValue", "propertyID": "c2pa:validation", "value": "trusted"},
        ]
    return data
