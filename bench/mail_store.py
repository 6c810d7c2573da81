"""mail_store: inbound mail parsed and stored on PostgreSQL (store_inbound), and processed afterwards.

`run` (called by bench/run.py) makes a fresh database, migrates it and loads the demo data (so the
corpus's URLs match something), then runs this file as a worker process (Django, debug off) that
varies the corpus mails into N distinct ones (not timed), times `store_inbound(raw, via="file")`
for each, the figure held to the goal, then times `process_inbound` for each stored message, an
informational figure: DKIM runs later in its own task and is in neither.
"""

from __future__ import annotations

import argparse
import base64
import email
import os
import quopri
import time
from collections import Counter
from email.message import Message
from email.policy import compat32
from pathlib import Path
from typing import Any

from common import (BENCH, ROOT, BenchError, Context, Result, expect, manage, migrated_database, run_worker,
                    worker_main)

NAME = "mail_store"
BENCH_DB = "provenance_bench_mail"
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
GOAL = 200.0
MAILS, QUICK_MAILS = 2_000, 500


def run(context: Context) -> tuple[list[Result], str]:
    mails = QUICK_MAILS if context.quick else MAILS
    if not sorted(CORPUS.glob("*.eml")):
        raise BenchError(f"no corpus mails in {CORPUS}")
    url, database = migrated_database(BENCH_DB, context)
    manage(url, "seed_demo")
    context.stage("store, then process")
    answer = run_worker(BENCH / "mail_store.py", ["--mails", str(mails), "--corpus", str(CORPUS)], url=url,
                        progress=context.progress)
    store, process = answer["store"], answer["process"]
    corpus = {"corpus": answer["corpus"], "mails": answer["mails"]}
    return [
        Result(f"store_inbound, {answer['mails']} mails", GOAL, round(answer["mails"] / store["seconds"], 1),
               "messages/s", {**store, **corpus}),
        Result(f"process_inbound, {answer['mails']} stored mails (informational)", None,
               round(answer["mails"] / process["seconds"], 1), "messages/s", {**process, **corpus}),
    ], database


# --- the worker: distinct mails from the corpus ---------------------------------------------

def vary(raw: bytes, index: int) -> bytes:
    """The same mail with its own Message-ID and one line added to its first text part, encoded
    as that part was (charset and transfer encoding kept), so that each copy is a distinct message."""
    message = email.message_from_bytes(raw, policy=compat32)
    original = (message.get("Message-ID") or "<none@bench.example>").strip().strip("<>")
    if "Message-ID" in message:
        message.replace_header("Message-ID", f"<bench-{index}.{original}>")
    else:
        message["Message-ID"] = f"<bench-{index}.{original}>"
    part = next((p for p in message.walk() if p.get_content_maintype() == "text" and not p.get_filename()), None)
    if part is not None:
        _add_line(part, f"Our reference: bench-{index}")
    return message.as_bytes()


def _add_line(part: Message, line: str) -> None:
    encoding = (part.get("Content-Transfer-Encoding") or "7bit").strip().lower()
    charset = part.get_content_charset() or "us-ascii"
    text = part.get_payload(decode=True).decode(charset)
    if part.get_content_subtype() == "html" and "</body>" in text:
        text = text.replace("</body>", f"<p>{line}</p></body>", 1)
    else:
        text = text.rstrip("\n") + f"\n\n{line}\n"
    data = text.encode(charset)
    if encoding == "base64":
        part.set_payload(base64.encodebytes(data).decode("ascii"))
    elif encoding == "quoted-printable":
        part.set_payload(quopri.encodestring(data).decode("ascii"))
    elif data.isascii():
        part.set_payload(data.decode("ascii"))
    # else: an 8-bit body stays as it was; the Message-ID alone makes the copy distinct


def corpus_mails(corpus: Path, count: int) -> list[bytes]:
    from compliance.parsing.mail_parse import parse_mail

    originals = [path.read_bytes() for path in sorted(corpus.glob("*.eml"))]
    for raw in originals:  # the variation must not change what the parser finds
        before, after = parse_mail(raw), parse_mail(vary(raw, 0))
        same = (before.subject, before.from_address, before.urls, len(before.attachments), before.kind)
        expect("a varied corpus mail, parsed", (after.subject, after.from_address, after.urls,
                                                len(after.attachments), after.kind), same)
    return [vary(originals[i % len(originals)], i) for i in range(count)]


# --- the worker: timing ------------------------------------------------------------------

def store(mails: list[bytes]) -> dict[str, Any]:
    from compliance.models import InboundAttachment, InboundMessage
    from compliance.services.mail_intake import store_inbound

    load, cpu, started = os.getloadavg()[0], time.process_time(), time.perf_counter()
    created = sum(store_inbound(raw, via="file").created for raw in mails)
    seconds = time.perf_counter() - started
    expect("messages created", created, len(mails))
    expect("messages stored", InboundMessage.objects.count(), len(mails))
    return {"seconds": round(seconds, 2), "cpu_seconds": round(time.process_time() - cpu, 2),
            "load_average_1m_before": round(load, 2), "attachments": InboundAttachment.objects.count(),
            "bytes": sum(map(len, mails))}


def process() -> dict[str, Any]:
    from compliance.models import InboundMessage, Notice, NoticeItemMatch
    from compliance.services.mail_intake import process_pending

    pks = list(InboundMessage.objects.order_by("received_at", "pk").values_list("pk", flat=True))
    load, cpu, started = os.getloadavg()[0], time.process_time(), time.perf_counter()
    drains = 0
    while process_pending():  # as the worker's beat-driven task drains the backlog, one drain after another
        drains += 1
    seconds = time.perf_counter() - started
    roles = Counter(InboundMessage.objects.values_list("role", flat=True))
    expect("messages left pending", roles.get(InboundMessage.Role.PENDING, 0), 0)
    cpu_seconds = time.process_time() - cpu
    return {"seconds": round(seconds, 2), "cpu_seconds": round(cpu_seconds, 2),
            "cpu_ms_per_message": round(1000 * cpu_seconds / len(pks), 2),
            "load_average_1m_before": round(load, 2), "drains": drains, "roles": dict(roles),
            "notices": Notice.objects.filter(channel=Notice.Channel.EMAIL).count(),
            "matches": NoticeItemMatch.objects.filter(item__notice__channel=Notice.Channel.EMAIL).count()}


def worker(argv: list[str]) -> dict[str, Any]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--mails", type=int, default=MAILS)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)
    mails = corpus_mails(args.corpus, args.mails)
    return {"mails": len(mails), "corpus": len(list(args.corpus.glob("*.eml"))), "store": store(mails),
            "process": process()}


if __name__ == "__main__":
    raise SystemExit(worker_main(worker))
