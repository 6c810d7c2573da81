"""A provenance row as W3C PROV-O with schema.org terms, in JSON-LD.

Our article or asset is a prov:Entity derived from its primary source (prov:wasDerivedFrom,
prov:hadPrimarySource), attributed to its authors and outlet; a machine translation is a
prov:Activity that generated it, a withdrawal an activity that invalidated it, informed by the
decisions on the notices that named it. The context is inline, so nothing is fetched to read it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from compliance.exports.provenance import DecisionRef, NoticeRef, ProvenanceRow, ReadingRef, iso

CONTEXT = {
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
}
NOTICE_IRI = "urn:x-takedown-notice:"


def _time(moment: datetime) -> dict[str, str]:
    return {"@value": iso(moment), "@type": "xsd:dateTime"}


def _agent(name: str, kind: str) -> dict[str, Any]:
    return {"@type": ["prov:Agent", f"schema:{kind}"], "schema:name": name}


def _notice(notice: NoticeRef) -> dict[str, Any]:
    node: dict[str, Any] = {"@id": NOTICE_IRI + notice.reference, "@type": "prov:Entity",
                            "schema:identifier": notice.reference, "schema:genre": notice.kind,
                            "prov:generatedAtTime": _time(notice.received_at),
                            "rdfs:comment": f"matched by {notice.how}"}
    if notice.claimant:
        node["schema:author"] = notice.claimant
    return node


def _decision(decision: DecisionRef, target: str) -> dict[str, Any]:
    return {"@type": "prov:Activity", "schema:name": decision.action,
            "prov:endedAtTime": _time(decision.decided_at),
            "prov:used": [{"@id": NOTICE_IRI + decision.reference}, {"@id": target}],
            "prov:wasAssociatedWith": {"@type": "prov:SoftwareAgent" if decision.automated else "prov:Agent",
                                       "schema:identifier": decision.actor},
            "schema:additionalType": "pending review" if decision.pending_review else "final"}


def row_node(row: ProvenanceRow) -> dict[str, Any]:
    is_asset = row.record == "asset"
    iri = f"{row.our_url}#asset-{row.asset_id}" if is_asset else row.our_url
    node: dict[str, Any] = {
        "@id": iri,
        "@type": ["prov:Entity", "schema:MediaObject" if is_asset else "schema:NewsArticle"],
        "schema:name": row.title, "schema:inLanguage": row.language, "schema:creativeWorkStatus": row.status,
    }
    original = row.content_url if is_asset else row.primary_source_url
    if original:
        # A syndicated copy was derived from the page we took it from; its primary source is the original.
        node["prov:wasDerivedFrom"] = {"@id": row.taken_from if row.taken_from and not is_asset else original}
        node["prov:hadPrimarySource"] = {"@id": original}
        node["schema:isBasedOn"] = {"@id": original}
    if is_asset:
        node["schema:contentUrl"] = row.content_url
        node["schema:isPartOf"] = {"@id": row.our_url}
    else:
        node["schema:url"] = row.our_url
    attributed = [_agent(name, "Person") for name in sorted(set(row.authors))]
    if row.source:
        node["schema:sourceOrganization"] = _agent(row.source, "Organization")
        attributed.append(_agent(row.source, "Organization"))
    if attributed:
        node["prov:wasAttributedTo"] = attributed
    if row.rights_holder:
        node["schema:copyrightHolder"] = _agent(row.rights_holder, "Organization")
    for key, value in (("schema:creditText", row.credit), ("schema:license", row.license),
                       ("schema:usageInfo", row.basis), ("schema:encodingFormat", row.display)):
        if value:
            node[key] = value
    if row.published_at:
        node["schema:datePublished"] = _time(row.published_at)
    if row.translated_from:
        node["schema:translationOfWork"] = {"@id": row.primary_source_url} if row.primary_source_url else {
            "schema:inLanguage": row.translated_from}
        node["prov:wasGeneratedBy"] = _translation(row, iri)
    if row.notices:
        node["schema:subjectOf"] = [_notice(n) for n in sorted(set(row.notices))]
    decisions = [_decision(d, iri) for d in sorted(set(row.decisions))]
    if row.withdrawn_at:
        node["prov:invalidatedAtTime"] = _time(row.withdrawn_at)
        node["prov:wasInvalidatedBy"] = {
            "@id": f"{iri}#withdrawal", "@type": "prov:Activity", "schema:name": "withdrawal",
            "prov:startedAtTime": _time(row.withdrawn_at), "schema:identifier": row.withdrawal_reference,
            "prov:wasInformedBy": decisions}
    elif decisions:
        node["prov:wasInfluencedBy"] = decisions
    if row.readings:
        node.setdefault("prov:wasInfluencedBy", []).extend(
            _reading(reading, iri, n) for n, reading in enumerate(row.readings))
    return node


def _reading(reading: ReadingRef, iri: str, n: int) -> dict[str, Any]:
    """Reading the picture file's own rights metadata: an activity that used the file's bytes."""
    activity: dict[str, Any] = {
        "@id": f"{iri}#reading-{n}", "@type": "prov:Activity", "schema:name": f"{reading.witness} reading",
        "prov:used": {"@id": f"urn:sha256:{reading.input_sha256}"}, "prov:endedAtTime": _time(reading.read_at),
        "schema:description": reading.state}
    if reading.signer:
        signer = _agent(reading.signer, "Organization")
        if reading.signer_issuer:
            signer["schema:parentOrganization"] = _agent(reading.signer_issuer, "Organization")
        activity["prov:wasAssociatedWith"] = signer
    for key, value in (("schema:copyrightHolder", reading.rights_holder), ("schema:creator", reading.creator)):
        if value:
            activity[key] = _agent(value, "Organization" if key == "schema:copyrightHolder" else "Person")
    if reading.copyright_notice:
        activity["schema:copyrightNotice"] = reading.copyright_notice
    if reading.ai_label:
        activity["schema:digitalSourceType"] = f"ai-{reading.ai_label}"
    return activity


def _translation(row: ProvenanceRow, iri: str) -> dict[str, Any]:
    activity: dict[str, Any] = {"@id": f"{iri}#translation", "@type": "prov:Activity", "schema:name": "translation",
                                "schema:inLanguage": row.language, "rdfs:comment": f"from {row.translated_from}"}
    if row.primary_source_url:
        activity["prov:used"] = {"@id": row.primary_source_url}
    if row.translation_engine:
        activity["prov:wasAssociatedWith"] = {"@type": "prov:SoftwareAgent",
                                              "schema:name": row.translation_engine}
    return activity
