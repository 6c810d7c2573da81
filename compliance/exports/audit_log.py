"""The audit log as JSON lines an auditor keeps outside our database, and checks later.

Each line is one entry: its sequence number, the previous entry's hash, its hash and the exact
payload text that was hashed, so anyone can recompute the chain with SHA-256 alone. A later
export must extend an earlier one: same entries up to the earlier one's last, then more."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterable, Iterator

from compliance.models import AuditEntry
from compliance.models.audit import GENESIS_HASH
from compliance.services.audit import chain_hash

FIELDS = ("seq", "prev_hash", "hash", "payload")


def export_lines() -> Iterator[str]:
    entries = AuditEntry.objects.order_by("seq").values_list(*FIELDS).iterator(chunk_size=5000)
    for values in entries:
        yield json.dumps(dict(zip(FIELDS, values)), ensure_ascii=False, separators=(",", ":")) + "\n"


@dataclass(frozen=True)
class ExportCheck:
    ok: bool
    entries: int
    last_hash: str
    message: str


def _problem(line: str, number: int, expected_seq: int, prev_hash: str) -> tuple[str, dict]:
    try:
        entry = json.loads(line)
        seq, given_prev, given_hash, payload = (entry[name] for name in FIELDS)
    except (ValueError, KeyError, TypeError):
        return f"line {number} is not an audit entry", {}
    if seq != expected_seq:
        return f"line {number}: entry #{expected_seq} is missing (found #{seq}; removed or reordered)", entry
    if given_prev != prev_hash:
        return f"line {number}: entry #{seq} does not follow the entry before it", entry
    if chain_hash(prev_hash, payload) != given_hash:
        return f"line {number}: entry #{seq} was edited: its hash does not match its payload", entry
    try:
        if json.loads(payload).get("seq") != seq:
            return f"line {number}: entry #{seq}'s payload names another sequence number", entry
    except (ValueError, AttributeError):
        return f"line {number}: entry #{seq}'s payload is not JSON", entry
    return "", entry


def check_export(lines: Iterable[str]) -> ExportCheck:
    prev_hash, count = GENESIS_HASH, 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        problem, entry = _problem(line, number, count + 1, prev_hash)
        if problem:
            return ExportCheck(False, count, prev_hash, problem)
        prev_hash, count = entry["hash"], count + 1
    return ExportCheck(True, count, prev_hash, f"{count} entries, chain intact")


def check_extends(later: Iterable[str], earlier: Iterable[str]) -> ExportCheck:
    """Both chains intact, and the later one holds the earlier one's last entry unchanged."""
    old = check_export(earlier)
    if not old.ok:
        return ExportCheck(False, old.entries, old.last_hash, f"the earlier export: {old.message}")
    prev_hash, count, seen = GENESIS_HASH, 0, False
    for number, line in enumerate(later, start=1):
        if not line.strip():
            continue
        problem, entry = _problem(line, number, count + 1, prev_hash)
        if problem:
            return ExportCheck(False, count, prev_hash, f"the later export: {problem}")
        prev_hash, count = entry["hash"], count + 1
        if count == old.entries:
            if prev_hash != old.last_hash:
                return ExportCheck(False, count, prev_hash, f"entry #{count} differs from the earlier export: "
                                                             "the history before it was rewritten")
            seen = True
    if not seen and old.entries:
        return ExportCheck(False, count, prev_hash, f"the later export has {count} entries, fewer than the "
                                                    f"earlier one's {old.entries}: entries were removed")
    return ExportCheck(True, count, prev_hash, f"{count} entries, chain intact, extending the earlier "
                                               f"{old.entries} unchanged")
