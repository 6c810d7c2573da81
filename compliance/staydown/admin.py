"""The admin's stay-down queue: held articles and near-duplicate suggestions, each reviewed on one page
beside the withdrawn article it resembles (shared paragraphs marked), decided through resolution.py.

The rows are articles' models (HeldArticle, a proxy of Article, and StayDownMatch); the queue is
compliance's, so it lives here with the gate that fills it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.db.models.options import Options
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from articles.fingerprints import paragraph_overlap
from articles.models import Article, HeldArticle, StayDownMatch
from articles.actors import Actor
from compliance.staydown import resolution

# Deciding what stay-down held is deciding on withdrawn content coming back: the notice reviewers' right.
DECIDE_PERMISSION = "compliance.decide_notice"

ReviewTarget = tuple[Article, Article | None, StayDownMatch | None]


class ReviewedQueue(Protocol):
    """What a stay-down admin tells the shared review page about its rows (with ModelAdmin's own)."""

    decisions: dict[str, str]  # decision key -> what the reviewer is told after taking it

    def review_target(self, obj) -> ReviewTarget:
        """The article under review, the withdrawn one it resembles (if known) and the match (if any)."""

    def open_decisions(self, obj) -> list[str]:
        """The decisions still open for this row (none once it is decided)."""

    def decide(self, obj, decision: str, *, actor: Actor, reason: str) -> None:
        """Take the decision through resolution.py; what it refuses (resolution.Refused) is shown to the reviewer."""

    # ModelAdmin's, used by the review page.
    if TYPE_CHECKING:
        admin_site: admin.AdminSite
        opts: Options

        def get_queryset(self, request: HttpRequest) -> QuerySet: ...

        def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool: ...


class StayDownReview:
    """A review page instead of a change form, for a ModelAdmin that is also a ReviewedQueue."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def change_view(self: ReviewedQueue, request, object_id, form_url="", extra_context=None) -> HttpResponse:
        obj = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        can_decide = request.user.has_perm(DECIDE_PERMISSION)
        if request.method == "POST":
            decision, reason = request.POST.get("decision", ""), request.POST.get("reason", "").strip()
            if not can_decide:
                raise PermissionDenied
            if decision not in self.open_decisions(obj):
                messages.error(request, "That decision is not open for this item.")
                return redirect(request.path)
            try:
                self.decide(obj, decision, actor=Actor.staff(request.user), reason=reason)
            except resolution.Refused as exc:
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
            "decisions": [(key, self.decisions[key]) for key in self.open_decisions(obj)],
            "can_decide": can_decide,
        }
        return TemplateResponse(request, "admin/compliance/stay_down_review.html", context)


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

    def review_target(self, obj) -> ReviewTarget:
        match = (obj.stay_down_matches.filter(outcome=StayDownMatch.Outcome.HELD)
                 .select_related("withdrawn_article").first())
        return obj, match.withdrawn_article if match else obj.held_match, match

    def decide(self, obj, decision: str, *, actor: Actor, reason: str) -> None:
        action = resolution.release_held if decision == "release" else resolution.withdraw_held
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

    def review_target(self, obj) -> ReviewTarget:
        return obj.article, obj.withdrawn_article, obj

    def decide(self, obj, decision: str, *, actor: Actor, reason: str) -> None:
        if obj.outcome == StayDownMatch.Outcome.HELD:
            action = resolution.release_held if decision == "release" else resolution.withdraw_held
            action(article_id=obj.article_id, actor=actor, reason=reason)
        elif decision == "dismiss":
            resolution.dismiss_suggestion(match_id=obj.pk, actor=actor, reason=reason)
        else:
            resolution.withdraw_suggested(match_id=obj.pk, actor=actor, reason=reason)
