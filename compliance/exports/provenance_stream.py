"""The provenance export as a stream of byte chunks, in CSV, JSON or JSON-LD, for files and HTTP.

CSV on PostgreSQL comes straight from COPY; everything else is written from provenance.iter_rows.
Asking for claimants' personal data is allowed only with the permission, and is audited.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Iterator

from django.db import connection, transaction
from django.utils import timezone

from articles.actors import Actor
from compliance.exports.csv_safety import neutralise
from compliance.exports.provenance import COLUMNS, ExportFilter, iter_rows
from compliance.exports.provenance_copy import copy_csv
from compliance.exports.provenance_jsonld import CONTEXT, row_node
from compliance.models import PersonalDataAccess
from compliance.services.audit import record
from compliance.services.personal_data import log_access

FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json", "jsonld": "application/ld+json"}
PERSONAL_DATA_PERMISSION = "compliance.view_personal_data"
EXPORT_PERMISSION = "compliance.export_records"
BUFFER = 64 * 1024


class PersonalDataRefused(PermissionError):
    """Claimants' personal data was asked for by someone without the permission to see it."""


@dataclass(frozen=True)
class Chunk:
    data: bytes
    rows: int


def authorise_personal_data(user, *, asked: bool, filters: ExportFilter, via: str) -> bool:
    """True when the export may carry claimants' personal data; records who took it."""
    if not asked:
        return False
    if user is None or not user.has_perm(PERSONAL_DATA_PERMISSION):
        raise PersonalDataRefused("you do not have the permission to see claimants' personal data "
                                  f"({PERSONAL_DATA_PERMISSION}); export without it")
    with transaction.atomic():
        log_access(user=user, what=PersonalDataAccess.What.EXPORT, detail=f"provenance export via {via}")
        record(action="export.personal_data", target=user, actor=Actor.staff(user),
               data={"export": "provenance", "via": via, "filters": filters.describe()}, at=timezone.now())
    return True


def chunks(fmt: str, filters: ExportFilter, *, personal_data: bool) -> Iterator[Chunk]:
    if fmt == "csv" and connection.vendor == "postgresql":
        blocks = copy_csv(filters, personal_data=personal_data)
        header = next(blocks)
        yield Chunk(bytes(header), 0)
        yield from _gathered((bytes(block), 1) for block in blocks)
    elif fmt == "csv":
        yield from _gathered(csv_lines(filters, personal_data))
    elif fmt == "json":
        yield from _gathered(_json_lines(filters, personal_data))
    elif fmt == "jsonld":
        yield from _gathered(_jsonld_lines(filters, personal_data))
    else:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")


def _gathered(pieces: Iterator[tuple[bytes, int]]) -> Iterator[Chunk]:
    """Small pieces gathered into chunks of about BUFFER bytes."""
    parts, size, rows = [], 0, 0
    for data, count in pieces:
        parts.append(data)
        size, rows = size + len(data), rows + count
        if size >= BUFFER:
            yield Chunk(b"".join(parts), rows)
            parts, size, rows = [], 0, 0
    if parts:
        yield Chunk(b"".join(parts), rows)


def csv_lines(filters: ExportFilter, personal_data: bool) -> Iterator[tuple[bytes, int]]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(cells: list) -> bytes:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        return buffer.getvalue().encode()

    yield line(COLUMNS), 0
    for row in iter_rows(filters, personal_data=personal_data):
        flat = row.flat()
        yield line([neutralise(v) if isinstance(v, str) else v for v in (flat[c] for c in COLUMNS)]), 1


def _json_lines(filters: ExportFilter, personal_data: bool) -> Iterator[tuple[bytes, int]]:
    yield b'{"columns": ' + json.dumps(COLUMNS).encode() + b', "rows": [\n', 0
    separator = b""
    for row in iter_rows(filters, personal_data=personal_data):
        data = {**row.flat(), "authors": sorted(set(row.authors)),
                "notices": [{"reference": n.reference, "kind": n.kind, "matched_by": n.how,
                             "received_at": n.received_at.isoformat(), "claimant": n.claimant}
                            for n in sorted(set(row.notices))],
                "decisions": [{"reference": d.reference, "action": d.action, "decided_at": d.decided_at.isoformat(),
                               "actor": d.actor, "automated": d.automated, "pending_review": d.pending_review}
                              for d in sorted(set(row.decisions))],
                "readings": [reading.data() for reading in row.readings]}
        del data["claimants"]
        yield separator + json.dumps(data, ensure_ascii=False).encode(), 1
        separator = b",\n"
    yield b"\n]}\n", 0


def _jsonld_lines(filters: ExportFilter, personal_data: bool) -> Iterator[tuple[bytes, int]]:
    yield b'{"@context": ' + json.dumps(CONTEXT).encode() + b', "@graph": [\n', 0
    separator = b""
    for row in iter_rows(filters, personal_data=personal_data):
        yield separator + json.dumps(row_node(row), ensure_ascii=False).encode(), 1
        separator = b",\n"
    yield b"\n]}\n", 0


def count_rows(filters: ExportFilter) -> int:
    return filters.article_rows().count() + filters.asset_rows().count()
