"""Appends from many workers at once must not fork the chain (PostgreSQL, real connections)."""

import threading

import pytest
from django.db import connection, transaction

from articles.actors import Actor
from compliance.models import AuditEntry
from compliance.services.audit import record, verify_chain
from tests.conftest import postgres_only
from tests.factories import ArticleFactory

WRITERS = 8
APPENDS_EACH = 15


@postgres_only("SQLite serialises writers itself; the head-row lock is what is under test")
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_make_one_gapless_chain():
    article = ArticleFactory()
    start = threading.Barrier(WRITERS)
    failures: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            start.wait()
            for n in range(APPENDS_EACH):
                with transaction.atomic():
                    record(action="test.concurrent", target=article, actor=Actor.parse(f"worker:{number}"), data={"n": n})
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, WRITERS * APPENDS_EACH + 1))
    report = verify_chain()
    assert report.ok, report.message
