"""A worker appending one entry per transaction, many in a row, carries the chain's head from one
append to the next: the chain is the same as appending each alone, whoever writes in between and
whatever is rolled back."""

import contextvars
import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from articles.actors import Actor
from compliance.models import AuditChainHead, AuditEntry
from compliance.services.audit import head_carried_forward, record, verify_chain
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_appends_carried_forward_chain_as_before_with_another_writer_and_a_rollback_between():
    article = ArticleFactory()

    def append(n: int) -> None:
        with transaction.atomic():
            record(action="test.event", target=article, actor=Actor.parse("user:1"), data={"n": n})

    before = AuditEntry.objects.count()
    with head_carried_forward():
        append(0)
        with CaptureQueriesContext(connection) as queries:
            append(1)
        contextvars.Context().run(append, 2)  # another writer, which carries nothing
        append(3)
        with pytest.raises(RuntimeError), transaction.atomic():
            record(action="test.event", target=article, actor=Actor.parse("user:1"), data={"n": 4})
            raise RuntimeError("the change failed")
        append(5)

    entries = list(AuditEntry.objects.order_by("seq"))[before:]
    assert [json.loads(e.payload)["data"]["n"] for e in entries] == [0, 1, 2, 3, 5]
    assert [e.seq for e in entries] == list(range(entries[0].seq, entries[0].seq + 5))
    assert verify_chain().ok
    head = AuditChainHead.objects.get(pk=1)
    assert (head.seq, head.hash) == (entries[-1].seq, entries[-1].hash)
    assert not any("FOR UPDATE" in q["sql"] for q in queries.captured_queries)  # the head was not read first
