"""Every export and report runs on a fresh demo, from the command line and from the web."""

import io
import json
from datetime import datetime, timezone as dt_timezone

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from compliance.demo import seed_demo
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(time_machine):
    # Mid-year, so the demo's last week of notices falls in one report period whatever today is.
    time_machine.move_to(datetime(2026, 6, 15, 12, 0, tzinfo=dt_timezone.utc))
    seed_demo(generated=20)


def _run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_commands_write_something_from_the_demo(demo, tmp_path):
    for fmt in ("csv", "json", "jsonld"):
        _run("export_provenance", "--format", fmt, "--out", str(tmp_path / f"p.{fmt}"), "--no-progress")
        assert (tmp_path / f"p.{fmt}").stat().st_size > 1000, fmt
    _run("export_statements", "--out", str(tmp_path / "s.jsonl"), "--no-progress")
    statements = [s for line in (tmp_path / "s.jsonl").read_text().splitlines() for s in json.loads(line)["statements"]]
    assert len(statements) >= 4
    _run("export_lumen", "--out", str(tmp_path / "l.jsonl"), "--no-progress")
    types = {json.loads(line)["notice"]["type"] for line in (tmp_path / "l.jsonl").read_text().splitlines()}
    assert {"DMCA", "Counternotice"} <= types
    report = json.loads(_run("compliance_report", "--period", f"{timezone.now():%Y}", "--format", "json"))
    assert report["notices"] == 9 and report["breach_count"] == 1 and report["restores"] == 1
    _run("export_audit_log", "--out", str(tmp_path / "a.jsonl"), "--no-progress")
    assert "chain intact" in _run("verify_audit_export", str(tmp_path / "a.jsonl"))


def test_an_auditor_takes_them_from_the_web(demo, client):
    verified_login(client, get_user_model().objects.get(username="auditor"))

    export = client.get(reverse("api-export-provenance"), {"output": "csv"})
    assert export.status_code == 200 and b"primary" in b"".join(export.streaming_content)[:2000]
    page = client.get(reverse("compliance-report"), {"period": f"{timezone.now():%Y}"})
    assert page.status_code == 200 and "<svg" in page.content.decode()
