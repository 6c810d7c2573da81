"""The compliance report as JSON, CSV (one row per figure) or HTML with its chart."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from datetime import date, datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from compliance.exports.csv_safety import neutralise
from compliance.reports.chart import time_to_action_svg
from compliance.models import CounterNotice, Decision, Notice
from compliance.reports.compliance_report import ComplianceReport

DERIVED = ("within_24h_share", "breach_count", "breach_median_late_minutes", "breach_max_late_minutes")


def as_dict(report: ComplianceReport) -> dict:
    data = asdict(report)
    data["period"] = {"label": report.period.label, "start": report.period.start, "end": report.period.end}
    data.update({name: getattr(report, name) for name in DERIVED})
    return data


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def to_json(report: ComplianceReport) -> str:
    return json.dumps(as_dict(report), default=_plain, indent=2, sort_keys=True)


def _rows(prefix: str, value):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _rows(f"{prefix}.{key}" if prefix else str(key), inner)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _rows(f"{prefix}[{index}]", inner)
    else:
        yield prefix, _plain(value) if isinstance(value, (datetime, date)) else value


def to_csv(report: ComplianceReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["figure", "value"])
    for name, value in _rows("", as_dict(report)):
        writer.writerow([neutralise(name), neutralise("" if value is None else str(value))])
    return out.getvalue()


def context(report: ComplianceReport) -> dict:
    return {"report": report, "chart": mark_safe(time_to_action_svg(report.per_day, promise_hours=settings.SLA_HOURS)),
            "site_name": settings.SITE_NAME, "named": named_figures(report)}


def named_figures(report: ComplianceReport) -> dict[str, list[tuple[str, str, int]]]:
    """(code, words, count) per tallied figure: the page is read by people, the CSV/JSON keep the codes."""
    return {name: [(code, str(labels.get(code, code)), n) for code, n in getattr(report, name).items()]
            for name, labels in FIGURE_LABELS.items()}


FIGURE_LABELS = {
    "by_kind": dict(Notice.Kind.choices), "by_channel": dict(Notice.Channel.choices),
    "by_outcome": dict(Notice.Outcome.choices), "decisions_by_action": dict(Decision.Action.choices),
    "decisions_by_ground": {Decision.Ground.ILLEGAL_CONTENT: "On the basis of law (illegal content)",
                            Decision.Ground.INCOMPATIBLE_CONTENT: "On the basis of our terms"},
    "counter_notices_by_kind": dict(CounterNotice.Kind.choices),
    "counter_notices_by_status": dict(CounterNotice.Status.choices),
}


def to_html(report: ComplianceReport) -> str:
    """A standalone page (inline style, no external files) for sending or archiving."""
    return render_to_string("compliance/report_standalone.html", context(report))
