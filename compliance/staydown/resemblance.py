"""Verifying LSH candidates against withdrawn articles, exactly, on their shingle sets.

LSH only proposes; the decision uses the exact Jaccard and the containment of the shorter text
in the longer (an excerpt has a low Jaccard with its whole but is almost fully contained in it).
"""

from __future__ import annotations

from collections import Counter
from typing import Collection

from django.conf import settings

from articles.fingerprints import Fingerprint, resemblance, shingle_set, trigram_set
from articles.models import Article
from articles.publishing import Resemblance
from compliance.staydown.candidates import WITHDRAWN, articles_by_key


def hold_at() -> float:
    return getattr(settings, "STAYDOWN_HOLD_AT", 0.8)


def review_at() -> float:
    return getattr(settings, "STAYDOWN_REVIEW_AT", 0.5)


def _min_shingles() -> int:
    """Below this many shingles a text is a quote, too short to be contained in anything meaningfully."""
    return getattr(settings, "STAYDOWN_MIN_SHINGLES", 15)


def _max_candidates() -> int:
    return getattr(settings, "STAYDOWN_MAX_CANDIDATES", 20)


def measure(text: Fingerprint, other: Fingerprint, article_id: int) -> Resemblance:
    """Jaccard on 5-word shingles; containment the larger of the 5-word and the 3-word one, since a copy
    with one word in ten changed keeps 73% of its 3-word shingles but only 59% of its 5-word ones."""
    jaccard, containment = resemblance(text.shingles, other.shingles)
    if min(text.size, other.size) < _min_shingles():
        containment = jaccard
    trigram_jaccard, trigram_containment = resemblance(text.trigrams, other.trigrams)
    if min(len(text.trigrams), len(other.trigrams)) < _min_shingles():
        trigram_containment = trigram_jaccard
    return Resemblance(article_id, round(jaccard, 4), round(max(containment, trigram_containment), 4))


def ranked_candidates(print_: Fingerprint, by_key: dict[int, set[int]], exclude: Collection[int] = (),
                      most: int | None = None) -> list[int]:
    """Candidates sharing the most keys first, at most STAYDOWN_MAX_CANDIDATES of them."""
    shared = Counter(a for key in print_.keys for a in by_key.get(key, ()) if a not in exclude)
    return [article_id for article_id, _ in shared.most_common(most or _max_candidates())]


def shingles_of(article_ids: set[int]) -> dict[int, Fingerprint]:
    """What verification compares of each stored article (its keys are not needed here)."""
    return {pk: Fingerprint((), shingle_set(body), trigram_set(body))
            for pk, body in Article.objects.filter(pk__in=article_ids).values_list("id", "body")}


def withdrawn_resemblances(prints: list[Fingerprint]) -> list[tuple[Resemblance, ...]]:
    """For each text, the withdrawn articles it resembles at or above the review threshold, best first."""
    by_key = articles_by_key((key for p in prints for key in p.keys), status=WITHDRAWN)
    candidates = [ranked_candidates(p, by_key) for p in prints]
    texts = shingles_of({a for found in candidates for a in found})
    out = []
    for print_, found in zip(prints, candidates):
        measured = (measure(print_, texts[a], a) for a in found if a in texts)
        out.append(tuple(sorted((r for r in measured if r.score >= review_at()), key=lambda r: -r.score)))
    return out
