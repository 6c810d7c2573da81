from __future__ import annotations

from django.db import models
from django.utils import timezone


class WebhookEndpoint(models.Model):
    """Where a withdrawal must propagate: the CMS, a CDN purge, the sitemap."""

    EVENTS = ["article.withdrawn", "article.restored", "asset.withdrawn", "asset.restored"]

    name = models.CharField(max_length=100, unique=True)
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=200, help_text="Signs each delivery (HMAC-SHA256)")
    events = models.JSONField(default=list, help_text=f"Any of {', '.join(EVENTS)}")
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    """The delivery log and outbox: written with the change, sent and retried by a swept task."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.PROTECT, related_name="deliveries")
    event = models.CharField(max_length=50)
    payload = models.TextField(help_text="The exact JSON body that is signed and sent")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "webhook deliveries"
        indexes = [models.Index(fields=["next_attempt_at"], name="webhook_pending",
                                condition=models.Q(state="pending"))]

    def __str__(self) -> str:
        return f"{self.event} to {self.endpoint}"
