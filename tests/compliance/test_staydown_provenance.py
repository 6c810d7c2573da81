"""Stay-down by provenance: what text cannot see (translations) is caught by the primary source,
the assets and the source; bulk import consults the same gate, batch by batch."""

import copy
import json

import pytest

from articles.fingerprints import BANDS, SHORT_TEXT_KEYS, fingerprint
from articles.models import Article, LshBand, Source, StayDownMatch
from articles.services.importer import import_lines
from articles.actors import Actor
from compliance.models import AuditEntry
from compliance.services.intake import receive_notice
from compliance.services.withdrawal import withdraw_article, withdraw_asset
from tests.compliance.intake_helpers import submission

pytestmark = pytest.mark.django_db

PHOTO_HASH = "ab" * 32
ORIGINAL = {
    "title": "Grain ships leave Odesa under the new corridor agreement",
    "body": "Three ships loaded with maize left the port of Odesa on Friday, the first since the corridor "
            "agreement was signed in Istanbul last week, the infrastructure ministry said.\n\n"
            "Insurers had hesitated to cover the voyages, and shipowners waited for the first convoy to pass "
            "the mined waters near the coast before committing their vessels to the route.\n\n"
            "Farmers in the south say their silos are still full from last year's harvest and that prices "
            "will only recover once dozens of ships a week can sail from the three ports of the region.",
    "language": "en",
    "primary_source_url": "https://kyivindependent.example/2022/08/grain-ships",
    "source": {"name": "Kyiv Independent", "host": "kyivindependent.example"},
    "assets": [{"kind": "photo", "url": "https://cdn.example/img/odesa-port.jpg", "sha256": PHOTO_HASH,
                "credit_line": "Photo by Anna Kovalenko/Pictura Images"}],
}
TRANSLATION = {
    "title": "Getreideschiffe verlassen Odesa",
    "body": "Drei mit Mais beladene Schiffe haben am Freitag den Hafen von Odesa verlassen, die ersten seit "
            "der Unterzeichnung des Korridorabkommens in Istanbul, teilte das Infrastrukturministerium mit.",
    "language": "de",
}


def run_import(*records: dict):
    return import_lines(((n, json.dumps(r)) for n, r in enumerate(records, 1)), actor="test:import")


def imported(record: dict) -> Article:
    run_import(record)
    return Article.objects.get(title=record["title"])


@pytest.fixture
def original() -> Article:
    article = imported(ORIGINAL)
    assert article.status == Article.Status.PUBLISHED and LshBand.objects.filter(article=article).count() == BANDS + 3 + SHORT_TEXT_KEYS  # bands, paragraphs, short text
    return article


def variant(**changes) -> dict:
    record = copy.deepcopy(ORIGINAL)
    record.update(changes)
    return record


def test_a_translation_of_a_withdrawn_article_is_held_by_its_primary_source(original):
    withdraw_article(article_id=original.pk, actor=Actor.parse("user:1"), reason="notice", reference="TD-2026-AAAAA2")

    translated = imported(variant(**TRANSLATION, assets=[]))

    assert translated.status == Article.Status.HELD and translated.held_match_id == original.pk
    assert "primary source" in translated.status_reason
    assert AuditEntry.objects.filter(action="article.held", object_id=str(translated.pk)).count() == 1


def test_a_translation_elsewhere_with_the_same_photo_is_held_by_the_asset(original):
    withdraw_article(article_id=original.pk, actor=Actor.parse("user:1"), reason="notice", reference="TD-2026-AAAAA2")

    elsewhere = imported(variant(**TRANSLATION, primary_source_url="https://mirror.example/getreide"))

    assert elsewhere.status == Article.Status.HELD and elsewhere.held_match_id == original.pk
    assert "asset" in elsewhere.status_reason


def test_a_withdrawn_photo_is_caught_by_its_file_hash_under_another_url(original):
    withdraw_asset(asset_id=original.assets.get().pk, actor=Actor.parse("user:1"), reason="photo agency notice")

    other = imported(variant(**TRANSLATION, primary_source_url="https://mirror.example/getreide",
                             assets=[{"kind": "photo", "url": "https://img.mirror.example/1.jpg", "sha256": PHOTO_HASH}]))

    assert other.status == Article.Status.HELD and "file withdrawn" in other.status_reason
    assert Article.objects.get(pk=original.pk).status == Article.Status.PUBLISHED


