import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from articles.actors import Actor
from compliance.models import AuditChainHead, AuditEntry, AuditVerification
from compliance.services.audit import canonical_json, chain_hash, record, verify_chain
from tests.conftest import postgres_only
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _append(count: int) -> list[AuditEntry]:
    article = ArticleFactory()
    entries = []
    for n in range(count):
        with transaction.atomic():
            entries.append(record(action="test.event", target=article, actor=Actor.parse("user:1"), data={"n": n}))
    return entries


def _tamper(sql: str, params: list) -> None:
    """What someone with a database connection could do: triggers off, then edit."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE compliance_auditentry DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE compliance_auditentry ENABLE TRIGGER USER")


def test_each_entry_hashes_the_previous_hash_and_its_exact_payload():
    first, second = _append(2)

    assert first.prev_hash == "0" * 64
    assert first.hash == chain_hash(first.prev_hash, first.payload)
    assert second.prev_hash == first.hash
    payload = json.loads(second.payload)
    assert second.payload == canonical_json(payload)
    assert payload["seq"] == 2 and payload["data"] == {"n": 1}
    assert payload["at"].endswith("Z") and len(payload["at"]) == 27


def test_intact_chain_verifies(capsys):
    _append(5)

    call_command("verify_audit_log")

    assert "5 entries, chain intact" in capsys.readouterr().out
    assert AuditVerification.objects.get().ok


def test_edited_payload_is_detected_and_named():
    entries = _append(4)
    edited = entries[2].payload.replace('"n":2', '"n":99')
    _tamper("UPDATE compliance_auditentry SET payload = %s WHERE seq = %s", [edited, 3])

    with pytest.raises(CommandError, match="entry #3"):
        call_command("verify_audit_log")
    assert AuditVerification.objects.get().first_bad_seq == 3


def test_edited_column_outside_the_payload_is_detected():
    _append(3)
    _tamper("UPDATE compliance_auditentry SET actor = %s WHERE seq = %s", ["user:999", 2])

    report = verify_chain()

    assert not report.ok and report.first_bad_seq == 2


def test_deleted_entry_is_detected():
    _append(4)
    _tamper("DELETE FROM compliance_auditentry WHERE seq = %s", [2])

    report = verify_chain()

    assert not report.ok and report.first_bad_seq == 2
    assert "missing" in report.message


def test_deleted_last_entry_is_detected_through_the_head():
    _append(3)
    _tamper("DELETE FROM compliance_auditentry WHERE seq = %s", [3])

    report = verify_chain()

    assert not report.ok and "removed from the end" in report.message


def test_reordered_entries_are_detected():
    entries = _append(3)
    _tamper("UPDATE compliance_auditentry SET seq = %s WHERE seq = %s", [100, 2])
    _tamper("UPDATE compliance_auditentry SET seq = %s WHERE seq = %s", [2, 3])
    _tamper("UPDATE compliance_auditentry SET seq = %s WHERE seq = %s", [3, 100])

    report = verify_chain()

    assert not report.ok and report.first_bad_seq == 2
    assert entries[1].hash != entries[2].hash


def test_entries_cannot_be_changed_through_the_orm():
    entry = _append(1)[0]

    entry.action = "edited"
    with pytest.raises(TypeError, match="append-only"):
        entry.save()
    with pytest.raises(TypeError, match="append-only"):
        AuditEntry.objects.filter(pk=entry.pk).update(action="edited")
    with pytest.raises(TypeError, match="append-only"):
        AuditEntry.objects.all().delete()


@postgres_only("the append-only trigger is PostgreSQL's")
def test_database_refuses_updates_and_deletes_of_entries():
    from django.db import DatabaseError

    entry = _append(1)[0]

    for sql in ("UPDATE compliance_auditentry SET action = 'x' WHERE id = %s",
                "DELETE FROM compliance_auditentry WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [entry.pk])


@pytest.mark.django_db(transaction=True)
def test_record_outside_a_transaction_is_refused():
    article = ArticleFactory()

    with pytest.raises(RuntimeError, match="inside the transaction"):
        record(action="x", target=article, actor=Actor.parse("user:1"))


def test_head_tracks_the_last_entry():
    entries = _append(3)

    head = AuditChainHead.objects.get()

    assert (head.seq, head.hash) == (3, entries[-1].hash)
