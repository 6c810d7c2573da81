"""notice_match: a notice of 10,000 URLs matched against 1,000,000 articles on PostgreSQL, end to end.

`run` (called by bench/run.py) makes a fresh database and migrates it, then runs this file as a
worker process (Django, debug off) that loads the articles with COPY (bench/article_rows.py; not
timed) and times, three times each on fresh URLs and claimants, what intake does with a notice:

- service path: validate_items, Submission, receive_notice(channel="api"), which stores the notice,
  its items and matches, the deadlines, the audit entry and the queued acknowledgment;
- API path: POST /api/v1/notices/ through DRF's APIClient, serializer validation included.

Each run is checked: the stored items carry exactly the keys generated, the matches are exactly
those expected, by kind.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from article_rows import ASSET_EVERY, CDN, OUR_HOST, TWIN_EVERY, Synthetic, load
from common import (AT_MOST, BENCH, BenchError, Context, Result, count_label, expect, migrated_database, run_worker,
                    worker_main)

NAME = "notice_match"
BENCH_DB = "provenance_bench_intake"
GOAL_SECONDS = 2.0
ARTICLES, QUICK_ARTICLES = 1_000_000, 100_000
ITEMS, RUNS = 10_000, 3
# Of the notice's URLs: our article pages, primary sources (respelled), asset URLs, the rest unknown.
SHARES = {"ours": 0.35, "primary": 0.30, "asset": 0.15}


def run(context: Context) -> tuple[list[Result], str]:
    articles = QUICK_ARTICLES if context.quick else ARTICLES
    url, database = migrated_database(BENCH_DB, context)
    context.stage("load, then the notices")
    answer = run_worker(BENCH / "notice_match.py", ["--articles", str(articles), "--items", str(ITEMS),
                                                    "--runs", str(RUNS)], url=url, progress=context.progress)
    return results(answer), database


def results(answer: dict[str, Any]) -> list[Result]:
    label = f"notice of {count_label(answer['items'])} URLs against {count_label(answer['articles'])} articles"
    common = {"loading": answer["loading"]}
    out = []
    for path, what in (("service", "validate_items + receive_notice"), ("api", "POST /api/v1/notices/")):
        runs = answer[path]
        median = statistics.median(r["seconds"] for r in runs)
        out.append(Result(f"{label}, {what} (median of {len(runs)})", GOAL_SECONDS, round(median, 2), "s",
                          {"seconds": round(median, 2), "runs": runs, **common,
                           **({"serializer_seconds": answer["serializer_seconds"]} if path == "api" else {})},
                          goal_kind=AT_MOST))
    return out


# --- the worker: notices ----------------------------------------------------------------

@dataclass
class NoticeBody:
    urls: list[str] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)
    matches: Counter[str] = field(default_factory=Counter)

    def add(self, url: str, canonical: str, *, how: str = "", matches: int = 0) -> None:
        from articles.urlnorm import url_key

        self.urls.append(url)
        self.keys.add(url_key(canonical))
        if how:
            self.matches[how] += matches


class Picker:
    """Article indices for every run at once, so no URL is named twice (caches stay cold)."""

    def __init__(self, synthetic: Synthetic, items: int, runs: int, rng: random.Random):
        n = synthetic.count
        wanted = {name: int(items * share) * runs for name, share in SHARES.items()}
        non_twins = n // TWIN_EVERY * (TWIN_EVERY - 1)
        if wanted["ours"] > n or wanted["primary"] > non_twins or wanted["asset"] > n // ASSET_EVERY:
            raise BenchError(f"{n} articles are too few for {runs} notices of {items} URLs")
        self.pools = {
            "ours": rng.sample(range(n), wanted["ours"]),
            # never a twin, so that two items of one notice never name the same primary source
            "primary": [m // (TWIN_EVERY - 1) * TWIN_EVERY + m % (TWIN_EVERY - 1)
                        for m in rng.sample(range(non_twins), wanted["primary"])],
            "asset": [a * ASSET_EVERY for a in rng.sample(range(n // ASSET_EVERY), wanted["asset"])],
        }
        self.per_run = {name: len(pool) // runs for name, pool in self.pools.items()}

    def take(self, name: str, run: int) -> list[int]:
        size = self.per_run[name]
        return self.pools[name][run * size:(run + 1) * size]


def respell(url: str, rng: random.Random) -> str:
    """Another spelling of the same resource, as a claimant would paste it."""
    scheme, rest = url.split("://", 1)
    host, _, path = rest.partition("/")
    choice = rng.randrange(8)
    if choice == 1:
        host = "".join(c.upper() if rng.random() < 0.5 else c for c in host)
    elif choice == 2:
        host += ":443"
    elif choice == 3:
        scheme = "http"
    elif choice == 4:
        path += "?utm_source=newsletter&utm_medium=email&utm_campaign=kharkiv"
    elif choice == 5:
        path += "#comments"
    elif choice == 6:
        path += f"?fbclid=IwAR{rng.getrandbits(64):x}"
    elif choice == 7:
        scheme, host, path = "HTTPS", host.upper() + ":443", path + "?utm_source=rss#top"
    return f"{scheme}://{host}/{path}"


def notice_body(synthetic: Synthetic, picker: Picker, run: int, items: int, rng: random.Random) -> NoticeBody:
    body = NoticeBody()
    for index in picker.take("ours", run):
        url = synthetic.our_url(index)
        body.add(url if rng.random() < 0.6 else respell(url, rng), url, how="exact_url", matches=1)
    for index in picker.take("primary", run):
        url = synthetic.primary_url(index)
        body.add(respell(url, rng), url, how="primary_source", matches=synthetic.copies_of_primary(index))
    for index in picker.take("asset", run):
        url = synthetic.asset_url(index)
        body.add(url if rng.random() < 0.5 else respell(url, rng), url, how="asset_url", matches=1)
    unknown = items - len(body.urls)
    for j in range(unknown):
        url = [f"https://{OUR_HOST}/articles/no-such-article-{run}-{j}/",
               synthetic.primary_url(synthetic.count + run * items + j),
               f"https://unrelated-{j % 40}.example/news/{run}/{j}.html",
               f"https://{CDN}/img/2031/01/photo-missing-{run}-{j}.jpg"][j % 4]
        body.add(respell(url, rng), url)
    rng.shuffle(body.urls)
    expect(f"distinct keys of notice {run}", len(body.keys), items)
    return body


def check_stored(notice: Any, body: NoticeBody) -> int:
    from compliance.models import NoticeItem, NoticeItemMatch

    keys = list(NoticeItem.objects.filter(notice=notice).values_list("url_key", flat=True))
    expect(f"items stored for {notice.reference}", len(keys), len(body.urls))
    expect(f"item keys of {notice.reference} equal to those generated", set(keys) == body.keys, True)
    matches = Counter(NoticeItemMatch.objects.filter(item__notice=notice).values_list("how", flat=True))
    expect(f"matches of {notice.reference} by kind", dict(matches), dict(body.matches))
    return sum(matches.values())


def service_run(body: NoticeBody, run: int) -> dict[str, Any]:
    from compliance.parsing.submission import ItemInput, Submission, validate_items
    from compliance.services.intake import receive_notice

    load_average, cpu, started = os.getloadavg()[0], time.process_time(), time.perf_counter()
    items, errors = validate_items([ItemInput(url=url) for url in body.urls])
    validated = time.perf_counter()
    if errors:
        raise BenchError(f"validate_items refused {len(errors)} URLs, e.g. {next(iter(errors.values()))}")
    submission = Submission(
        claimant_name=f"Bench Claimant {run}", claimant_email=f"claimant-{run}@rights-holder.example",
        items=tuple(items), work_description="Our reporting, republished without a licence.",
        good_faith=True, accuracy=True, signature=f"Bench Claimant {run}")
    received = receive_notice(channel="api", submission=submission, sender=None)
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 3), "validate_items_seconds": round(validated - started, 3),
            "receive_notice_seconds": round(seconds - (validated - started), 3),
            "cpu_seconds": round(time.process_time() - cpu, 3), "load_average_1m_before": round(load_average, 2),
            "matches": check_stored(received.notice, body), "expected_matches": dict(body.matches),
            "reference": received.notice.reference}


def api_payload(body: NoticeBody, run: int) -> dict[str, Any]:
    return {"kind": "copyright", "work_description": "Our reporting, republished without a licence.",
            "claimant": {"name": f"API Claimant {run}", "email": f"api-claimant-{run}@rights-holder.example",
                         "address": "1 Khreshchatyk Street, Kyiv"},
            "statements": {"good_faith": True, "accuracy_under_penalty_of_perjury": True},
            "signature": f"API Claimant {run}", "items": [{"url": url} for url in body.urls]}


def api_run(client: Any, body: NoticeBody, run: int) -> dict[str, Any]:
    from compliance.models import Notice

    encoded = json.dumps(api_payload(body, run))
    load_average, cpu, started = os.getloadavg()[0], time.process_time(), time.perf_counter()
    response = client.post("/api/v1/notices/", data=encoded, content_type="application/json")
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu
    if response.status_code != 201:
        raise BenchError(f"the API answered {response.status_code}: {response.content[:300]!r}")
    notice = Notice.objects.get(reference=response.json()["reference"])
    return {"seconds": round(seconds, 3), "cpu_seconds": round(cpu_seconds, 3), "body_bytes": len(encoded),
            "load_average_1m_before": round(load_average, 2), "matches": check_stored(notice, body),
            "expected_matches": dict(body.matches), "reference": notice.reference}


def api_client() -> Any:
    from django.contrib.auth.models import Group, User
    from rest_framework.test import APIClient

    from compliance.roles import NOTICE_SENDER

    user = User.objects.create_user("bench-sender", email="sender@rights-holder.example")
    user.groups.add(Group.objects.get(name=NOTICE_SENDER))
    client = APIClient()
    client.force_authenticate(user=User.objects.get(pk=user.pk))
    return client


def serializer_seconds(body: NoticeBody) -> float:
    """DRF's validation of the request alone, to show its share of the API path."""
    from compliance.api.serializers import NoticeInputSerializer

    payload = json.loads(json.dumps(api_payload(body, 0)))
    started = time.perf_counter()
    if not NoticeInputSerializer(data=payload).is_valid():
        raise BenchError("the API payload does not validate")
    return round(time.perf_counter() - started, 3)


