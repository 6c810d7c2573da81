"""Notices as Lumen's `POST /notices` takes them (berkmancenter/lumendatabase), for sharing with its database.

Only the keys its notices controller permits, its type names, entity roles and kinds. Claimants'
contact details (email, postal address, phone) are left out, and scrubbed from the free text too;
the sender keeps its name, as notices in Lumen do.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime
from typing import Any, Iterator

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from articles.models import Asset
from articles.shortening import shortened
from compliance.models import CounterNotice, Decision, Notice, NoticeItem, NoticeItemMatch

TYPE_BY_KIND = {
    Notice.Kind.COPYRIGHT: "DMCA", Notice.Kind.TRADEMARK: "Trademark", Notice.Kind.PRIVACY: "DataProtection",
    Notice.Kind.DEFAMATION: "Defamation", Notice.Kind.COURT_ORDER: "CourtOrder",
    Notice.Kind.GOVERNMENT: "GovernmentRequest", Notice.Kind.OTHER: "Other",
}
TYPES = {"DMCA", "Counterfeit", "Counternotice", "CourtOrder", "DataProtection", "Defamation", "GovernmentRequest",
         "LawEnforcementRequest", "LocalLaw", "PrivateInformation", "Trademark", "Other"}
ROLES = {"principal", "agent", "attorney", "recipient", "sender", "submitter", "target", "issuing_court",
         "plaintiff", "defendant"}
ENTITY_KINDS = {"organization", "individual"}
ACTIONS = {"Yes", "No", "Partial", "Unspecified"}
NOTICE_KEYS = {"title", "type", "subject", "body", "date_sent", "date_received", "source", "tag_list",
               "jurisdiction_list", "regulation_list", "language", "action_taken", "works_attributes",
               "entity_notice_roles_attributes"}
ENTITY_KEYS = {"name", "kind", "address_line_1", "address_line_2", "city", "state", "zip", "country_code", "url"}
WORK_KEYS = {"description", "kind", "infringing_urls_attributes", "copyrighted_urls_attributes"}
REGULATIONS = {Notice.Kind.COPYRIGHT: ["17 U.S.C. § 512", "Directive 2001/29/EC"],
               Notice.Kind.PRIVACY: ["GDPR Art. 17"]}
DSA = "Regulation (EU) 2022/2065 Art. 16"
ACTIONED = (NoticeItem.State.ACTIONED, NoticeItem.State.RESTORED)
DECIDED = ACTIONED + (NoticeItem.State.REJECTED,)
WORK_KIND_BY_ASSET = {Asset.Kind.PHOTO: "image", Asset.Kind.MAP: "image", Asset.Kind.VIDEO: "video",
                      Asset.Kind.EMBED: "embedded media"}
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
REDACTED = "[REDACTED]"


def notices_to_share(since: datetime | None = None) -> QuerySet[Notice]:
    """Notices received at or after `since`; a notice linked as another's duplicate is that one."""
    matches = NoticeItemMatch.objects.select_related("asset")
    notices = (Notice.objects.filter(duplicate_of__isnull=True).order_by("received_at", "id")
               .prefetch_related(Prefetch("items", NoticeItem.objects.order_by("position").prefetch_related(
                   Prefetch("matches", matches))), "decisions").select_related("acting_for"))
    return notices.filter(received_at__gte=since) if since else notices


def action_taken(notice: Notice) -> str:
    states = [item.state for item in notice.items.all()]
    actioned = sum(state in ACTIONED for state in states)
    if actioned and actioned == len(states):
        return "Yes"
    if actioned:
        return "Partial"
    return "No" if states and all(state in DECIDED for state in states) else "Unspecified"


def scrub(text: str, notice: Notice) -> str:
    """The claimant's email, phone and postal address taken out of free text they wrote."""
    return _scrub(text, (notice.claimant_email, notice.claimant_phone, notice.claimant_address))


def _scrub(text: str, details: tuple[str, ...]) -> str:
    for detail in details:
        if detail.strip():
            text = text.replace(detail.strip(), REDACTED)
    return _EMAIL.sub(REDACTED, text)


def _entity(name: str, kind: str, **fields: str) -> dict[str, str]:
    return {"name": shortened(name, 255), "kind": kind, **{k: v for k, v in fields.items() if v}}


def _roles(notice: Notice) -> list[dict[str, Any]]:
    roles = [{"name": "recipient", "entity_attributes": _entity(settings.SITE_NAME, "organization",
                                                                url=settings.SITE_URL)}]
    if notice.claimant_organisation:
        sender = _entity(notice.claimant_organisation, "organization")
    else:
        sender = _entity(notice.claimant_name, "individual")
    roles.append({"name": "sender", "entity_attributes": sender})
    principal = notice.acting_for.name if notice.acting_for else notice.acting_for_name
    if principal and principal != sender["name"]:
        roles.append({"name": "principal", "entity_attributes": _entity(principal, "organization")})
    return roles


def _works(notice: Notice) -> list[dict[str, Any]]:
    """One work per original the claimant named (the items without one share a work)."""
    groups: dict[str, list[NoticeItem]] = defaultdict(list)
    for item in notice.items.all():
        groups[item.original_url].append(item)
    description = scrub(notice.work_description, notice) or f"Work named in notice {notice.reference}"
    return [{"description": description, "kind": _work_kind(items),
             "infringing_urls_attributes": [{"url": item.url} for item in items],
             "copyrighted_urls_attributes": [{"url": original}] if original else []}
            for original, items in groups.items()]


