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


# --- stay-down cases: known copies of withdrawn articles, and look-alikes that are not copies ---

COPY_KINDS = ("edited", "excerpt", "reordered", "translated")
OTHER_KINDS = ("same_topic", "quotes_a_sentence", "half_copied", "rewritten")
GERMAN = ("die stadt region truppen bewohner berichteten morgen strom wasser reparaturen brücke rat "
          "bürgermeister ministerium erklärung hafen schiffe winter schulen lehrer bahn gleise").split()


def _edited(paragraphs: list[str], rng: random.Random, *, per_hundred: int = 1) -> list[str]:
    """Edits: about ``per_hundred`` words in a hundred replaced, at least one."""
    words = [p.split(" ") for p in paragraphs]
    total = sum(len(w) for w in words)
    for _ in range(max(1, total * per_hundred // 100)):
        paragraph = rng.randrange(len(words))
        words[paragraph][rng.randrange(len(words[paragraph]))] = rng.choice(WORDS)
    return [" ".join(w) for w in words]


def stay_down_case(index: int, original: dict, rng: random.Random, start: datetime) -> tuple[dict, str, bool]:
    """A new article made from ``original`` (a record of generate_records): (record, kind, is a copy)."""
    kinds = COPY_KINDS + OTHER_KINDS
    kind = kinds[index % len(kinds)]
    paragraphs = original["body"].split("\n\n")
    record = article_record(10_000_000 + index, rng, start)  # a fresh article: its own URL, photo and text
    record["title"] = f"{original['title']} ({kind})"
    if kind == "edited":
        record["body"] = "\n\n".join(_edited(paragraphs, rng))
    elif kind == "excerpt":
        # Two paragraphs or more, never the whole: one short paragraph with an edit is a quotation.
        length = min(len(paragraphs), rng.randint(2, max(2, len(paragraphs) - 1)))
        first = rng.randrange(len(paragraphs) - length + 1)
        record["body"] = "\n\n".join(["As reported elsewhere this week."] + _edited(paragraphs[first:first + length], rng))
    elif kind == "reordered":
        shuffled = paragraphs[:]
        while len(shuffled) > 1 and shuffled == paragraphs:
            rng.shuffle(shuffled)
        record["body"] = "\n\n".join(_edited(shuffled, rng))
    elif kind == "translated":
        # Other words altogether, as a translation is to text similarity; the original's photo kept.
        record["body"] = "\n\n".join(" ".join(rng.choices(GERMAN, k=len(p.split()))) for p in paragraphs)
        record["language"], record["assets"] = "de", original["assets"]
    elif kind == "quotes_a_sentence":
        sentence = paragraphs[0].split(". ")[0]
        record["body"] += f"\n\nAs one report put it: \u201c{sentence}.\u201d"
    elif kind == "half_copied":
        # At most 60% of the original's words, in whole paragraphs, beside at least as much new text.
        budget, taken = 0.6 * len(original["body"].split()), []
        for paragraph in paragraphs:
            if taken and sum(len(p.split()) for p in taken) + len(paragraph.split()) > budget:
                break
            taken.append(paragraph)
        fresh = record["body"].split("\n\n")
        while sum(len(p.split()) for p in fresh) < sum(len(p.split()) for p in taken):
            fresh.append(_paragraph(rng, 4))
        record["body"] = "\n\n".join(taken + fresh)
    elif kind == "rewritten":
        record["body"] = "\n\n".join(_edited(paragraphs, rng, per_hundred=12))
    # same_topic: the fresh article as it is, whose title names the same topic.
    return record, kind, kind in COPY_KINDS
