"""Rights fields of IPTC IIM and XMP (IPTC Photo Metadata, PLUS), read with pyexiv2.

Pure module, no Django: it runs inside the parser subprocess (imagerights.services.parse_worker).
"""

from __future__ import annotations

import re
from typing import Any

DIGITAL_SOURCE_TYPE_BASE = "http://cv.iptc.org/newscodes/digitalsourcetype/"
AI_GENERATED = {"trainedAlgorithmicMedia"}
AI_EDITED = {"compositeWithTrainedAlgorithmicMedia"}

_YEARS = re.compile(r"\b(?:1[89]|20)\d{2}(?:\s*[-–]\s*(?:1[89]|20)\d{2})?\b")
_COPYRIGHT_WORDS = re.compile(r"^\s*(?:©|\(c\)|copyright\b|all rights reserved\.?)\s*", re.IGNORECASE)


def ai_label_of(digital_source_type: str) -> str:
    code = digital_source_type.rstrip("/").rsplit("/", 1)[-1]
    if code in AI_GENERATED:
        return "generated"
    if code in AI_EDITED:
        return "edited"
    return ""


def holder_in_notice(notice: str) -> str:
    """ "© 2026 Getty Images. All rights reserved." -> "Getty Images". """
    text = notice
    for _ in range(3):
        text = _COPYRIGHT_WORDS.sub("", _YEARS.sub("", text).strip(" ,.;"))
    text = re.sub(r"\s*all rights reserved\.?\s*$", "", text, flags=re.IGNORECASE)
    return " ".join(text.split()).strip(" ,.;")


def _first(value: Any) -> str:
    if isinstance(value, list):
        return _first(value[0]) if value else ""
    if isinstance(value, dict):  # a language alternative: x-default first
        return _first(value.get('lang="x-default"') or next(iter(value.values()), ""))
    return str(value or "").strip()


def _all(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [text for text in (_first(v) for v in values) if text]


def _struct_values(xmp: dict[str, Any], array: str, member: str) -> list[str]:
    prefix, suffix = f"Xmp.plus.{array}[", f"]/plus:{member}"
    found = sorted((int(key[len(prefix):-len(suffix)]), _first(value)) for key, value in xmp.items()
                   if key.startswith(prefix) and key.endswith(suffix) and key[len(prefix):-len(suffix)].isdigit())
    return [value for _, value in found if value]


def rights_fields(iptc: dict[str, Any], xmp: dict[str, Any]) -> dict[str, Any]:
    """The fields this project records, XMP first (it is Unicode), IPTC IIM where XMP is silent."""
    def pick(xmp_key: str, iptc_key: str) -> str:
        return _first(xmp.get(xmp_key)) or _first(iptc.get(iptc_key))

    digital_source_type = _first(xmp.get("Xmp.iptcExt.DigitalSourceType") or xmp.get("Xmp.Iptc4xmpExt.DigitalSourceType"))
    fields = {
        "creator": _all(xmp.get("Xmp.dc.creator")) or _all(iptc.get("Iptc.Application2.Byline")),
        "credit_line": pick("Xmp.photoshop.Credit", "Iptc.Application2.Credit"),
        "copyright_notice": pick("Xmp.dc.rights", "Iptc.Application2.Copyright"),
        "copyright_owner": _struct_values(xmp, "CopyrightOwner", "CopyrightOwnerName"),
        "licensor": _struct_values(xmp, "Licensor", "LicensorName"),
        "licensor_url": _struct_values(xmp, "Licensor", "LicensorURL"),
        "web_statement": _first(xmp.get("Xmp.xmpRights.WebStatement")),
        "source": pick("Xmp.photoshop.Source", "Iptc.Application2.Source"),
        "digital_source_type": digital_source_type,
        "data_mining": _first(xmp.get("Xmp.plus.DataMining")),
    }
    return {key: value for key, value in fields.items() if value}


def read_iptc_xmp(data: bytes) -> dict[str, Any]:
    """{"state": "read"|"absent"|"unreadable", "fields": {...}, "creator", "rights_holder", ...}."""
    import pyexiv2

    try:
        with pyexiv2.ImageData(data) as image:
            iptc = _tolerant(image.read_iptc)
            xmp = _tolerant(image.read_xmp)
    except (RuntimeError, ValueError) as exc:
        return {"state": "unreadable", "error": _one_line(exc)}
    fields = rights_fields(iptc, xmp)
    if not fields:
        return {"state": "absent", "fields": {}}
    notice_holder = holder_in_notice(fields.get("copyright_notice", ""))
    holders = fields.get("copyright_owner") or ([notice_holder] if notice_holder else [])
    return {
        "state": "read",
        "fields": fields,
        "creator": ", ".join(fields.get("creator", [])),
        "rights_holder": (holders[0] if holders else "") or fields.get("credit_line", ""),
        "credit_line": fields.get("credit_line", ""),
        "copyright_notice": fields.get("copyright_notice", ""),
        "digital_source_type": fields.get("digital_source_type", ""),
        "ai_label": ai_label_of(fields.get("digital_source_type", "")),
    }


def _tolerant(read) -> dict[str, Any]:
    """Metadata in a legacy charset is read as Latin-1 rather than lost."""
    try:
        return read(encoding="utf-8")
    except UnicodeDecodeError:
        return read(encoding="latin-1")


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:300]