def _work_kind(items: list[NoticeItem]) -> str:
    matches = [m for item in items for m in item.matches.all()]
    kinds = {WORK_KIND_BY_ASSET[m.asset.kind] if m.asset else "article" for m in matches}
    return kinds.pop() if len(kinds) == 1 else "article"


def _jurisdictions(notice: Notice) -> str:
    decisions: list[Decision] = list(notice.decisions.all())
    return ", ".join(sorted({code for d in decisions for code in d.territorial_scope or []}))


def notice_body(notice: Notice) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": TYPE_BY_KIND[notice.kind],
        "title": f"{notice.get_kind_display()} notice to {settings.SITE_NAME} ({notice.reference})",
        "body": scrub(notice.explanation, notice) or scrub(notice.work_description, notice),
        "date_sent": notice.received_at.date().isoformat(),
        "date_received": notice.received_at.date().isoformat(),
        "action_taken": action_taken(notice),
        "regulation_list": ", ".join([*REGULATIONS.get(notice.kind, []), DSA]),
        "works_attributes": _works(notice),
        "entity_notice_roles_attributes": _roles(notice),
    }
    jurisdictions = _jurisdictions(notice)
    if jurisdictions:
        body["jurisdiction_list"] = jurisdictions
    if notice.channel in (Notice.Channel.WEB, Notice.Channel.API):
        body["language"] = "en"  # our form and API are in English
    return {"notice": body}


def problems(body: dict[str, Any]) -> list[str]:
    """What Lumen would drop or refuse in a body we built: unpermitted keys, unknown names."""
    notice = body.get("notice", {})
    found = [f"notice.{key}: not permitted" for key in sorted(set(notice) - NOTICE_KEYS)]
    if notice.get("type") not in TYPES:
        found.append(f"notice.type: {notice.get('type')!r} is not a Lumen type")
    if notice.get("action_taken") not in ACTIONS:
        found.append(f"notice.action_taken: {notice.get('action_taken')!r}")
    if not notice.get("works_attributes"):
        found.append("notice.works_attributes: no work, because the notice names no URL")
    if not notice.get("entity_notice_roles_attributes"):
        found.append("notice.entity_notice_roles_attributes: no entity")
    for work in notice.get("works_attributes", []):
        found += [f"work.{key}: not permitted" for key in sorted(set(work) - WORK_KEYS)]
    for role in notice.get("entity_notice_roles_attributes", []):
        entity = role.get("entity_attributes", {})
        if role.get("name") not in ROLES:
            found.append(f"role {role.get('name')!r} is not a Lumen role")
        if entity.get("kind") not in ENTITY_KINDS:
            found.append(f"entity kind {entity.get('kind')!r} is not a Lumen kind")
        found += [f"entity.{key}: not shared" for key in sorted(set(entity) - ENTITY_KEYS)]
    return found


COUNTER_ACTION = {CounterNotice.Status.RESTORED: "Yes", CounterNotice.Status.UPHELD: "No",
                  CounterNotice.Status.CLAIMANT_SUED: "No", CounterNotice.Status.RECEIVED: "Unspecified"}


def counter_notices_to_share(since: datetime | None = None) -> QuerySet[CounterNotice]:
    """DMCA 512(g) counter-notices (DSA complaints are reviews of our own decision, not notices)."""
    counters = (CounterNotice.objects.filter(kind=CounterNotice.Kind.COUNTER_NOTICE)
                .select_related("notice", "article").order_by("received_at", "id"))
    return counters.filter(received_at__gte=since) if since else counters


def counter_notice_body(counter: CounterNotice) -> dict[str, Any]:
    """Lumen's Counternotice: the publisher is the sender; "action taken" is whether we restored."""
    sender = (_entity(counter.organisation, "organization") if counter.organisation
              else _entity(counter.name, "individual"))
    return {"notice": {
        "type": "Counternotice",
        "title": f"Counter-notice to {settings.SITE_NAME} ({counter.reference}, on notice {counter.notice.reference})",
        "body": _scrub(counter.explanation, (counter.email, counter.phone, counter.address)),
        "date_sent": counter.received_at.date().isoformat(),
        "date_received": counter.received_at.date().isoformat(),
        "action_taken": COUNTER_ACTION[counter.status],
        "regulation_list": "17 U.S.C. § 512(g)",
        "language": "en",
        "works_attributes": [{
            "description": f"Material withdrawn on notice {counter.notice.reference}", "kind": "article",
            "infringing_urls_attributes": [{"url": settings.SITE_URL + counter.article.get_absolute_url()}],
            "copyrighted_urls_attributes": []}],
        "entity_notice_roles_attributes": [
            {"name": "recipient", "entity_attributes": _entity(settings.SITE_NAME, "organization",
                                                               url=settings.SITE_URL)},
            {"name": "sender", "entity_attributes": sender}],
    }}


def to_share_count(since: datetime | None = None) -> int:
    return notices_to_share(since).count() + counter_notices_to_share(since).count()


def bodies(since: datetime | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
    """(reference, body) for every notice, then every counter-notice."""
    for notice in notices_to_share(since).iterator(chunk_size=200):
        yield notice.reference, notice_body(notice)
    for counter in counter_notices_to_share(since).iterator(chunk_size=200):
        yield counter.reference, counter_notice_body(counter)
