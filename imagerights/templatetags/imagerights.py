"""{% content_credentials asset %}: the Content Credentials mark and the AI label beside a picture."""

from __future__ import annotations

from django import template

from imagerights.selectors import picture_facts
from imagerights.services.rehosting import is_demo_stand_in, rehosted_url

register = template.Library()


@register.inclusion_tag("imagerights/_credentials.html")
def content_credentials(asset) -> dict:
    return {"facts": picture_facts(asset)}


@register.simple_tag
def picture_src(asset) -> str:
    """Where the page loads the picture from: our copy when its source is re-hosted, else the original."""
    return rehosted_url(asset) or asset.original_url


@register.simple_tag
def demo_stand_in(asset) -> bool:
    return is_demo_stand_in(asset)
