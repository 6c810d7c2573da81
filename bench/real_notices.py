"""real_notices: how intake does on real published takedown notices (markdown or .eml), kept outside the repo.

    .venv/bin/python bench/real_notices.py --corpus /work/data/dmca [--sample 400] [--seed 2026]
                                           [--show misses|signatures|items|references]

The corpus is a folder of real notices, e.g. github/dmca's 2015–2020 folders extracted outside the
repository (none is ever committed). Picked: every counter-notice and retraction in it (by file name)
and `--sample` takedowns drawn with a fixed seed. Each becomes a plain-text mail (From a distinct
invented sender, Subject "Notice", the file's text as the body) that goes through the real intake
path on a fresh PostgreSQL database: `store_inbound`, then `process_inbound`, with our published hosts
set to GitHub's (the notices were sent to GitHub) in a worker process, as the other benchmarks run.

What is ours to measure comes from the records intake wrote (the message, the notice, its clock, its
items and references) and from `classify_message`, the classifier intake routes on. What counts as
right is judged in this file by rules of its own that do not import or reuse the code under test:

- kind: the file name (GitHub names counter-notices "…CounterNotice…", retractions "…Retraction…");
- a complete takedown: a takedown whose text says "good faith", "perjury" and "accurate"/"true" and
  names a github.com repository (the form requires a typed name; published copies show "[private]");
- a junk signature: a URL, an e-mail address, a form answer (yes/no/n.a./none), a label ending in ":",
  a greeting, a thanks line, a heading made only of label words, or a sentence;
- the URLs a reader would report: every URL except GitHub's own pages (help, docs, site policy, the
  github/dmca archive), licence, law, encyclopedia and social-profile pages, links that stand only
  inside a form's question (`**…?**`) and links that stand only in contact details.

The judge is a second set of rules, so it shares blind spots with any rule-based reader; the
bench README reports a hand check of its verdicts on a sample.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
from collections import Counter
from email.message import EmailMessage
from email.utils import format_datetime
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (AT_MOST, BENCH, BenchError, Context, Result, migrated_database, record,  # noqa: E402
                    run_worker, worker_main)

NAME = "real_notices"
BENCH_DB = "provenance_bench_real_notices"
GITHUB_HOSTS = "github.com,gist.github.com,github.io,githubusercontent.com"
ARCHIVES = "github.com/github/dmca,lumendatabase.org/notices"
TAKEDOWN, COUNTER, RETRACTION = "takedown", "counter_notice", "retraction"


# --- picking the notices -----------------------------------------------------------------------

def kind_by_name(path: Path) -> str:
    name = re.sub(r"[\s_-]", "", path.name.lower())
    if "retract" in name:
        return RETRACTION
    if "counternotice" in name or "counternotification" in name or path.name.lower().endswith("-counter.md"):
        return COUNTER
    return TAKEDOWN


def pick(corpus: Path, sample: int, seed: int) -> list[tuple[Path, str]]:
    files = sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix.lower() in (".md", ".markdown", ".eml"))
    if not files:
        raise BenchError(f"no .md or .eml notices under {corpus}")
    by_kind: dict[str, list[Path]] = {TAKEDOWN: [], COUNTER: [], RETRACTION: []}
    for path in files:
        by_kind[kind_by_name(path)].append(path)
    takedowns = by_kind[TAKEDOWN]
    random.Random(seed).shuffle(takedowns)
    chosen = takedowns[:sample] + by_kind[COUNTER] + by_kind[RETRACTION]
    return [(path, kind_by_name(path)) for path in chosen]


# --- the judge (rules of its own; imports nothing from the project) -------------------------------

_FLAT = re.compile(r"\s+")
_ANSWER = re.compile(r"^(?:yes|no|n/?a|n\.a\.?|none|ok|true|false|agreed?|i agree|x|confirm(?:ed)?)[.!]?$", re.I)
_GREETING = re.compile(r"^(?:dear|hi|hello|hey|to whom|greetings|sehr geehrte|bonjour|hola|witam|шановн)\b", re.I)
_THANKS = re.compile(r"\b(?:thanks|thank you|danke|merci|gracias|dziękuję|дякую)\b", re.I)
_LABEL_WORDS = {"agent", "agents", "contact", "contacts", "information", "signature", "electronic", "digital",
                "name", "address", "phone", "email", "details", "submitted", "by", "signed", "legal", "full",
                "electronically", "for", "claim", "copyright"}
_NOT_REPORTED_HOSTS = ("help.github.com", "docs.github.com", "support.github.com", "guides.github.com",
                       "opensource.org", "creativecommons.org", "gnu.org", "choosealicense.com", "wikipedia.org",
                       "linkedin.com", "twitter.com", "facebook.com", "law.cornell.edu", "copyright.gov",
                       "lumendatabase.org", "spdx.org")
_GITHUB_OWN = re.compile(r"^/(?:site|about|contact|features|pricing|security|github|help|settings)(?:/|$)", re.I)
_POLICY_PATH = re.compile(r"/(?:terms|privacy|policy|policies|legal|tos|eula|licen[cs]es?)(?:[/._-]|$)", re.I)


def complete_takedown(text: str) -> bool:
    flat = _FLAT.sub(" ", text.lower())
    github_repo = re.search(r"github\.com/(?!github/|site/|contact)[\w.-]+/[\w.-]+", flat)
    return "good faith" in flat.replace("good-faith", "good faith") and "perjury" in flat \
        and ("accurate" in flat or "true" in flat) and bool(github_repo)


def junk_signature(value: str) -> str:
    """Why this signature is junk, or "" when it could be a typed name."""
    text = value.strip()
    written = text.split()
    words = [w.strip(",.:;()").lower() for w in written]
    checks = (("a URL", "://" in text or "www." in text.lower()), ("an e-mail address", "@" in text),
              ("a form answer", bool(_ANSWER.match(text))), ("a label", text.endswith(":")),
              ("a greeting", bool(_GREETING.match(text))), ("a thanks line", bool(_THANKS.search(text))),
              ("a heading", bool(words) and all(w in _LABEL_WORDS for w in words)),
              ("a pointer elsewhere", bool(re.search(r"\b(?:see|attached|enclosed)\b", text, re.I))),
              ("a sentence", bool(re.match(r"^(?:I|We)\s+[a-z]", text) or re.search(r"\s(?:is|are|was)\s", text))),
              ("a closing", bool(re.search(r"\b(?:regards|regads|sincerely)\b", text, re.I))),
              ("a sentence", text.endswith(".") and len(words) > 6 and written[-1][:1].islower()))
    return next((why for why, bad in checks if bad), "")


def reader_reports(url: str, text: str) -> bool:
    """Would a reader list this URL as infringing material or as the original work?"""
    m = re.match(r"https?://([^/?#]+)(/[^?#]*)?", url, re.I)
    host = (m.group(1) if m else "").lower().removeprefix("www.")
    path = (m.group(2) or "/") if m else "/"
    if any(host == h or host.endswith("." + h) for h in _NOT_REPORTED_HOSTS):
        return False
    if host in ("github.com", "gist.github.com"):
        if _GITHUB_OWN.search(path):
            return False
    elif _POLICY_PATH.search(path):
        return False
    lines = text.splitlines()
    exactly = re.compile(re.escape(url) + r"(?![\w/%?#=&~+-]|\.[\w/])")  # not the start of a longer URL
    places = [i for i, line in enumerate(lines) if exactly.search(line)] or [-1]
    in_question = all(i >= 0 and _inside_bold_question(url, lines[i]) for i in places)
    in_contact = all(i >= 0 and _about_contact(url, lines, i) for i in places)
    return not (in_question or in_contact)


def _about_contact(url: str, lines: list[str], at: int) -> bool:
    """On a line about contact details, or answering a form question about them."""
    if re.search(r"contact|website\s*:|homepage\s*:|\bweb\s*:", lines[at].replace(url, " "), re.I):
        return True
    question = next((line for line in reversed(lines[max(0, at - 12):at]) if line.strip().startswith("**")), "")
    return bool(re.search(r"contact", question, re.I))


def _inside_bold_question(url: str, line: str) -> bool:
    for bold in re.findall(r"\*\*(.+?)\*\*", line):
        if url in bold and "?" in bold + line.split(url, 1)[0] or (url in bold and bold.rstrip().endswith(":")):
            return True
    return False


# --- the worker: the real intake path ---------------------------------------------------------------

def as_mail(text: str, index: int) -> bytes:
    mail = EmailMessage()
    mail["From"] = f"Claimant {index} <claimant{index}@sender{index}.example>"
    mail["To"] = "takedown@bench.example"
    mail["Subject"] = "Notice"
    mail["Date"] = format_datetime(datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc))
    mail["Message-ID"] = f"<real-notice-{index}@bench.example>"
    mail.set_content(text, charset="utf-8")
    return bytes(mail)


def read_notice_file(path: Path) -> tuple[bytes, str]:
    data = path.read_bytes()
    if path.suffix.lower() == ".eml":
        return data, ""
    text = data.decode("utf-8", errors="replace")
    return b"", text


def worker(argv: list[str]) -> dict[str, Any]:
    from django.utils import timezone as dj_timezone

    from compliance.parsing.mail_parse import parse_mail
    from compliance.parsing.message_kind import classify_message
    from compliance.models import InboundMessage
    from compliance.services.mail_intake import process_inbound, store_inbound

    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--files", type=Path, required=True)
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)
    facts = []
    for index, name in enumerate(json.loads(args.files.read_text())):
        raw, text = read_notice_file(Path(name))
        raw = raw or as_mail(text, index)
        stored = store_inbound(raw, via="file")
        message = process_inbound(message_pk=stored.message.pk, now=dj_timezone.now())
        parsed = parse_mail(raw)
        notice = message.notice
        source = (notice.element_sources or {}).get("signature", {}) if notice else {}
        facts.append({
            "file": name, "stored": InboundMessage.objects.filter(pk=stored.message.pk).exists(),
            "role": message.role, "text": parsed.text,
            "kind": str(classify_message(parsed.subject, parsed.text)),
            "clock_started": bool(notice and notice.clock_started_at),
            "missing": list(notice.missing_elements) if notice else [],
            "signature": notice.signature if notice else "", "signature_line": source.get("line", 0),
            "signature_text": source.get("text", ""),
            "items": list(notice.items.order_by("position").values_list("url", flat=True)) if notice else [],
            "references": list(notice.reference_urls) if notice else [],
        })
    return {"facts": facts}


# --- the report --------------------------------------------------------------------------------------

def judge(facts: list[dict], kinds: dict[str, str]) -> dict[str, dict]:
    table: dict[str, Counter] = {k: Counter() for k in (TAKEDOWN, COUNTER, RETRACTION)}
    for fact in facts:
        kind = kinds[fact["file"]]
        row = table[kind]
        row["mails"] += 1
        row["stored"] += fact["stored"]
        row["signature found"] += bool(fact["signature"])
        row["junk signatures"] += bool(fact["signature"] and junk_signature(fact["signature"]))
        row["recognised"] += fact["kind"] == kind
        row["opened a takedown"] += fact["role"] in ("opened", "duplicate")
        if kind == TAKEDOWN and complete_takedown(fact["text"]):
            row["complete"] += 1
            row["clock started (complete)"] += fact["clock_started"]
        row["clock started"] += fact["clock_started"]
        row["items"] += len(fact["items"])
        row["items a reader reports"] += sum(reader_reports(url, fact["text"]) for url in fact["items"])
        row["references"] += len(fact["references"])
        row["references a reader reports"] += sum(reader_reports(r["url"], fact["text"]) for r in fact["references"])
    return {kind: dict(counts) for kind, counts in table.items()}


def percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def show(facts: list[dict], kinds: dict[str, str], what: str) -> None:
    for fact in facts:
        kind, name = kinds[fact["file"]], Path(fact["file"]).name
        if what == "signatures" and fact["signature"]:
            flag = junk_signature(fact["signature"])
            print(f"  {name}: {fact['signature']!r} line {fact['signature_line']}{'  JUNK: ' + flag if flag else ''}")
        elif what == "misses":
            if kind == TAKEDOWN and complete_takedown(fact["text"]) and not fact["clock_started"]:
                print(f"  clock not started: {name} missing {', '.join(fact['missing'])}")
            if fact["kind"] != kind:
                print(f"  {kind} read as {fact['kind']}: {name}")
        elif what == "items":
            for url in fact["items"]:
                if not reader_reports(url, fact["text"]):
                    print(f"  item a reader would not report: {url}  ({name})")
        elif what == "references":
            for ref in fact["references"]:
                print(f"  reference ({ref['why']}): {ref['url']}  ({name}){'  READER REPORTS' if reader_reports(ref['url'], fact['text']) else ''}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True, help="folder of real notices (.md or .eml)")
    parser.add_argument("--sample", type=int, default=400, help="takedowns to draw (all counter-notices "
                        "and retractions are taken)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--show", choices=("misses", "signatures", "items", "references"), action="append",
                        default=[])
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args()
    try:
        return report(args)
    except BenchError as exc:
        print(f"real_notices: {exc}", file=sys.stderr)
        return 2


def report(args: argparse.Namespace) -> int:
    if not args.corpus.is_dir():
        raise BenchError(f"{args.corpus} is not a folder")
    chosen = pick(args.corpus, args.sample, args.seed)
    kinds = {str(path): kind for path, kind in chosen}
    command = " ".join(["bench/real_notices.py", *sys.argv[1:]])
    context = Context(count=len(chosen), command=command, progress=not args.no_progress)
    url, database = migrated_database(BENCH_DB, context)
    os.environ.update(PUBLIC_HOSTS=GITHUB_HOSTS, NOTICE_ARCHIVE_PREFIXES=ARCHIVES)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as listing:
        json.dump([str(path) for path, _ in chosen], listing)
    try:
        facts = run_worker(BENCH / "real_notices.py", ["--files", listing.name], url=url,
                           progress=context.progress)["facts"]
    finally:
        os.unlink(listing.name)
    table = judge(facts, kinds)
    print(f"{len(facts)} real notices from {args.corpus} (seed {args.seed}), intake on {database}")
    columns = ("mails", "stored", "complete", "clock started (complete)", "signature found", "junk signatures",
               "recognised", "opened a takedown", "items", "items a reader reports", "references", "references a reader reports")
    print(f"{'kind':16}" + "".join(f"{c[:22]:>24}" for c in columns))
    for kind, row in table.items():
        print(f"{kind:16}" + "".join(f"{row.get(c, 0):>24}" for c in columns))
    for what in args.show:
        show(facts, kinds, what)
    t, c, r = table[TAKEDOWN], table[COUNTER], table[RETRACTION]
    items = sum(row.get("items", 0) for row in table.values())
    reported = sum(row.get("items a reader reports", 0) for row in table.values())
    results = [
        Result("clock started, complete takedowns", 90.0,
               percent(t.get("clock started (complete)", 0), t.get("complete", 0)), "%", t),
        Result("junk signatures", 0.0, float(sum(row.get("junk signatures", 0) for row in table.values())),
               "signatures", {}, goal_kind=AT_MOST),
        Result("counter-notices recognised", 90.0, percent(c.get("recognised", 0), c.get("mails", 0)), "%", c),
        Result("retractions recognised", 100.0, percent(r.get("recognised", 0), r.get("mails", 0)), "%", r),
        Result("item precision", 95.0, percent(reported, items), "%", {"items": items, "reader reports": reported}),
        Result("stored", 100.0, percent(sum(row.get("stored", 0) for row in table.values()), len(facts)), "%", {}),
    ]
    draw = f" ({args.sample} takedowns, seed {args.seed})"
    for result in results:
        result.figure += draw  # each draw keeps its own record
        print(result.line())
    record(NAME, results, context=context, database=database)
    return 0 if all(result.met for result in results) else 1


if __name__ == "__main__":
    if "--worker" in sys.argv:
        sys.exit(worker_main(worker))
    sys.exit(main())
