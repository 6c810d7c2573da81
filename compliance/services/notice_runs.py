"""What a run of notices received together (a run of stored mails) looks up once instead of once each.

`receive_notice(run=…)` asks a `NoticeRun` what it would otherwise ask the database per notice: the
sender's suspension, an earlier notice of the same claimant naming the same URLs (the same rule and
window as `intake._earlier_same_notice`), a reference nobody holds, ids for the items. The answers are
read for the whole run before its first notice is opened; each notice is still created in its own
transaction. A notice opened in the run is a candidate "earlier notice" for the rest of it once its
transaction committed (`keep`), never when it rolled back (`drop`), as a query would see it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection

from articles.importing.bulk import next_ids
from compliance.models import Notice, NoticeItem, SenderRestriction
from compliance.services.references import new_reference

DUPLICATE_WINDOW = timedelta(hours=24)  # intake.DUPLICATE_WINDOW (intake imports this module)
_CANDIDATE_FIELDS = ("pk", "reference", "received_at", "claimant_email_digest", "items_fingerprint")


@dataclass(frozen=True)
class RunNotice:
    """What one notice of the run will be looked up by."""

    email_digest: str
    fingerprint: str
    received_at: datetime
    items: int


@dataclass
class NoticeRun:
    suspensions: dict[str, list[SenderRestriction]] = field(default_factory=dict)
    candidates: dict[tuple[str, str], list[Notice]] = field(default_factory=dict)
    references: dict[int, list[str]] = field(default_factory=dict)  # free references by year
    item_ids: list[int] = field(default_factory=list)
    opened: list[Notice] = field(default_factory=list)  # in the transaction now open, not yet kept

    @classmethod
    def look_up(cls, notices: list[RunNotice]) -> NoticeRun:
        """Four queries for the whole run (three on SQLite, which hands out ids as it inserts)."""
        run = cls()
        if not notices:
            return run
        digests = {n.email_digest for n in notices}
        for restriction in SenderRestriction.objects.filter(email_digest__in=digests,
                                                            kind=SenderRestriction.Kind.SUSPENSION,
                                                            lifted_at__isnull=True):
            run.suspensions.setdefault(restriction.email_digest, []).append(restriction)
        since = min(n.received_at for n in notices) - DUPLICATE_WINDOW
        earlier = (Notice.objects.filter(claimant_email_digest__in=digests,
                                         items_fingerprint__in={n.fingerprint for n in notices},
                                         duplicate_of__isnull=True, received_at__gte=since)
                   .only(*_CANDIDATE_FIELDS).order_by("received_at", "pk"))
        for notice in earlier:
            run.candidates.setdefault((notice.claimant_email_digest, notice.items_fingerprint), []).append(notice)
        run.references = _free_references(notices)
        if connection.vendor == "postgresql":
            run.item_ids = next_ids(NoticeItem, sum(n.items for n in notices))
        return run

    def suspension(self, email_digest: str, now: datetime) -> SenderRestriction | None:
        """As `standing.active_suspension` (no API sender): started, not ended, not lifted; the latest
        end first, an open-ended one ordered as the database orders NULL."""
        active = [r for r in self.suspensions.get(email_digest, [])
                  if r.starts_at <= now and (r.ends_at is None or r.ends_at > now)]
        if not active:
            return None
        open_ended = (1,) if connection.features.nulls_order_largest else (-1,)
        return max(active, key=lambda r: open_ended if r.ends_at is None else (0, r.ends_at))

    def earlier_same_notice(self, *, email_digest: str, fingerprint: str, received_at: datetime) -> Notice | None:
        """As `intake._earlier_same_notice`: the first by received_at within the window."""
        return next((n for n in self.candidates.get((email_digest, fingerprint), [])
                     if n.received_at >= received_at - DUPLICATE_WINDOW), None)

    def reference(self, now: datetime) -> str | None:
        free = self.references.get(now.year)
        return free.pop() if free else None

    def ids_for_items(self, count: int) -> list[int] | None:
        if count == 0 or len(self.item_ids) < count:
            return None
        taken, self.item_ids = self.item_ids[:count], self.item_ids[count:]
        return taken

    def opening(self, notice: Notice) -> None:
        if notice.duplicate_of_id is None:
            self.opened.append(notice)

    def keep(self) -> None:
        """The transaction that opened `opened` committed: later notices of the run may duplicate them."""
        for notice in self.opened:
            same = self.candidates.setdefault((notice.claimant_email_digest, notice.items_fingerprint), [])
            same.append(notice)
            same.sort(key=lambda n: (n.received_at, n.pk))
        self.opened = []

    def drop(self) -> None:
        self.opened = []


def _free_references(notices: list[RunNotice]) -> dict[int, list[str]]:
    wanted: dict[int, set[str]] = defaultdict(set)
    for notice in notices:
        year = notice.received_at.year
        while True:  # distinct within the run, as one after another would be
            reference = new_reference(notice.received_at)
            if reference not in wanted[year]:
                wanted[year].add(reference)
                break
    taken = set(Notice.objects.filter(reference__in=[r for refs in wanted.values() for r in refs])
                .values_list("reference", flat=True))
    return {year: sorted(refs - taken) for year, refs in wanted.items()}
