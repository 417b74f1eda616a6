"""A lock's timeline: codes, phone-user changes, door events, battery and clock, newest first.

`merge_timeline` is pure over its sources: each gives at most `limit + 1` events older than the
cursor, newest first; the merge sorts them by (time, kind, id) and cuts to `limit`. The cursor
is the last event shown, so "older" pages neither repeat nor skip an event, even at equal times.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from django.db.models import Q, QuerySet
from django.urls import reverse

from dashboard.models import ActivityEvent, Verb
from netcodes.models import NetCodeIssue

if TYPE_CHECKING:
    from k3clients.models import AuditEntry, SmartLock
    from locks.models import KitLock

TIMELINE_LIMIT = 50
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class TimelineEvent:
    """One line of a timeline; `kind` and `pk` make its place unique among equal times."""

    at: datetime
    kind: str
    pk: int
    category: str
    title: str
    detail: str = ""
    url: str = ""
    window: tuple[datetime, datetime] | None = None

    @property
    def sort_key(self) -> tuple[datetime, str, int]:
        return (self.at, self.kind, self.pk)


@dataclass(frozen=True)
class Cursor:
    """Where an "older" page starts: just after the event (at, kind, pk)."""

    at: datetime
    kind: str
    pk: int

    def encode(self) -> str:
        micros = (self.at - EPOCH) // timedelta(microseconds=1)
        return f"{micros}.{self.kind}.{self.pk}"

    @classmethod
    def decode(cls, text: str | None) -> Cursor | None:
        """The cursor written by `encode`, or None for anything else."""
        parts = (text or "").split(".")
        if len(parts) != 3 or not parts[0].isdigit() or not parts[2].isdigit():
            return None
        try:
            at = EPOCH + timedelta(microseconds=int(parts[0]))
        except OverflowError:  # past the year 9999: no event is there
            return None
        pk = int(parts[2])
        return cls(at=at, kind=parts[1], pk=pk) if pk < 2**63 else None

    @classmethod
    def of(cls, event: TimelineEvent) -> Cursor:
        return cls(at=event.at, kind=event.kind, pk=event.pk)


class TimelineSource(Protocol):
    kind: str

    def fetch(self, before: Cursor | None, limit: int) -> list[TimelineEvent]: ...


@dataclass(frozen=True)
class QuerySetSource:
    """Events from a queryset, newest first by `time_field` then primary key."""

    kind: str
    queryset: QuerySet
    time_field: str
    to_event: Callable[[Any], TimelineEvent]

    def fetch(self, before: Cursor | None, limit: int) -> list[TimelineEvent]:
        rows = self.queryset
        if before is not None:
            rows = rows.filter(_older_than(self.kind, self.time_field, before))
        rows = rows.order_by(f"-{self.time_field}", "-pk")[:limit]
        return [self.to_event(row) for row in rows]


@dataclass(frozen=True)
class ListSource:
    """Events already in hand (facts read off the lock itself)."""

    kind: str
    events: Sequence[TimelineEvent]

    def fetch(self, before: Cursor | None, limit: int) -> list[TimelineEvent]:
        kept = [e for e in self.events if before is None or e.sort_key < _key(before)]
        return sorted(kept, key=lambda e: e.sort_key, reverse=True)[:limit]


def _key(cursor: Cursor) -> tuple[datetime, str, int]:
    return (cursor.at, cursor.kind, cursor.pk)


def _older_than(kind: str, field: str, cursor: Cursor) -> Q:
    """Rows of a source of `kind` that sort after the cursor (newest first)."""
    earlier = Q(**{f"{field}__lt": cursor.at})
    if kind < cursor.kind:
        return earlier | Q(**{field: cursor.at})
    if kind == cursor.kind:
        return earlier | Q(**{field: cursor.at, "pk__lt": cursor.pk})
    return earlier


@dataclass(frozen=True)
class TimelinePage:
    events: list[TimelineEvent]
    older: Cursor | None


def merge_timeline(
    sources: Iterable[TimelineSource], *, limit: int = TIMELINE_LIMIT, before: Cursor | None = None
) -> TimelinePage:
    """The newest `limit` events of all sources older than `before`, newest first."""
    events: list[TimelineEvent] = []
    for source in sources:
        events.extend(source.fetch(before, limit + 1))
    events.sort(key=lambda e: e.sort_key, reverse=True)
    page = events[:limit]
    older = Cursor.of(page[-1]) if len(events) > limit else None
    return TimelinePage(events=page, older=older)


def _issue_event(issue: NetCodeIssue) -> TimelineEvent:
    netcode = issue.netcode
    who = issue.requested_by.get_username() if issue.requested_by else "Keyhouse"
    how = " (from the history, free)" if issue.from_history else ""
    return TimelineEvent(
        at=issue.requested_at,
        kind="netcode",
        pk=issue.pk,
        category="NetCode",
        title=f"NetCode for {issue.recipient_name}",
        detail=f"asked by {who}{how} · {netcode.duration_label}",
        url=reverse("netcode_issue", args=[issue.pk]),
        window=(netcode.starts_at, netcode.ends_at),
    )


def _activity_event(event: ActivityEvent) -> TimelineEvent:
    category = "Phone user" if event.verb.startswith("phone_user.") else "Lock care"
    return TimelineEvent(
        at=event.created_at,
        kind="activity",
        pk=event.pk,
        category=category,
        title=f"{event.actor_name} {event.get_verb_display()}",
        detail=event.target_label,
    )


def _audit_event(entry: AuditEntry) -> TimelineEvent:
    return TimelineEvent(
        at=entry.date_entered,
        kind="audit",
        pk=entry.pk,
        category="Door event",
        title=entry.entry_type or "Event",
        detail=entry.entry_text,
    )


def _common_sources(kind: str, pk: int, issues: QuerySet) -> list[TimelineSource]:
    activity = ActivityEvent.objects.filter(lock_kind=kind, lock_pk=pk).exclude(
        verb=Verb.NETCODE_GENERATED  # the NetCode source shows these, with their window
    )
    return [
        QuerySetSource(
            "netcode",
            issues.select_related("netcode", "requested_by"),
            "requested_at",
            _issue_event,
        ),
        QuerySetSource("activity", activity, "created_at", _activity_event),
    ]


def kitlock_sources(lock: KitLock) -> list[TimelineSource]:
    """What a KitLock's timeline is made of."""
    issues = NetCodeIssue.objects.filter(netcode__kitlock=lock)
    return _common_sources("kitlock", lock.pk, issues)


