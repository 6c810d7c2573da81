"""An auditor exports the audit log with its hashes, checks it without our database, and checks that
a later export extends the earlier one: edits, deletions, reordering and rewritten history are caught."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from articles.actors import Actor
from compliance.services.audit import chain_hash, record
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _entries(n: int) -> None:
    article = ArticleFactory()
    for i in range(n):
        with transaction.atomic():
            record(action=f"test.step{i}", target=article, actor=Actor.parse("user:1"), data={"i": i})


def _export(tmp_path, name: str) -> list[str]:
    out = tmp_path / name
    call_command("export_audit_log", "--out", str(out), "--no-progress", stdout=io.StringIO())
    return out.read_text().splitlines(keepends=True)


def _verify(tmp_path, lines: list[str], *extends: str) -> str:
    path = tmp_path / "check.jsonl"
    path.write_text("".join(lines))
    out = io.StringIO()
    call_command("verify_audit_export", str(path), *extends, stdout=out)
    return out.getvalue()


def test_an_export_verifies_on_its_own_and_a_later_one_extends_it(tmp_path):
    _entries(5)
    earlier = _export(tmp_path, "earlier.jsonl")
    _entries(3)
    later = _export(tmp_path, "later.jsonl")

    assert "chain intact" in _verify(tmp_path, earlier)
    assert json.loads(later[0]).keys() == {"seq", "prev_hash", "hash", "payload"}
    assert "extending the earlier 5 unchanged" in _verify(tmp_path, later, "--extends",
                                                          str(tmp_path / "earlier.jsonl"))


@pytest.mark.parametrize("tamper, message", [
    (lambda lines: [lines[0], lines[1].replace('"i\\":1', '"i\\":9'), *lines[2:]], "was edited"),
    (lambda lines: [lines[0], *lines[2:]], "missing"),
    (lambda lines: [lines[0], lines[2], lines[1], *lines[3:]], "missing"),
    (lambda lines: ["not json\n", *lines[1:]], "not an audit entry"),
])
def test_each_kind_of_tampering_is_caught_and_named(tmp_path, tamper, message):
    _entries(4)
    lines = _export(tmp_path, "log.jsonl")

    with pytest.raises(CommandError, match=message):
        _verify(tmp_path, tamper(lines))


def test_a_later_export_with_rewritten_or_shortened_history_does_not_extend_the_earlier(tmp_path):
    _entries(4)
    earlier = tmp_path / "earlier.jsonl"
    lines = _export(tmp_path, "earlier.jsonl")

    with pytest.raises(CommandError, match="fewer than the earlier"):
        _verify(tmp_path, lines[:2], "--extends", str(earlier))
    forged = tmp_path / "forged.jsonl"
    first = json.loads(lines[0])
    payload = first["payload"].replace('"i":0', '"i":7')
    first.update(payload=payload, hash=chain_hash(first["prev_hash"], payload))
    forged.write_text(json.dumps(first) + "\n")  # a consistent chain of its own, but not the same history
    with pytest.raises(CommandError, match="rewritten"):
        _verify(tmp_path, lines, "--extends", str(forged))


def test_an_export_that_fails_midway_leaves_the_earlier_file_as_it_was(tmp_path):
    from compliance.exports.files import written_whole

    out = tmp_path / "log.jsonl"
    out.write_text("earlier\n")
    with pytest.raises(RuntimeError):
        with written_whole(out) as file:
            file.write("half of a new export\n")
            raise RuntimeError("the database went away")

    assert out.read_text() == "earlier\n" and [p.name for p in tmp_path.iterdir()] == ["log.jsonl"]
