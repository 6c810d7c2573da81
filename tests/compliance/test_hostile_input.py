"""Hostile and odd input gets a clear 4xx (JSON on the API), never a 500 or a silent cut: NUL bytes,
deep JSON nesting, bodies between Django's and the API's limits, overlong Idempotency-Keys, and a
mail naming more addresses than a notice holds."""

import json
import time
from email.message import EmailMessage

import pytest
from django.utils import timezone

from compliance.parsing.submission import MAX_ITEMS
from compliance.models import InboundMessage, Notice, OutboundMessage
from compliance.services.mail_intake import process_pending, store_inbound
from tests.compliance.intake_helpers import notice_sender_api
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(django_user_model):
    return notice_sender_api(django_user_model.objects.create_user("bulk-sender"))


def _body(items: list[dict] | None = None) -> dict:
    return {"kind": "copyright", "claimant": {"name": "Legal desk", "email": "legal@kyiv.example", "address": "Kyiv"},
            "work_description": "A report", "explanation": "Copied.", "signature": "Legal desk",
            "statements": {"good_faith": True, "accuracy_under_penalty_of_perjury": True},
            "items": items or [{"url": "https://www.kyivindependent.example/news/a/"}]}


def _post(api, data: str, **headers):
    return api.post("/api/v1/notices/", data=data, content_type="application/json", **headers)


def test_a_valid_notice_of_3_mb_is_received(api):
    items = [{"url": f"https://www.kyivindependent.example/news/{n}/", "note": "n" * 1900} for n in range(1600)]
    data = json.dumps(_body(items))
    assert 2_621_440 < len(data) < 8 * 1024 * 1024

    response = _post(api, data)

    assert response.status_code == 201, response.content[:300]
    assert Notice.objects.get().items.count() == 1600


def test_an_invalid_notice_of_3_mb_gets_the_api_s_json_errors(api):
    data = json.dumps({**_body(), "explanation": "x" * 3_000_000})

    response = _post(api, data)

    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert "explanation" in response.json()


def test_json_nested_100000_deep_is_a_400(api):
    response = _post(api, "[" * 100_000 + "]" * 100_000)

    assert response.status_code == 400 and response.json() == {"detail": "the JSON is nested too deeply"}


@pytest.mark.parametrize("url", ["/api/v1/notices/?x=a%00b", "/api/v1/articles/?search=%00",
                                 "/api/v1/notices/TD-2026-%00AAAA/"])
def test_nul_bytes_in_an_api_address_are_a_json_400(api, url):
    response = api.get(url)

    assert response.status_code == 400 and "NUL byte" in response.json()["detail"]


@pytest.mark.parametrize("url", ["/articles/a%00b/", "/takedown/status/%00/", "/articles/?q=%00",
                                 "/admin/compliance/notice/?q=%00"])
def test_nul_bytes_in_a_page_address_are_a_400(client, django_user_model, url):
    verified_login(client, django_user_model.objects.create_superuser("root", "root@example.test", "pw-x-1"))

    response = client.get(url)

    assert response.status_code == 400 and b"NUL byte" in response.content


def test_a_nul_byte_in_a_form_field_is_named_not_a_500(client):
    response = client.post("/takedown/", {"claimant_name": "Ana\x00Lima", "claimant_email": "ana@x.example"})

    assert response.status_code == 400 and "Null characters are not allowed" in response.content.decode()


def test_an_overlong_idempotency_key_is_refused_not_cut(api):
    shared = "k" * 200
    first = _post(api, json.dumps(_body()), HTTP_IDEMPOTENCY_KEY=shared + "-first")
    second = _post(api, json.dumps(_body()), HTTP_IDEMPOTENCY_KEY=shared + "-second")

    assert first.status_code == second.status_code == 400
    assert "at most 200 printable characters" in first.json()["detail"]
    assert Notice.objects.count() == 0
    assert _post(api, json.dumps(_body()), HTTP_IDEMPOTENCY_KEY=shared).status_code == 201


@pytest.mark.slow
def test_a_mail_naming_more_urls_than_a_notice_holds_keeps_the_first_and_says_so():
    message = EmailMessage()
    message["From"] = "Rights Desk <desk@rights.example>"
    message["To"] = "takedown@worldtimetodays.example"
    message["Subject"] = "Copyright notice: our whole archive"
    message["Message-ID"] = "<archive-1@rights.example>"
    urls = [f"https://www.rights.example/archive/{n}.html" for n in range(MAX_ITEMS + 25)]
    message.set_content("Please remove these copies of our reports:\n" + "\n".join(urls) + "\nRights Desk")
    store_inbound(bytes(message), via=InboundMessage.Via.FILE)
    started = time.monotonic()

    assert process_pending(now=timezone.now()) == 1

    notice = Notice.objects.get()
    assert notice.items.count() == MAX_ITEMS
    assert set(notice.items.values_list("url", flat=True)) == set(urls[:MAX_ITEMS])
    ack = OutboundMessage.objects.get(notice=notice, purpose="acknowledgment")
    assert f"we kept the first {MAX_ITEMS} and left out the last 25" in ack.body
    print(f"{MAX_ITEMS} items processed in {time.monotonic() - started:.1f} s")
