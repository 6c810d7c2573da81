"""What the review queue adds: counter-notices and complaints, senders' standing, sources'
standing, and the log of who looked at claimants' personal data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from articles.models import AppendOnlyModel, Article, Source
from compliance.actors import Actor
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

    # Personal data of the objector: erasable; the audit log holds only its hash.
    name = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200, blank=True)
    email = models.EmailField(max_length=320)
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    email_digest = models.CharField(max_length=64, db_index=True)

    explanation = models.TextField(help_text="Why the withdrawal was a mistake or a misidentification")
    mistake_statement = models.BooleanField(default=False, help_text="Good-faith belief of mistake, under penalty "
                                                                     "of perjury (512(g)(3)(C))")
    jurisdiction_consent = models.BooleanField(default=False, help_text="Consent to jurisdiction and service "
                                                                        "(512(g)(3)(D))")
    signature = models.CharField(max_length=200)
    client_ip = models.GenericIPAddressField(null=True, blank=True)

    received_at = models.DateTimeField(default=timezone.now)
    restore_due_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["restore_due_at", "received_at"]

    def __str__(self) -> str:
        return self.reference


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


class PersonalDataAccess(AppendOnlyModel):
    """Who saw or exported a claimant's personal data, and when (GDPR accountability)."""

    class What(models.TextChoices):
        VIEW = "view", "Viewed"
        EXPORT = "export", "Exported"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                             related_name="personal_data_accesses")
    actor = models.CharField(max_length=200)
    what = models.CharField(max_length=10, choices=What.choices)
    notice = models.ForeignKey(Notice, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="personal_data_accesses")
    counter_notice = models.ForeignKey(CounterNotice, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="personal_data_accesses")
    detail = models.CharField(max_length=300, blank=True, help_text="Which page or export")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = "personal data accesses"

    def __str__(self) -> str:
        return f"{Actor.parse(self.actor).name} {self.what} at {self.at:%Y-%m-%d %H:%M}"
