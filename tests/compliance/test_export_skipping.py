"""Exports never abort on one odd record: what the target cannot express is skipped, counted and named
on stderr, and the command exits 0; with --strict it fails and writes nothing."""

import io
import json
import os
import subprocess
import sys
from datetime import datetime, timezone as dt_timezone

import pytest
from django.core.management import CommandError, call_command

from articles.actors import Actor
from compliance.models import NoticeItemMatch
from compliance.services.decisions import Reasons, withdraw_items
from compliance.services.intake import receive_notice
from tests.compliance.intake_helpers import submission
from tests.compliance.real_worker import REPO, database_url
from tests.conftest import postgres_only
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
DAY1 = datetime(2026, 11, 2, 9, 0, tzinfo=dt_timezone.utc)


def _run(command: str, tmp_path, *args) -> tuple[list[dict], str, str]:
    out, stdout, stderr = tmp_path / f"{command}.jsonl", io.StringIO(), io.StringIO()
    call_command(command, *args, "--out", str(out), "--no-progress", stdout=stdout, stderr=stderr)
    return [json.loads(line) for line in out.read_text().splitlines()], stdout.getvalue(), stderr.getvalue()


@pytest.fixture
def withdrawn_and_empty():
    """A notice with an item, withdrawn; a mailed notice that named no URL at all."""
    ArticleFactory(primary="https://outlet.example/kept.html")
    good = receive_notice(channel="web", received_at=DAY1, submission=submission("https://outlet.example/kept.html")).notice
    withdraw_items(notice_id=good.pk, item_ids=list(good.items.values_list("pk", flat=True)),
                   reasons=Reasons(explanation="Ours to remove."), actor=Actor.parse("user:1"), now=DAY1)
    empty = receive_notice(channel="email", received_at=DAY1,
                           submission=submission(claimant_email="nourls@claimant.example")).notice
    return good, empty


def test_lumen_skips_a_notice_with_no_items_names_it_and_exits_0(withdrawn_and_empty, tmp_path):
    good, empty = withdrawn_and_empty

    bodies, stdout, stderr = _run("export_lumen", tmp_path)

    assert [b["notice"]["title"].endswith(f"({good.reference})") for b in bodies] == [True]
    assert stderr.splitlines() == [f"skipped {empty.reference}: Lumen cannot take it: notice.works_attributes: "
                                   "no work, because the notice names no URL"]
    assert stdout.strip().endswith("1 notices written to " + str(tmp_path / "export_lumen.jsonl")
                                   + "; 1 skipped (named on stderr)")


def test_lumen_with_strict_fails_and_writes_nothing(withdrawn_and_empty, tmp_path):
    with pytest.raises(CommandError, match="1 record.* could not be exported and --strict is set"):
        _run("export_lumen", tmp_path, "--strict")

    assert not (tmp_path / "export_lumen.jsonl").exists() and list(tmp_path.iterdir()) == []


def test_statements_skip_one_the_database_would_refuse_and_keep_the_others(tmp_path):
    for n in range(2):
        ArticleFactory(primary=f"https://outlet.example/{n}.html")
        notice = receive_notice(channel="web", received_at=DAY1, submission=submission(
            f"https://outlet.example/{n}.html", claimant_email=f"c{n}@claimant.example")).notice
        [decision] = withdraw_items(notice_id=notice.pk, item_ids=list(notice.items.values_list("pk", flat=True)),
                                    reasons=Reasons(explanation="Ours to remove."), actor=Actor.parse("user:1"), now=DAY1)
    NoticeItemMatch.objects.filter(pk=decision.match_id).update(puid="imported id with spaces")  # odd record

    calls, stdout, stderr = _run("export_statements", tmp_path)

    assert len(calls) == 1 and len(calls[0]["statements"]) == 1
    assert stderr.splitlines() == [f"skipped decision {decision.pk} ({notice.reference}): would be refused: "
                                   "puid: may hold only letters, digits, '-' and '_'"]
    assert "1 statements in 1 calls" in stdout and "1 skipped" in stdout
    with pytest.raises(CommandError, match="--strict"):
        _run("export_statements", tmp_path, "--strict")


@postgres_only("the command runs in another process, which reads the committed test database")
@pytest.mark.django_db(transaction=True)
def test_exit_codes_as_a_shell_sees_them(tmp_path):
    receive_notice(channel="email", received_at=DAY1, submission=submission(claimant_email="nourls@claimant.example"))
    env = {**os.environ, "DATABASE_URL": database_url()}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "manage.py", "export_lumen", "--out", str(tmp_path / "l.jsonl"),
                               "--no-progress", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)

    plain, strict = run(), run("--strict")

    assert plain.returncode == 0 and "skipped TD-" in plain.stderr and "1 skipped" in plain.stdout
    assert strict.returncode == 1 and "--strict is set" in strict.stderr
