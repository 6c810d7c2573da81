"""Who did something, in words: decisions and audit entries store an actor id ("user:3",
"system:sla"), which staff pages show as a person's name or what the system part is."""

from __future__ import annotations

from django import template

from articles.actors import Actor

register = template.Library()


@register.filter
def actor_name(actor: str) -> str:
    return Actor.parse(actor or "").name
