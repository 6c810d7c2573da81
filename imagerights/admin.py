from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from articles.actors import Actor
from imagerights.models import AssetFile, RightsConflict, RightsReading, StoredFile
from imagerights.services.rights import resolve_conflict


class ReadOnlyAdmin(admin.ModelAdmin):
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        return [f.name for f in self.model._meta.fields]


@admin.register(RightsConflict)
class RightsConflictAdmin(ReadOnlyAdmin):
    list_display = ["asset", "field", "effective_value", "effective_witness", "other_value", "other_witness",
                    "state", "resolved_by_shown", "created_at"]
    list_filter = ["state", "field", "other_witness"]
    list_select_related = ["asset"]
    ordering = ["state", "-created_at"]
    actions = ["keep_effective", "take_other"]

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # resolved only by the actions, through the service

    @admin.display(description="resolved by")
    def resolved_by_shown(self, conflict: RightsConflict) -> str:
        return Actor.parse(conflict.resolved_by).name if conflict.resolved_by else ""

    def has_decide_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("compliance.decide_notice")

    @admin.action(description="Resolve: keep the effective value (the weightier witness)", permissions=["decide"])
    def keep_effective(self, request: HttpRequest, queryset: QuerySet[RightsConflict]) -> None:
        self._resolve(request, queryset, keep_effective=True)

    @admin.action(description="Resolve: take the other witness's value", permissions=["decide"])
    def take_other(self, request: HttpRequest, queryset: QuerySet[RightsConflict]) -> None:
        self._resolve(request, queryset, keep_effective=False)

    def _resolve(self, request: HttpRequest, queryset: QuerySet[RightsConflict], *, keep_effective: bool) -> None:
        open_ones = list(queryset.filter(state=RightsConflict.State.OPEN))
        for conflict in open_ones:
            resolve_conflict(conflict, keep_effective=keep_effective, actor=Actor.staff(request.user))
        self.message_user(request, f"{len(open_ones)} conflict(s) resolved.", messages.SUCCESS)


@admin.register(RightsReading)
class RightsReadingAdmin(ReadOnlyAdmin):
    list_display = ["asset", "witness", "state", "rights_holder", "creator", "signer", "ai_label", "read_at"]
    list_filter = ["witness", "state", "ai_label"]
    list_select_related = ["asset"]
    search_fields = ["=input_sha256"]

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class AssetFileInline(admin.TabularInline):
    model = AssetFile
    extra = 0
    can_delete = False
    fields = ["asset", "origin", "url", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(StoredFile)
class StoredFileAdmin(ReadOnlyAdmin):
    list_display = ["sha256", "content_type", "size", "width", "height", "phash_hex", "parse_error", "created_at"]
    search_fields = ["=sha256"]
    inlines = [AssetFileInline]

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
