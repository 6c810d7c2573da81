"""Stay-down on real-looking text: short withdrawn articles come back edited (one word in ten) and are
still caught, by a candidate search that does not rely on LSH bands alone; unrelated ones publish."""

import pytest

from articles.fingerprints import fingerprint
from articles.models import Article, StayDownMatch
from articles.ingestion.page import ingest_page
from articles.actors import Actor
from compliance.services.withdrawal import withdraw_article
from compliance.staydown.candidates import WITHDRAWN, articles_by_key
from tests.articles.pages import news_page

pytestmark = pytest.mark.django_db

ONE_PARAGRAPH = (
    "The ferry between the two islands will run twice a day from next week, the operator said on Friday, after "
    "a winter in which storms cancelled almost a third of the crossings and left villagers without deliveries.",
)
THREE_PARAGRAPHS = (
    "A colony of grey seals has returned to the sandbank at the mouth of the estuary for the first time in "
    "twenty years, wardens said.",
    "Volunteers counted forty-two adults and eleven pups on Sunday morning from a boat that kept its distance.",
    "The wardens asked walkers to keep dogs on a lead near the dunes until the pups leave at the end of March.",
)
SHORT_LINES = (
    "Opening hours: nine to five", "Closed on public holidays", "Tickets at the harbour office",
    "Children under twelve go free", "Bicycles travel at no charge", "Dogs must stay on deck",
    "Last boat leaves at six", "Timetable changes in October", "Parking by the old customs house",
    "Cafe on board serves soup", "Wheelchair access on both decks", "Lost property at the office",
)
UNRELATED = (
    "The council approved a new cycle lane along the river embankment, which will link the railway station "
    "with the university campus by the autumn, and closed the old car park near the market for good.",
    "Ticket prices at the city museum rise by one euro in May; the museum said the money pays for a new "
    "roof over the gallery of maritime paintings, which has leaked since a storm two winters ago.",
)
REPLACEMENTS = ["lantern", "copper", "meadow", "violet", "harbour", "thistle", "granite", "willow"]


def edited(paragraphs: tuple[str, ...]) -> tuple[str, ...]:
    """Every tenth word replaced by another word, as a rewriting aggregator does."""
    count, out = 0, []
    for paragraph in paragraphs:
        words = []
        for word in paragraph.split():
            count += 1
            words.append(REPLACEMENTS[count % len(REPLACEMENTS)] if count % 10 == 0 else word)
        out.append(" ".join(words))
    return tuple(out)


def _ingest(paragraphs: tuple[str, ...], url: str, title: str = "Island news", body: str = "") -> Article:
    return ingest_page(html=news_page(title=title, paragraphs=paragraphs, body=body), source_url=url).article


def _withdrawn(paragraphs: tuple[str, ...], url: str, body: str = "") -> Article:
    article = _ingest(paragraphs, url, body=body)
    return withdraw_article(article_id=article.pk, actor=Actor.parse("user:1"), reason="copyright notice", reference="TD-2026-AAAAA2")


@pytest.mark.parametrize("original", [ONE_PARAGRAPH, THREE_PARAGRAPHS, SHORT_LINES],
                         ids=["one paragraph", "three paragraphs", "list of short lines"])
def test_an_edited_copy_of_a_short_withdrawn_article_is_caught(original):
    withdrawn = _withdrawn(original, "https://islands.example/news/1")
    copy_text = edited(original)
    # The candidate search finds the original from the copy's keys, whatever its bands say.
    shared = articles_by_key(fingerprint("\n\n".join(copy_text)).keys, status=WITHDRAWN)
    assert any(withdrawn.pk in found for found in shared.values())

    copy = _ingest(copy_text, "https://mirror.example/islands/1", title="Island news again")

    match = StayDownMatch.objects.get(article=copy)
    assert match.withdrawn_article_id == withdrawn.pk
    assert match.score >= 0.5  # held, or at least sent to review
    assert copy.status == Article.Status.HELD or match.outcome == StayDownMatch.Outcome.SUGGESTED


def test_an_edited_copy_of_a_long_withdrawn_article_is_caught():
    long_text = THREE_PARAGRAPHS + ONE_PARAGRAPH + UNRELATED + tuple(" ".join(SHORT_LINES[i:i + 4]) + "."
                                                                     for i in range(0, 12, 4))
    withdrawn = _withdrawn(long_text, "https://islands.example/news/long")
    copy = _ingest(edited(long_text), "https://mirror.example/islands/long", title="Island round-up")
    match = StayDownMatch.objects.get(article=copy)
    assert (match.withdrawn_article_id, match.score >= 0.5) == (withdrawn.pk, True)


def test_unrelated_short_articles_are_neither_held_nor_suggested():
    _withdrawn(ONE_PARAGRAPH, "https://islands.example/news/1")
    _withdrawn(SHORT_LINES, "https://islands.example/news/2")
    for index, paragraph in enumerate(UNRELATED):
        article = _ingest((paragraph,), f"https://city.example/news/{index}", title=f"City news {index}")
        assert article.status == Article.Status.PUBLISHED
    assert not StayDownMatch.objects.exists()


def test_the_original_itself_and_a_same_topic_article_are_not_held():
    original = _ingest(THREE_PARAGRAPHS, "https://islands.example/news/seals")
    other_topic = ("Seal pups were counted again on the sandbank this week; the wardens now report fifteen of them "
                   "and ask boat owners to stay two hundred metres away from the colony.",)
    assert original.status == Article.Status.PUBLISHED
    assert _ingest(other_topic, "https://other.example/seals", title="Seals").status == Article.Status.PUBLISHED


def test_a_placeholder_picture_of_a_withdrawn_article_holds_nothing_else():
    placeholder = '<figure><img src="/assets/missing-image.svg"><figcaption>Boats. Photo: A. Lee</figcaption></figure>'
    withdrawn = _withdrawn(ONE_PARAGRAPH, "https://islands.example/news/1", body=placeholder)
    assert not withdrawn.assets.exists()
    other = _ingest(UNRELATED[:1], "https://islands.example/news/2", title="Cycle lane", body=placeholder)
    assert other.status == Article.Status.PUBLISHED
