from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from articles.models import Article
from compliance.errors import IllegalTransition, NotFound
from compliance.forms import CounterNoticeForm, TakedownForm
from compliance.models import CounterNotice, Notice
from compliance.ratelimit import client_address, over_limit
from compliance.claimant_status import claimant_status
from compliance.selectors import notice_for_status_token
from compliance.services.confirmation import confirm_email, notice_for_confirmation
from compliance.services.counter_notices import (contested_decision, may_complain, receive_claimant_complaint,
                                                 receive_counter_notice)
from compliance.services.intake import receive_notice
from compliance.services.references import token_digest


def _rate_limited(request: HttpRequest, email: str) -> bool:
    window, address = settings.TAKEDOWN_RATE_WINDOW_SECONDS, client_address(request)
    by_address = over_limit("takedown-address", address, limit=settings.TAKEDOWN_RATE_PER_ADDRESS,
                            window_seconds=window)
    by_email = bool(email) and over_limit("takedown-email", email.lower(), limit=settings.TAKEDOWN_RATE_PER_EMAIL,
                                          window_seconds=window)
    return by_address or by_email


@csrf_protect
def takedown(request: HttpRequest) -> HttpResponse:
    form = TakedownForm(request.POST or None)
    if request.method == "POST":
        if _rate_limited(request, request.POST.get("claimant_email", "").strip()):
            return render(request, "compliance/takedown_form.html", {
                "form": form, "takedown_email": settings.TAKEDOWN_EMAIL,
                "rate_limited": True}, status=429)
        if form.is_valid():
            received = receive_notice(channel=Notice.Channel.WEB, submission=form.submission(),
                                      needs_confirmation=True, client_ip=client_address(request) or None)
            return redirect(f"{received.status_url.removeprefix(settings.SITE_URL)}?new=1")
    status = 400 if request.method == "POST" else 200
    return render(request, "compliance/takedown_form.html",
                  {"form": form, "takedown_email": settings.TAKEDOWN_EMAIL}, status=status)


def removal_policy(request: HttpRequest) -> HttpResponse:
    return render(request, "compliance/removal_policy.html", {
        "takedown_email": settings.TAKEDOWN_EMAIL, "business_days": settings.COUNTER_NOTICE_BUSINESS_DAYS,
        "sla_hours": settings.SLA_HOURS, "repeat_threshold": settings.REPEAT_INFRINGER_THRESHOLD,
        "complaint_days": settings.COMPLAINT_WINDOW_DAYS})


def _private(response: HttpResponse) -> HttpResponse:
    # The token in the URL is the claimant's key: keep it out of caches, other sites' referrers and
    # search engines. "same-origin", not "no-referrer": with no-referrer browsers post "Origin: null",
    # which Django's CSRF check refuses, so the confirm and complaint buttons would answer 403.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


MAX_COMPLAINT_LENGTH = 10_000  # the textarea's maxlength; a client that ignores it is told, not cut


@never_cache
@csrf_protect
def takedown_status(request: HttpRequest, token: str) -> HttpResponse:
    """The claimant's private page; a rejection can be complained about here (DSA Art. 20)."""
    notice = notice_for_status_token(token)
    if notice is None:
        raise Http404("No such request")
    now, error = timezone.now(), ""
    explanation = request.POST.get("explanation", "")
    if request.method == "POST" and len(explanation) > MAX_COMPLAINT_LENGTH:  # refused whole, never cut
        error = (f"Your explanation is {len(explanation):,} characters long; at most {MAX_COMPLAINT_LENGTH:,} "
                 "are accepted. Please shorten it.")
    elif request.method == "POST":
        try:
            receive_claimant_complaint(notice_id=notice.pk, explanation=explanation, now=now,
                                       client_ip=client_address(request) or None)
        except IllegalTransition as exc:
            error = str(exc).capitalize() + "."
        else:
            return redirect(f"{request.path}?complained=1")
    return _private(render(request, "compliance/takedown_status.html", {
        "notice": notice, "status": claimant_status(notice, now=now), "new": request.GET.get("new") == "1",
        "complained": request.GET.get("complained") == "1", "now": now, "complaint_error": error,
        "may_complain": may_complain(notice, now=now)},
        status=400 if error else 200))


def takedown_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        notice_id = notice_for_confirmation(token)
    except NotFound as exc:
        return _private(render(request, "compliance/takedown_confirmed.html", {"error": str(exc)}, status=400))
    if request.method != "POST":
        # A GET only shows the button: mail scanners that prefetch links must not confirm.
        return _private(render(request, "compliance/takedown_confirmed.html", {"token": token}))
    notice = confirm_email(notice_id=notice_id, now=timezone.now())
    return _private(render(request, "compliance/takedown_confirmed.html", {"notice": notice}))


@csrf_protect
def counter_notice(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(Article, slug=slug)
    decision = contested_decision(article)
    if decision is None:
        return render(request, "compliance/counter_notice_form.html", {"article": article, "nothing": True},
                      status=404)
    form = CounterNoticeForm(request.POST or None)
    context = {"article": article, "decision": decision, "form": form,
               "business_days": settings.COUNTER_NOTICE_BUSINESS_DAYS}
    if request.method == "POST":
        if _rate_limited(request, request.POST.get("email", "").strip()):
            return render(request, "compliance/counter_notice_form.html", {**context, "rate_limited": True},
                          status=429)
        if form.is_valid():
            try:
                received = receive_counter_notice(article_slug=slug, data=form.counter_notice_input(),
                                                  now=timezone.now(), client_ip=client_address(request) or None)
            except IllegalTransition as error:
                form.add_error(None, str(error).capitalize() + ".")
            else:
                if received.created:
                    return redirect(f"{received.status_path}?new=1")
                return render(request, "compliance/counter_notice_status.html",
                              {"counter": received.counter_notice, "again": True})
    status = 400 if request.method == "POST" else 200
    return render(request, "compliance/counter_notice_form.html", context, status=status)


@never_cache
def counter_notice_status(request: HttpRequest, token: str) -> HttpResponse:
    counter = (CounterNotice.objects.filter(status_token_digest=token_digest(token)).select_related("article").first()
               if token and len(token) <= 100 else None)
    if counter is None:
        raise Http404("No such counter-notice")
    return _private(render(request, "compliance/counter_notice_status.html",
                           {"counter": counter, "new": request.GET.get("new") == "1"}))