def warm_up() -> None:
    """What a serving process has done before its first notice: load the URLconf (matching reads
    our article route from it) and open its database connection."""
    from django.db import connection
    from django.urls import get_resolver

    from compliance.services.matching import our_article_slug

    get_resolver().url_patterns
    our_article_slug(f"https://{OUR_HOST}/articles/warm-up/")
    connection.ensure_connection()


def worker(argv: list[str]) -> dict[str, Any]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--articles", type=int, default=ARTICLES)
    parser.add_argument("--items", type=int, default=ITEMS)
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)
    synthetic = Synthetic(args.articles)
    loaded = load(synthetic, progress=not args.no_progress)
    rng = random.Random(2026)
    picker = Picker(synthetic, args.items, 2 * args.runs, rng)
    bodies = [notice_body(synthetic, picker, run, args.items, rng) for run in range(2 * args.runs)]
    warm_up()
    service = [service_run(bodies[run], run) for run in range(args.runs)]
    client = api_client()
    api = [api_run(client, bodies[args.runs + run], run) for run in range(args.runs)]
    return {"articles": args.articles, "items": args.items, "loading": loaded, "service": service, "api": api,
            "serializer_seconds": serializer_seconds(bodies[0])}


if __name__ == "__main__":
    raise SystemExit(worker_main(worker))
