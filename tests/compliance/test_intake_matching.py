from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.urls import Resolver404, resolve, set_script_prefix
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from articles.models import Article
from articles.urlnorm import normalise_url
from compliance.models import AuditEntry, Notice, NoticeItem, NoticeItemMatch, OutboundMessage
from compliance.services.intake import receive_notice
from compliance.services.matching import _text_array, our_article_slug
from tests.compliance.intake_helpers import submission
from tests.conftest import postgres_only
from tests.factories import ArticleFactory, AssetFactory, SourceFactory

pytestmark = pytest.mark.django_db
PRIMARY = "https://edition.cnn.example/2022/05/16/europe/kharkiv-counteroffensive/index.html"


def _matches(notice: Notice) -> set[tuple[str, int]]:
    return {(m.how, m.asset_id or m.article_id) for m in NoticeItemMatch.objects.filter(item__notice=notice)}


def test_our_article_url_matches_that_article(settings):
    article = ArticleFactory(slug="ukrainian-army-secures-kharkiv")

    notice = receive_notice(channel="web", submission=submission(
        "https://worldtimetodays.example/articles/ukrainian-army-secures-kharkiv/")).notice

    assert _matches(notice) == {("exact_url", article.pk)}
    assert notice.items.get().state == NoticeItem.State.MATCHED


def test_primary_source_url_in_any_spelling_matches_every_republication():
    copies = [ArticleFactory(primary=PRIMARY, language=lang, slug=f"copy-{lang}") for lang in ("en", "de", "uk")]
    ArticleFactory(primary="https://edition.cnn.example/other.html")
    spelling = ("HTTPS://Edition.CNN.example:443/2022/05/16/europe/kharkiv-counteroffensive/index.html"
                "?utm_source=twitter&fbclid=IwAR0abc#comments")

    notice = receive_notice(channel="email", submission=submission(spelling)).notice

    assert _matches(notice) == {("primary_source", a.pk) for a in copies}
    assert notice.items.get().normalised_url == PRIMARY


def test_asset_url_matches_the_asset_and_leaves_the_article_alone():
    asset = AssetFactory(original_url="https://cdn.worldtimetodays.example/img/2022/05/biskvitne-tank.jpg")

    notice = receive_notice(channel="web", submission=submission(asset.original_url)).notice

    match = NoticeItemMatch.objects.get(item__notice=notice)
    assert (match.how, match.asset_id, match.article_id) == ("asset_url", asset.pk, asset.article_id)
    assert match.evidence["credit_line"] == asset.credit_line


def test_whole_domain_matches_everything_from_that_source_under_any_alias():
    source = SourceFactory(host="kyivindependent.example")
    mine = ArticleFactory.create_batch(3, source=source)
    ArticleFactory()

    notice = receive_notice(channel="web", submission=submission(domains=("m.kyivindependent.example",))).notice

    assert _matches(notice) == {("domain", a.pk) for a in mine}


def test_unmatched_items_stay_visible_as_unmatched():
    notice = receive_notice(channel="web", submission=submission("https://nowhere.example/a")).notice

    assert notice.items.get().state == NoticeItem.State.UNMATCHED


def test_evidence_records_the_content_hash_at_intake():
    article = ArticleFactory(primary=PRIMARY)

    notice = receive_notice(channel="api", submission=submission(PRIMARY)).notice

    match = NoticeItemMatch.objects.get(item__notice=notice)
    assert match.evidence_sha256 == article.content_sha256 and len(match.puid) >= 32
    assert match.evidence["status"] == Article.Status.PUBLISHED


def test_matching_uses_a_few_queries_whatever_the_number_of_urls(django_assert_max_num_queries):
    for n in range(30):
        ArticleFactory(primary=f"https://outlet.example/{n}.html", slug=f"story-{n}")
    many = submission(*[f"https://outlet.example/{n}.html" for n in range(30)],
                      *[f"https://worldtimetodays.example/articles/story-{n}/" for n in range(30)])

    with django_assert_max_num_queries(25):
        receive_notice(channel="api", submission=many)

    assert NoticeItemMatch.objects.filter(how="primary_source").count() == 30
    assert NoticeItemMatch.objects.filter(how="exact_url").count() == 30


def test_complete_notice_starts_the_clock_at_receipt_and_is_audited():
    received = timezone.now()

    notice = receive_notice(channel="email", submission=submission(PRIMARY), received_at=received).notice

    assert notice.status == Notice.Status.IN_REVIEW
    assert notice.clock_started_at == received and notice.due_at == received + timedelta(hours=24)
    entry = AuditEntry.objects.get(action="notice.received")
    assert entry.object_id == str(notice.pk)
    assert "legal@kyivindependent.example" not in entry.payload and "Marta" not in entry.payload


def test_incomplete_notice_waits_for_information_without_a_clock():
    notice = receive_notice(channel="email", submission=submission(PRIMARY, accuracy=False, signature="")).notice

    assert notice.status == Notice.Status.AWAITING_INFORMATION
    assert notice.missing_elements == ["accuracy", "signature"]
    assert notice.clock_started_at is None and notice.due_at is None
    ack = OutboundMessage.objects.get(notice=notice)
    assert "under penalty of perjury" in ack.body and "your signature" in ack.body


def test_acknowledgment_carries_the_reference_and_a_stored_message_id():
    received = receive_notice(channel="web", submission=submission(PRIMARY), needs_confirmation=True)

    ack = OutboundMessage.objects.get(notice=received.notice)
    assert ack.subject.startswith(f"[{received.notice.reference}]")
    assert ack.message_id.startswith("<") and ack.message_id.endswith("@worldtimetodays.example>")
    assert received.status_url in ack.body and "/takedown/confirm/" in ack.body
    assert received.notice.status == Notice.Status.AWAITING_CONFIRMATION