def _smartlock_facts(lock: SmartLock) -> list[TimelineEvent]:
    facts = []
    if lock.first_seen_at:
        facts.append((lock.first_seen_at, 1, "Lock", "Found on its K3 Connect account", ""))
    if lock.battery_updated:
        low = " — low, replace the batteries" if lock.battery_low else ""
        reading = f"{lock.battery_status}%" if lock.battery_percent is not None else "unknown"
        facts.append((lock.battery_updated, 2, "Battery", f"Battery read: {reading}{low}", ""))
    if lock.gone_at:
        facts.append((lock.gone_at, 3, "Lock", "No longer on its K3 Connect account", ""))
    return [
        TimelineEvent(at=at, kind="lock", pk=pk, category=cat, title=title, detail=detail)
        for at, pk, cat, title, detail in facts
    ]


def smartlock_sources(lock: SmartLock) -> list[TimelineSource]:
    """What a smart lock's timeline is made of: the KitLock's, plus door events and readings."""
    issues = NetCodeIssue.objects.filter(netcode__smartlock=lock)
    return [
        *_common_sources("smartlock", lock.pk, issues),
        QuerySetSource("audit", lock.audit_entries.all(), "date_entered", _audit_event),
        ListSource("lock", _smartlock_facts(lock)),
    ]
