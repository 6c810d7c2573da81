"""What the deadline does: a policy row per notice kind and verification level, else the default."""

from __future__ import annotations

from datetime import timedelta

from compliance.models import Notice, SlaPolicy


def action_at_due(notice: Notice) -> str:
    policy = SlaPolicy.objects.filter(kind=notice.kind, verification=notice.verification).first()
    if policy:
        return policy.at_due
    # Default: a verified copyright notice is withdrawn fail-safe; anything unverified escalates.
    verified = notice.verification != Notice.Verification.UNVERIFIED
    return SlaPolicy.AtDue.WITHDRAW if verified and notice.kind == Notice.Kind.COPYRIGHT else SlaPolicy.AtDue.ESCALATE


def response_deadline_on(notice: Notice) -> bool:
    """Whether an incomplete notice of this kind and verification gets a 24-hour response deadline (default on)."""
    policy = SlaPolicy.objects.filter(kind=notice.kind, verification=notice.verification).first()
    return policy.response_deadline if policy else True


def complaint_window(notice: Notice) -> timedelta:
    """How long a claimant's complaint may wait for its answer: the policy row's hours, else its default."""
    policy = SlaPolicy.objects.filter(kind=notice.kind, verification=notice.verification).first()
    hours = policy.complaint_hours if policy else SlaPolicy._meta.get_field("complaint_hours").default
    return timedelta(hours=hours)
