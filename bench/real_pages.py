"""real_pages: provenance read from a folder of saved real news pages, measured.

    .venv/bin/python bench/real_pages.py --pages /work/data/trafilatura/tests/cache

Each page is ingested with `ingest_page` (the service `manage.py ingest_article` calls) on a fresh
PostgreSQL database, `provenance_bench_pages`, with the URL it was saved from as the source URL.
The URLs come from a JSON file mapping URL -> {"file": name} (trafilatura's `tests/evaldata.json`
layout), found as --urls, or as evaldata.json in the folder or its parent. Pages are never copied
into the repository. Printed:

- pages stored, refused (with reasons) and failed (an exception other than a one-line refusal);
- share with a rights holder, and where it was read;
- credits split: captioned figures whose credit names someone, holders that are not captions;
- photos with a real address: stored photo addresses that are not placeholders, and placeholders refused;
- dates that are placeholders: stored dates before 1990 or in the future (must be 0), dates from a URL path;
- for every known address of every stored article (given URL, canonical, og:url, AMP/mobile, the
  original of a syndicated copy): whether a notice naming it, and a notice naming its domain, reaches it.

Not part of bench/run.py: it measures correctness on material outside the repository, not speed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from common import BenchError, Context, migrated_database, run_worker, worker_main

BENCH_DB = "provenance_bench_pages"
HERE = Path(__file__).resolve()


def url_map(pages: Path, urls: Path | None) -> dict[str, str]:
    """File name -> the URL the page was saved from."""
    candidates = [urls] if urls else [pages / "evaldata.json", pages.parent / "evaldata.json"]
    for path in candidates:
        if path and path.is_file():
            data = json.loads(path.read_text(encoding="utf-8"))
            # Some keys are not URLs ("hard::name.html"): those pages have no known address and are left out.
            return {entry["file"]: url for url, entry in data.items()
                    if isinstance(entry, dict) and entry.get("file") and url.startswith(("http://", "https://"))}
    raise BenchError(f"no URL map: give --urls FILE (none of {', '.join(map(str, candidates))} exists)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=Path, required=True, help="folder of saved .html pages")
    parser.add_argument("--urls", type=Path, help="JSON mapping URL -> {'file': name}")
    parser.add_argument("--limit", type=int, default=0, help="at most this many pages (0: all)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args()
    try:
        if not args.pages.is_dir():
            raise BenchError(f"not a folder: {args.pages}")
        mapping = url_map(args.pages, args.urls)
        context = Context(count=0, command=" ".join(sys.argv), progress=False)
        url, _ = migrated_database(BENCH_DB, context)
        worker_args = ["--pages", str(args.pages.resolve()), "--map", json.dumps(mapping), "--limit", str(args.limit)]
        answer = run_worker(HERE, worker_args, url=url, progress=False)
    except BenchError as exc:
        print(f"real_pages: {exc}", file=sys.stderr)
        return 2
    report(answer)
    if args.json:
        print(json.dumps(answer, indent=2))
    return 0


def share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.0f}%)" if whole else f"{part}/0"


def report(a: dict[str, Any]) -> None:
    p, r, c, ph, d, n = a["pages"], a["rights"], a["credits"], a["photos"], a["dates"], a["notices"]
    print(f"pages: {p['files']} files with a known URL, {p['stored']} stored, {p['refused']} refused, "
          f"{p['failed']} failed, {p['seconds']:.1f} s")
    for reason, count in p["refusals"].items():
        print(f"  refused ({count}): {reason}")
    for reason, count in p["failures"].items():
        print(f"  FAILED ({count}): {reason}")
    print(f"with a rights holder: {share(r['with_holder'], p['stored'])}; read from: "
          + ", ".join(f"{where} {count}" for where, count in r["sources"].items()))
    print(f"syndicated copies (original elsewhere): {r['syndicated']}")
    print(f"credits: {c['captioned']} captioned figures stored, {c['with_credit']} with a credit line, "
          f"{share(c['split'], c['with_credit'])} split to a holder or creator; "
          f"holders over 60 characters: {c['long_holders']}; holder equal to the caption: {c['caption_holders']}")
    print("  credits read from: " + ", ".join(f"{k} {v}" for k, v in c["sources"].items()))
    print(f"photos: {share(ph['real'], ph['stored'])} stored photo addresses are real (not a placeholder); "
          f"placeholder addresses stored: {ph['placeholders_stored']}; refused as placeholders: "
          f"{ph['refused_placeholders']}; other parts refused: {ph['refused_other']}")
    print(f"dates: {d['with_date']} stored ({d['declared']} declared, {d['url_path']} from the URL path); "
          f"placeholder dates stored: {d['placeholders_stored']}")
    print(f"notices: {share(n['url_reached'], n['addresses'])} known addresses reach their article by URL "
          f"({n['articles_all_reached']}/{p['stored']} articles reached by every address); "
          f"{share(n['domain_reached'], n['domains'])} of their domains reach it by a domain notice")
    for kind, (reached, total) in n["by_kind"].items():
        print(f"  {kind}: {reached}/{total}")
    sd = a["staydown"]
    print(f"stay-down on real text ({sd['withdrawn']} articles withdrawn, one word in ten changed in each copy):")
    for kind, row in sd["copies"].items():
        print(f"  {kind}: {share(row['held'] + row['review'], row['total'])} caught "
              f"({row['held']} held, {row['review']} to review; held as a copy of another article: "
              f"{row['held_wrongly']})")
    print(f"  articles not withdrawn, checked as they are: {sd['others_held']} of {sd['others']} held, "
          f"{sd['others_review']} sent to review")


# --- the worker (Django, on the bench database) ----------------------------------------------

def worker(argv: list[str]) -> dict[str, Any]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--no-progress", action="store_true")
    parser.add_argument("--pages", type=Path)
    parser.add_argument("--map")
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args(argv)
    from articles.ingestion.page import IngestError, ingest_page

    mapping: dict[str, str] = json.loads(args.map)
    files = sorted(f for f in args.pages.iterdir() if f.name in mapping and f.suffix in (".html", ".htm"))
    if args.limit:
        files = files[:args.limit]
    refusals: Counter[str] = Counter()
    failures: Counter[str] = Counter()
    stored: dict[int, str] = {}
    started = time.perf_counter()
    for path in files:
        try:
            result = ingest_page(html=path.read_bytes(), source_url=mapping[path.name], actor="bench:real_pages")
            stored[result.article.pk] = path.name
        except IngestError as exc:
            refusals[str(exc)[:120]] += 1
        except Exception as exc:  # counted, not hidden: any of these is a bug to fix
            failures[f"{type(exc).__name__}: {str(exc).splitlines()[0][:120] if str(exc) else ''}"] += 1
    seconds = time.perf_counter() - started
    staydown = staydown_measure(list(stored))
    return {
        "staydown": staydown,
        "pages": {"files": len(files), "stored": len(stored), "refused": sum(refusals.values()),
                  "failed": sum(failures.values()), "refusals": dict(refusals.most_common()),
                  "failures": dict(failures.most_common()), "seconds": seconds},
        **measure(list(stored)),
    }


EVERY_WITHDRAWN = 4  # one stored article in four is withdrawn for the stay-down measurement
EDIT_EVERY = 10  # one word in ten changed in each copy


def edited(text: str, replacements: list[str]) -> str:
    """The text with every tenth word replaced by another real word, paragraphs kept."""
    count = 0

    def swap(word: str) -> str:
        nonlocal count
        count += 1
        return replacements[count % len(replacements)] if count % EDIT_EVERY == 0 else word

    return "\n\n".join(" ".join(swap(w) for w in paragraph.split()) for paragraph in text.split("\n\n"))


def short_lines(text: str) -> str:
    """The first twelve sentences, each its own short line: a list-like short text."""
    import re

    sentences = [s for s in re.split(r"(?<=[.!?])\s+", " ".join(text.split())) if s][:12]
    return "\n\n".join(" ".join(s.split()[:6]) for s in sentences)


def short_originals(withdrawn: list[int], bodies: dict[int, str], make, made_from: dict[int, int]) -> list[int]:
    """Withdrawn articles whose whole text is short (made from the real ones), fingerprinted as ingest does."""
    import hashlib

    from django.utils import timezone

    from articles.fingerprints import fingerprint, store_fingerprints
    from articles.models import Article

    made = []
    for pk in withdrawn:
        body = make(bodies[pk])
        key = hashlib.sha256(f"short {pk} {body}".encode()).hexdigest()
        article, _ = Article.objects.get_or_create(
            lookup_key=key, language="xx", defaults={
                "slug": f"short-{key[:16]}", "title": "short", "body": body, "status": Article.Status.WITHDRAWN,
                "content_sha256": hashlib.sha256(body.encode()).hexdigest(), "created_at": timezone.now()})
        store_fingerprints([(article.pk, fingerprint(body))], replace=True)
        made.append(article.pk)
        made_from[article.pk] = pk
    return made


def staydown_measure(article_ids: list[int]) -> dict[str, Any]:
    """Withdraw one article in four; ask the gate about edited copies of them (whole, their first one to
    three paragraphs, a list of short lines) and about every other article as it is."""
    from articles.fingerprints import fingerprint
    from articles.models import Article
    from articles.publishing import GateRequest
    from compliance.staydown.gate import check_many

    bodies = dict(Article.objects.filter(pk__in=article_ids).values_list("id", "body"))
    usable = sorted(pk for pk, body in bodies.items() if len(body.split()) >= 60)
    withdrawn = usable[::EVERY_WITHDRAWN]
    Article.objects.filter(pk__in=withdrawn).update(status=Article.Status.WITHDRAWN)
    words = [w for pk in usable[1::EVERY_WITHDRAWN][:50] for w in bodies[pk].split()[:40] if w.isalpha()] or ["word"]

    def ask(texts: list[str]) -> list:
        return check_many([GateRequest(title="", body=t, language="", source_id=None, primary_source_key="",
                                       text_fingerprint=fingerprint(t)) for t in texts])

    variants = {
        "whole article": lambda b: b,
        "excerpt: first paragraph": lambda b: b.split("\n\n")[0],
        "excerpt: first three paragraphs": lambda b: "\n\n".join(b.split("\n\n")[:3]),
    }
    shorts = {
        "short article: one paragraph": lambda b: b.split("\n\n")[0],
        "short article: three paragraphs": lambda b: "\n\n".join(b.split("\n\n")[:3]),
        "short article: list of short lines": short_lines,
    }
    copies = {}
    made_from: dict[int, int] = {pk: pk for pk in withdrawn}  # each withdrawn text, and the one it was cut from
    for kind, make in [*variants.items(), *shorts.items()]:
        originals = withdrawn if kind in variants else short_originals(withdrawn, bodies, make, made_from)
        texts = [edited(make(bodies[pk]), words) for pk in withdrawn]
        verdicts = ask(texts)
        mine = [next((r for r in v.resemblances if r.article_id == pk), None) for pk, v in zip(originals, verdicts)]
        copies[kind] = {"total": len(originals),
                        "held": sum(1 for pk, v in zip(originals, verdicts) if v.matched_article_id == pk),
                        "review": sum(1 for pk, v, r in zip(originals, verdicts, mine)
                                      if r is not None and v.matched_article_id != pk),
                        "proposed": sum(1 for r in mine if r is not None),
                        # Held as a copy of a text cut from another article: never right.
                        "held_wrongly": sum(1 for source, v in zip(withdrawn, verdicts) if v.matched_article_id
                                            and made_from.get(v.matched_article_id) != source)}
    others = [pk for pk in article_ids if pk not in set(withdrawn)]
    verdicts = ask([bodies[pk] for pk in others])
    return {"withdrawn": len(withdrawn), "copies": copies, "others": len(others),
            "others_held": sum(1 for v in verdicts if not v.publish),
            "others_review": sum(1 for v in verdicts if v.publish and v.resemblances)}


def measure(article_ids: list[int]) -> dict[str, Any]:
    from datetime import timedelta

    from django.utils import timezone

    from articles.ingestion.dates import EARLIEST_YEAR
    from articles.ingestion.figures import is_placeholder_address
    from articles.models import Article, ArticleUrlKey, Asset
    from compliance.services.matching import Item, articles_named_by

    articles = Article.objects.filter(pk__in=article_ids)
    holders = Counter(articles.exclude(rights_holder=None).values_list("rights_holder_source", flat=True))
    assets = list(Asset.objects.filter(article__in=articles).select_related("rights_holder", "creator"))
    captioned = [a for a in assets if a.caption]
    credited = [a for a in assets if a.credit_line]
    photos = [a for a in assets if a.kind == Asset.Kind.PHOTO]
    captions_of: dict[tuple[int, str], set[str]] = {}
    for photo in photos:
        captions_of.setdefault((photo.article_id, photo.original_url), set()).add(photo.caption)
    placeholders = [p for p in photos if is_placeholder_address(p.original_url)
                    or len(captions_of[(p.article_id, p.original_url)]) > 1]
    refused = [part for parts in articles.values_list("rejected_parts", flat=True) for part in parts]
    refused_placeholders = [p for p in refused if "placeholder" in p["reason"] or "different captions" in p["reason"]]
    dated = list(articles.exclude(original_published_at=None).values_list("original_published_at",
                                                                          "original_published_from"))
    tomorrow = timezone.now() + timedelta(days=1)

    addresses = list(ArticleUrlKey.objects.filter(article__in=articles).values_list("article_id", "kind", "url", "key"))
    items = [Item(i, "url", key, url) for i, (_, _, url, key) in enumerate(addresses)]
    domains = sorted({url.split("/")[2] for _, _, url, _ in addresses})
    domain_items = [Item(i, "domain", "", f"https://{host}/") for i, host in enumerate(domains)]
    reached = articles_named_by(items)
    reached_by_domain = articles_named_by(domain_items)
    domain_index = {host: i for i, host in enumerate(domains)}
    by_kind: dict[str, list[int]] = {}
    missed_articles = set()
    domain_pairs = set()
    domain_hits = 0
    for i, (article_id, kind, url, _) in enumerate(addresses):
        hit = article_id in reached.get(i, set())
        by_kind.setdefault(kind, [0, 0])
        by_kind[kind][0] += hit
        by_kind[kind][1] += 1
        if not hit:
            missed_articles.add(article_id)
        pair = (article_id, url.split("/")[2])
        if pair not in domain_pairs:
            domain_pairs.add(pair)
            domain_hits += article_id in reached_by_domain.get(domain_index[pair[1]], set())
    return {
        "rights": {"with_holder": sum(holders.values()), "sources": dict(holders.most_common()),
                   "syndicated": articles.exclude(taken_from=None).count()},
        "credits": {"captioned": len(captioned), "with_credit": len(credited),
                    "split": sum(1 for a in credited if a.rights_holder_id or a.creator_id),
                    "long_holders": sum(1 for a in assets if a.rights_holder and len(a.rights_holder.name) > 60),
                    "caption_holders": sum(1 for a in assets if a.rights_holder and a.rights_holder.name == a.caption),
                    "sources": dict(Counter(a.credit_source or "none" for a in credited).most_common())},
        "photos": {"stored": len(photos), "real": len(photos) - len(placeholders),
                   "placeholders_stored": len(placeholders), "refused_placeholders": len(refused_placeholders),
                   "refused_other": len(refused) - len(refused_placeholders)},
        "dates": {"with_date": len(dated), "declared": sum(1 for _, f in dated if f == "declared"),
                  "url_path": sum(1 for _, f in dated if f == "url_path"),
                  "placeholders_stored": sum(1 for moment, _ in dated
                                             if moment.year < EARLIEST_YEAR or moment > tomorrow)},
        "notices": {"addresses": len(addresses), "url_reached": sum(v[0] for v in by_kind.values()),
                    "articles_all_reached": len(set(article_ids) - missed_articles),
                    "domains": len(domain_pairs), "domain_reached": domain_hits,
                    "by_kind": {k: v for k, v in sorted(by_kind.items())}},
    }


if __name__ == "__main__":
    if "--worker" in sys.argv:
        raise SystemExit(worker_main(worker))
    raise SystemExit(main())
