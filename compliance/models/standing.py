"""Standing: senders warned or suspended for unfounded notices (DSA Art. 23), trusted flaggers
(DSA Art. 22), and sources that are repeat infringers (DMCA 512(i))."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from articles.models import Source
from compliance.models.notices import Notice


class SenderRestriction(models.Model):
    """A warning to, or a suspension of, a sender of manifestly unfounded notices (DSA Art. 23)."""

    class Kind(models.TextChoices):
        WARNING = "warning", "Warning"
        SUSPENSION = "suspension", "Suspension"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    email_digest = models.CharField(max_length=64, db_index=True, help_text="SHA-256 of the sender's address")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="restrictions", help_text="The API sender, if any")
    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="restrictions",
                               help_text="The notice that led to it")
    reason = models.TextField()
    unfounded_notices = models.PositiveIntegerField(help_text="Manifestly unfounded notices counted at the time")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField(max_length=200)

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.starts_at:%Y-%m-%d}"


class TrustedFlagger(models.Model):
    """An entity whose notices go first (DSA Art. 22), recognised by its mail domain or API account."""

    name = models.CharField(max_length=200)
    email_domain = models.CharField(max_length=253, blank=True, db_index=True,
                                    help_text="Notices from this domain, once confirmed or DKIM-aligned")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="trusted_flaggers", help_text="Or: its API account")
    designated_by = models.CharField(max_length=200, blank=True,
                                     help_text="The Digital Services Coordinator that awarded the status")
    active = models.BooleanField(default=True)
    marked_by = models.CharField(max_length=200)
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SourceStanding(models.Model):
    """A source with repeated upheld notices is a repeat infringer (DMCA 512(i)): its new
    articles are held for review until a compliance lead clears it."""

    source = models.OneToOneField(Source, on_delete=models.PROTECT, related_name="standing")
    upheld_notices = models.PositiveIntegerField(default=0)
    repeat_infringer = models.BooleanField(default=False)
    flagged_at = models.DateTimeField(null=True, blank=True)
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_by = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.source}: {'repeat infringer' if self.repeat_infringer else 'in good standing'}"
