"""Trusted flaggers, restricted senders, repeat-infringer sources and the personal-data access log."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils import timezone

from articles.actors import Actor
from compliance.admin.base import ReadOnlyAdmin, ShowsActors
from compliance.errors import ComplianceError
from compliance.models import PersonalDataAccess, SenderRestriction, SourceStanding, TrustedFlagger
from compliance.services import standing


@admin.register(TrustedFlagger)
class TrustedFlaggerAdmin(ShowsActors):
    """Marked by compliance leads; deactivated, never deleted, so past notices keep their meaning."""

    list_display = ["name", "email_domain", "sender", "designated_by", "active", "marked_by", "marked_at"]
    actor_fields = ("marked_by",)
    list_filter = ["active"]
    fields = ["name", "email_domain", "sender", "designated_by", "active"]
    raw_id_fields = ["sender"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: TrustedFlagger, form, change: bool) -> None:
        standing.save_trusted_flagger(obj, actor=Actor.staff(request.user), now=timezone.now())


@admin.register(SenderRestriction)
class SenderRestrictionAdmin(ReadOnlyAdmin):
    list_display = ["kind", "notice", "unfounded_notices", "starts_at", "ends_at", "lifted_at", "decided_by"]
    actor_fields = ("decided_by",)
    list_filter = ["kind"]
    search_fields = ["=notice__reference", "=email_digest"]
    actions = ["lift"]

    def has_suspend_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("compliance.suspend_sender")

    @admin.action(description="Lift the selected warnings or suspensions", permissions=["suspend"])
    def lift(self, request: HttpRequest, queryset) -> None:
        for restriction in queryset:
            try:
                standing.lift_restriction(restriction_id=restriction.pk, actor=Actor.staff(request.user),
                                          now=timezone.now())
            except ComplianceError as error:
                self.message_user(request, f"{restriction}: {error}", messages.WARNING)


@admin.register(SourceStanding)
class SourceStandingAdmin(ReadOnlyAdmin):
    list_display = ["source", "repeat_infringer", "upheld_notices", "flagged_at", "cleared_at", "cleared_by"]
    actor_fields = ("cleared_by",)
    list_filter = ["repeat_infringer"]
    list_select_related = ["source"]
    actions = ["clear"]

    def has_override_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("compliance.override_decision")

    @admin.action(description="Clear the repeat-infringer flag of the selected sources", permissions=["override"])
    def clear(self, request: HttpRequest, queryset) -> None:
        for row in queryset:
            try:
                standing.clear_repeat_infringer(source_id=row.source_id, actor=Actor.staff(request.user),
                                                now=timezone.now())
            except ComplianceError as error:
                self.message_user(request, f"{row.source}: {error}", messages.WARNING)


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "user", "what", "notice", "counter_notice", "detail"]
    actor_fields = ("actor",)
    list_filter = ["what"]
    search_fields = ["=notice__reference", "=actor"]
    show_full_result_count = False
