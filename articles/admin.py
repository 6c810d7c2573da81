from django.contrib import admin

from articles.models import Article, Asset, Creator, ProvenanceEvent, RightsHolder, Source, SourceDomain


class SourceDomainInline(admin.TabularInline):
    model = SourceDomain
    extra = 0


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "language", "policy", "takedown_email"]
    list_filter = ["policy", "country", "language"]
    search_fields = ["name", "domains__host"]
    inlines = [SourceDomainInline]


@admin.register(RightsHolder)
class RightsHolderAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    filter_horizontal = ["agents"]


@admin.register(Creator)
class CreatorAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "rights_holder"]
    list_filter = ["role"]
    search_fields = ["name"]
    autocomplete_fields = ["rights_holder"]


class AssetInline(admin.StackedInline):
    model = Asset
    extra = 0
    fields = ["position", "kind", "original_url", "credit_line", "creator", "rights_holder", "license", "display",
              "status", "withdrawn_at", "withdrawal_reference"]
    readonly_fields = ["status", "withdrawn_at", "withdrawal_reference"]
    autocomplete_fields = ["creator", "rights_holder"]


class ProvenanceEventInline(admin.TabularInline):
    model = ProvenanceEvent
    extra = 0
    can_delete = False
    fields = ["occurred_at", "kind", "actor", "asset", "input_sha256", "output_sha256", "detail"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "source", "language", "status", "published_at"]
    list_filter = ["status", "basis", "language"]
    search_fields = ["title", "slug"]
    show_full_result_count = False
    list_select_related = ["source"]
    autocomplete_fields = ["source", "rights_holder"]
    raw_id_fields = ["creators"]
    # Status and withdrawal facts change only through compliance services, which audit them.
    readonly_fields = ["status", "status_reason", "withdrawn_at", "withdrawal_reference", "lookup_key",
                       "primary_source_key", "content_sha256", "published_at", "created_at", "updated_at"]
    inlines = [AssetInline, ProvenanceEventInline]
