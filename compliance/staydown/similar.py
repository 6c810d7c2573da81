"""Articles that look like given ones, for staff reviewing a notice: "these 12 other articles
look like the one reported". Any status; scored exactly, like the gate's candidates."""

from __future__ import annotations

from dataclasses import dataclass

from articles.fingerprints import fingerprint
from articles.models import Article
from articles.publishing import Resemblance
from compliance.staydown.candidates import articles_by_key
from compliance.staydown.resemblance import measure, ranked_candidates, review_at, shingles_of


@dataclass(frozen=True)
class SimilarArticle:
    article_id: int
    title: str
    status: str
    like_article_id: int  # which of the given articles it resembles most
    jaccard: float
    containment: float

    @property
    def score(self) -> float:
        return max(self.jaccard, self.containment)


def similar_articles(article_ids: list[int], limit: int = 20) -> list[SimilarArticle]:
    """Other articles resembling any of these at STAYDOWN_REVIEW_AT or above, best first."""
    given = set(article_ids)
    prints = {pk: fingerprint(body) for pk, body in Article.objects.filter(pk__in=given).values_list("id", "body")}
    by_key = articles_by_key(key for print_ in prints.values() for key in print_.keys)
    candidates = {pk: ranked_candidates(print_, by_key, exclude=given, most=max(limit * 2, 20))
                  for pk, print_ in prints.items()}
    texts = shingles_of({a for found in candidates.values() for a in found})
    best: dict[int, tuple[int, Resemblance]] = {}
    for pk, found in candidates.items():
        for other in (a for a in found if a in texts):
            measured = measure(prints[pk], texts[other], other)
            if measured.score >= review_at() and (other not in best or measured.score > best[other][1].score):
                best[other] = (pk, measured)
    facts = {pk: (title, status) for pk, title, status in
             Article.objects.filter(pk__in=best).values_list("id", "title", "status")}
    similar = [SimilarArticle(other, *facts[other], like_article_id=pk, jaccard=m.jaccard, containment=m.containment)
               for other, (pk, m) in best.items()]
    return sorted(similar, key=lambda s: (-s.score, s.article_id))[:limit]
