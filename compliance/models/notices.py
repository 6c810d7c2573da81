from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from articles.models import Article, Asset, RightsHolder


class Notice(models.Model):
    """A removal request. Its outcome is derived from its items and matches, never stored."""

    class Channel(models.TextChoices):
        WEB = "web", "Web form"
        EMAIL = "email", "Email"
        API = "api", "API"
        MANUAL = "manual", "Entered by staff"

    class Kind(models.TextChoices):
        COPYRIGHT = "copyright", "Copyright"
        TRADEMARK = "trademark", "Trademark"
        PRIVACY = "privacy", "Privacy / erasure"
        DEFAMATION = "defamation", "Defamation"
        COURT_ORDER = "court_order", "Court order"
        GOVERNMENT = "government_request", "Government request"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        AWAITING_CONFIRMATION = "awaiting_confirmation", "Awaiting email confirmation"
        AWAITING_INFORMATION = "awaiting_information", "Awaiting information"
        IN_REVIEW = "in_review", "In review"
        DECIDED = "decided", "Decided"
        CLOSED = "closed", "Closed"

    class Verification(models.TextChoices):
        UNVERIFIED = "unverified", "Unverified"
        EMAIL_CONFIRMED = "email_confirmed", "Email confirmed"
        API_SENDER = "api_sender", "Registered API sender"
        DKIM_ALIGNED = "dkim_aligned", "DKIM-aligned sender domain"
        HOLDER_DOMAIN = "holder_domain", "Rights holder's verified domain"
        TRUSTED_FLAGGER = "trusted_flagger", "Trusted flagger"

    # The notice lifecycle (DESIGN.md): from-status -> the statuses it may move to. Only
    # compliance.services.lifecycle.move_notice changes a notice's status, and it checks this table;
    # a notice is created in its first status by intake, which is not a move.
    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = {
        Status.RECEIVED: frozenset({Status.AWAITING_CONFIRMATION, Status.AWAITING_INFORMATION, Status.IN_REVIEW,
                                    Status.DECIDED, Status.CLOSED}),
        # Confirmed: to what is missing, or to the queue; staff may ask, decide or close it as a duplicate meanwhile.
        Status.AWAITING_CONFIRMATION: frozenset({Status.AWAITING_INFORMATION, Status.IN_REVIEW, Status.DECIDED,
                                                 Status.CLOSED}),
        # The claimant's answer (or a reopened complaint) brings it back to the queue.
        Status.AWAITING_INFORMATION: frozenset({Status.IN_REVIEW, Status.DECIDED, Status.CLOSED}),
        Status.IN_REVIEW: frozenset({Status.AWAITING_INFORMATION, Status.DECIDED, Status.CLOSED}),
        # A counter-notice or a claimant's complaint reopens a decided notice.
        Status.DECIDED: frozenset({Status.IN_REVIEW, Status.CLOSED}),
        # A closed one (a duplicate, a suspended sender's) is reopened the same way, and staff may still
        # decide its items.
        Status.CLOSED: frozenset({Status.IN_REVIEW, Status.DECIDED}),
    }

    class Outcome(models.TextChoices):
        """What a notice came to: derived from its items' states, never stored (DESIGN "Domain")."""

        OPEN = "open", "Open"
        ACTIONED = "actioned", "Actioned"
        PARTIALLY_ACTIONED = "partially_actioned", "Partially actioned"
        REJECTED = "rejected", "Rejected"
        RESTORED = "restored", "Restored"

    class ActingAs(models.TextChoices):
        OWNER = "owner", "Owner"
        AGENT = "agent", "Authorised agent"

    reference = models.CharField(max_length=20, unique=True)
    status_token_digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the status link's token")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.COPYRIGHT)
    status = models.CharField(max_length=25, choices=Status.choices, default=Status.RECEIVED)
    verification = models.CharField(max_length=20, choices=Verification.choices, default=Verification.UNVERIFIED)
    trusted = models.BooleanField(default=False, help_text="From a trusted flagger (DSA Art. 22)")

    # Personal data of the claimant: erasable; the audit log holds only its hash. Text columns keep what a
    # mail said whole (a mail cannot be refused); the form and the API refuse what is longer than they allow.
    claimant_name = models.TextField()
    claimant_organisation = models.TextField(blank=True)
    claimant_email = models.EmailField(max_length=320)  # stored whole: 64 + 1 + 255, RFC 3696
    claimant_address = models.TextField(blank=True)
    claimant_phone = models.TextField(blank=True)
    claimant_email_digest = models.CharField(max_length=64, db_index=True)

    acting_as = models.CharField(max_length=10, choices=ActingAs.choices, default=ActingAs.OWNER)
    acting_for_name = models.TextField(blank=True)
    acting_for = models.ForeignKey(RightsHolder, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="notices")
    work_description = models.TextField(blank=True)
    explanation = models.TextField(blank=True)
    good_faith_statement = models.BooleanField(default=False)
    accuracy_statement = models.BooleanField(default=False, help_text="Accurate, under penalty of perjury")
    signature = models.TextField(blank=True)
    missing_elements = models.JSONField(default=list, blank=True)
    named_reference = models.CharField(max_length=20, blank=True,
                                       help_text="A reference the claimant quoted that matched no notice")
    element_sources = models.JSONField(
        default=dict, blank=True,
        help_text="For each element read from the notice's text (signature, statements, contact, work): "
                  "the line(s) it came from, numbered as in the explanation")
    reference_urls = models.JSONField(
        default=list, blank=True,
        help_text="URLs the notice names that are not items (help and policy pages, form text, footers), "
                  "each with why, kept for the reviewer")

    received_at = models.DateTimeField(default=timezone.now)
    clock_started_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    items_fingerprint = models.CharField(max_length=64, db_index=True, help_text="SHA-256 of the sorted item keys")
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="duplicates")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="notices_sent", help_text="The API sender, if sent by API")
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="assigned_notices")
    sender_suspended = models.BooleanField(default=False, help_text="Arrived while its sender was suspended "
                                                                    "(DSA Art. 23): stored, not processed")

    class Meta:
        # Soonest deadline first; a trusted flagger's notice first at an equal deadline (DSA Art. 22).
        ordering = ["due_at", "-trusted", "received_at"]
        permissions = [
            ("decide_notice", "Can decide notices: withdraw, reject, ask for information"),
            ("override_decision", "Can override decisions and restore withdrawn content"),
            ("suspend_sender", "Can suspend senders and mark trusted flaggers"),
            ("view_personal_data", "Can see claimants' personal data"),
            ("export_records", "Can export provenance, statements and reports"),
        ]
        indexes = [
            models.Index(fields=["due_at", "-trusted"], name="notice_queue_order"),
            models.Index(fields=["status", "due_at"], name="notice_status_due"),
        ]

    def __str__(self) -> str:
        return self.reference

    def may_move_to(self, to: str) -> bool:
        """Staying where it is is not a move; every other change of status must be in TRANSITIONS."""
        return to == self.status or to in self.TRANSITIONS.get(self.status, frozenset())

    @property
    def is_complete(self) -> bool:
        return not self.missing_elements

    @property
    def status_when_contested(self) -> str:
        """Where a counter-notice or a claimant's complaint takes it: a decided or closed notice is reopened."""
        return self.Status.IN_REVIEW if self.status in (self.Status.DECIDED, self.Status.CLOSED) else self.status

    @property
    def outcome(self) -> Notice.Outcome:
        """What the notice came to (reads the items, or their prefetch)."""
        return self.outcome_of(item.state for item in self.items.all())

    @classmethod
    def outcome_of(cls, item_states: Iterable[str]) -> Notice.Outcome:
        """The outcome of a notice whose items are in these states (for many notices, without their items)."""
        states = set(item_states)
        if not states or states & NoticeItem.UNDECIDED:
            return cls.Outcome.OPEN
        if states == {NoticeItem.State.ACTIONED}:
            return cls.Outcome.ACTIONED
        if NoticeItem.State.ACTIONED in states:
            return cls.Outcome.PARTIALLY_ACTIONED
        if NoticeItem.State.RESTORED in states:
            return cls.Outcome.RESTORED
        return cls.Outcome.REJECTED


