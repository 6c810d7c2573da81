"""The records staff read but never edit here: the audit log, mail, webhooks, deadlines, decisions."""

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils import timezone

from articles.actors import Actor
from compliance.admin.base import PersonalDataAdmin, ReadOnlyAdmin
from compliance.models import (AuditEntry, AuditVerification, Decision, InboundMessage, OutboundMessage, SlaBreach,
                               SlaDeadline, SlaPolicy, WebhookDelivery, WebhookEndpoint)
from compliance.selectors import shown_raw
from compliance.services.queue_failures import (acknowledge_failed_deadlines, acknowledge_failed_messages,
                                                requeue_failed_messages)
from compliance.templatetags.actors import actor_name

# Failed rows are acknowledged by whoever may override decisions (compliance leads, admins).
ACKNOWLEDGE_PERMISSION = "compliance.override_decision"


class AcknowledgeFailures:
    def has_acknowledge_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(ACKNOWLEDGE_PERMISSION)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["seq", "occurred_at", "action", "object_type", "object_id", "who"]
    actor_fields = ("actor",)
    list_filter = ["action", "object_type"]
    search_fields = ["=object_id", "=hash"]
    show_full_result_count = False

    @admin.display(description="Actor", ordering="actor")
    def who(self, entry: AuditEntry) -> str:
        return actor_name(entry.actor)


@admin.register(AuditVerification)
class AuditVerificationAdmin(ReadOnlyAdmin):
    list_display = ["checked_at", "ok", "entries_checked", "first_bad_seq", "message", "checked_by"]
    actor_fields = ("checked_by",)
    list_filter = ["ok"]


@admin.register(InboundMessage)
class InboundMessageAdmin(AcknowledgeFailures, PersonalDataAdmin):
    list_display = ["received_at", "subject", "header_from", "kind", "message_kind", "role", "dkim", "notice", "error"]
    list_filter = ["role", "message_kind", "kind", "dkim", "via"]
    search_fields = ["=message_id", "=notice__reference"]
    exclude = ["raw"]
    readonly_fields = ["raw_text"]
    personal_fields = ("raw_text", "header_from", "envelope_from", "authentication_results")
    actor_fields = ("failure_acknowledged_by",)
    show_full_result_count = False

    actions = ["acknowledge", "requeue"]

    @admin.display(description="Raw message (as text, never rendered)")
    def raw_text(self, message: InboundMessage) -> str:
        return shown_raw(message)

    @admin.action(description="Acknowledge: the selected failed messages were handled by hand",
                  permissions=["acknowledge"])
    def acknowledge(self, request: HttpRequest, queryset) -> None:
        done = acknowledge_failed_messages(message_ids=list(queryset.values_list("pk", flat=True)),
                                           actor=Actor.staff(request.user), now=timezone.now())
        self.message_user(request, f"{done} failed message(s) acknowledged.", messages.SUCCESS)

    @admin.action(description="Process the selected failed messages again", permissions=["acknowledge"])
    def requeue(self, request: HttpRequest, queryset) -> None:
        done = requeue_failed_messages(message_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"{done} message(s) back in the queue.", messages.SUCCESS)


@admin.register(OutboundMessage)
class OutboundMessageAdmin(PersonalDataAdmin):
    list_display = ["created_at", "purpose", "to_address", "subject", "state", "attempts", "sent_at"]
    list_filter = ["purpose", "state"]
    search_fields = ["=message_id", "=notice__reference"]
    personal_fields = ("to_address", "body")
    actor_fields = ("failure_acknowledged_by",)
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

    list_display = ["kind", "verification", "at_due", "response_deadline", "complaint_hours", "note", "updated_at"]
    list_filter = ["kind", "verification", "at_due", "response_deadline"]


@admin.register(SlaDeadline)
class SlaDeadlineAdmin(AcknowledgeFailures, ReadOnlyAdmin):
    list_display = ["notice", "kind", "due_at", "wake_at", "state", "attempts", "deferrals", "outcome",
                    "failure_acknowledged_at"]
    actor_fields = ("failure_acknowledged_by",)
    list_filter = ["state", "kind"]
    search_fields = ["=notice__reference"]
    raw_id_fields = ["notice"]
    show_full_result_count = False
    actions = ["acknowledge"]

    @admin.action(description="Acknowledge the selected failed deadlines (their breaches are taken on)",
                  permissions=["acknowledge"])
    def acknowledge(self, request: HttpRequest, queryset) -> None:
        done = acknowledge_failed_deadlines(deadline_ids=list(queryset.values_list("pk", flat=True)),
                                            actor=Actor.staff(request.user), now=timezone.now())
        self.message_user(request, f"{done} failed deadline(s) acknowledged.", messages.SUCCESS)


@admin.register(SlaBreach)
class SlaBreachAdmin(ReadOnlyAdmin):
    list_display = ["notice", "due_at", "detected_at", "lateness_seconds", "reason", "resolved_at"]
    search_fields = ["=notice__reference"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["decided_at", "notice", "action", "automated", "pending_review", "who"]
    actor_fields = ("actor",)

    @admin.display(description="Decided by", ordering="actor")
    def who(self, decision: Decision) -> str:
        return actor_name(decision.actor)
    list_filter = ["action", "automated", "pending_review"]
    search_fields = ["=notice__reference"]
    raw_id_fields = ["notice", "item", "match"]
    show_full_result_count = False
