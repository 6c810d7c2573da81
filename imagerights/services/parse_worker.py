"""The parser subprocess: one file on stdin (a JSON header line, then the bytes), one JSON answer on stdout.

Run by imagerights.services.sandbox with time and memory limits; imports no Django.
"""

from __future__ import annotations

import json
import sys

from imagerights.services.c2pa_reading import read_c2pa
from imagerights.services.iptc_reading import read_iptc_xmp
from imagerights.services.perceptual import image_facts


def parse(header: dict, data: bytes) -> dict:
    image = image_facts(data, max_pixels=int(header.get("max_pixels", 60_000_000)))
    if header.get("only") == "image":
        return {"image": image}
    content_type = image.get("content_type") or header.get("content_type") or "image/jpeg"
    return {
        "image": image,
        "iptc_xmp": read_iptc_xmp(data),
        "c2pa": read_c2pa(data, content_type=content_type, trust_anchors_pem=header.get("trust_anchors", "")),
    }


def main() -> int:
    header = json.loads(sys.stdin.buffer.readline())
    data = sys.stdin.buffer.read()
    sys.stdout.write(json.dumps(parse(header, data)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