class NoticeItem(models.Model):
    """One URL or domain a notice names, with its own state."""

    class Scope(models.TextChoices):
        URL = "url", "This URL"
        DOMAIN = "domain", "Everything from this site"

    class State(models.TextChoices):
        RECEIVED = "received", "Received"
        MATCHED = "matched", "Matched"
        UNMATCHED = "unmatched", "Unmatched"
        ACTIONED = "actioned", "Actioned"
        REJECTED = "rejected", "Rejected"
        RESTORED = "restored", "Restored"

    # Still waiting for a decision: keeps the notice open and its deadlines running.
    UNDECIDED: ClassVar[frozenset[str]] = frozenset({State.RECEIVED, State.MATCHED, State.UNMATCHED})

    # No index of its own: notice_item_position and notice_item_once both begin with notice_id.
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="items", db_index=False)
    position = models.PositiveIntegerField()
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.URL)
    url = models.URLField(max_length=2048, help_text="As the claimant gave it")
    normalised_url = models.URLField(max_length=2048)
    url_key = models.CharField(max_length=64, db_index=True)
    original_url = models.URLField(max_length=2048, blank=True, help_text="The claimant's original work")
    note = models.TextField(blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.RECEIVED)
    matched_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["notice_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "position"], name="notice_item_position"),
            models.UniqueConstraint(fields=["notice", "scope", "url_key"], name="notice_item_once"),
        ]

    def __str__(self) -> str:
        return self.url


