"""The compliance and transparency report for a period, under the headings of DSA Art. 15 and 24.

Time to action is measured per notice from the start of its clock (receipt, or the moment the
missing elements arrived) to its first decision (withdraw, remove an asset, reject)."""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Max, Min

from compliance.models import CounterNotice, Decision, Notice, NoticeItem, SenderRestriction, SlaBreach
from compliance.reports.period import Period

ACTIONS = (*Decision.TAKES_DOWN, Decision.Action.REJECT)
ORDERS = (Notice.Kind.COURT_ORDER, Notice.Kind.GOVERNMENT)


@dataclass(frozen=True)
class Durations:
    count: int
    median: float | None
    p95: float | None

    @classmethod
    def of(cls, hours: list[float]) -> "Durations":
        if not hours:
            return cls(0, None, None)
        ordered = sorted(hours)
        nearest_rank = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
        return cls(len(ordered), round(statistics.median(ordered), 2), round(nearest_rank, 2))


@dataclass(frozen=True)
class Day:
    day: date
    decided: int
    median_hours: float


@dataclass(frozen=True)
class BreachRow:
    """A missed deadline. `late_minutes` is how late the notice was decided against its due time (or,
    still undecided, how overdue it was when the report was made), not when the sweeper noticed."""

    reference: str
    due_at: datetime
    decided_at: datetime | None
    late_minutes: int
    reason: str
    detected_after_minutes: int


@dataclass
class ComplianceReport:
    period: Period
    generated_at: datetime
    notices: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=dict)
    by_outcome: dict[str, int] = field(default_factory=dict)
    from_trusted_flaggers: int = 0
    from_suspended_senders: int = 0
    orders: int = 0
    decisions_by_action: dict[str, int] = field(default_factory=dict)
    decisions_by_ground: dict[str, int] = field(default_factory=dict)
    automated_decisions: int = 0
    time_to_action_hours: Durations = Durations(0, None, None)
    orders_time_to_action_hours: Durations = Durations(0, None, None)
    within_24h: int = 0
    late_or_pending_over_24h: int = 0
    per_day: list[Day] = field(default_factory=list)
    breaches: list[BreachRow] = field(default_factory=list)
    counter_notices_by_kind: dict[str, int] = field(default_factory=dict)
    counter_notices_by_status: dict[str, int] = field(default_factory=dict)
    counter_notice_days_to_decide: Durations = Durations(0, None, None)
    restores: int = 0
    warnings: int = 0
    suspensions: int = 0

    @property
    def within_24h_share(self) -> float | None:
        judged = self.within_24h + self.late_or_pending_over_24h
        return round(self.within_24h / judged, 4) if judged else None

    @property
    def breach_count(self) -> int:
        return len(self.breaches)

    @property
    def breach_median_late_minutes(self) -> float | None:
        return statistics.median([b.late_minutes for b in self.breaches]) if self.breaches else None

    @property
    def breach_max_late_minutes(self) -> int | None:
        return max((b.late_minutes for b in self.breaches), default=None)


def _hours(delta: timedelta) -> float:
    return max(0.0, delta.total_seconds() / 3600)


