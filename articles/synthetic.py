"""Synthetic articles as import records, for the demo site and the benchmarks.

Deterministic for a given seed, so a re-run imports nothing new.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import Iterator

SOURCES = [
    ("Kyiv Independent", "kyivindependent.example", "UA", "en"),
    ("CNN International", "edition.cnn.example", "US", "en"),
    ("Spiegel Beispiel", "spiegel.example", "DE", "de"),
    ("Meduza Example", "meduza.example", "LV", "ru"),
    ("Le Monde Exemple", "lemonde.example", "FR", "fr"),
    ("Gazeta Przykład", "wyborcza.example", "PL", "pl"),
]
AGENCIES = ["Getty Images", "Reuters", "AFP", "Associated Press", "Pictura Images"]
PHOTOGRAPHERS = ["John Moore", "Anna Kovalenko", "Pierre Martin", "Maria Nowak", "Sergei Ivanov", "Lena Schulz"]
AUTHORS = ["Olena Petrenko", "James Carter", "Katrin Weber", "Ivan Sokolov", "Claire Dubois", "Tomasz Zielinski",
           "Rick Schindler", "Aisha Rahman"]
ENGINES = ["deepl", "google-translate", "opus-mt"]
TOPICS = ["Kharkiv", "the border", "grain exports", "the energy grid", "Odesa port", "river crossings",
          "the railway", "winter heating", "reconstruction", "drone defence", "the harvest", "schools"]
WORDS = (
    "officials said the city region forces residents reported morning power water repairs bridge council "
    "mayor ministry statement offensive restored shelling convoy volunteers hospital market station district "
    "supplies negotiations agreement sanctions exports farmers ports ships insurance convoy winter generators "
    "teachers pupils classrooms shelters engineers rail tracks locomotive timetable budget donors loans museum "
    "archive library theatre season audience evacuation route checkpoint families returned weeks months"
).split()


def _paragraph(rng: random.Random, sentences: int) -> str:
    out = []
    for _ in range(sentences):
        words = rng.choices(WORDS, k=rng.randint(9, 18))
        out.append(" ".join(words).capitalize() + ".")
    return " ".join(out)


def article_record(index: int, rng: random.Random, start: datetime) -> dict:
    name, host, _country, source_language = SOURCES[index % len(SOURCES)]
    topic = TOPICS[rng.randrange(len(TOPICS))]
    title = f"{rng.choice(['Report', 'Analysis', 'Update', 'Explainer'])} {index}: what changed for {topic}"
    published = start + timedelta(minutes=7 * index)
    translated = source_language != "en" and index % 3 != 0
    agency = AGENCIES[index % len(AGENCIES)]
    record: dict = {
        "title": title,
        "body": "\n\n".join(_paragraph(rng, rng.randint(3, 5)) for _ in range(rng.randint(3, 6))),
        "language": "en" if translated else source_language,
        "primary_source_url": f"https://{host}/{published:%Y/%m/%d}/{topic.replace(' ', '-').lower()}-{index}.html"
        + ("?utm_source=rss" if index % 4 == 0 else ""),
        "source": {"name": name, "host": host},
        "authors": [AUTHORS[index % len(AUTHORS)]],
        "rights_holder": name,
        "basis": ["license", "agreement", "quotation", "unknown"][index % 4],
        "published_at": published.isoformat(),
        "assets": [{
            "kind": "photo",
            "url": f"https://cdn.worldtimetodays.example/img/{published:%Y/%m}/photo-{index}.jpg",
            "credit_line": f"Photo by {PHOTOGRAPHERS[index % len(PHOTOGRAPHERS)]}/{agency}",
            "caption": f"A scene from {topic}, {published:%-d %B %Y}.",
        }],
    }
    if translated:
        record["translated_from"] = source_language
        record["translation_engine"] = ENGINES[index % len(ENGINES)]
    return record


def generate_records(count: int, *, seed: int = 2022, offset: int = 0) -> Iterator[dict]:
    start = datetime(2022, 5, 1, 6, 0, tzinfo=timezone.utc)
    for index in range(offset, offset + count):
        yield article_record(index, random.Random(seed * 1_000_003 + index), start)
