"""image_gate: stay-down for photos. The withdrawn-photo lookup against 1,000,000 stored image hashes
(p99), its recall and false positives on generated edited copies, and the ROC of the pHash threshold."""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import time
from typing import Any

from common import (AT_MOST, BENCH, Context, Result, count_label, drop_indexes, migrated_database, run_worker,
                    worker_main)

NAME = "image_gate"
BENCH_DB = "provenance_bench_images"
STORE, QUICK_STORE = 1_000_000, 100_000
ROC_PHOTOS, GATE_PHOTOS = 300, 200  # photos for the ROC; withdrawn photos (and as many unrelated) for the gate
ARTICLES, ASSETS_PER_ARTICLE, WITHDRAWN_EVERY = 10_000, 10, 10  # 100,000 stored assets, 10% withdrawn
P99_GOAL_MS, RECALL_GOAL, FALSE_POSITIVE_GOAL = 20.0, 0.95, 0.01
EDITS = ("resized", "recompressed", "cropped", "all three")


def run(context: Context) -> tuple[list[Result], str]:
    url, database = migrated_database(BENCH_DB, context)
    context.stage("photos, store, gate")
    answer = run_worker(BENCH / "image_gate.py", ["--store", str(QUICK_STORE if context.quick else STORE)],
                        url=url, progress=context.progress)
    return results(answer), database


def results(answer: dict[str, Any]) -> list[Result]:
    gate, quality, roc = answer["gate"], answer["quality"], answer["roc"]
    store = count_label(answer["store"]["hashes"])
    return [
        Result(f"withdrawn-photo lookup, {store} stored image hashes (p99 of {gate['calls']})", P99_GOAL_MS,
               gate["p99_ms"], "ms", {**gate, "store": answer["store"]}, goal_kind=AT_MOST),
        Result(f"withdrawn-photo recall, {quality['copies']} edited copies (resized, recompressed, lightly cropped, "
               f"all three) at threshold {quality['threshold']}", RECALL_GOAL, quality["recall"], "",
               {**quality, "roc": roc}),
        Result(f"withdrawn-photo false positives, {quality['unrelated']} unrelated photos against {store}",
               FALSE_POSITIVE_GOAL, quality["false_positive_rate"], "", quality, goal_kind=AT_MOST),
    ]


# --- pictures ---------------------------------------------------------------------------

def _recompressed(image, quality: int):
    from PIL import Image

    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return Image.open(io.BytesIO(out.getvalue()))


def edited(image, kind: str, rng: random.Random):
    """Resized to 40-70%, recompressed at quality 30-50, cropped by 1-3% on each side, or all three."""
    from PIL import Image

    w, h = image.size
    if kind == "resized":
        scale = rng.uniform(.4, .7)
        return image.resize((int(w * scale), int(h * scale)), Image.LANCZOS)
    if kind == "recompressed":
        return _recompressed(image, rng.randint(30, 50))
    c = rng.uniform(.01, .03)
    cropped = image.crop((int(w * c), int(h * c), int(w * (1 - c)), int(h * (1 - c))))
    if kind == "cropped":
        return cropped
    scale = rng.uniform(.5, .8)
    return _recompressed(cropped.resize((int(w * scale), int(h * scale)), Image.LANCZOS), rng.randint(35, 60))


def _hashes(seeds: range, progress: bool) -> tuple[list[int], dict[str, list[int]]]:
    """pHash of each photo, and of each of its edited copies."""
    from tqdm import tqdm

    from imagerights.services.hamming import to_signed
    from imagerights.services.perceptual import phash_int
    from imagerights.synthetic import photo

    originals, copies = [], {kind: [] for kind in EDITS}
    for seed in tqdm(seeds, desc="photos", unit=" photo", disable=not progress, file=sys.stderr):
        image, rng = photo(seed), random.Random(seed)
        originals.append(to_signed(phash_int(image)))
        for kind in EDITS:
            copies[kind].append(to_signed(phash_int(edited(image, kind, rng))))
    return originals, copies


