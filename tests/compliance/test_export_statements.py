import copy
import io
import json
from datetime import datetime, timezone as dt_timezone

import pytest
from django.core.management import CommandError, call_command

from articles.actors import Actor
from compliance.exports.statement_rules import call_problems, problems
from compliance.models import Decision, NoticeItemMatch
from compliance.services.decisions import Reasons, reject_items, withdraw_items
from compliance.services.deadlines import safety_margin
from compliance.services.intake import receive_notice
from compliance.services.sla_enforce import enforce
from compliance.services.sla_sweep import sweep
from compliance.models import Notice
from tests.compliance.intake_helpers import submission
from tests.factories import ArticleFactory, AssetFactory

pytestmark = pytest.mark.django_db
DAY1, DAY5 = datetime(2026, 11, 2, 9, 0, tzinfo=dt_timezone.utc), datetime(2026, 11, 5, 9, 0, tzinfo=dt_timezone.utc)
REASONS = Reasons(explanation="The claimant owns the report; we had no licence.")


def _notice(*urls, at=DAY1, **fields) -> Notice:
    return receive_notice(channel="web", submission=submission(*urls, **fields), received_at=at).notice


def _decide_all(notice: Notice, now: datetime, how=withdraw_items) -> None:
    how(notice_id=notice.pk, item_ids=list(notice.items.values_list("pk", flat=True)), reasons=REASONS,
        actor=Actor.parse("user:7"), now=now)


def _export(tmp_path, *args) -> list[dict]:
    out = tmp_path / "statements.jsonl"
    call_command("export_statements", *args, "--out", str(out), "--no-progress", stdout=io.StringIO())
    return [json.loads(line) for line in out.read_text().splitlines()]


@pytest.fixture
def decided():
    """An article withdrawn and a photo removed by staff, a rejection, and a fail-safe withdrawal."""
    article = ArticleFactory(primary="https://outlet.example/a.html", language="uk")
    photo = AssetFactory(original_url="https://cdn.example/img/photo.jpg")
    _decide_all(_notice(article.primary_source_url, photo.original_url), DAY1)
    ArticleFactory(primary="https://outlet.example/rejected.html")
    _decide_all(_notice("https://outlet.example/rejected.html", claimant_email="x@other.example"), DAY1,
                how=reject_items)
    ArticleFactory(primary="https://outlet.example/late.html")
    late = _notice("https://outlet.example/late.html", claimant_email="late@other.example", at=DAY5)
    Notice.objects.filter(pk=late.pk).update(verification=Notice.Verification.EMAIL_CONFIRMED)
    late.refresh_from_db()
    enqueued: list[int] = []
    sweep(now=late.due_at - safety_margin(), enqueue=enqueued.extend)
    for pk in enqueued:
        enforce(deadline_id=pk, now=late.due_at - safety_margin())
    return {"article": article, "photo": photo}


def test_one_valid_statement_per_restricting_decision(decided, tmp_path):
    calls = _export(tmp_path)

    statements = [s for call in calls for s in call["statements"]]
    assert all(call_problems(call) == [] for call in calls)
    restricting = Decision.objects.filter(action__in=["withdraw", "remove_asset"])
    assert restricting.count() == 3 and len(statements) == 3
    assert {s["puid"] for s in statements} == set(NoticeItemMatch.objects.filter(
        decisions__in=restricting).values_list("puid", flat=True))
    by_type = {s["content_type"][0]: s for s in statements}
    assert by_type["CONTENT_TYPE_IMAGE"]["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_REMOVED"]
    staff = [s for s in statements if s["automated_decision"] == "AUTOMATED_DECISION_NOT_AUTOMATED"]
    automated = [s for s in statements if s["automated_decision"] == "AUTOMATED_DECISION_FULLY"]
    assert len(staff) == 2 and len(automated) == 1
    assert {s["category_specification"][0] for s in statements} == {"KEYWORD_COPYRIGHT_INFRINGEMENT"}
    assert {s["application_date"] for s in staff} == {"2026-11-02"}
    assert any(s.get("content_language") == "UK" for s in statements)


