"""The review queue: notices soonest-due first, a review page per notice, and actions that call services."""

from __future__ import annotations

import re
from functools import partial

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from articles.models import Asset
from articles.templatetags.moments import staff_time
from articles.urlnorm import normalise_url, url_key
from articles.actors import Actor
from compliance.admin.base import ReadOnlyAdmin
from compliance.admin.element_sources import sources_of
from compliance.admin.forms import AskForm, AssignForm, DecideItemsForm, DuplicateForm, ReasonsForm, RestrictSenderForm
from compliance.errors import ComplianceError
from compliance.models import Notice, NoticeItem, SlaDeadline
from compliance.selectors import review_page
from compliance.services import retractions, review, standing
from compliance.services.decisions import reject_items, withdraw_items
from compliance.services.matching import our_article_slug
from compliance.services.narrowing import remove_pictures_of_matched_articles
from compliance.services.personal_data import log_access, may_see_personal_data

DECIDE, SUSPEND = "compliance.decide_notice", "compliance.suspend_sender"
# The tail of a reference as people quote it ("BKY91B", "2026-BKY91B", "td-2026-bky91b").
PARTIAL_REFERENCE = re.compile(r"^(?:TD-)?(?:\d{4}-)?[0-9A-Z]{4,6}$", re.IGNORECASE)
LOOKS_LIKE_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*://\S+|[^\s/@]+\.[^\s/@]+/\S*)$", re.IGNORECASE)


def _duration(seconds: float) -> str:
    hours, minutes = divmod(int(seconds) // 60, 60)
    if hours >= 48:
        return f"{hours // 24} d {hours % 24} h"
    return f"{hours} h {minutes:02d} min"


def queue_order(queryset: QuerySet[Notice]) -> QuerySet[Notice]:
    """The next promise of each notice: its 24-hour deadline while an item is undecided, else the
    restore deadline of a pending counter-notice."""
    undecided = Exists(NoticeItem.objects.filter(notice=OuterRef("pk"), state__in=NoticeItem.UNDECIDED))
    restore_due = SlaDeadline.objects.filter(notice=OuterRef("pk"), kind=SlaDeadline.Kind.RESTORE,
                                             state__in=SlaDeadline.OPEN_STATES).order_by("due_at").values("due_at")
    # An incomplete notice naming our content has no clock yet, but a 24-hour response promise.
    response_due = SlaDeadline.objects.filter(notice=OuterRef("pk"), kind=SlaDeadline.Kind.RESPONSE,
                                              state__in=SlaDeadline.OPEN_STATES).values("due_at")
    return queryset.annotate(undecided=undecided, next_due=Case(
        When(undecided=True, then=Coalesce(F("due_at"), Subquery(response_due[:1]))),
        default=Subquery(restore_due[:1])))


def time_left(notice: Notice, *, undecided: bool) -> str:
    """Coloured by how much of the 24-hour window is used: the escalation steps of the SLA."""
    if not undecided:
        restore = getattr(notice, "next_due", None)
        return f"counter-notice: back to staff in {_duration((restore - timezone.now()).total_seconds())}" \
            if restore and restore > timezone.now() else "–"
    if notice.status not in review.WORKABLE:
        return "–"
    respond_by = getattr(notice, "next_due", None)
    if not notice.due_at and respond_by:
        left = (respond_by - timezone.now()).total_seconds()
        return format_html('<span class="sla sla-{}">{}</span>', "overdue" if left < 0 else "ok",
                           f"reply overdue {_duration(-left)}" if left < 0 else f"reply due in {_duration(left)}")
    if not notice.due_at or not notice.clock_started_at:
        return "–"
    window = (notice.due_at - notice.clock_started_at).total_seconds()
    left = (notice.due_at - timezone.now()).total_seconds()
    used = 1 - left / window if window else 1
    step = SlaDeadline.urgency(used)
    text = "overdue " + _duration(-left) if left < 0 else _duration(left)
    return format_html('<span class="sla sla-{}" title="{} of the window used">{}</span>', step, f"{used:.0%}", text)


def _who_and_what(notice: Notice, who: str) -> str:
    items = list(notice.items.all())
    first = items[0].url if items else "–"
    more = f" and {len(items) - 1} more" if len(items) > 1 else ""
    return format_html('<span class="who">{}</span><br><span class="what">{}{}</span>', who,
                       first if len(first) <= 70 else first[:67] + "…", more)


def _actor(request: HttpRequest) -> Actor:
    return Actor.staff(request.user)


class QueueFilter(admin.SimpleListFilter):
    """The queue opens on the notices still to work; decided and closed ones are one click away."""

    title = "queue"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("open", "To work"), ("done", "Decided or closed"), ("all", "All")]

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {"selected": (self.value() or "open") == value, "display": label,
                   "query_string": changelist.get_query_string({self.parameter_name: value})}

    def queryset(self, request, queryset):
        value = self.value() or "open"
        if value == "open":
            return queryset.filter(status__in=review.WORKABLE)
        if value == "done":
            return queryset.exclude(status__in=review.WORKABLE)
        return queryset