def test_a_do_not_republish_source_is_held(original):
    Source.objects.filter(pk=original.source_id).update(policy=Source.Policy.DO_NOT_REPUBLISH)

    later = imported(variant(title="Another report", body="Something else entirely, said the port authority.",
                             primary_source_url="https://kyivindependent.example/2022/08/other", assets=[]))

    assert later.status == Article.Status.HELD and "do-not-republish" in later.status_reason


def test_a_notice_on_the_whole_domain_holds_new_articles_from_it(original):
    notice = receive_notice(channel="web", submission=submission(domains=("https://m.kyivindependent.example/",))).notice

    later = imported(variant(title="Another report", body="Something else entirely, said the port authority.",
                             primary_source_url="https://kyivindependent.example/2022/08/other", assets=[]))
    unrelated = imported(variant(title="Elsewhere", body="Other news.", primary_source_url="https://else.example/a",
                                 source={"name": "Else", "host": "else.example"}, assets=[]))

    assert later.status == Article.Status.HELD and notice.reference in later.status_reason
    assert unrelated.status == Article.Status.PUBLISHED


def test_a_notice_naming_a_primary_source_we_never_had_holds_it_when_it_arrives():
    notice = receive_notice(channel="web", submission=submission("https://kyivindependent.example/2022/08/grain-ships")).notice

    article = imported(ORIGINAL)

    assert article.status == Article.Status.HELD and notice.reference in article.status_reason


def test_bulk_import_holds_copies_in_the_batch_and_publishes_the_rest(original):
    withdraw_article(article_id=original.pk, actor=Actor.parse("user:1"), reason="notice", reference="TD-2026-AAAAA2")
    paragraphs = ORIGINAL["body"].split("\n\n")
    edited = ORIGINAL["body"].replace("Three ships", "Three cargo ships")
    copies = [
        variant(title="Copy", body=edited, primary_source_url="https://copy.example/1", assets=[]),
        variant(title="Excerpt", body="\n\n".join(paragraphs[1:]), primary_source_url="https://copy.example/2",
                assets=[]),
        variant(title="Fresh", body="Power was restored to the eastern districts of Kharkiv on Sunday after "
                                    "engineers repaired the substation hit by shelling last week.",
                primary_source_url="https://copy.example/3", assets=[]),
    ]

    report = run_import(*copies)

    assert (report.created, report.held) == (3, 2)
    statuses = dict(Article.objects.filter(title__in=["Copy", "Excerpt", "Fresh"]).values_list("title", "status"))
    assert statuses == {"Copy": "held", "Excerpt": "held", "Fresh": "published"}
    assert set(StayDownMatch.objects.values_list("article__title", "outcome")) == {("Copy", "held"), ("Excerpt", "held")}
    assert AuditEntry.objects.filter(action="article.held").count() == 2
    assert LshBand.objects.filter(article__title="Fresh").exists()


def test_reimporting_changed_text_replaces_the_stored_fingerprint(original):
    before = set(LshBand.objects.filter(article=original).values_list("key", flat=True))

    body = ORIGINAL["body"] + "\n\nA fourth paragraph was added by the editors on Saturday morning."
    run_import(variant(body=body))

    after = list(LshBand.objects.filter(article=original).values_list("key", flat=True))
    assert sorted(after) == sorted(fingerprint(body).keys) and set(after) != before


def test_articles_stored_before_stay_down_are_fingerprinted_by_the_backfill(capsys):
    from django.core.management import call_command

    from tests.factories import ArticleFactory

    old = ArticleFactory(body=ORIGINAL["body"])
    withdraw_article(article_id=old.pk, actor=Actor.parse("user:1"), reason="notice", reference="TD-2026-AAAAA3")
    assert imported(variant(primary_source_url="https://copy.example/9", assets=[])).status == Article.Status.PUBLISHED

    call_command("fingerprint_articles", "--no-progress")

    assert "1 articles fingerprinted" in capsys.readouterr().out  # the copy has its own already
    assert imported(variant(primary_source_url="https://copy.example/10", title="Again", assets=[])).status == "held"
