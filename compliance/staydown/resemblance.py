"""Verifying LSH candidates against withdrawn articles, exactly, on their shingle sets.

LSH only proposes; the decision uses the exact Jaccard and the containment of the shorter text
in the longer (an excerpt has a low Jaccard with its whole but is almost fully contained in it).
"""

from __future__ import annotations

from collections import Counter
from typing import Collection

import numpy as np
from django.conf import settings

from articles.fingerprints import Fingerprint, resemblance, shingle_set
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


def measure(text: Fingerprint, other: np.ndarray, article_id: int) -> Resemblance:
    jaccard, containment = resemblance(text.shingles, other)
    if min(text.size, len(other)) < _min_shingles():
        containment = jaccard
    return Resemblance(article_id, round(jaccard, 4), round(containment, 4))


def ranked_candidates(print_: Fingerprint, by_key: dict[int, set[int]], exclude: Collection[int] = (),
                      most: int | None = None) -> list[int]:
    """Candidates sharing the most keys first, at most STAYDOWN_MAX_CANDIDATES of them."""
    shared = Counter(a for key in print_.keys for a in by_key.get(key, ()) if a not in exclude)
    return [article_id for article_id, _ in shared.most_common(most or _max_candidates())]


def shingles_of(article_ids: set[int]) -> dict[int, np.ndarray]:
    return {pk: shingle_set(body) for pk, body in Article.objects.filter(pk__in=article_ids).values_list("id", "body")}


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