def build_report(period: Period, *, now: datetime) -> ComplianceReport:
    report = ComplianceReport(period=period, generated_at=now)
    notices = Notice.objects.filter(received_at__gte=period.start, received_at__lt=period.end)
    rows = list(notices.values_list("pk", "kind", "channel", "trusted", "sender_suspended", "clock_started_at",
                                    "received_at"))
    report.notices = len(rows)
    report.by_kind = dict(Counter(kind for _, kind, *_ in rows))
    report.by_channel = dict(Counter(channel for _, _, channel, *_ in rows))
    report.from_trusted_flaggers = sum(1 for row in rows if row[3])
    report.from_suspended_senders = sum(1 for row in rows if row[4])
    report.orders = sum(1 for row in rows if row[1] in ORDERS)

    states: dict[int, list[str]] = defaultdict(list)
    for notice_id, state in NoticeItem.objects.filter(notice__in=notices).values_list("notice_id", "state"):
        states[notice_id].append(state)
    report.by_outcome = dict(Counter(Notice.outcome_of(states.get(row[0], [])).value for row in rows))
    for outcome in Notice.Outcome.values:
        report.by_outcome.setdefault(outcome, 0)

    decisions = Decision.objects.filter(notice__in=notices, action__in=ACTIONS)
    report.decisions_by_action = dict(Counter(decisions.values_list("action", flat=True)))
    report.decisions_by_ground = dict(Counter(decisions.values_list("decision_ground", flat=True)))
    report.automated_decisions = decisions.filter(automated=True).count()
    _time_to_action(report, rows, decisions, now)
    _breaches(report, period, now)
    _counter_notices(report, period)
    restrictions = SenderRestriction.objects.filter(starts_at__gte=period.start, starts_at__lt=period.end)
    report.warnings = restrictions.filter(kind=SenderRestriction.Kind.WARNING).count()
    report.suspensions = restrictions.filter(kind=SenderRestriction.Kind.SUSPENSION).count()
    return report


def _time_to_action(report: ComplianceReport, rows: list[tuple], decisions, now: datetime) -> None:
    first = dict(decisions.values("notice_id").annotate(first=Min("decided_at")).values_list("notice_id", "first"))
    window = timedelta(hours=settings.SLA_HOURS)
    hours, order_hours, by_day = [], [], defaultdict(list)
    for notice_id, kind, _, _, suspended, clock, received in rows:
        start = clock or received
        decided = first.get(notice_id)
        if decided is None:
            if clock and not suspended and now - clock > window:
                report.late_or_pending_over_24h += 1
            continue
        taken = _hours(decided - start)
        hours.append(taken)
        if kind in ORDERS:
            order_hours.append(taken)
        by_day[decided.date()].append(taken)
        if decided - start <= window:
            report.within_24h += 1
        else:
            report.late_or_pending_over_24h += 1
    report.time_to_action_hours = Durations.of(hours)
    report.orders_time_to_action_hours = Durations.of(order_hours)
    report.per_day = [Day(day, len(values), round(statistics.median(values), 2))
                      for day, values in sorted(by_day.items())]


def _breaches(report: ComplianceReport, period: Period, now: datetime) -> None:
    breaches = (SlaBreach.objects.filter(detected_at__gte=period.start, detected_at__lt=period.end)
                .select_related("notice", "deadline__counter_notice").order_by("due_at"))
    report.breaches = []
    for breach in breaches:
        decided = _decided_at(breach)
        late = max(0, int(((decided or now) - breach.due_at).total_seconds()) // 60)
        report.breaches.append(BreachRow(breach.notice.reference, breach.due_at, decided, late, breach.reason,
                                         breach.lateness_seconds // 60))


def _decided_at(breach: SlaBreach) -> datetime | None:
    """When what the missed deadline asked for was decided: the counter-notice for a restore window,
    else the notice's last item (None while an item is still undecided)."""
    counter = breach.deadline.counter_notice
    if counter is not None:
        return counter.decided_at
    notice = breach.notice
    if notice.items.filter(state__in=NoticeItem.UNDECIDED).exists():
        return None
    return notice.items.aggregate(last=Max("decided_at"))["last"]


def _counter_notices(report: ComplianceReport, period: Period) -> None:
    counters = list(CounterNotice.objects.filter(received_at__gte=period.start, received_at__lt=period.end)
                    .values_list("kind", "status", "received_at", "decided_at"))
    report.counter_notices_by_kind = {kind: 0 for kind in CounterNotice.Kind.values} | dict(
        Counter(kind for kind, *_ in counters))
    report.counter_notices_by_status = {status: 0 for status in CounterNotice.Status.values} | dict(
        Counter(status for _, status, *_ in counters))
    report.counter_notice_days_to_decide = Durations.of(
        [_hours(decided - received) / 24 for _, _, received, decided in counters if decided])
    report.restores = report.counter_notices_by_status.get(CounterNotice.Status.RESTORED, 0)
