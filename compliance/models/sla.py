from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone

from compliance.models.notices import Notice


class SlaPolicy(models.Model):
    """What happens at the deadline, per notice kind and verification level (edited by compliance leads)."""

    class AtDue(models.TextChoices):
        WITHDRAW = "withdraw", "Fail-safe withdrawal pending review"
        ESCALATE = "escalate", "Urgent escalation to the compliance lead"

    kind = models.CharField(max_length=20, choices=Notice.Kind.choices)
    verification = models.CharField(max_length=20, choices=Notice.Verification.choices)
    at_due = models.CharField(max_length=10, choices=AtDue.choices)
    response_deadline = models.BooleanField(
        default=True, help_text="A notice that names our content but lacks formal elements gets a 24-hour "
                                "response deadline at receipt: staff decide or ask for what is missing")
    complaint_hours = models.PositiveIntegerField(
        default=168, help_text="Hours to answer a claimant's complaint about a rejection (DSA Art. 20), and to "
                               "decide again the items it reopens")
    note = models.CharField(max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "SLA policies"
        constraints = [models.UniqueConstraint(fields=["kind", "verification"], name="sla_policy_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} / {self.get_verification_display()}: {self.get_at_due_display()}"


class SlaDeadline(models.Model):
    """A moment the database promises to act at. ``wake_at`` is the only column the sweeper reads."""

    class Kind(models.TextChoices):
        ESCALATE_50 = "escalate_50", "Escalation at 50%"
        ESCALATE_75 = "escalate_75", "Escalation at 75%"
        ESCALATE_90 = "escalate_90", "Escalation at 90%"
        DUE = "due", "Due"
        RESTORE = "restore", "Restore window ends"
        RESPONSE = "response", "Response due (incomplete notice)"
        COMPLAINT = "complaint", "Claimant's complaint to be answered"

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        DISPATCHED = "dispatched", "Dispatched"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"
        FAILED = "failed", "Failed"

    OPEN_STATES = (State.PENDING, State.DISPATCHED)
    # The escalations of the 24-hour window: at which part of it each one is due.
    ESCALATION_FRACTIONS: ClassVar[dict[str, float]] = {Kind.ESCALATE_50: 0.5, Kind.ESCALATE_75: 0.75,
                                                        Kind.ESCALATE_90: 0.9}

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="deadlines")
    kind = models.CharField(max_length=15, choices=Kind.choices)
    due_at = models.DateTimeField()
    wake_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Claims that tried to act; a row put back "
                                                                      "by the cap or the kill switch is not one")
    deferrals = models.PositiveIntegerField(default=0, help_text="Times the cap of automated withdrawals put it back")
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    failure_acknowledged_at = models.DateTimeField(null=True, blank=True)
    failure_acknowledged_by = models.CharField(max_length=200, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=200, blank=True)
    counter_notice = models.ForeignKey("compliance.CounterNotice", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="deadlines", help_text="For a restore deadline")

    class Meta:
        ordering = ["due_at"]
        verbose_name = "SLA deadline"
        constraints = [
            # Restore windows and complaints come one per counter-notice or complaint, not per notice.
            models.UniqueConstraint(fields=["notice", "kind"], condition=~models.Q(kind__in=["restore", "complaint"]),
                                    name="sla_deadline_once_per_kind"),
        ]
        indexes = [
            models.Index(fields=["wake_at"], name="sla_open_wake_at",
                         condition=models.Q(state__in=["pending", "dispatched"])),
        ]

    def __str__(self) -> str:
        # No time here: a label (e.g. the admin's action checkbox) cannot say which zone it would be in.
        return f"{self.notice}: {self.get_kind_display()}"

    @classmethod
    def urgency(cls, used: float) -> str:
        """How far into its window a notice is, by the escalation steps: "overdue", "90", "75", "50" or "ok"."""
        if used >= 1:
            return "overdue"
        passed = [fraction for fraction in cls.ESCALATION_FRACTIONS.values() if used >= fraction]
        return f"{max(passed) * 100:.0f}" if passed else "ok"


class SlaBreach(models.Model):
    """The promise was not kept for a notice: recorded with how late, never hidden."""

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="breaches")
    deadline = models.OneToOneField(SlaDeadline, on_delete=models.PROTECT, related_name="breach")
    due_at = models.DateTimeField()
    detected_at = models.DateTimeField()
    lateness_seconds = models.PositiveIntegerField(help_text="How late the deadline was acted on")
    reason = models.CharField(max_length=300)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-detected_at"]
        verbose_name = "SLA breach"
        verbose_name_plural = "SLA breaches"

    def __str__(self) -> str:
        return f"{self.notice}: {self.reason}"


class SweepHeartbeat(models.Model):
    name = models.CharField(max_length=50, unique=True)
    last_sweep_at = models.DateTimeField()
    last_claimed = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name} at {self.last_sweep_at:%H:%M:%S}"
