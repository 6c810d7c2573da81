from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from compliance.reports.compliance_report import build_report
from compliance.reports.period import parse_period
from compliance.reports.render import context, to_csv, to_html, to_json

DOWNLOADS = {"csv": (to_csv, "text/csv; charset=utf-8"), "json": (to_json, "application/json"),
             "html": (to_html, "text/html; charset=utf-8")}


def compliance_report(request: HttpRequest) -> HttpResponse:
    """For auditors and compliance leads; reached through the admin's two-factor login."""
    if not request.user.has_perm("compliance.export_records"):
        raise PermissionDenied
    now = timezone.now()
    text = request.GET.get("period") or f"{now:%Y-%m}"
    try:
        period = parse_period(text)
    except ValueError as error:
        return HttpResponse(f"{error}\n", status=400, content_type="text/plain; charset=utf-8")
    report = build_report(period, now=now)
    download = request.GET.get("download")
    if download:
        if download not in DOWNLOADS:
            return HttpResponse(f"download is one of {', '.join(DOWNLOADS)}\n", status=400,
                                content_type="text/plain; charset=utf-8")
        render, content_type = DOWNLOADS[download]
        response = HttpResponse(render(report), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="compliance-report-{period.label}.{download}"'
        return response
    return TemplateResponse(request, "admin/compliance/report.html", {
        **admin.site.each_context(request), "title": f"Compliance report {period.label}", **context(report)})
