"""The active C2PA manifest of a file, read and validated with c2pa-python.

Pure module, no Django: it runs inside the parser subprocess. The validation state decides what a
reading is worth: "Trusted" (valid, signer chains to a configured trust anchor) is proof; "Valid"
with an unknown signer is recorded as untrusted; anything failing validation is invalid.
"""

from __future__ import annotations

import io
import json
from typing import Any

from imagerights.services.iptc_reading import AI_EDITED, AI_GENERATED

_STATES = {"trusted": "trusted", "valid": "untrusted", "invalid": "invalid"}
_CREATIVE_WORK = ("stds.schema-org.CreativeWork",)
_TRAINING = ("c2pa.training-mining", "cawg.training-mining")


def read_c2pa(data: bytes, *, content_type: str, trust_anchors_pem: str = "") -> dict[str, Any]:
    import c2pa

    try:
        context = c2pa.Context.from_dict(
            {"trust": {"trust_anchors": trust_anchors_pem}, "verify": {"verify_trust": True}}
        ) if trust_anchors_pem else None
        reader = c2pa.Reader.try_create(content_type, io.BytesIO(data), context=context)
        if reader is None:
            return {"state": "absent"}
        with reader:
            store = json.loads(reader.json())
    except Exception as exc:  # the native library raises its own errors for broken JUMBF
        return {"state": "invalid" if _is_manifest_error(exc) else "unreadable", "error": _one_line(exc)}
    return summarise(store)


def summarise(store: dict[str, Any]) -> dict[str, Any]:
    manifest = store.get("manifests", {}).get(store.get("active_manifest") or "", {})
    results = (store.get("validation_results") or {}).get("activeManifest") or {}
    failures = [item.get("code", "") for item in results.get("failure", [])] or [
        item.get("code", "") for item in store.get("validation_status", [])]
    state = _STATES.get(str(store.get("validation_state", "")).lower())
    if state is None:
        state = "invalid" if any(not code.startswith("signingCredential.untrusted") for code in failures) else "untrusted"
    signature = manifest.get("signature_info") or {}
    assertions = {a.get("label", ""): a.get("data") for a in manifest.get("assertions", [])}
    actions = [
        {key: action.get(key) for key in ("action", "digitalSourceType", "when", "softwareAgent") if action.get(key)}
        for label, value in assertions.items() if label.startswith("c2pa.actions")
        for action in (value or {}).get("actions", [])
    ]
    work = next((assertions[label] for label in _CREATIVE_WORK if assertions.get(label)), {}) or {}
    training = next((assertions[label] for label in _TRAINING if assertions.get(label)), {}) or {}
    authors = _names(work.get("author"))
    holders = _names(work.get("copyrightHolder"))
    return {
        "state": state,
        "signer": str(signature.get("common_name") or ""),
        "signer_issuer": str(signature.get("issuer") or ""),
        "signed_at": str(signature.get("time") or ""),
        "claim_generator": _generator(manifest),
        "creator": ", ".join(authors),
        "rights_holder": holders[0] if holders else "",
        "credit_line": str(work.get("creditText") or ""),
        "copyright_notice": str(work.get("copyrightNotice") or ""),
        "digital_source_type": next((a["digitalSourceType"] for a in actions if a.get("digitalSourceType")), ""),
        "ai_label": ai_label_of_actions(actions),
        "fields": {
            "manifest": manifest.get("label", ""),
            "title": manifest.get("title", ""),
            "actions": actions,
            "authors": authors,
            "copyright_holders": holders,
            "training_mining": {k: (v or {}).get("use") for k, v in (training.get("entries") or {}).items()},
            "validation_failures": failures,
            "signature_alg": signature.get("alg", ""),
            "cert_serial_number": signature.get("cert_serial_number", ""),
        },
    }


def ai_label_of_actions(actions: list[dict[str, Any]]) -> str:
    label = ""
    for action in actions:
        code = str(action.get("digitalSourceType") or "").rstrip("/").rsplit("/", 1)[-1]
        if code in AI_GENERATED and action.get("action") in ("c2pa.created", "c2pa.opened") and not label:
            label = "generated"
        elif code in AI_GENERATED | AI_EDITED:
            label = "edited" if label != "generated" else label
    return label


def _names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value] if value else []
    names = [str(item.get("name") or "") if isinstance(item, dict) else str(item) for item in items]
    return [name.strip() for name in names if name and name.strip()]


def _generator(manifest: dict[str, Any]) -> str:
    info = manifest.get("claim_generator_info") or []
    if info and isinstance(info, list) and isinstance(info[0], dict):
        return " ".join(filter(None, (str(info[0].get("name") or ""), str(info[0].get("version") or ""))))
    return str(manifest.get("claim_generator") or "")


def _is_manifest_error(exc: BaseException) -> bool:
    """A manifest that is there but fails to verify, as against a file the library cannot parse."""
    return type(exc).__name__.lstrip("_") in ("C2paVerify", "C2paSignature", "C2paManifest", "C2paDecoding",
                                               "C2paAssertion", "C2paJson")


def _one_line(exc: BaseException) -> str:
    return (" ".join(str(exc).split()) or type(exc).__name__)[:300]
