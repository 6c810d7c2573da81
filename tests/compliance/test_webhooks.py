"""Withdrawals propagate to configured endpoints, here a real HTTP server on this machine."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.actors import Actor
from compliance.models import OutboundMessage, WebhookDelivery, WebhookEndpoint
from compliance.services.webhooks import MAX_ATTEMPTS, deliver_pending, signature
from compliance.services.withdrawal import restore_article, withdraw_article, withdraw_asset
from tests.factories import ArticleFactory, AssetFactory

pytestmark = pytest.mark.django_db


class Receiver:
    def __init__(self, status: int):
        self.status, self.requests = status, []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                receiver.requests.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"


@pytest.fixture
def receiver():
    made = []

    def make(status: int = 200) -> Receiver:
        made.append(Receiver(status))
        return made[-1]

    yield make
    for each in made:
        each.server.shutdown()


def test_withdrawal_is_delivered_signed_to_each_subscribed_endpoint(receiver):
    cms, cdn = receiver(), receiver(204)
    WebhookEndpoint.objects.create(name="cms", url=cms.url, secret="cms-secret", events=["article.withdrawn"])
    WebhookEndpoint.objects.create(name="cdn", url=cdn.url, secret="cdn-secret",
                                   events=["article.withdrawn", "asset.withdrawn"])
    WebhookEndpoint.objects.create(name="off", url=cms.url, secret="x", events=["article.withdrawn"], active=False)
    article = ArticleFactory()

    withdraw_article(article_id=article.pk, actor=Actor.parse("user:1"), reason="notice", reference="TD-2026-7F3KQ9")
    assert deliver_pending(now=timezone.now()) == 2

    headers, body = cms.requests[0]
    data = json.loads(body)
    assert data["event"] == "article.withdrawn" and data["data"]["reference"] == "TD-2026-7F3KQ9"
    assert data["data"]["url"].endswith(article.get_absolute_url())
    assert headers["X-Takedown-Signature"] == signature("cms-secret", headers["X-Takedown-Timestamp"], body)
    assert len(cdn.requests) == 1
    assert set(WebhookDelivery.objects.values_list("state", flat=True)) == {"delivered"}
    assert deliver_pending(now=timezone.now()) == 0


def test_restore_and_asset_withdrawal_are_events_too(receiver):
    hook = receiver()
    WebhookEndpoint.objects.create(name="all", url=hook.url, secret="s", events=WebhookEndpoint.EVENTS)
    asset = AssetFactory()
    withdraw_article(article_id=asset.article_id, actor=Actor.parse("user:1"), reason="notice")
    restore_article(article_id=asset.article_id, actor=Actor.parse("user:1"))
    withdraw_asset(asset_id=asset.pk, actor=Actor.parse("user:1"), reason="photo notice")

    deliver_pending(now=timezone.now())

    assert [json.loads(body)["event"] for _, body in hook.requests] == [
        "article.withdrawn", "article.restored", "asset.withdrawn"]


def test_failing_endpoint_is_retried_with_backoff_then_escalated(receiver, django_user_model):
    lead = django_user_model.objects.create_user("lead", email="lead@worldtimetodays.example")
    lead.groups.add(Group.objects.get_or_create(name="Compliance lead")[0])
    broken = receiver(500)
    WebhookEndpoint.objects.create(name="cms", url=broken.url, secret="s", events=["article.withdrawn"])
    withdraw_article(article_id=ArticleFactory().pk, actor=Actor.parse("user:1"), reason="notice")
    now = timezone.now()

    deliver_pending(now=now)
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == "pending" and delivery.last_status == 500
    assert delivery.next_attempt_at == now + timedelta(seconds=60)
    assert deliver_pending(now=now + timedelta(seconds=30)) == 0 and len(broken.requests) == 1
    for _ in range(MAX_ATTEMPTS):
        now += timedelta(hours=1)
        deliver_pending(now=now)

    delivery.refresh_from_db()
    assert delivery.state == "failed" and delivery.attempts == MAX_ATTEMPTS
    escalation = OutboundMessage.objects.get(purpose="escalation")
    assert escalation.to_address == "lead@worldtimetodays.example" and "cms" in escalation.subject


def test_unreachable_endpoint_is_recorded_not_raised():
    WebhookEndpoint.objects.create(name="gone", url="http://127.0.0.1:1/hook", secret="s",
                                   events=["article.withdrawn"])
    withdraw_article(article_id=ArticleFactory().pk, actor=Actor.parse("user:1"), reason="notice")

    deliver_pending(now=timezone.now())

    delivery = WebhookDelivery.objects.get()
    assert delivery.last_status is None and "refused" in delivery.last_error.lower()
