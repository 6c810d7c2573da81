"""Provider inbound webhooks (django-anymail): the receiver hands the mail to the same intake service."""

from __future__ import annotations

from email import policy

from django.http import HttpRequest

from compliance.models import InboundMessage
from compliance.services.mail_intake import store_inbound

# Providers that post the original MIME keep it in one of these fields; it is stored untouched.
RAW_MIME_FIELDS = ("email", "body-mime")


def original_bytes(event) -> bytes:
    request = event.esp_event
    if isinstance(request, HttpRequest):
        for name in RAW_MIME_FIELDS:
            if name in request.POST:
                return request.POST[name].encode("utf-8", "surrogateescape")
    # Otherwise the provider gave a parsed message: serialise it leniently, as close to the original as we can.
    return event.message.as_bytes(policy=policy.compat32)


def receive_inbound(sender, event, esp_name: str, **kwargs) -> None:
    envelope = getattr(event.message, "envelope_sender", None) or ""
    store_inbound(original_bytes(event), via=InboundMessage.Via.WEBHOOK, envelope_from=envelope)
