"""Decoding a picture and its perceptual hash (imagehash pHash, 64 bits).

Pure module, no Django: it runs inside the parser subprocess, where a decompression bomb or a
broken file costs only that process.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

MIME_BY_FORMAT = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif",
                  "TIFF": "image/tiff", "MPO": "image/jpeg", "AVIF": "image/avif", "HEIF": "image/heic"}


def phash_int(image) -> int:
    """The unsigned 64-bit pHash of a Pillow image."""
    import imagehash

    return int(str(imagehash.phash(image)), 16)


def image_facts(data: bytes, *, max_pixels: int) -> dict[str, Any]:
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                return {"format": image.format or "", "content_type": MIME_BY_FORMAT.get(image.format or "", ""),
                        "width": image.width, "height": image.height, "phash": phash_int(image)}
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        return {"error": (" ".join(str(exc).split()) or type(exc).__name__)[:300]}
