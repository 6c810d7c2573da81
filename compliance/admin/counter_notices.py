"""Counter-notices and complaints: staff restore, uphold, or record that the claimant went to court."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from articles.actors import Actor
from compliance.admin.base import ReadOnlyAdmin
from compliance.admin.forms import CounterReasonsForm
from compliance.errors import ComplianceError
from compliance.models import CounterNotice
from compliance.selectors import audit_history_of
from compliance.services import counter_notices
from compliance.services.personal_data import log_access, may_see_personal_data

DECIDE, OVERRIDE = "compliance.decide_notice", "compliance.override_decision"


@admin.register(CounterNotice)
class CounterNoticeAdmin(ReadOnlyAdmin):
    list_display = ["reference", "kind", "channel", "status", "notice", "article", "received_at", "restore_due_at"]
    actor_fields = ("decided_by",)
    list_filter = ["kind", "status", "channel"]
    search_fields = ["=reference", "=notice__reference", "article__slug"]
    list_select_related = ["notice", "article"]
    show_full_result_count = False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/restore/", view(self.restore_view), name="compliance_counternotice_restore"),
            path("<int:pk>/uphold/", view(self.uphold_view), name="compliance_counternotice_uphold"),
            path("<int:pk>/sued/", view(self.sued_view), name="compliance_counternotice_sued"),
            path("<int:pk>/reopen/", view(self.reopen_view), name="compliance_counternotice_reopen"),
        ] + super().get_urls()

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None,
                    form: CounterReasonsForm | None = None) -> HttpResponse:
        if not str(object_id).isdigit():
            return super().change_view(request, object_id, form_url, extra_context)
        counter = get_object_or_404(CounterNotice.objects.select_related("notice", "article"), pk=object_id)
        if not self.has_view_permission(request, counter):
            raise PermissionDenied
        personal = may_see_personal_data(request.user)
        if personal:
            log_access(user=request.user, what="view", counter_notice=counter, notice=counter.notice,
                       detail="counter-notice page")
        is_open = counter.status in CounterNotice.OPEN_STATUSES
        return TemplateResponse(request, "admin/compliance/counternotice/review.html", {
            **self.admin_site.each_context(request), "opts": self.opts, "title": counter.reference,
            "counter": counter, "personal": personal, "history": audit_history_of(counter).order_by("seq"),
            "can_decide": is_open and request.user.has_perm(DECIDE),
            "can_restore": is_open and counter.article_id is not None and request.user.has_perm(OVERRIDE),
            "claimant_complaint": counter.kind == CounterNotice.Kind.CLAIMANT_COMPLAINT,
            "form": form or CounterReasonsForm(prefix="reasons")})

    def _posted(self, request: HttpRequest, pk: int, permission: str) -> CounterNotice:
        if request.method != "POST" or not request.user.has_perm(permission):
            raise PermissionDenied
        return get_object_or_404(CounterNotice, pk=pk)

    def _run(self, request: HttpRequest, counter: CounterNotice, action, success: str) -> HttpResponse:
        try:
            action()
        except ComplianceError as error:
            self.message_user(request, f"{counter.reference}: {error}", messages.ERROR)
        else:
            self.message_user(request, success, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:compliance_counternotice_change", args=[counter.pk]))

    def _with_reasons(self, request: HttpRequest, pk: int, permission: str, service, success: str) -> HttpResponse:
        counter = self._posted(request, pk, permission)
        form = CounterReasonsForm(request.POST, prefix="reasons")
        if not form.is_valid():
            return self.change_view(request, str(pk), form=form)
        return self._run(request, counter, lambda: service(
            counter_notice_id=counter.pk, reasons=form.reasons(), actor=Actor.staff(request.user),
            now=timezone.now()), success.format(reference=counter.reference))

    def restore_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._with_reasons(request, pk, OVERRIDE, counter_notices.restore_contested,
                                  "{reference}: restored; both sides will be told.")

    def uphold_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._with_reasons(request, pk, DECIDE, counter_notices.uphold_contested,
                                  "{reference}: the withdrawal stands; both sides will be told.")

    def sued_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        counter = self._posted(request, pk, DECIDE)
        return self._run(request, counter, lambda: counter_notices.record_claimant_sued(
            counter_notice_id=counter.pk, actor=Actor.staff(request.user), now=timezone.now(),
            note=request.POST.get("note", "")), f"{counter.reference}: court action recorded; the content stays down.")

    def reopen_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        counter = self._posted(request, pk, DECIDE)
        return self._run(request, counter, lambda: counter_notices.reopen_rejected(
            counter_notice_id=counter.pk, actor=Actor.staff(request.user), now=timezone.now()),
            f"{counter.reference}: the rejected items are back in the queue; decide them on the notice.")
