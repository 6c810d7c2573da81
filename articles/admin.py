from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from articles.fingerprints import paragraph_overlap
from articles.models import (Article, ArticleUrlKey, Asset, Creator, HeldArticle, ProvenanceEvent, RightsHolder, Source,
                             SourceDomain, StayDownMatch)
from articles.publishing import gate_review


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
    readonly_fields = [*ARTICLE_CONTENT_FIELDS, "status", "status_reason", "held_match", "withdrawn_at",
                       "withdrawal_reference", "lookup_key", "primary_source_key", "content_sha256", "published_at",
                       "created_at", "updated_at", "rights_holder_source", "original_published_from", "taken_from",
                       "taken_from_url", "rejected_parts"]
    inlines = [AssetInline, ArticleUrlKeyInline, ProvenanceEventInline]

    def has_add_permission(self, request) -> bool:
        return False  # articles enter through ingestion or import, which hash, fingerprint and ask the gate


# --- stay-down: held articles and near-duplicate suggestions, reviewed side by side -----------

class StayDownReview:
    """A review page instead of a change form: the article beside the withdrawn one it resembles,
    shared paragraphs marked, and the reviewer's decisions (compliance's, through the publish gate)."""

    decisions: dict[str, str] = {}

    def review_target(self, obj) -> tuple[Article, Article | None, StayDownMatch | None]:
        raise NotImplementedError

    def decide(self, review, obj, decision: str, *, actor, reason: str) -> None:
        raise NotImplementedError

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def can_decide(self, request) -> bool:
        return request.user.has_perm(getattr(settings, "STAYDOWN_REVIEW_PERMISSION", "compliance.decide_notice"))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        review = gate_review()
        if request.method == "POST":
            decision, reason = request.POST.get("decision", ""), request.POST.get("reason", "").strip()
            if not (review and self.can_decide(request)):
                raise PermissionDenied
            if decision not in self.open_decisions(obj):
                messages.error(request, "That decision is not open for this item.")
                return redirect(request.path)
            try:
                self.decide(review, obj, decision, actor=review.reviewer(request.user), reason=reason)
            except review.Refused as exc:
                messages.error(request, str(exc))
                return redirect(request.path)
            messages.success(request, f"{self.decisions[decision]}: {obj}")
            return redirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))
        article, other, match = self.review_target(obj)
        context = {
            **self.admin_site.each_context(request), "opts": self.opts, "title": f"Review: {article.title}",
            "article": article, "other": other, "match": match,
            "left": paragraph_overlap(article.body, other.body) if other else [(p, 0.0) for p in article.paragraphs],
            "right": paragraph_overlap(other.body, article.body) if other else [],
            "decisions": [(key, self.decisions[key]) for key in self.open_decisions(obj)] if review else [],
            "can_decide": bool(review) and self.can_decide(request),
        }
        return TemplateResponse(request, "admin/articles/stay_down_review.html", context)

    def open_decisions(self, obj) -> list[str]:
        raise NotImplementedError


@admin.register(HeldArticle)
class HeldArticleAdmin(StayDownReview, admin.ModelAdmin):
    list_display = ["title", "source", "status_reason", "held_match", "created_at"]
    list_select_related = ["source", "held_match"]
    search_fields = ["title", "slug"]
    ordering = ["created_at", "id"]
    show_full_result_count = False
    decisions = {"release": "Released (published)", "withdraw": "Withdrawn"}

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=Article.Status.HELD)

    def open_decisions(self, obj) -> list[str]:
        return ["release", "withdraw"] if obj.status == Article.Status.HELD else []

    def review_target(self, obj):
        match = (obj.stay_down_matches.filter(outcome=StayDownMatch.Outcome.HELD)
                 .select_related("withdrawn_article").first())
        return obj, match.withdrawn_article if match else obj.held_match, match

    def decide(self, review, obj, decision, *, actor, reason):
        action = review.release_held if decision == "release" else review.withdraw_held
        action(article_id=obj.pk, actor=actor, reason=reason)


@admin.register(StayDownMatch)
class StayDownMatchAdmin(StayDownReview, admin.ModelAdmin):
    list_display = ["article", "withdrawn_article", "outcome", "score_shown", "state", "created_at"]
    list_filter = ["state", "outcome"]
    list_select_related = ["article", "withdrawn_article"]
    ordering = ["-created_at", "-id"]
    show_full_result_count = False
    decisions = {"release": "Released (published)", "withdraw": "Withdrawn", "dismiss": "Dismissed"}

    @admin.display(description="score (Jaccard / containment)")
    def score_shown(self, obj: StayDownMatch) -> str:
        return f"{obj.score:.2f} ({obj.jaccard:.2f} / {obj.containment:.2f})"

    def open_decisions(self, obj) -> list[str]:
        if obj.state != StayDownMatch.State.OPEN:
            return []
        if obj.outcome == StayDownMatch.Outcome.HELD:
            return ["release", "withdraw"] if obj.article.status == Article.Status.HELD else []
        return ["dismiss", "withdraw"] if obj.article.is_public else ["dismiss"]

    def review_target(self, obj):
        return obj.article, obj.withdrawn_article, obj

    def decide(self, review, obj, decision, *, actor, reason):
        if obj.outcome == StayDownMatch.Outcome.HELD:
            action = review.release_held if decision == "release" else review.withdraw_held
            action(article_id=obj.article_id, actor=actor, reason=reason)
        elif decision == "dismiss":
            review.dismiss_suggestion(match_id=obj.pk, actor=actor, reason=reason)
        else:
            review.withdraw_suggested(match_id=obj.pk, actor=actor, reason=reason)
