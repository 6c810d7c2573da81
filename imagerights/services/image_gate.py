"""Stay-down for photos: is a picture a copy of a withdrawn one, and which assets show the same photo.

Same photo means the same SHA-256, or a pHash within IMAGERIGHTS_PHASH_THRESHOLD bits (chosen from
the ROC measured by bench/image_gate.py, see bench/README.md). The Hamming search probes the five
indexed bands of StoredFile (imagerights.services.hamming) and checks distances in the database.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Q

from articles.models import Asset
from imagerights.models import AssetFile, StoredFile
from imagerights.services.hamming import band_probes, distance, to_signed, to_unsigned
from imagerights.services.sandbox import ParseFailure, parse_in_subprocess


@dataclass(frozen=True)
class PhotoMatch:
    asset_id: int
    article_id: int
    file_sha256: str
    distance: int  # 0 for the same bytes

    @property
    def evidence(self) -> dict[str, object]:
        return {"asset": self.asset_id, "article": self.article_id, "file_sha256": self.file_sha256,
                "phash_distance": self.distance}


def threshold() -> int:
    return settings.IMAGERIGHTS_PHASH_THRESHOLD


def phash_of(image_bytes: bytes) -> int | None:
    """The signed pHash of a picture: the stored one when these bytes are known, else decoded in the sandbox."""
    digest = hashlib.sha256(image_bytes).hexdigest()
    known = StoredFile.objects.filter(sha256=digest, phash__isnull=False).values_list("phash", flat=True).first()
    if known is not None:
        return known
    try:
        image = parse_in_subprocess(image_bytes, content_type="", image_only=True)["image"]
    except (ParseFailure, KeyError):
        return None
    return to_signed(int(image["phash"])) if "phash" in image else None


def near_files(phash: int, *, limit_distance: int | None = None) -> list[tuple[int, int]]:
    """(file id, distance) of every stored picture within the threshold of ``phash``."""
    within = threshold() if limit_distance is None else limit_distance
    signed = to_signed(to_unsigned(phash))
    probes = band_probes(signed, within)
    if connection.vendor == "postgresql":
        return _near_on_postgresql(signed, probes, within)
    near = Q()
    for band, values in enumerate(probes):
        near |= Q(**{f"phash_band_{band}__in": values})
    found = ((file_id, distance(stored, signed))
             for file_id, stored in StoredFile.objects.filter(near).values_list("id", "phash"))
    return [(file_id, d) for file_id, d in found if d <= within]


def _near_on_postgresql(signed: int, probes: list[list[int]], within: int) -> list[tuple[int, int]]:
    """One index-only scan per band (the indexes cover phash and id), the distance checked in the scan."""
    table = StoredFile._meta.db_table
    scans = " UNION ALL ".join(
        f"SELECT id, bit_count((phash # CAST(%s AS bigint))::bit(64)) AS d FROM {table} WHERE phash_band_{band} = ANY(%s)"
        for band in range(len(probes)))
    params: list[object] = []
    for values in probes:
        params += [signed, values]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT id, d FROM ({scans}) AS near WHERE d <= %s", [*params, within])
        return [(file_id, int(d)) for file_id, d in cursor.fetchall()]


def withdrawn_photo_match(image: bytes | int) -> PhotoMatch | None:
    """The closest withdrawn asset showing this photo (bytes, or a pHash already computed), or None."""
    digest = hashlib.sha256(image).hexdigest() if isinstance(image, bytes) else ""
    if digest:
        same = (Asset.objects.filter(status=Asset.Status.WITHDRAWN)
                .filter(Q(file_sha256=digest) | Q(file_links__file__sha256=digest)).order_by("id").first())
        if same:
            return PhotoMatch(same.pk, same.article_id, digest, 0)
    phash = phash_of(image) if isinstance(image, bytes) else image
    if phash is None:
        return None
    distances = dict(near_files(phash))
    if not distances:
        return None
    links = (AssetFile.objects.filter(file_id__in=distances, asset__status=Asset.Status.WITHDRAWN)
             .values_list("asset_id", "asset__article_id", "file_id", "file__sha256"))
    best = min(links, key=lambda link: (distances[link[2]], link[0]), default=None)
    if best is None:
        return None
    asset_id, article_id, file_id, sha256 = best
    return PhotoMatch(asset_id, article_id, sha256, distances[file_id])


def copies_of(asset_id: int) -> list[Asset]:
    """Every other asset whose picture is the same photo, by SHA-256 or pHash, whatever its status."""
    asset = Asset.objects.filter(pk=asset_id).first()
    if asset is None:
        return []
    files = list(StoredFile.objects.filter(asset_links__asset_id=asset_id).values_list("id", "sha256", "phash"))
    digests = {sha256 for _, sha256, _ in files} | ({asset.file_sha256} if asset.file_sha256 else set())
    file_ids = {file_id for file_id, _, _ in files}
    for _, _, phash in files:
        if phash is not None:
            file_ids.update(file_id for file_id, _ in near_files(phash))
    if not digests and not file_ids:
        return []
    same = Q(file_links__file_id__in=file_ids) | Q(file_sha256__in=digests) | Q(file_links__file__sha256__in=digests)
    return list(Asset.objects.filter(same).exclude(pk=asset_id).distinct().order_by("id"))


def withdrawn_matches_for_article(article_id: int) -> list[tuple[int, PhotoMatch]]:
    """(asset id, match) for each picture of the article that shows a withdrawn photo of another asset."""
    newest: dict[int, int] = {}
    for asset_id, phash in (AssetFile.objects.filter(asset__article_id=article_id, file__phash__isnull=False)
                            .order_by("asset_id", "-created_at").values_list("asset_id", "file__phash")):
        newest.setdefault(asset_id, phash)
    found = []
    for asset_id, phash in newest.items():
        match = withdrawn_photo_match(phash)
        if match is not None and match.asset_id != asset_id:
            found.append((asset_id, match))
    return found


@dataclass(frozen=True)
class Copy:
    asset_id: int
    article_id: int
    file_sha256: str
    distance: int


def copies_of_many(asset_ids: set[int]) -> dict[int, list[Copy]]:
    """For each asset, every other asset showing the same photo (SHA-256, or pHash within the threshold).
    A handful of queries plus one band probe per stored picture, whatever the number of assets."""
    if not asset_ids:
        return {}
    links = list(AssetFile.objects.filter(asset_id__in=asset_ids).values_list("asset_id", "file_id", "file__sha256",
                                                                               "file__phash"))
    own = dict(Asset.objects.filter(pk__in=asset_ids).exclude(file_sha256="").values_list("id", "file_sha256"))
    near: dict[int, dict[int, int]] = {}  # asset -> {file id: distance}
    digests: dict[int, set[str]] = {asset_id: {sha} for asset_id, sha in own.items()}
    for asset_id, file_id, sha256, phash in links:
        near.setdefault(asset_id, {})[file_id] = 0
        digests.setdefault(asset_id, set()).add(sha256)
        if phash is not None:
            for other, d in near_files(phash):
                near[asset_id][other] = min(d, near[asset_id].get(other, d))
    file_ids = {file_id for found in near.values() for file_id in found}
    all_digests = {sha for shas in digests.values() for sha in shas}
    by_file: dict[int, list[tuple[int, int, str]]] = {}
    for asset_id, article_id, file_id, sha256 in (AssetFile.objects.filter(file_id__in=file_ids)
                                                  .values_list("asset_id", "asset__article_id", "file_id",
                                                               "file__sha256")):
        by_file.setdefault(file_id, []).append((asset_id, article_id, sha256))
    by_digest: dict[str, list[tuple[int, int]]] = {}
    for asset_id, article_id, sha256 in (Asset.objects.filter(file_sha256__in=all_digests)
                                         .values_list("id", "article_id", "file_sha256")):
        by_digest.setdefault(sha256, []).append((asset_id, article_id))
    copies: dict[int, list[Copy]] = {}
    for asset_id in asset_ids:
        found: dict[int, Copy] = {}
        for file_id, d in near.get(asset_id, {}).items():
            for other, article_id, sha256 in by_file.get(file_id, []):
                if other != asset_id and (other not in found or d < found[other].distance):
                    found[other] = Copy(other, article_id, sha256, d)
        for sha256 in digests.get(asset_id, ()):
            for other, article_id in by_digest.get(sha256, []):
                if other != asset_id:
                    found[other] = Copy(other, article_id, sha256, 0)
        if found:
            copies[asset_id] = sorted(found.values(), key=lambda c: (c.distance, c.asset_id))
    return copies
