"""Generated pictures for tests and benchmarks: photograph-like images, different for every seed."""

from __future__ import annotations

import random

import numpy as np
from PIL import Image, ImageDraw


def photo(seed: int, size: tuple[int, int] = (480, 320)) -> Image.Image:
    """A picture with the low-frequency structure of a photograph: a smooth colour field, shapes, grain."""
    w, h = size
    rng = np.random.default_rng(seed)
    img = Image.fromarray(rng.integers(0, 256, size=(6, 9, 3), dtype=np.uint8), "RGB").resize(size, Image.BICUBIC)
    draw, r = ImageDraw.Draw(img), random.Random(seed)
    for _ in range(r.randint(4, 12)):
        x0, y0 = r.randint(0, w), r.randint(0, h)
        box = [x0, y0, x0 + r.randint(20, 200), y0 + r.randint(20, 150)]
        (draw.ellipse if r.random() < .5 else draw.rectangle)(box, fill=tuple(r.randint(0, 255) for _ in range(3)))
    noise = rng.normal(0, 12, size=(h, w, 3))
    return Image.fromarray(np.clip(np.asarray(img, float) + noise, 0, 255).astype(np.uint8))
