import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from articles.actors import Actor
from compliance.errors import IllegalTransition
from compliance.models import AuditEntry, Decision, Notice, OutboundMessage, SlaDeadline
from compliance.services.decisions import Reasons, reject_items, withdraw_items
from compliance.services.intake import receive_notice
from compliance.services.sla_enforce import enforce
from compliance.services.sla_sweep import sweep
from tests.compliance.intake_helpers import submission
from tests.conftest import postgres_only
from tests.factories import ArticleFactory, AssetFactory, SourceFactory

pytestmark = pytest.mark.django_db
PRIMARY = "https://outlet.example/story.html"
REASONS = Reasons(explanation="The claimant owns the report; we had no licence.",
                  legal_ground="Copyright (17 U.S.C. 512)")


def _notice(*urls, received_at=None) -> Notice:
    return receive_notice(channel="web", submission=submission(*urls), received_at=received_at).notice


def test_withdrawing_an_item_withdraws_its_article_with_reasons_and_tells_both_sides(client):
    source = SourceFactory(host="outlet.example")
    source.takedown_email = "rights@outlet.example"
    source.save()
    article = ArticleFactory(primary=PRIMARY, source=source)
    notice = _notice(PRIMARY)

    decisions = withdraw_items(notice_id=notice.pk, item_ids=[notice.items.get().pk], reasons=REASONS,
                               actor=Actor.parse("user:7"), now=timezone.now())

    assert client.get(article.get_absolute_url()).status_code == 451
    decision = decisions[0]
    assert (decision.action, decision.automated, decision.actor) == ("withdraw", False, "user:7")
    assert decision.decision_visibility == ["DECISION_VISIBILITY_CONTENT_DISABLED"] and decision.territorial_scope
    notice.refresh_from_db()
    assert notice.status == Notice.Status.DECIDED
    assert set(notice.deadlines.values_list("state", flat=True)) == {"cancelled"}
    purposes = set(OutboundMessage.objects.filter(notice=notice).values_list("purpose", "to_address"))
    assert ("decision", "legal@kyivindependent.example") in purposes
    assert ("source_notice", "rights@outlet.example") in purposes
    assert AuditEntry.objects.filter(action="decision.withdraw").count() == 1


def test_an_asset_item_removes_only_the_asset():
    asset = AssetFactory(original_url="https://cdn.example/img/tank.jpg")
    notice = _notice(asset.original_url)

    decisions = withdraw_items(notice_id=notice.pk, item_ids=[notice.items.get().pk], reasons=REASONS,
                               actor=Actor.parse("user:7"), now=timezone.now())

    asset.refresh_from_db()
    assert asset.status == "withdrawn" and asset.article.status == "published"
    assert decisions[0].action == "remove_asset"


def test_deadlines_stay_while_some_item_is_undecided():
    ArticleFactory(primary=PRIMARY)
    notice = _notice(PRIMARY, "https://nowhere.example/x")
    first, second = notice.items.order_by("position")

    withdraw_items(notice_id=notice.pk, item_ids=[first.pk], reasons=REASONS, actor=Actor.parse("user:7"), now=timezone.now())
    assert set(notice.deadlines.values_list("state", flat=True)) == {"pending"}
    reject_items(notice_id=notice.pk, item_ids=[second.pk], reasons=Reasons(explanation="Not on our site."),
                 actor=Actor.parse("user:7"), now=timezone.now())

    assert set(notice.deadlines.values_list("state", flat=True)) == {"cancelled"}


def test_the_second_reviewer_is_told_what_was_decided(django_user_model):
    ArticleFactory(primary=PRIMARY)
    notice = _notice(PRIMARY)
    item = notice.items.get()
    first = django_user_model.objects.create_user("rita", first_name="Rita", last_name="Reviewer")
    withdraw_items(notice_id=notice.pk, item_ids=[item.pk], reasons=REASONS, actor=Actor.staff(first),
                   now=timezone.now())

    with pytest.raises(IllegalTransition, match="already decided by Rita Reviewer"):
        reject_items(notice_id=notice.pk, item_ids=[item.pk], reasons=Reasons(explanation="no"), actor=Actor.parse("user:8"),
                     now=timezone.now())
    assert Decision.objects.count() == 1


def test_decisions_need_reasons_and_matches():
    notice = _notice("https://nowhere.example/x")

    with pytest.raises(IllegalTransition, match="statement of reasons"):
        reject_items(notice_id=notice.pk, item_ids=[notice.items.get().pk], reasons=Reasons(explanation=" "),
                     actor=Actor.parse("user:7"), now=timezone.now())
    with pytest.raises(IllegalTransition, match="reject it instead"):
        withdraw_items(notice_id=notice.pk, item_ids=[notice.items.get().pk], reasons=REASONS, actor=Actor.parse("user:7"),
                       now=timezone.now())


def _race(first, second) -> list[BaseException | str]:
    start, results = threading.Barrier(2), []

    def run(action):
        start.wait()
        try:
            results.append(action())
        except BaseException as exc:  # the loser's answer, examined by the test
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@postgres_only("two sessions racing for the notice's lock")
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_deciding_at_once_end_in_one_decision():
    ArticleFactory(primary=PRIMARY)
    notice = _notice(PRIMARY)
    item_id = notice.items.get().pk
    now = timezone.now()

    results = _race(
        lambda: withdraw_items(notice_id=notice.pk, item_ids=[item_id], reasons=REASONS, actor=Actor.parse("user:1"), now=now),
        lambda: reject_items(notice_id=notice.pk, item_ids=[item_id], reasons=REASONS, actor=Actor.parse("user:2"), now=now))

    assert sum(isinstance(r, IllegalTransition) for r in results) == 1
    assert Decision.objects.count() == 1


@postgres_only("a decision and the deadline racing need two sessions")
@pytest.mark.django_db(transaction=True)
def test_decision_and_deadline_racing_end_in_one_state():
    article = ArticleFactory(primary=PRIMARY)
    notice = _notice(PRIMARY, received_at=timezone.now() - timedelta(hours=25))
    Notice.objects.filter(pk=notice.pk).update(verification=Notice.Verification.EMAIL_CONFIRMED)
    due = notice.deadlines.get(kind="due")
    sweep(now=timezone.now(), enqueue=lambda ids: None)
    item_id = notice.items.get().pk
    now = timezone.now()

    results = _race(
        lambda: reject_items(notice_id=notice.pk, item_ids=[item_id], reasons=Reasons(explanation="licensed"),
                             actor=Actor.parse("user:1"), now=now),
        lambda: enforce(deadline_id=due.pk, now=now))

    article.refresh_from_db()
    decisions = list(Decision.objects.values_list("action", "automated"))
    rejected_first = decisions == [("reject", False)]
    withdrawn_first = decisions == [("withdraw", True)]
    assert rejected_first != withdrawn_first, (decisions, results)
    assert article.status == ("published" if rejected_first else "withdrawn")
    assert SlaDeadline.objects.get(pk=due.pk).state in ("done", "cancelled")