class AssignedToMeFilter(admin.SimpleListFilter):
    title = "assigned to me"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("yes", "Mine"), ("nobody", "Nobody's")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(assigned_to=request.user)
        if self.value() == "nobody":
            return queryset.filter(assigned_to__isnull=True)
        return queryset


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    """Read-only as a form; every change is an action that calls a compliance service."""

    class Media:
        css = {"all": ["admin-sla.css"]}

    # What a reviewer reads first, left to right: which request, how urgent, who wants what removed.
    list_display = ["reference", "time_left", "due", "received", "who_and_what", "status", "outcome", "kind",
                    "channel", "verification", "trusted", "assigned_to"]
    list_filter = [QueueFilter, "status", "kind", "channel", "verification", "trusted", AssignedToMeFilter,
                   ("assigned_to", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["=reference", "claimant_name", "claimant_organisation", "=claimant_email"]
    search_help_text = "Reference, claimant, or any spelling of a URL the notice names or matched"
    list_select_related = ["assigned_to", "acting_for"]
    list_per_page = 50
    show_full_result_count = False
    actions = ["withdraw_selected", "reject_selected", "assign_to_me", "unassign"]

    def get_ordering(self, request: HttpRequest) -> list:
        """Soonest next promise first, a trusted flagger first at an equal one (DSA Art. 22); notices
        whose clock has not started (awaiting confirmation or information) last. An annotation, so
        not in `ordering`, which the admin's checks hold to model fields."""
        return [F("next_due").asc(nulls_last=True), "-trusted", "received_at"]

    def has_decide_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(DECIDE)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Notice]:
        return queue_order(super().get_queryset(request).prefetch_related("items"))

    @admin.display(description="Time left", ordering="next_due")
    def time_left(self, notice: Notice) -> str:
        return time_left(notice, undecided=notice.undecided)

    @admin.display(description="Due", ordering="due_at")
    def due(self, notice: Notice) -> str:
        return staff_time(notice.due_at) or "–"

    @admin.display(description="Received", ordering="received_at")
    def received(self, notice: Notice) -> str:
        return staff_time(notice.received_at)

    def get_list_display(self, request: HttpRequest) -> list[str]:
        """A claimant's name is personal data: roles that may not see it read the rights holder instead."""
        if may_see_personal_data(request.user):
            return self.list_display
        return [name if name != "who_and_what" else "holder_and_what" for name in self.list_display]

    @admin.display(description="Who asks to remove what")
    def who_and_what(self, notice: Notice) -> str:
        return _who_and_what(notice, notice.claimant_organisation or notice.claimant_name)

    @admin.display(description="For whom, to remove what")
    def holder_and_what(self, notice: Notice) -> str:
        return _who_and_what(notice, notice.acting_for.name if notice.acting_for else "(redacted)")

    @admin.display(description="Outcome")
    def outcome(self, notice: Notice) -> str:
        return notice.outcome.label

    def get_search_results(self, request, queryset, search_term):
        """A URL in any spelling finds the notices that name it, and those whose matches it is."""
        term = search_term.strip()
        if PARTIAL_REFERENCE.match(term):
            found, duplicates = super().get_search_results(request, queryset, search_term)
            return found | queryset.filter(reference__endswith=term.upper()), duplicates
        if not LOOKS_LIKE_URL.match(term):
            return super().get_search_results(request, queryset, search_term)
        url = term if "://" in term else "https://" + term
        try:
            key, slug = url_key(url), our_article_slug(normalise_url(url))
        except ValueError:
            return queryset.none(), False
        found = Q(items__url_key=key) | Q(items__matches__article__primary_source_key=key)
        if slug:
            found |= Q(items__matches__article__slug=slug)
        return queryset.filter(found), True

    # --- the review page ------------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:notice_id>/decide/", view(self.decide_view), name="compliance_notice_decide"),
            path("<int:notice_id>/ask/", view(self.ask_view), name="compliance_notice_ask"),
            path("<int:notice_id>/assign/", view(self.assign_view), name="compliance_notice_assign"),
            path("<int:notice_id>/duplicate/", view(self.duplicate_view), name="compliance_notice_duplicate"),
            path("<int:notice_id>/restrict/", view(self.restrict_view), name="compliance_notice_restrict"),
            path("<int:notice_id>/claimant-withdrew/", view(self.claimant_withdrew_view),
                 name="compliance_notice_claimant_withdrew"),
        ] + super().get_urls()

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None,
                    forms: dict | None = None) -> HttpResponse:
        notice = get_object_or_404(Notice, pk=object_id) if str(object_id).isdigit() else None
        if notice is None:
            return super().change_view(request, object_id, form_url, extra_context)
        if not self.has_view_permission(request, notice):
            raise PermissionDenied
        personal = may_see_personal_data(request.user)
        if personal:
            log_access(user=request.user, what="view", notice=notice, detail="notice review page")
        page = review_page(notice, personal_data=personal)
        can_decide = self.has_decide_permission(request) and notice.status in review.WORKABLE
        forms = forms or {}
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts, "title": f"Notice {notice.reference}", "notice": notice, "page": page,
            "time_left": time_left(notice, undecided=any(item.state in NoticeItem.UNDECIDED for item in page.items)),
            "personal": personal, "can_decide": can_decide,
            "decide_form": forms.get("decide") or self._decide_form(notice),
            "ask_form": forms.get("ask") or AskForm(),
            "assign_form": forms.get("assign") or AssignForm(initial={"reviewer": notice.assigned_to_id}),
            "duplicate_form": forms.get("duplicate") or DuplicateForm(),
            "can_restrict": request.user.has_perm(SUSPEND),
            "restrict_form": forms.get("restrict") or RestrictSenderForm(),
            "unfounded": standing.unfounded_notices(notice.claimant_email_digest, now=timezone.now()),
            "restrictions": standing.restrictions_of(notice),
            "response_due": SlaDeadline.objects.filter(notice=notice, kind=SlaDeadline.Kind.RESPONSE,
                                                       state__in=SlaDeadline.OPEN_STATES).first(),
            "retraction": (retraction := retractions.pending_retraction(notice)),
            "retraction_from_claimant": retraction is not None and retractions.from_claimant(retraction, notice),
            "sources": sources_of(notice),
        }
        return TemplateResponse(request, "admin/compliance/notice/review.html", context)

    @staticmethod
    def _item_choices(notice: Notice) -> list[tuple[int, str]]:
        items = notice.items.filter(state__in=NoticeItem.UNDECIDED).order_by("position")
        return [(item.pk, item.url) for item in items]

    @staticmethod
    def _asset_choices(notice: Notice) -> list[tuple[int, str]]:
        """Live pictures and media of the articles that undecided items matched as a whole."""
        assets = Asset.objects.filter(
            status=Asset.Status.LIVE, article__notice_matches__asset__isnull=True,
            article__notice_matches__item__notice=notice,
            article__notice_matches__item__state__in=NoticeItem.UNDECIDED).distinct().order_by("article_id", "position")
        return [(asset.pk, f"{asset.get_kind_display()}: {asset.credit_line or asset.original_url}") for asset in assets]

    def _decide_form(self, notice: Notice, data=None) -> DecideItemsForm:
        return DecideItemsForm(data, item_choices=self._item_choices(notice), prefix="decide",
                               accepted=list(notice.items.values_list("pk", flat=True)),
                               asset_choices=self._asset_choices(notice))

    def _back(self, notice: Notice) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:compliance_notice_change", args=[notice.pk]))

    def _run(self, request: HttpRequest, notice: Notice, action, success: str) -> HttpResponse:
        try:
            action()
        except ComplianceError as error:
            self.message_user(request, f"{notice.reference}: {error}", messages.ERROR)
        else:
            self.message_user(request, success, messages.SUCCESS)
        return self._back(notice)

    def _posted_notice(self, request: HttpRequest, notice_id: int, permission: str = DECIDE) -> Notice:
        if request.method != "POST" or not request.user.has_perm(permission):
            raise PermissionDenied
        return get_object_or_404(Notice, pk=notice_id)

    def decide_view(self, request: HttpRequest, notice_id: int) -> HttpResponse:
        notice = self._posted_notice(request, notice_id)
        form = self._decide_form(notice, request.POST)
        if not form.is_valid():
            return self.change_view(request, str(notice.pk), forms={"decide": form})
        decision, count = form.cleaned_data["decision"], len(form.cleaned_data["items"])
        service, done = {DecideItemsForm.WITHDRAW: (withdraw_items, "withdrew"),
                         DecideItemsForm.REJECT: (reject_items, "rejected"),
                         DecideItemsForm.PICTURES: (partial(remove_pictures_of_matched_articles,
                                                            asset_ids=form.cleaned_data.get("assets", [])),
                                                    "removed pictures or media for")}[decision]
        return self._run(
            request, notice,
            lambda: service(notice_id=notice.pk, item_ids=form.cleaned_data["items"], reasons=form.reasons(),
                            actor=_actor(request), now=timezone.now()),
            f"{notice.reference}: {done} {count} item(s); the claimant will be told.")

    def ask_view(self, request: HttpRequest, notice_id: int) -> HttpResponse:
        notice = self._posted_notice(request, notice_id)
        form = AskForm(request.POST)
        if not form.is_valid():
            return self.change_view(request, str(notice.pk), forms={"ask": form})
        return self._run(
            request, notice,
            lambda: review.ask_for_information(notice_id=notice.pk, question=form.cleaned_data["question"],
                                               actor=_actor(request), now=timezone.now()),
            f"{notice.reference}: the claimant was asked; the notice waits for the reply.")

    def assign_view(self, request: HttpRequest, notice_id: int) -> HttpResponse:
        notice = self._posted_notice(request, notice_id)
        form = AssignForm(request.POST)
        if not form.is_valid():
            return self.change_view(request, str(notice.pk), forms={"assign": form})
        reviewer = form.cleaned_data["reviewer"]
        return self._run(
            request, notice,
            lambda: review.assign(notice_ids=[notice.pk], reviewer_id=reviewer.pk if reviewer else None,
                                  actor=_actor(request), now=timezone.now()),
            f"{notice.reference}: assigned to {reviewer or 'nobody'}.")

    def duplicate_view(self, request: HttpRequest, notice_id: int) -> HttpResponse:
        notice = self._posted_notice(request, notice_id)
        form = DuplicateForm(request.POST)
        if not form.is_valid():
            return self.change_view(request, str(notice.pk), forms={"duplicate": form})
        original = form.cleaned_data["original"]
        return self._run(
            request, notice,
            lambda: review.mark_duplicate(notice_id=notice.pk, original_id=original.pk, actor=_actor(request),
                                          now=timezone.now()),
            f"{notice.reference}: closed as a duplicate of {original.reference}.")

    def claimant_withdrew_view(self, request: HttpRequest, notice_id: int) -> HttpResponse:
        """One click: the claimant's retraction is confirmed and the rest of the notice closed."""
        notice = self._posted_notice(request, notice_id)
        return self._run(
            request, notice,
            lambda: retractions.accept_retraction(notice_id=notice.pk, actor=_actor(request),
                                                  now=timezone.now()),
            f"{notice.reference}: closed as withdrawn by the claimant; the claimant will be told.")

    def restrict_view(self, request: HttpRequest, notice_id: int) -> HttpResponse:
        notice = self._posted_notice(request, notice_id, SUSPEND)
        form = RestrictSenderForm(request.POST)
        if not form.is_valid():
            return self.change_view(request, str(notice.pk), forms={"restrict": form})
        data, actor, now = form.cleaned_data, _actor(request), timezone.now()
        if data["kind"] == RestrictSenderForm.WARN:
            action = partial(standing.warn_sender, notice_id=notice.pk, reason=data["reason"], actor=actor, now=now)
        else:
            action = partial(standing.suspend_sender, notice_id=notice.pk, days=data["days"], reason=data["reason"],
                             actor=actor, now=now)
        return self._run(request, notice, action, f"{notice.reference}: the sender was told of the {data['kind']}.")

    # --- bulk actions on the queue --------------------------------------------------------

    def _bulk_decision(self, request: HttpRequest, queryset: QuerySet[Notice], *, withdraw: bool):
        """An intermediate page asks for the statement of reasons, then decides notice by notice."""
        form = ReasonsForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return TemplateResponse(request, "admin/compliance/notice/bulk_decision.html", {
                **self.admin_site.each_context(request), "opts": self.opts, "form": form, "notices": queryset,
                "action": request.POST["action"], "withdraw": withdraw,
                "title": "Withdraw what the selected notices matched" if withdraw else "Reject the selected notices",
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME})
        service, decided, failed = (withdraw_items if withdraw else reject_items), 0, []
        for notice in queryset.order_by("pk"):
            items = notice.items.filter(state__in=NoticeItem.UNDECIDED)
            if withdraw:
                items = items.filter(state=NoticeItem.State.MATCHED)
            item_ids = list(items.values_list("pk", flat=True))
            if not item_ids:
                failed.append(f"{notice.reference}: nothing left to {'withdraw' if withdraw else 'reject'}")
                continue
            try:
                service(notice_id=notice.pk, item_ids=item_ids, reasons=form.reasons(), actor=_actor(request),
                        now=timezone.now())
                decided += 1
            except ComplianceError as error:
                failed.append(f"{notice.reference}: {error}")
        if decided:
            self.message_user(request, f"Decided {decided} notice(s).", messages.SUCCESS)
        for problem in failed:
            self.message_user(request, problem, messages.WARNING)
        return None

    @admin.action(description="Withdraw what the selected notices matched…", permissions=["decide"])
    def withdraw_selected(self, request: HttpRequest, queryset: QuerySet[Notice]):
        return self._bulk_decision(request, queryset, withdraw=True)

    @admin.action(description="Reject the selected notices…", permissions=["decide"])
    def reject_selected(self, request: HttpRequest, queryset: QuerySet[Notice]):
        return self._bulk_decision(request, queryset, withdraw=False)

    @admin.action(description="Assign the selected notices to me", permissions=["decide"])
    def assign_to_me(self, request: HttpRequest, queryset: QuerySet[Notice]) -> None:
        changed = review.assign(notice_ids=list(queryset.values_list("pk", flat=True)), reviewer_id=request.user.pk,
                                actor=_actor(request), now=timezone.now())
        self.message_user(request, f"Assigned {changed} open notice(s) to you.", messages.SUCCESS)

    @admin.action(description="Unassign the selected notices", permissions=["decide"])
    def unassign(self, request: HttpRequest, queryset: QuerySet[Notice]) -> None:
        changed = review.assign(notice_ids=list(queryset.values_list("pk", flat=True)), reviewer_id=None,
                                actor=_actor(request), now=timezone.now())
        self.message_user(request, f"Unassigned {changed} notice(s).", messages.SUCCESS)


@admin.register(NoticeItem)
class NoticeItemAdmin(ReadOnlyAdmin):
    list_display = ["notice", "position", "url", "state"]
    list_filter = ["state", "scope"]
    search_fields = ["=url_key", "=notice__reference"]
    search_help_text = "A notice reference, or any spelling of the URL"
    raw_id_fields = ["notice"]
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if LOOKS_LIKE_URL.match(term):
            try:
                return queryset.filter(url_key=url_key(term if "://" in term else "https://" + term)), False
            except ValueError:
                return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)
