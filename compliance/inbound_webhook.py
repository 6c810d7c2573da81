"""Provider inbound webhooks (django-anymail): the receiver hands the mail to the same intake service."""

from __future__ import annotations

import functools
import logging
from email import policy

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern

from compliance.models import InboundMessage
from compliance.services.mail_intake import store_inbound

log = logging.getLogger(__name__)

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


def _refused(reason: str) -> HttpResponse:
    return HttpResponse(f"{reason}\n", status=503, content_type="text/plain; charset=utf-8")


def _guarded(view):
    """Without a shared secret anyone could post a spoofed notice: refused, whatever the provider.
    A provider whose own setting (e.g. a signing key) is missing answers 503 naming it, not 500."""
    @functools.wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not (getattr(settings, "ANYMAIL", {}) or {}).get("WEBHOOK_SECRET"):
            return _refused("inbound mail webhooks are turned off: ANYMAIL_WEBHOOK_SECRET is not set")
        try:
            return view(request, *args, **kwargs)
        except ImproperlyConfigured as exc:
            log.error("inbound mail webhook %s is not configured: %s", request.path, exc)
            return _refused(f"this provider's webhook is not configured on our side: "
                            f"{str(exc).splitlines()[0][:200]}")
    return guarded


def guarded_webhook_urls() -> tuple[list[URLPattern], str]:
    """anymail's URLs, each view behind the secret check; used as ``path("anymail/", include(...))``."""
    import anymail.urls

    patterns = [URLPattern(p.pattern, _guarded(p.callback), p.default_args, p.name) for p in anymail.urls.urlpatterns]
    return patterns, anymail.urls.app_name