class NoticeItemMatch(models.Model):
    """One thing we publish that an item points at, with the evidence seen at intake."""

    class How(models.TextChoices):
        EXACT_URL = "exact_url", "Our URL"
        TRAILING_SLASH = "trailing_slash", "Same URL but for a trailing slash (candidate)"
        PRIMARY_SOURCE = "primary_source", "Primary-source URL"
        ASSET_URL = "asset_url", "Asset URL"
        DOMAIN = "domain", "Whole source domain"
        NEAR_DUPLICATE = "near_duplicate", "Near duplicate"
        IMAGE_HASH = "image_hash", "Image hash"

    class State(models.TextChoices):
        MATCHED = "matched", "Matched"
        ACTIONED = "actioned", "Actioned"
        REJECTED = "rejected", "Rejected"
        RESTORED = "restored", "Restored"

    AUTOMATIC_WITHDRAWAL_ALLOWED = (How.EXACT_URL, How.PRIMARY_SOURCE)

    item = models.ForeignKey(NoticeItem, on_delete=models.CASCADE, related_name="matches")
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.PROTECT, related_name="notice_matches")
    asset = models.ForeignKey(Asset, null=True, blank=True, on_delete=models.PROTECT, related_name="notice_matches")
    how = models.CharField(max_length=20, choices=How.choices)
    score = models.FloatField(default=1.0)
    evidence_sha256 = models.CharField(max_length=64, help_text="Content hash of what was live at intake")
    evidence = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.MATCHED)
    # Unique by constraint (match_puid_once), not unique=True, which on PostgreSQL adds a second,
    # LIKE-only index that every notice's matches would fill and no query reads.
    puid = models.CharField(max_length=64, default=uuid.uuid4,
                            help_text="Platform-unique id of the decision on this match (DSA)")
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["item_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "article"], condition=models.Q(asset__isnull=True),
                                    name="match_article_once"),
            models.UniqueConstraint(fields=["item", "asset"], condition=models.Q(asset__isnull=False),
                                    name="match_asset_once"),
            models.UniqueConstraint(fields=["puid"], name="match_puid_once"),
            models.CheckConstraint(condition=models.Q(article__isnull=False) | models.Q(asset__isnull=False),
                                   name="match_has_a_target"),
        ]

    def __str__(self) -> str:
        return f"{self.get_how_display()}: {self.asset or self.article}"


class IdempotencyRecord(models.Model):
    """A (sender, key) seen by the API, written in the notice's own transaction."""

    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    key = models.CharField(max_length=200)
    body_sha256 = models.CharField(max_length=64)
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE)
    response = models.JSONField(help_text="The first answer, replayed to a retry")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sender", "key"], name="idempotency_sender_key")]

    def __str__(self) -> str:
        return f"idempotency key {self.key} of sender {self.sender_id}"
