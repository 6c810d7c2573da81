"""News pages written for these tests, modelled on patterns seen on real sites (no third-party text)."""

from __future__ import annotations

import json

PARAGRAPHS = (
    "The harbour authority said on Tuesday that the new breakwater would be finished before the winter storms.",
    "Engineers have spent two years testing the concrete blocks in a wave tank at the university.",
    "Fishermen welcomed the plan but asked for the works to pause during the herring season in spring.",
    "The council will vote on the final budget next month, after a public consultation closes.",
)


def news_page(*, head: str = "", body: str = "", title: str = "Harbour wall to be rebuilt before winter",
              jsonld: dict | None = None, paragraphs: tuple[str, ...] = PARAGRAPHS) -> bytes:
    script = (f'<script type="application/ld+json">{json.dumps(jsonld)}</script>' if jsonld else "")
    text = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>{head}{script}"
            f"</head><body><article>{body}{text}</article></body></html>").encode("utf-8")
