"""The append-only, hash-chained audit log.

``hash = sha256(prev_hash + payload)`` where ``payload`` is canonical JSON (sorted keys,
compact separators, UTC times in one fixed format) stored as text exactly as hashed, so
verification never depends on how a database re-serialises JSON.
"""

from __future__ import annotations

import hashlib
import json
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timezone as dt_timezone
from typing import Any, Iterator

from django.db import connection, models
from django.utils import timezone

from articles.actors import Actor
from compliance.models import AuditChainHead, AuditEntry, AuditVerification
from compliance.models.audit import GENESIS_HASH

TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def format_time(moment: datetime) -> str:
    return moment.astimezone(dt_timezone.utc).strftime(TIME_FORMAT)


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_encode)


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return format_time(value)
    raise TypeError(f"cannot put {type(value).__name__} in an audit entry")


def chain_hash(prev_hash: str, payload: str) -> str:
    return hashlib.sha256((prev_hash + payload).encode("utf-8")).hexdigest()


def personal_data_hash(value: str) -> str:
    """What the log keeps instead of personal data: erasing the data leaves the chain intact."""
    return hashlib.sha256(value.strip().lower().encode("utf-8")).hexdigest()


def record(
    *,
    action: str,
    target: models.Model,
    actor: Actor,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    """Append one entry. Call it last in the transaction of the change it records."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit entries are written inside the transaction of the change they record")
    occurred_at = at or timezone.now()
    carried = _carried.get()
    if carried and carried[0]:
        known_seq, known_hash = carried[0]
        entry = _entry(known_seq + 1, known_hash, action=action, target=target, actor=actor, data=data,
                       occurred_at=occurred_at)
        if _append_if_head_at(entry, known_seq, known_hash):
            carried[0] = (entry.seq, entry.hash)
            return entry
    head = _locked_head()
    entry = _entry(head.seq + 1, head.hash, action=action, target=target, actor=actor, data=data,
                   occurred_at=occurred_at)
    entry.save(force_insert=True)
    AuditChainHead.objects.filter(pk=1).update(seq=entry.seq, hash=entry.hash)
    if carried:
        carried[0] = (entry.seq, entry.hash)
    return entry


# Within head_carried_forward(), the (seq, hash) of the last entry this process appended.
_carried: ContextVar[list[tuple[int, str] | None] | None] = ContextVar("audit_head_carried", default=None)


@contextmanager
def head_carried_forward() -> Iterator[None]:
    """For a worker appending one entry per transaction, many transactions in a row (a run of mails):
    each append moves the head from where the last one left it, with one conditional UPDATE instead
    of locking and reading it first. The chain is the same; a stale guess costs one query."""
    token = _carried.set([None])
    try:
        yield
    finally:
        _carried.reset(token)


def _append_if_head_at(entry: AuditEntry, known_seq: int, known_hash: str) -> bool:
    """Moves the head to `entry` and inserts it, only if the head is still at (known_seq, known_hash);
    the UPDATE locks the head as _locked_head would. False (nothing written) when another writer
    appended in between or our last append was rolled back. One statement on PostgreSQL."""
    if connection.vendor != "postgresql":
        if not AuditChainHead.objects.filter(pk=1, seq=known_seq, hash=known_hash).update(seq=entry.seq,
                                                                                            hash=entry.hash):
            return False
        entry.save(force_insert=True)
        return True
    columns = ["seq", "occurred_at", "actor", "action", "object_type", "object_id", "payload", "prev_hash", "hash"]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH head AS (UPDATE {quote(AuditChainHead._meta.db_table)} SET seq = %s, hash = %s "
            f"WHERE id = 1 AND seq = %s AND hash = %s RETURNING id) "
            f"INSERT INTO {quote(AuditEntry._meta.db_table)} ({', '.join(map(quote, columns))}) "
            f"SELECT {', '.join(['%s'] * len(columns))} FROM head RETURNING id",
            [entry.seq, entry.hash, known_seq, known_hash, *(getattr(entry, column) for column in columns)])
        row = cursor.fetchone()
    if row is None:
        return False
    entry.pk, entry._state.adding, entry._state.db = row[0], False, connection.alias
    return True


def _entry(seq: int, prev_hash: str, *, action: str, target: models.Model, actor: Actor,
           data: dict[str, Any] | None, occurred_at: datetime) -> AuditEntry:
    payload = canonical_json(
        {
            "seq": seq,
            "at": format_time(occurred_at),
            "actor": actor.id,
            "action": action,
            "object_type": target._meta.label_lower,
            "object_id": str(target.pk),
            "data": data or {},
        }
    )
    return AuditEntry(
        seq=seq,
        occurred_at=occurred_at,
        actor=actor.id,
        action=action,
        object_type=target._meta.label_lower,
        object_id=str(target.pk),
        payload=payload,
        prev_hash=prev_hash,
        hash=chain_hash(prev_hash, payload),
    )


def _locked_head() -> AuditChainHead:
    try:
        return AuditChainHead.objects.select_for_update().get(pk=1)
    except AuditChainHead.DoesNotExist:
        # The migration makes the row; a flushed database (tests, `manage.py flush`) starts a new chain.
        AuditChainHead.objects.bulk_create([AuditChainHead(pk=1)], ignore_conflicts=True)
        return AuditChainHead.objects.select_for_update().get(pk=1)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    entries_checked: int
    first_bad_seq: int | None
    message: str


def _entry_problem(entry: AuditEntry, expected_seq: int, prev_hash: str) -> str:
    if entry.seq != expected_seq:
        return f"entry #{expected_seq} is missing (found #{entry.seq} in its place)"
    if entry.prev_hash != prev_hash:
        return f"entry #{entry.seq} does not follow the entry before it (removed or reordered)"
    if chain_hash(prev_hash, entry.payload) != entry.hash:
        return f"entry #{entry.seq} was edited: its hash does not match its content"
    try:
        stored = json.loads(entry.payload)
    except ValueError:
        return f"entry #{entry.seq} holds a payload that is not JSON"
    columns = {
        "seq": entry.seq,
        "at": format_time(entry.occurred_at),
        "actor": entry.actor,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
    }
    if any(stored.get(key) != value for key, value in columns.items()):
        return f"entry #{entry.seq} was edited: its columns differ from its hashed payload"
    return ""


def _entries() -> Iterator[AuditEntry]:
    return AuditEntry.objects.order_by("seq").iterator(chunk_size=2000)


def verify_chain() -> ChainReport:
    prev_hash, expected_seq, checked = GENESIS_HASH, 1, 0
    for entry in _entries():
        problem = _entry_problem(entry, expected_seq, prev_hash)
        if problem:
            return ChainReport(False, checked, expected_seq, problem)
        prev_hash, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
    head = AuditChainHead.objects.filter(pk=1).first() or AuditChainHead()
    if head.seq != checked or head.hash != prev_hash:
        return ChainReport(
            False, checked, checked + 1 if head.seq > checked else head.seq,
            f"the chain ends at #{checked} but its head says #{head.seq}: entries were removed from the end",
        )
    return ChainReport(True, checked, None, f"{checked} entries, chain intact")


def verify_and_remember(*, actor: Actor) -> ChainReport:
    report = verify_chain()
    AuditVerification.objects.create(
        ok=report.ok,
        entries_checked=report.entries_checked,
        first_bad_seq=report.first_bad_seq,
        message=report.message[:500],
        checked_by=actor.id,
    )
    return report