def roc(originals: list[int], copies: dict[str, list[int]]) -> dict[str, Any]:
    """True-positive rate (copy within t of its original) and false-positive rate (two different photos
    within t) for each threshold t."""
    from imagerights.services.hamming import distance

    positives = [distance(o, c) for kind in EDITS for o, c in zip(originals, copies[kind])]
    negatives = [distance(a, b) for i, a in enumerate(originals) for b in originals[i + 1:]]
    table = {t: {"tpr": round(sum(d <= t for d in positives) / len(positives), 4),
                 "fpr": round(sum(d <= t for d in negatives) / len(negatives), 6)} for t in range(0, 21, 2)}
    by_kind = {kind: {"max": max(distance(o, c) for o, c in zip(originals, copies[kind])),
                      "median": statistics.median(distance(o, c) for o, c in zip(originals, copies[kind]))}
               for kind in EDITS}
    return {"photos": len(originals), "positive_pairs": len(positives), "negative_pairs": len(negatives),
            "closest_different_photos": min(negatives), "by_threshold": table, "copy_distance": by_kind}


# --- the store ----------------------------------------------------------------------------

def _load_store(total: int, withdrawn_hashes: list[int]) -> dict[str, Any]:
    """`total` stored files with random 64-bit pHashes (two 32-bit draws: one random() has only 52 bits)
    and their bands, 100,000 assets on 10,000 articles linked
    to some of them (10% withdrawn), then the withdrawn photos of the gate, each on its own asset."""
    from django.db import connection

    from articles.models import Article, Asset
    from imagerights.models import AssetFile, StoredFile
    from imagerights.services.hamming import BAND_BITS, BAND_SHIFTS, bands_of

    started = time.perf_counter()
    files, article, asset, link = (StoredFile._meta.db_table, Article._meta.db_table, Asset._meta.db_table,
                                   AssetFile._meta.db_table)
    assets = ARTICLES * ASSETS_PER_ARTICLE
    band_columns = ", ".join(f"phash_band_{band}" for band in range(len(BAND_BITS)))
    band_values = ", ".join(f"(h >> {shift}) & {(1 << bits) - 1}" for shift, bits in zip(BAND_SHIFTS, BAND_BITS))
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        rebuild = [s for table in (files, asset, link) for s in drop_indexes(cursor, table)]
        cursor.execute(
            f"INSERT INTO {files} (sha256, size, content_type, storage_key, phash, {band_columns}, parse_attempts, "
            f"parse_error, created_at) "
            f"SELECT md5(i::text) || md5((-i)::text), 100000, 'image/jpeg', 'bench/' || i, h, {band_values}, 1, '', "
            f"now() "
            f"FROM (SELECT i, (floor(random() * 4294967296)::bigint << 32) | floor(random() * 4294967296)::bigint AS h "
            f"FROM generate_series(1, %s) AS i) AS g", [total])
        cursor.execute(
            f"INSERT INTO {article} (slug, title, body, language, basis, license, credit_text, primary_source_url_raw, "
            f"primary_source_url_canonical, primary_source_url_final, primary_source_url, primary_source_key, "
            f"lookup_key, translated_from, translation_engine, status, status_reason, content_sha256, published_at, "
            f"withdrawal_reference, created_at, updated_at) "
            f"SELECT 'img-' || i, 'Stored ' || i, 'stored article ' || i, 'en', 'unknown', '', '', '', '', '', '', "
            f"'', md5(i::text) || md5(i::text), '', '', 'published', '', md5(i::text) || md5(i::text), now(), '', "
            f"now(), now() FROM generate_series(1, %s) AS i", [ARTICLES])
        cursor.execute(
            f"INSERT INTO {asset} (article_id, position, kind, original_url, url_key, file_sha256, credit_line, caption, "
            f"alt_text, license, display, status, withdrawal_reference) "
            f"SELECT a.id, p, 'photo', 'https://cdn.example/' || a.id || '/' || p || '.jpg', md5(a.id || '/' || p) "
            f"|| md5(p || '/' || a.id), '', '', '', '', '', 'hotlinked', "
            f"CASE WHEN (a.id * 10 + p) %% {WITHDRAWN_EVERY} = 0 THEN 'withdrawn' ELSE 'live' END, '' "
            f"FROM {article} a, generate_series(0, {ASSETS_PER_ARTICLE - 1}) AS p", [])
        cursor.execute(f"INSERT INTO {link} (asset_id, file_id, origin, url, created_at) "
                       f"SELECT s.id, s.id * %s, 'fetch', s.original_url, now() FROM {asset} s",
                       [max(total // assets, 1)])
        loaded = time.perf_counter() - started
        for statement in rebuild:
            cursor.execute(statement)
    gate_article = Article.objects.create(slug="withdrawn-photos", title="Withdrawn photos", body="x", language="en",
                                          lookup_key="0" * 64, content_sha256="0" * 64)
    for n, value in enumerate(withdrawn_hashes):
        stored = StoredFile.objects.create(sha256=f"{n:064x}", size=1, content_type="image/jpeg",
                                           storage_key=f"bench/gate/{n}", phash=value,
                                           **{f"phash_band_{i}": band for i, band in enumerate(bands_of(value))})
        photo_asset = Asset.objects.create(article=gate_article, position=n, kind="photo",
                                           original_url=f"https://cdn.example/gate/{n}.jpg", url_key=f"{n:064x}",
                                           status=Asset.Status.WITHDRAWN)
        AssetFile.objects.create(asset=photo_asset, file=stored, origin="fetch", url=photo_asset.original_url)
    with connection.cursor() as cursor:
        for table in (files, article, asset, link):
            cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute("CHECKPOINT")
    return {"hashes": total + len(withdrawn_hashes), "assets": assets + len(withdrawn_hashes),
            "withdrawn_assets": assets // WITHDRAWN_EVERY + len(withdrawn_hashes),
            "insert_seconds": round(loaded, 1), "seconds": round(time.perf_counter() - started, 1)}


def _gate(queries: list[int]) -> tuple[list[float], list[Any]]:
    from imagerights.services.image_gate import withdrawn_photo_match

    latencies, matches = [], []
    for phash in queries:
        started = time.perf_counter()
        matches.append(withdrawn_photo_match(phash))
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies, matches


def worker(argv: list[str]) -> dict[str, Any]:
    from django.conf import settings

    from imagerights.models import AssetFile
    from imagerights.services.hamming import band_probes

    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--store", type=int, default=STORE)
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)
    progress = not args.no_progress
    print("image_gate: photos and their edited copies", file=sys.stderr)
    originals, copies = _hashes(range(ROC_PHOTOS + 2 * GATE_PHOTOS), progress)
    roc_table = roc(originals[:ROC_PHOTOS], {kind: values[:ROC_PHOTOS] for kind, values in copies.items()})
    withdrawn = originals[ROC_PHOTOS:ROC_PHOTOS + GATE_PHOTOS]
    unrelated = originals[ROC_PHOTOS + GATE_PHOTOS:]
    print("image_gate: loading the store", file=sys.stderr)
    store = _load_store(args.store, withdrawn)
    expected = dict(AssetFile.objects.filter(asset__article__slug="withdrawn-photos")
                    .values_list("file__phash", "asset_id"))
    positives = [(copies[kind][ROC_PHOTOS + n], expected[withdrawn[n]]) for kind in EDITS for n in range(GATE_PHOTOS)]
    print("image_gate: the lookups", file=sys.stderr)
    _gate([phash for phash, _ in positives[:50]])  # warm: the connection, the caches
    load = os.getloadavg()[0]
    latencies, found = _gate([phash for phash, _ in positives] + unrelated)
    right = [bool(match and match.asset_id == asset_id) for (_, asset_id), match in zip(positives, found)]
    false = sum(1 for match in found[len(positives):] if match)
    ordered = sorted(latencies)
    threshold = settings.IMAGERIGHTS_PHASH_THRESHOLD
    gate = {"calls": len(latencies), "p50_ms": round(statistics.median(latencies), 2),
            "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1], 2), "max_ms": round(ordered[-1], 2),
            "load_average": round(load, 2), "threshold": threshold,
            "probes_per_band": len(band_probes(0, threshold)[0])}
    quality = {"threshold": threshold, "copies": len(positives), "matched": sum(right),
               "recall": round(sum(right) / len(positives), 4),
               "recall_by_edit": {kind: round(sum(right[i * GATE_PHOTOS:(i + 1) * GATE_PHOTOS]) / GATE_PHOTOS, 4)
                                  for i, kind in enumerate(EDITS)},
               "unrelated": len(unrelated), "false_positives": false,
               "false_positive_rate": round(false / len(unrelated), 4)}
    return {"store": store, "gate": gate, "quality": quality, "roc": roc_table}


if __name__ == "__main__":
    raise SystemExit(worker_main(worker))
