"""The claimant's status page tells the truth in every state of the request, from the records."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.actors import Actor
from compliance.services.counter_notices import CounterNoticeInput, receive_counter_notice, restore_contested
from compliance.services.decisions import Reasons, close_withdrawn_by_claimant, reject_items, withdraw_items
from compliance.services.intake import later_status_url, receive_notice
from tests.compliance.intake_helpers import submission
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
PRIMARY = "https://outlet.example/story.html"
WHY = Reasons(explanation="We checked the claimant's original of 16 May.", legal_ground="Copyright")


def _page(client, notice) -> str:
    response = client.get("/" + later_status_url(notice).split("://", 1)[1].split("/", 1)[1])
    assert response.status_code == 200 and response["Referrer-Policy"] == "same-origin"
    return response.content.decode()


def _stage(html: str) -> str:
    return html.split('data-testid="stage">', 1)[1].split("</p>", 1)[0]


def _notice(**fields):
    ArticleFactory(primary=PRIMARY, slug="the-story")
    return receive_notice(channel="web", submission=submission(PRIMARY, **fields)).notice


def test_awaiting_information_names_what_is_missing(client):
    notice = _notice(accuracy=False, signature="")

    stage = _stage(_page(client, notice))

    assert "Waiting for information from you" in stage and "your signature (your typed full name)" in stage
    assert "the information is accurate" in stage and "accuracy;" not in stage
    assert "left)" not in stage


def test_in_review_counts_down_to_the_deadline_in_utc(client):
    notice = _notice()

    stage = _stage(_page(client, notice))

    assert "In review" in stage and "left)" in stage and " UTC" in stage


def test_decided_shows_result_date_reasons_and_no_countdown(client):
    notice = _notice()
    withdraw_items(notice_id=notice.pk, item_ids=[notice.items.get().pk], reasons=WHY, actor=Actor.parse("user:1"), now=timezone.now())

    html = _page(client, notice)

    assert "Decided." in _stage(html) and "left)" not in html
    assert "Removed" in html and "original of 16 May." in html and "Ground:" in html
    assert "If you disagree" not in html  # nothing was declined


def test_counter_noticed_and_restored_are_told(client):
    notice = _notice()
    withdraw_items(notice_id=notice.pk, item_ids=[notice.items.get().pk], reasons=WHY, actor=Actor.parse("user:1"),
                   now=timezone.now() - timedelta(days=2))
    counter = receive_counter_notice(article_slug="the-story", now=timezone.now() - timedelta(days=1),
                                     data=CounterNoticeInput(kind="complaint", name="Desk", email="desk@outlet.example",
                                                             explanation="Licensed.", signature="Desk")).counter_notice

    assert f"The publisher objected to the removal (Complaint about a decision (DSA Art. 20) {counter.reference}" in \
        _page(client, notice)

    restore_contested(counter_notice_id=counter.pk, reasons=Reasons(explanation="Licence shown."), actor=Actor.parse("user:2"),
                      now=timezone.now())
    html = _page(client, notice)
    assert "Put back after an objection" in html and "was put back after the publisher's objection" in html


def test_a_request_the_claimant_withdrew_is_not_called_declined(client):
    notice = _notice()
    close_withdrawn_by_claimant(notice_id=notice.pk, item_ids=[notice.items.get().pk], actor=Actor.parse("user:1"),
                                now=timezone.now(), reasons=Reasons(explanation="The claimant withdrew it by mail."))

    html = _page(client, notice)

    assert "you withdrew the request" in html and "declined" not in html and "If you disagree" not in html


def test_a_rejection_offers_complaint_out_of_court_and_court(client):
    notice = _notice()
    reject_items(notice_id=notice.pk, item_ids=[notice.items.get().pk], reasons=WHY, actor=Actor.parse("user:1"), now=timezone.now())

    html = _page(client, notice)

    assert "Not removed (request declined)" in html and "Send complaint" in html
    assert "Out-of-court dispute settlement" in html and "Court" in html
