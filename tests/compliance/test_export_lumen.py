import io
import json
from dataclasses import replace
from datetime import datetime, timezone as dt_timezone

import pytest
from django.core.management import CommandError, call_command

from articles.actors import Actor
from compliance.exports import lumen
from compliance.parsing.submission import ItemInput, validate_items
from compliance.services.decisions import Reasons, reject_items, withdraw_items
from compliance.services.intake import receive_notice
from tests.compliance.intake_helpers import submission
from tests.factories import ArticleFactory, AssetFactory

pytestmark = pytest.mark.django_db
DAY1, DAY5 = datetime(2026, 11, 2, 9, 0, tzinfo=dt_timezone.utc), datetime(2026, 11, 5, 9, 0, tzinfo=dt_timezone.utc)
REASONS = Reasons(explanation="The claimant owns it.")
CONTACT = dict(claimant_email="marta@kyivindependent.example", claimant_phone="+380 44 123 4567",
               claimant_address="12 Example St, Kyiv")


def _notice(*urls, at=DAY1, **fields):
    return receive_notice(channel="web", submission=submission(*urls, **{**CONTACT, **fields}), received_at=at).notice


def _decide(notice, position, how):
    how(notice_id=notice.pk, item_ids=[notice.items.get(position=position).pk], reasons=REASONS, actor=Actor.parse("user:7"),
        now=DAY1)


def _export(tmp_path, *args) -> list[dict]:
    out = tmp_path / "lumen.jsonl"
    call_command("export_lumen", *args, "--out", str(out), "--no-progress", stdout=io.StringIO())
    return [json.loads(line) for line in out.read_text().splitlines()]


@pytest.fixture
def notices():
    for n in range(4):
        ArticleFactory(primary=f"https://outlet.example/{n}.html")
    photo = AssetFactory(original_url="https://cdn.example/img/photo.jpg")
    whole = _notice("https://outlet.example/0.html", claimant_organisation="Kyiv Independent",
                    explanation="Call me on +380 44 123 4567 or write to marta@kyivindependent.example.")
    _decide(whole, 0, withdraw_items)
    part = _notice("https://outlet.example/1.html", "https://outlet.example/2.html",
                   claimant_email="other@outlet.example", kind="trademark")
    _decide(part, 0, withdraw_items)
    _decide(part, 1, reject_items)
    refused = _notice(photo.original_url, claimant_email="third@outlet.example", kind="privacy")
    _decide(refused, 0, reject_items)
    items, _ = validate_items([ItemInput(url="https://outlet.example/3.html",
                                         original_url="https://kyivindependent.example/original.html")])
    pending = receive_notice(channel="email", received_at=DAY5, submission=replace(
        submission(claimant_email="fourth@outlet.example", kind="defamation"), items=tuple(items))).notice
    return {"whole": whole, "part": part, "refused": refused, "pending": pending}


def test_each_notice_is_a_lumen_submission_body(notices, tmp_path):
    bodies = {b["notice"]["title"].rsplit("(", 1)[1].rstrip(")"): b["notice"] for b in _export(tmp_path)}

    assert all(lumen.problems({"notice": b}) == [] for b in bodies.values())
    got = {ref: (b["type"], b["action_taken"]) for ref, b in bodies.items()}
    assert got == {notices["whole"].reference: ("DMCA", "Yes"), notices["part"].reference: ("Trademark", "Partial"),
                   notices["refused"].reference: ("DataProtection", "No"),
                   notices["pending"].reference: ("Defamation", "Unspecified")}
    pending = bodies[notices["pending"].reference]
    assert pending["works_attributes"] == [{
        "description": "News report of 16 May 2022", "kind": "article",
        "infringing_urls_attributes": [{"url": "https://outlet.example/3.html"}],
        "copyrighted_urls_attributes": [{"url": "https://kyivindependent.example/original.html"}]}]
    assert "language" not in pending and bodies[notices["whole"].reference]["language"] == "en"
    roles = {r["name"]: r["entity_attributes"] for r in bodies[notices["whole"].reference]
             ["entity_notice_roles_attributes"]}
    assert roles["sender"] == {"name": "Kyiv Independent", "kind": "organization"}
    assert roles["recipient"]["kind"] == "organization"
    assert bodies[notices["refused"].reference]["works_attributes"][0]["kind"] == "image"
    assert "AT" in bodies[notices["whole"].reference]["jurisdiction_list"]


def test_claimants_contact_details_are_left_out(notices, tmp_path):
    text = json.dumps(_export(tmp_path))
    for detail in ("marta@kyivindependent.example", "+380 44 123 4567", "12 Example St", "other@outlet.example"):
        assert detail not in text
    assert "Call me on [REDACTED] or write to [REDACTED]." in text


def test_since_exports_only_newer_notices(notices, tmp_path):
    newer = _export(tmp_path, "--since", "2026-11-04")
    assert [b["notice"]["type"] for b in newer] == ["Defamation"]
    with pytest.raises(CommandError, match="is not a date"):
        _export(tmp_path, "--since", "soon")


def test_problems_name_what_lumen_would_not_take():
    body = {"notice": {"type": "Copyright", "action_taken": "Maybe", "claimant_email": "x@y.example",
                       "works_attributes": [{"description": "w", "url": "u"}],
                       "entity_notice_roles_attributes": [{"name": "claimant", "entity_attributes": {
                           "name": "X", "kind": "person", "email": "x@y.example"}}]}}
    found = lumen.problems(body)
    for expected in ("notice.claimant_email", "notice.type", "notice.action_taken", "work.url", "role 'claimant'",
                     "entity kind 'person'", "entity.email"):
        assert any(p.startswith(expected) for p in found), found


def test_a_counter_notice_is_shared_as_lumens_counternotice_without_contact_details(notices, tmp_path):
    from compliance.services.counter_notices import CounterNoticeInput, receive_counter_notice

    article = notices["whole"].items.get().matches.get().article
    counter = receive_counter_notice(article_slug=article.slug, now=DAY5, data=CounterNoticeInput(
        kind="counter_notice", name="Olena Publisher", email="desk@outlet.example", address="1 Press Lane, Lviv",
        phone="+380 32 000 0000", explanation="Licensed; write to desk@outlet.example or call +380 32 000 0000.",
        signature="Olena Publisher", mistake_statement=True, jurisdiction_consent=True)).counter_notice

    body = _export(tmp_path)[-1]

    assert lumen.problems(body) == []
    notice = body["notice"]
    assert (notice["type"], notice["action_taken"]) == ("Counternotice", "Unspecified")
    assert counter.reference in notice["title"] and article.get_absolute_url() in json.dumps(notice)
    text = json.dumps(body)
    assert "desk@outlet.example" not in text and "+380 32" not in text and "Press Lane" not in text
