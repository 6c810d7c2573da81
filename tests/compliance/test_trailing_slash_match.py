"""A notice naming https://host/path matches our record of https://host/path/ and the reverse: the same
address on nearly every server, but matched as a candidate the reviewer sees as such, never withdrawn
by the fail-safe; and still set-based (the number of queries does not grow with the URLs)."""

import hashlib
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.urlnorm import normalise_url, url_key
from compliance.models import Notice, NoticeItemMatch, SlaBreach
from compliance.services.deadlines import safety_margin
from compliance.services.intake import receive_notice
from compliance.services.mail_intake import process_inbound, store_inbound
from compliance.services.matching import slash_twin
from compliance.services.sla_enforce import enforce
from compliance.services.sla_sweep import sweep
from tests.compliance.intake_helpers import submission
from tests.conftest import postgres_only
from tests.factories import ArticleFactory, AssetFactory

pytestmark = pytest.mark.django_db
MAIL = Path(__file__).parent / "mail_kinds"
TWIN = NoticeItemMatch.How.TRAILING_SLASH


def _matches(*urls: str) -> list[NoticeItemMatch]:
    notice = receive_notice(channel="web", submission=submission(*urls)).notice
    return list(NoticeItemMatch.objects.filter(item__notice=notice).order_by("pk"))


@pytest.mark.parametrize("url, twin", [
    ("https://outlet.example/story", "https://outlet.example/story/"),
    ("https://outlet.example/a/b/?id=7", "https://outlet.example/a/b?id=7"),
    ("https://outlet.example/", ""),
    ("https://outlet.example", ""),
    ("https://outlet.example/news/story.html", ""),
    ("https://cdn.example/img/photo.jpg/", ""),
    ("https://outlet.example/v1.2/story/", "https://outlet.example/v1.2/story"),
])
def test_the_slash_twin_of_a_url(url, twin):
    assert slash_twin(url) == twin


@pytest.mark.parametrize("raw", ["HTTP://Outlet.Example:80/a/./b/?utm_source=x&z=1&a=2#top", "https://xn--80ak6aa92e.example/путь",
                                 "https://outlet.example/%7Euser/page", "https://outlet.example/a%2Fb/"])
def test_the_twin_of_a_normalised_url_is_normalised_so_its_key_is_its_hash(raw):
    twin = slash_twin(normalise_url(raw))
    assert twin and url_key(twin) == hashlib.sha256(twin.encode()).hexdigest()


def test_our_article_named_without_its_trailing_slash_is_a_candidate():
    article = ArticleFactory(slug="odesa-port-strike")

    [match] = _matches("https://worldtimetodays.example/articles/odesa-port-strike")

    assert (match.article, match.how, match.evidence["twin_of"]) == (article, TWIN, "exact_url")


@pytest.mark.parametrize("ours, named", [
    ("https://outlet.example/news/story/", "https://outlet.example/news/story"),
    ("https://outlet.example/news/story", "https://outlet.example/news/story/"),
])
def test_a_primary_source_with_the_other_slash_is_a_candidate_either_way(ours, named):
    article = ArticleFactory(primary=ours)

    [match] = _matches(named)

    assert (match.article, match.how, match.evidence["twin_of"]) == (article, TWIN, "primary_source")


def test_an_asset_with_the_other_slash_is_a_candidate_for_that_asset():
    asset = AssetFactory(original_url="https://cdn.example/photos/harbour/")

    [match] = _matches("https://cdn.example/photos/harbour")

    assert (match.asset, match.how, match.evidence["twin_of"]) == (asset, TWIN, "asset_url")


def test_an_exact_match_wins_over_a_twin_of_the_same_article():
    article = ArticleFactory(slug="same-one", primary="https://outlet.example/same-one/")

    matches = _matches("https://outlet.example/same-one/")

    assert [(m.article, m.how) for m in matches] == [(article, "primary_source")]


@postgres_only("SQLite splits a bulk insert into batches of its parameter limit: more items, more queries")
def test_matching_stays_set_based_whatever_the_number_of_urls():
    ArticleFactory(primary="https://outlet.example/one/")

    def queries(n: int) -> int:
        urls = [f"https://outlet.example/{i}" for i in range(n)] + ["https://outlet.example/one"]
        with CaptureQueriesContext(connection) as captured:
            receive_notice(channel="web", submission=submission(*urls, claimant_email=f"c{n}@x.example"))
        return len(captured)

    assert queries(2) == queries(300)


def test_the_fail_safe_never_withdraws_a_twin_and_the_reviewer_sees_it_as_one(staff_client, django_user_model):
    article = ArticleFactory(slug="odesa-port-strike")
    raw = (MAIL / "complete-trailing-slash.eml").read_bytes()
    notice = process_inbound(message_pk=store_inbound(raw, via="file").message.pk, now=timezone.now()).notice
    Notice.objects.filter(pk=notice.pk).update(verification=Notice.Verification.DKIM_ALIGNED)
    notice.refresh_from_db()
    assert notice.items.get(url__contains="worldtimetodays").matches.get().how == TWIN

    at = notice.due_at - safety_margin()
    enqueued: list[int] = []
    sweep(now=at, enqueue=enqueued.extend)
    for pk in enqueued:
        enforce(deadline_id=pk, now=at)

    article.refresh_from_db()
    assert article.status == "published"
    assert "never withdrawn automatically" in SlaBreach.objects.get(notice=notice).reason
    user = django_user_model.objects.get(username="staff")
    user.is_superuser = True
    user.save()
    page = staff_client.get(reverse("admin:compliance_notice_change", args=[notice.pk])).content.decode()
    assert "Same URL but for a trailing slash (candidate)" in page
