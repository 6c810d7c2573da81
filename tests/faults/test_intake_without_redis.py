"""Redis unreachable while removal requests arrive: every one is stored, the rate limits fail open
and say so in the log (the cache points at a port nobody listens on: connection refused)."""

import json
import logging

import pytest
from compliance.models import Notice
from tests.compliance.intake_helpers import notice_sender_api
from tests.faults.figures import Figures, record

pytestmark = [pytest.mark.faults, pytest.mark.django_db]
DEAD_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": DEAD_REDIS, "OPTIONS": {"socket_connect_timeout": 1}}}


def _form(n: int) -> dict:
    return {"claimant_name": "Marta Hnatiuk", "claimant_organisation": "", "claimant_email": f"m{n}@kyiv.example",
            "claimant_address": "12 Example St, Kyiv", "claimant_phone": "", "acting_as": "owner",
            "acting_for_name": "", "kind": "copyright", "work_description": "News report of 16 May 2022",
            "urls": f"https://www.kyivindependent.example/news/report-{n}/", "domains": "",
            "explanation": "Copied in full.", "good_faith": "on", "accuracy": "on", "signature": "Marta Hnatiuk",
            "website": ""}


def _api_body(n: int) -> dict:
    return {"kind": "copyright", "claimant": {"name": "Legal desk", "email": "legal@kyiv.example",
                                              "organisation": "Kyiv Independent", "address": "Kyiv", "phone": ""},
            "work_description": "A report", "explanation": "Copied.",
            "items": [{"url": f"https://www.kyivindependent.example/news/api-{n}/", "scope": "url"}],
            "statements": {"good_faith": True, "accuracy_under_penalty_of_perjury": True},
            "signature": "Legal desk"}


def test_web_form_submissions_are_stored_with_redis_down(client, redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="compliance.ratelimit"):
        answers = [client.post("/takedown/", _form(n)).status_code for n in range(5)]

    assert answers == [302] * 5
    assert Notice.objects.filter(channel="web").count() == 5
    assert "cache is unreachable" in caplog.text
    record(Figures("Redis down: web form", notices=5, lost=5 - Notice.objects.count(), missed=0, twice=0))


def test_api_submissions_are_stored_with_redis_down(django_user_model, redis_down, caplog):
    api = notice_sender_api(django_user_model.objects.create_user("bulk-sender"))

    with caplog.at_level(logging.WARNING, logger="compliance.ratelimit"):
        answers = [api.post("/api/v1/notices/", data=json.dumps(_api_body(n)), content_type="application/json")
                   for n in range(10)]

    assert [a.status_code for a in answers] == [201] * 10, answers[0].content
    assert Notice.objects.filter(channel="api").count() == 10
    assert "cache is unreachable" in caplog.text
    record(Figures("Redis down: API", notices=10, lost=10 - Notice.objects.count(), missed=0, twice=0))
