from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html

from compliance.models import (AuditEntry, AuditVerification, Decision, InboundMessage, Notice, NoticeItem,
                               OutboundMessage, SlaBreach, SlaDeadline, SlaPolicy, WebhookDelivery, WebhookEndpoint)


URGENCY = [(1.0, "overdue"), (0.9, "90"), (0.75, "75"), (0.5, "50"), (float("-inf"), "ok")]


def _duration(seconds: float) -> str:
    hours, minutes = divmod(int(seconds) // 60, 60)
    return f"{hours} h {minutes:02d} min"


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["seq", "occurred_at", "action", "object_type", "object_id", "actor"]
    list_filter = ["action", "object_type"]
    search_fields = ["=object_id", "=hash"]
    show_full_result_count = False


@admin.register(AuditVerification)
class AuditVerificationAdmin(ReadOnlyAdmin):
    list_display = ["checked_at", "ok", "entries_checked", "first_bad_seq", "message", "checked_by"]
    list_filter = ["ok"]


class NoticeItemInline(admin.TabularInline):
    model = NoticeItem
    extra = 0
    can_delete = False
    fields = ["position", "scope", "url", "normalised_url", "state", "matched_at"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    """Read-only until the review queue: state changes go through the compliance services."""

    class Media:
        css = {"all": ["admin-sla.css"]}

    list_display = ["reference", "time_left", "status", "kind", "channel", "verification", "trusted", "due_at",
                    "received_at"]
    list_filter = ["status", "kind", "channel", "verification", "trusted"]
    search_fields = ["=reference"]
    ordering = ["-trusted", "due_at"]
    show_full_result_count = False
    inlines = [NoticeItemInline]

    @admin.display(description="Time left", ordering="due_at")
    def time_left(self, notice: Notice) -> str:
        """Coloured by how much of the 24-hour window is used: the escalation steps of the SLA."""
        if not notice.due_at or not notice.clock_started_at or notice.status in ("decided", "closed"):
            return "–"
        window = (notice.due_at - notice.clock_started_at).total_seconds()
        left = (notice.due_at - timezone.now()).total_seconds()
        used = 1 - left / window if window else 1
        step = next(name for limit, name in URGENCY if used >= limit)
        text = "overdue " + _duration(-left) if left < 0 else _duration(left)
        return format_html('<span class="sla sla-{}" title="{} of the window used">{}</span>', step, f"{used:.0%}", text)


@admin.register(NoticeItem)
class NoticeItemAdmin(ReadOnlyAdmin):
    list_display = ["notice", "position", "url", "state"]
    list_filter = ["state", "scope"]
    search_fields = ["=url_key", "=notice__reference"]
    raw_id_fields = ["notice"]
    show_full_result_count = False


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "subject", "header_from", "kind", "role", "dkim", "notice"]
    list_filter = ["kind", "role", "dkim", "via"]
    search_fields = ["=message_id", "=notice__reference"]
    exclude = ["raw"]
    readonly_fields = ["raw_text"]
    show_full_result_count = False

    @admin.display(description="Raw message (as text, never rendered)")
    def raw_text(self, message: InboundMessage) -> str:
        return bytes(message.raw).decode("utf-8", "replace")[:200_000]


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "purpose", "to_address", "subject", "state", "attempts", "sent_at"]
    list_filter = ["purpose", "state"]
    search_fields = ["=message_id", "=notice__reference"]
    show_full_result_count = False


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "events", "active"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "endpoint", "event", "state", "attempts", "last_status", "delivered_at"]
    list_filter = ["state", "event", "endpoint"]
    show_full_result_count = False


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    """Edited by compliance leads: what the deadline does per notice kind and verification level."""

    list_display = ["kind", "verification", "at_due", "note", "updated_at"]
    list_filter = ["kind", "verification", "at_due"]


@admin.register(SlaDeadline)
class SlaDeadlineAdmin(ReadOnlyAdmin):
    list_display = ["notice", "kind", "due_at", "wake_at", "state", "attempts", "outcome"]
    list_filter = ["state", "kind"]
    search_fields = ["=notice__reference"]
    raw_id_fields = ["notice"]
    show_full_result_count = False


@admin.register(SlaBreach)
class SlaBreachAdmin(ReadOnlyAdmin):
    list_display = ["notice", "due_at", "detected_at", "lateness_seconds", "reason", "resolved_at"]
    search_fields = ["=notice__reference"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["decided_at", "notice", "action", "automated", "pending_review", "actor"]
    list_filter = ["action", "automated", "pending_review"]
    search_fields = ["=notice__reference"]
    raw_id_fields = ["notice", "item", "match"]
    show_full_result_count = False
