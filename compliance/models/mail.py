from __future__ import annotations

from django.db import models
from django.utils import timezone

from compliance.models.notices import Notice


class InboundMessage(models.Model):
    """A received mail, stored as raw bytes before anything can fail to parse it."""

    class Via(models.TextChoices):
        FILE = "file", "File import"
        IMAP = "imap", "IMAP mailbox"
        WEBHOOK = "webhook", "Provider webhook"

    class Kind(models.TextChoices):
        UNPARSED = "unparsed", "Not parsed yet"
        MESSAGE = "message", "Message"
        AUTO_REPLY = "auto_reply", "Auto-reply"
        BOUNCE = "bounce", "Bounce"
        SPAM = "spam", "Marked as spam"

    class Role(models.TextChoices):
        PENDING = "pending", "Not processed yet"
        OPENED = "opened", "Opened a notice"
        THREADED = "threaded", "Joined a notice"
        DUPLICATE = "duplicate", "Same notice as another channel's"
        COUNTER = "counter", "Filed a counter-notice"
        RETRACTION = "retraction", "Claimant withdrew a notice: for staff to confirm"
        FOR_STAFF = "for_staff", "Put before staff: nothing to link it to"
        IGNORED = "ignored", "Stored, no notice"
        FAILED = "failed", "Could not be processed"

    class MessageKind(models.TextChoices):
        """What the message says it is (compliance.parsing.message_kind), whatever intake then did."""

        TAKEDOWN = "takedown", "Takedown notice"
        COUNTER_NOTICE = "counter_notice", "Counter-notice"
        RETRACTION = "retraction", "Retraction of a notice"
        SUPPLEMENT = "supplement", "Reply or supplement"
        OTHER = "other", "Other"

    class Dkim(models.TextChoices):
        PENDING = "pending", "Not checked yet"
        NONE = "none", "Not signed"
        PASS = "pass", "Pass"
        FAIL = "fail", "Fail"
        TEMPERROR = "temperror", "Temporary error"
        PERMERROR = "permerror", "Permanent error"

    dedupe_key = models.CharField(max_length=64, unique=True,
                                  help_text="SHA-256 of Message-ID and body hash, or of the bytes without a Message-ID")
    raw = models.BinaryField()
    raw_sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveIntegerField()
    via = models.CharField(max_length=10, choices=Via.choices)
    received_at = models.DateTimeField(default=timezone.now)
    message_id = models.CharField(max_length=998, blank=True, db_index=True)
    body_sha256 = models.CharField(max_length=64, blank=True)
    header_from = models.CharField(max_length=320, blank=True)
    envelope_from = models.CharField(max_length=320, blank=True)
    subject = models.CharField(max_length=998, blank=True)
    in_reply_to = models.JSONField(default=list, blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.UNPARSED)
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.PENDING)
    message_kind = models.CharField(max_length=16, choices=MessageKind.choices, blank=True,
                                    help_text="Empty for auto-replies, bounces and spam, which are not read")
    dkim = models.CharField(max_length=10, choices=Dkim.choices, default=Dkim.PENDING)
    dkim_domain = models.CharField(max_length=253, blank=True)
    authentication_results = models.TextField(blank=True, help_text="As the receiving MTA recorded them")
    defects = models.JSONField(default=list, blank=True)
    notice = models.ForeignKey(Notice, null=True, blank=True, on_delete=models.PROTECT, related_name="messages")
    counter_notice = models.ForeignKey("compliance.CounterNotice", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="messages", help_text="The counter-notice this mail filed")
    processed_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True, help_text="Why processing failed (a poison message)")
    failure_acknowledged_at = models.DateTimeField(null=True, blank=True)
    failure_acknowledged_by = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return self.subject or self.message_id or self.raw_sha256[:12]


class InboundAttachment(models.Model):
    message = models.ForeignKey(InboundMessage, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField(null=True, blank=True, help_text="Empty when over the size limit")

    def __str__(self) -> str:
        return self.filename or self.content_type


class OutboundMessage(models.Model):
    """The outbox: written in the transaction of the change it reports, sent afterwards by a task."""

    class Purpose(models.TextChoices):
        ACKNOWLEDGMENT = "acknowledgment", "Acknowledgment"
        CONFIRM_EMAIL = "confirm_email", "Confirm your email"
        REQUEST_INFORMATION = "request_information", "Request for information"
        ESCALATION = "escalation", "Escalation to staff"
        DECISION = "decision", "Decision to the claimant"
        SOURCE_NOTICE = "source_notice", "Withdrawal notice to the source"
        COUNTER_NOTICE = "counter_notice", "Counter-notice or complaint"
        RESTRICTION = "restriction", "Warning or suspension of a sender"

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    notice = models.ForeignKey(Notice, null=True, blank=True, on_delete=models.PROTECT, related_name="outbound")
    purpose = models.CharField(max_length=25, choices=Purpose.choices)
    to_address = models.EmailField(max_length=320)  # the longest address RFC 3696 allows: 64 + 1 + 255
    subject = models.CharField(max_length=300)
    body = models.TextField()
    message_id = models.CharField(max_length=300, unique=True)
    in_reply_to = models.CharField(max_length=998, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["state", "created_at"], name="outbox_pending",
                                condition=models.Q(state="pending"))]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} to {self.to_address}"