def test_same_notice_by_email_and_form_within_a_day_is_linked_as_duplicate():
    first = receive_notice(channel="email", submission=submission(PRIMARY, "https://outlet.example/x")).notice
    second = receive_notice(channel="web", submission=submission("https://outlet.example/x", PRIMARY + "?utm_source=a"),
                            received_at=timezone.now() + timedelta(hours=3)).notice
    later = receive_notice(channel="web", submission=submission(PRIMARY, "https://outlet.example/x"),
                           received_at=timezone.now() + timedelta(days=2)).notice

    assert second.duplicate_of == first and second.status == Notice.Status.CLOSED
    assert later.duplicate_of is None


def test_references_are_unique_and_status_tokens_are_stored_only_as_digests():
    received = [receive_notice(channel="web", submission=submission(f"https://a.example/{n}")) for n in range(20)]

    assert len({r.notice.reference for r in received}) == 20
    for r in received:
        assert r.status_token not in r.notice.status_token_digest and len(r.status_token) >= 40


def _slug_by_resolve(normalised_url: str) -> str:
    """What our_article_slug answered when it asked Django's resolve() about every URL."""
    parts = urlsplit(normalised_url)
    if parts.hostname not in settings.PUBLIC_HOSTS:
        return ""
    try:
        match = resolve(parts.path)
    except Resolver404:
        return ""
    return match.kwargs.get("slug", "") if match.view_name == "articles:detail" else ""


OUR_SPELLINGS = [
    "https://worldtimetodays.example/articles/ukrainian-army-secures-kharkiv/",
    "HTTP://WorldTimeToDays.example:80/articles/ukrainian-army-secures-kharkiv/?utm_source=rss#top",
    "https://www.worldtimetodays.example/articles/ukrainian-army-secures-kharkiv/",
    "https://worldtimetodays.example/articles/ukrainian-army-secures-kharkiv",
    "https://worldtimetodays.example/articles/ukrainian-army-secures-kharkiv/?page=2",
    "https://worldtimetodays.example/articles/./ukrainian-army-secures-kharkiv/",
    "https://worldtimetodays.example/articles/x/../ukrainian-army-secures-kharkiv/",
    "https://worldtimetodays.example/articles/ukrainian%2Darmy/",
    "https://worldtimetodays.example/articles/Ukrainian_Army_2022/",
    "https://worldtimetodays.example/articles/ukrainian-army/photos/",
    "https://worldtimetodays.example/articles/",
    "https://worldtimetodays.example/articles//",
    "https://worldtimetodays.example/Articles/ukrainian-army/",
    "https://worldtimetodays.example/articles/украина/",
    "https://worldtimetodays.example/articles/a.b/",
    "https://worldtimetodays.example:8443/articles/ukrainian-army/",
    "https://worldtimetodays.example/takedown/",
    "https://worldtimetodays.example/api/v1/notices/",
    "https://127.0.0.1/articles/ukrainian-army/",
    "https://elsewhere.example/articles/ukrainian-army-secures-kharkiv/",
    "https://m.worldtimetodays.example/articles/ukrainian-army-secures-kharkiv/",
]


@pytest.mark.parametrize("url", OUR_SPELLINGS)
def test_our_article_pages_are_recognised_as_django_resolves_them(url):
    normalised = normalise_url(url)

    assert our_article_slug(normalised) == _slug_by_resolve(normalised)


def test_our_article_page_in_any_spelling_gives_its_slug():
    assert {our_article_slug(normalise_url(url)) for url in OUR_SPELLINGS[:3]} == {"ukrainian-army-secures-kharkiv"}


PATH_PIECES = st.sampled_from(["articles", "articles/", "/", "a-slug", "A_Slug-2", "%2D", ".", "..", "x.y", "é",
                               "takedown", "api", "v1", "?", ";", "~", "admin", ""])


@hypothesis_settings(max_examples=300, deadline=None, database=None)
@given(st.sampled_from(["worldtimetodays.example", "www.worldtimetodays.example", "127.0.0.1",
                        "elsewhere.example", "worldtimetodays.example:8443"]),
       st.lists(PATH_PIECES, max_size=5).map(lambda pieces: "/" + "/".join(pieces)))
def test_any_url_is_recognised_as_django_resolves_it(host, path):
    url = f"https://{host}{path}"

    assert our_article_slug(url) == _slug_by_resolve(url)


@pytest.mark.parametrize("host", ["127.0.0.1", "::1"])
def test_article_pages_on_an_address_are_recognised_as_django_resolves_them(settings, host):
    settings.PUBLIC_HOSTS = [host]
    url = normalise_url(f"https://{'[::1]' if host == '::1' else host}/articles/ukrainian-army-secures-kharkiv/")

    assert our_article_slug(url) == _slug_by_resolve(url) == "ukrainian-army-secures-kharkiv"


def test_article_pages_are_recognised_as_resolve_does_under_a_script_prefix():
    url = "https://worldtimetodays.example/articles/ukrainian-army-secures-kharkiv/"
    set_script_prefix("/mounted/")
    try:
        assert our_article_slug(url) == _slug_by_resolve(url) == "ukrainian-army-secures-kharkiv"
    finally:
        set_script_prefix("/")


@postgres_only("the array literal is PostgreSQL's")
def test_lookup_values_reach_postgresql_unchanged():
    values = ["report-1-kharkiv", "a" * 64, "", "NULL", 'say "hi"', "back\\slash", "{braces}", "a,b", " pad ", "é"]

    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::text[]", [_text_array(values)])

        assert cursor.fetchone()[0] == values
