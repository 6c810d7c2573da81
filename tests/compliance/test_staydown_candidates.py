"""Candidate lookup by LSH key: only withdrawn articles for the gate, and a cap per key on PostgreSQL."""

import pytest

from articles.models import Article, LshBand
from compliance.staydown.candidates import WITHDRAWN, array_literal, articles_by_key
from tests.conftest import postgres_only
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_the_gate_sees_only_withdrawn_articles_holding_a_key():
    live, gone = ArticleFactory(), ArticleFactory(status=Article.Status.WITHDRAWN)
    LshBand.objects.bulk_create([LshBand(article=live, key=7), LshBand(article=gone, key=7),
                                 LshBand(article=gone, key=-8)])

    assert articles_by_key([7, -8, 9], status=WITHDRAWN) == {7: {gone.pk}, -8: {gone.pk}}
    assert articles_by_key([7]) == {7: {live.pk, gone.pk}}


@postgres_only("the cap per key is a LATERAL ... LIMIT")
def test_a_key_shared_by_many_articles_reads_at_most_the_cap(settings):
    settings.STAYDOWN_ROWS_PER_KEY = 3
    articles = ArticleFactory.create_batch(6)
    LshBand.objects.bulk_create([LshBand(article=a, key=42) for a in articles] + [LshBand(article=articles[0], key=5)])

    found = articles_by_key([42, 5])

    assert len(found[42]) == 3 and found[5] == {articles[0].pk}


def test_array_literals_quote_what_postgresql_would_misread():
    assert array_literal([1, -2]) == "{1,-2}"
    assert array_literal(['a"b', "c\\d", "e,f"]) == '{"a\\"b","c\\\\d","e,f"}'
