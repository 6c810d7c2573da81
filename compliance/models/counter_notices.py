"""Counter-notices (DMCA 512(g)) and complaints (DSA Art. 20) against a decision on a notice."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from articles.models import Article
from compliance.models.notices import Notice


class CounterNotice(models.Model):
    """An objection to a withdrawal (DMCA 512(g)) or a complaint about a decision (DSA Art. 20)."""

    class Kind(models.TextChoices):
        COUNTER_NOTICE = "counter_notice", "Counter-notice (DMCA 512(g))"
        COMPLAINT = "complaint", "Complaint about a decision (DSA Art. 20)"
        CLAIMANT_COMPLAINT = "claimant_complaint", "Claimant's complaint about a rejection (DSA Art. 20)"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received; claimant told"
        CLAIMANT_SUED = "claimant_sued", "Claimant went to court"
        RESTORED = "restored", "Restored"
        UPHELD = "upheld", "Decision upheld"
        REOPENED = "reopened", "Rejection reversed: items back in the queue"

    class Channel(models.TextChoices):
        WEB = "web", "Web form"
        EMAIL = "email", "Email"

    OPEN_STATUSES = (Status.RECEIVED,)

    reference = models.CharField(max_length=20, unique=True)
    status_token_digest = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    missing_elements = models.JSONField(default=list, blank=True,
                                        help_text="What a mailed counter-notice lacks of 512(g)(3): no timed restore")
    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="counter_notices")
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="counter_notices", help_text="Empty for a claimant's complaint")

    # Personal data of the objector: erasable; the audit log holds only its hash. Kept whole, as on Notice.
    name = models.TextField()
    organisation = models.TextField(blank=True)
    email = models.EmailField(max_length=320)
    address = models.TextField(blank=True)
    phone = models.TextField(blank=True)
    email_digest = models.CharField(max_length=64, db_index=True)

    explanation = models.TextField(help_text="Why the withdrawal was a mistake or a misidentification")
    mistake_statement = models.BooleanField(default=False, help_text="Good-faith belief of mistake, under penalty "
                                                                     "of perjury (512(g)(3)(C))")
    jurisdiction_consent = models.BooleanField(default=False, help_text="Consent to jurisdiction and service "
                                                                        "(512(g)(3)(D))")
    signature = models.TextField()
    client_ip = models.GenericIPAddressField(null=True, blank=True)

    received_at = models.DateTimeField(default=timezone.now)
    restore_due_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["restore_due_at", "received_at"]

    def __str__(self) -> str:
        return self.reference
