from django.contrib import admin

from articles.actors import Actor
from articles.models import Article, ArticleUrlKey, Asset, Creator, ProvenanceEvent, RightsHolder, Source, SourceDomain


class SourceDomainInline(admin.TabularInline):
    model = SourceDomain
    extra = 0


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "language", "policy", "rehost_pictures", "takedown_email"]
    list_filter = ["policy", "rehost_pictures", "country", "language"]
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


# What an article says and where its parts come from is read-only here. Text and URLs are what
# provenance hashes, stay-down fingerprints, matching keys (url_key, primary_source_key) and the
# publish gate are computed from; the ingestion and import services record an "edited" provenance
# event, re-hash, re-fingerprint, re-key and ask the gate when they change. An edit box here would
# change the words without any of that, so corrections go through re-ingestion instead
# (`ingest_article`, `import_articles`). Attribution (creators, rights holder, credit, licence)
# stays editable: matching and fingerprints do not read it.
ARTICLE_CONTENT_FIELDS = ["slug", "title", "body", "language", "primary_source_url_raw",
                          "primary_source_url_canonical", "primary_source_url_final", "primary_source_url",
                          "translated_from", "translation_engine", "original_published_at"]
ASSET_CONTENT_FIELDS = ["kind", "original_url", "url_key", "file_sha256"]


class AssetInline(admin.StackedInline):
    model = Asset
    extra = 0
    fields = ["position", "kind", "original_url", "url_key", "credit_line", "creator", "rights_holder", "credit_source",
              "credit_confidence", "license", "display", "status", "withdrawn_at", "withdrawal_reference"]
    readonly_fields = ["position", *ASSET_CONTENT_FIELDS, "status", "withdrawn_at", "withdrawal_reference",
                       "credit_source", "credit_confidence"]
    autocomplete_fields = ["creator", "rights_holder"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # an asset enters with its article, through ingestion

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # removing one is a withdrawal, which compliance records


class ArticleUrlKeyInline(admin.TabularInline):
    """Every address the article is known by: a notice naming any of them matches it."""

    model = ArticleUrlKey
    extra = 0
    can_delete = False
    fields = ["kind", "url", "key"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ProvenanceEventInline(admin.TabularInline):
    model = ProvenanceEvent
    extra = 0
    can_delete = False
    fields = ["occurred_at", "kind", "acted_by", "asset", "input_sha256", "output_sha256", "detail"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="actor")
    def acted_by(self, event: ProvenanceEvent) -> str:
        return Actor.parse(event.actor).name


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
    readonly_fields = [*ARTICLE_CONTENT_FIELDS, "status", "status_reason", "held_match", "withdrawn_at",
                       "withdrawal_reference", "lookup_key", "primary_source_key", "content_sha256", "published_at",
                       "created_at", "updated_at", "rights_holder_source", "original_published_from", "taken_from",
                       "taken_from_url", "rejected_parts"]
    inlines = [AssetInline, ArticleUrlKeyInline, ProvenanceEventInline]

    def has_add_permission(self, request) -> bool:
        return False  # articles enter through ingestion or import, which hash, fingerprint and ask the gate
