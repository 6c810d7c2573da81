"""Who did something, in words: decisions and audit entries store an actor id ("user:3",
"system:sla"), which staff pages show as a person's name or what the system part is."""

from __future__ import annotations

from django import template
from django.contrib.auth import get_user_model

register = template.Library()

SYSTEM_ACTORS = {
    "system:sla": "the 24-hour deadline (automatic)",
    "system:dkim": "the mail check (automatic)",
    "system:seed_demo": "demo data",
    "claimant:web": "the claimant (web)",
    "claimant:email": "the claimant (email)",
}


@register.filter
def actor_name(actor: str) -> str:
    kind, _, ident = (actor or "").partition(":")
    if kind == "user" and ident.isdigit():
        user = get_user_model().objects.filter(pk=int(ident)).first()
        if user is None:
            return f"a former staff member ({actor})"
        return user.get_full_name() or user.get_username()
    return SYSTEM_ACTORS.get(actor, actor)
