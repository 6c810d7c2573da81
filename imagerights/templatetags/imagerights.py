"""{% content_credentials asset %}: the Content Credentials mark and the AI label beside a picture."""

from __future__ import annotations

from django import template

from imagerights.selectors import picture_facts

register = template.Library()


@register.inclusion_tag("imagerights/_credentials.html")
def content_credentials(asset) -> dict:
    return {"facts": picture_facts(asset)}
