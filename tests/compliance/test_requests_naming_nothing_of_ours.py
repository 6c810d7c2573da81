"""A request naming nothing we publish is told so, and the form keeps to a person's scale."""

import pytest

from compliance.models import Notice, OutboundMessage
from tests.compliance.test_takedown_form import VALID
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_the_form_takes_at_most_fifty_addresses_and_says_so(client):
    made_up = "\n".join(f"https://elsewhere.example/made-up/{n}" for n in range(200))

    response = client.post("/takedown/", {**VALID, "urls": made_up})

    assert response.status_code == 400 and "At most 50 addresses" in response.content.decode()
    assert Notice.objects.count() == 0
    assert "at most 50" in client.get("/takedown/").content.decode()


def test_nothing_of_ours_at_the_addresses_is_said_in_the_acknowledgment_and_on_the_status_page(client):
    ArticleFactory(primary="https://outlet.example/real.html")

    response = client.post("/takedown/", {**VALID, "urls": "https://elsewhere.example/not-ours.html"})

    ack = OutboundMessage.objects.get(purpose="acknowledgment").body
    assert "None of the addresses you gave is a page or image we publish" in ack
    assert "not found on our site" in ack
    Notice.objects.update(status=Notice.Status.IN_REVIEW)
    status = client.get(response["Location"].split("?")[0]).content.decode()
    assert "We found nothing of ours at the addresses you gave" in status


def test_a_request_naming_our_page_is_promised_its_deadline(client):
    ArticleFactory(slug="ukrainian-army-secures-kharkiv")

    client.post("/takedown/", VALID)

    ack = OutboundMessage.objects.get(purpose="acknowledgment").body
    assert "We will act on it by" in ack and "found on our site (1 item)" in ack
