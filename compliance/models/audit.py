from __future__ import annotations

from django.db import models
from django.utils import timezone

from articles.models import AppendOnlyModel

GENESIS_HASH = "0" * 64


class AuditChainHead(models.Model):
    """The single row every append locks: it serialises writers and hands out the gapless seq."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self) -> str:
        return f"audit head #{self.seq}"


class AuditEntry(AppendOnlyModel):
    """One state change. ``payload`` is the exact canonical JSON that was hashed.

    Entries hold IDs and hashes of personal data, never the data itself, so a claimant can be
    erased without breaking the chain.
    """

    seq = models.PositiveBigIntegerField(unique=True)
    occurred_at = models.DateTimeField()
    actor = models.CharField(max_length=200)
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=100)
    payload = models.TextField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditVerification(models.Model):
    """The outcome of each verification of the chain (by the command or the hourly task)."""

    checked_at = models.DateTimeField(default=timezone.now)
    ok = models.BooleanField()
    entries_checked = models.PositiveBigIntegerField()
    first_bad_seq = models.PositiveBigIntegerField(null=True, blank=True)
    message = models.CharField(max_length=500)
    checked_by = models.CharField(max_length=200)

    class Meta:
        ordering = ["-checked_at"]

    def __str__(self) -> str:
        return f"{'intact' if self.ok else 'BROKEN'} at {self.checked_at:%Y-%m-%d %H:%M}"
