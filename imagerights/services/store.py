"""Bytes stored once by SHA-256 through Django's storage API (a file system here, S3-compatible by settings)."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from imagerights.models import StoredFile

_EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "image/gif": ".gif",
               "image/tiff": ".tif", "image/avif": ".avif", "image/heic": ".heic"}


def storage_key_for(sha256: str, content_type: str) -> str:
    return f"imagerights/sha256/{sha256[:2]}/{sha256[2:4]}/{sha256}{_EXTENSIONS.get(content_type, '.bin')}"


def store_bytes(data: bytes, *, content_type: str) -> tuple[StoredFile, bool]:
    """The file for these bytes, and whether they were new; the same bytes twice are one file."""
    sha256 = hashlib.sha256(data).hexdigest()
    existing = StoredFile.objects.filter(sha256=sha256).first()
    if existing:
        return existing, False
    key = storage_key_for(sha256, content_type)
    if not default_storage.exists(key):
        saved = default_storage.save(key, ContentFile(data))
        if saved != key:  # another writer raced us to the same name: same bytes, keep one
            default_storage.delete(saved)
    try:
        with transaction.atomic():
            return StoredFile.objects.create(sha256=sha256, size=len(data), content_type=content_type,
                                             storage_key=key), True
    except IntegrityError:
        return StoredFile.objects.get(sha256=sha256), False


def read_bytes(stored: StoredFile) -> bytes:
    with default_storage.open(stored.storage_key, "rb") as handle:
        return handle.read()