def test_statements_hold_no_personal_data(decided, tmp_path):
    text = json.dumps(_export(tmp_path))
    assert "Marta" not in text and "kyivindependent" not in text and "other.example" not in text


def test_exporting_twice_gives_the_same_statements_and_since_only_what_is_new(decided, tmp_path):
    assert _export(tmp_path) == _export(tmp_path)
    newer = [s for call in _export(tmp_path, "--since", "2026-11-04") for s in call["statements"]]
    assert [s["automated_decision"] for s in newer] == ["AUTOMATED_DECISION_FULLY"]
    assert _export(tmp_path, "--since", "2030-01-01") == []


@pytest.mark.slow
def test_calls_hold_at_most_a_hundred_statements(tmp_path):
    urls = [f"https://outlet.example/many/{n}.html" for n in range(205)]
    for url in urls:
        ArticleFactory(primary=url)
    _decide_all(_notice(*urls), DAY1)

    calls = _export(tmp_path)

    assert [len(call["statements"]) for call in calls] == [100, 100, 5]
    assert len({s["puid"] for call in calls for s in call["statements"]}) == 205


def test_a_bad_since_is_refused(tmp_path):
    with pytest.raises(CommandError, match="is not a date"):
        _export(tmp_path, "--since", "yesterday")


@pytest.fixture
def valid(decided, tmp_path) -> dict:
    return _export(tmp_path)[0]["statements"][0]


@pytest.mark.parametrize("change, broken", [
    (lambda s: s.pop("decision_facts"), "decision_facts: is required"),
    (lambda s: s.update(puid="has space"), "puid: may hold only"),
    (lambda s: s.update(puid="x" * 501), "puid: is 501 characters"),
    (lambda s: s.update(content_date="2026-1-05"), "content_date: must be a date"),
    (lambda s: s.update(content_date="1999-12-31"), "content_date: must be between"),
    (lambda s: s.update(application_date="2019-12-31"), "application_date: must be between"),
    (lambda s: s.update(territorial_scope=["US"]), "territorial_scope: 'US'"),
    (lambda s: s.update(category="STATEMENT_CATEGORY_PIRACY"), "category: 'STATEMENT_CATEGORY_PIRACY'"),
    (lambda s: s.update(content_type=[]), "content_type: is required"),
    (lambda s: s.update(content_type=["CONTENT_TYPE_OTHER"]), "content_type_other: is required"),
    (lambda s: s.update(decision_visibility=[]), "decision_visibility: is required"),
    (lambda s: s.update(decision_visibility="DECISION_VISIBILITY_CONTENT_REMOVED"), "must be an array"),
    (lambda s: s.update(illegal_content_legal_ground=""), "illegal_content_legal_ground: is required"),
    (lambda s: s.update(illegal_content_explanation="x" * 2001), "illegal_content_explanation: is 2001"),
    (lambda s: s.update(automated_detection="yes"), "automated_detection: 'yes'"),
    (lambda s: s.update(content_language="en"), "content_language: 'en'"),
    (lambda s: s.update(decision_ground_reference_url="not a url"), "decision_ground_reference_url"),
    (lambda s: s.update(claimant_email="a@b.example"), "claimant_email: is not a field"),
])
def test_the_validator_catches_what_the_database_refuses(valid, change, broken):
    assert problems(valid) == []
    statement = copy.deepcopy(valid)
    change(statement)
    assert any(p.startswith(broken) or broken in p for p in problems(statement)), problems(statement)


def test_a_call_holds_one_to_a_hundred_statements_with_distinct_puids(valid):
    assert call_problems({"statements": [valid] * 2}) == ["statements: a puid appears twice in one call"]
    many = [dict(valid, puid=f"p-{n}") for n in range(101)]
    assert call_problems({"statements": many}) == ["statements: must be an array of 1 to 100 statements"]
    assert call_problems({"statements": []})
