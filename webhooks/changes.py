"""The changes feed: every create, update and delete of a public record, in order, resumable.

What counts as a change is the webhooks' rule (``services.change_from_history``, through the
publication rule of ``core/publication.py``): a save that changes no public field is no
change; a record that becomes public is *created*, one that stops being public (an event put
under embargo, an outcome whose consent is withdrawn) is *deleted* for the public. A record
whose press embargo lifts is *created* at that moment — found by the same beat task that tells
webhook subscribers (``services.webhook_releases_dispatch``, ``core.publication.released_between``).

**Complete under concurrent writes.** Each entry is written in the transaction of the change it
records, with that transaction's id (``pg_current_xact_id()``). Ids are handed out when
transactions start writing, not when they commit, so an entry with a smaller id may become
visible after one with a larger id. The feed is ordered by (xid, id) and hands out only the
entries of transactions older than the oldest one still running — the snapshot's xmin
(``pg_snapshot_xmin(pg_current_snapshot())``) counted over this database's transactions only
(``pg_stat_activity.backend_xid``; the cluster-wide xmin would also wait for every other
database on the server): every such transaction has ended, so nothing can appear later
before a cursor already handed out. A long transaction holds the feed back until it ends; it
never makes the feed skip. The application's sessions must use one database role (another
role's ``backend_xid`` is hidden without ``pg_read_all_stats``). On SQLite (development)
entries are ordered by id.

**Retention.** Entries are kept ``CHANGES_RETENTION_DAYS`` (90) days and removed by a nightly
beat task (``changes_purge``); a cursor older than that answers 410 (``cursor_expired``): rebuild
from the lists, then follow the feed from its start.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from .models import ChangeEntry

#: The API resource that shows a record of each type (basename, attribute holding its id);
#: nested records point at the record whose detail shows them. None: no public resource.
RESOURCE_OF: dict[str, tuple[str, str] | None] = {
    "companies.company": ("company", "id"),
    "core.organization": ("organization", "id"),
    "core.person": None,  # people are staff-only in the API
    "core.source": ("source", "id"),
    "events.agendaitem": ("event", "event_id"),
    "events.award": ("award", "id"),
    "events.event": ("event", "id"),
    "events.eventorganization": ("event", "event_id"),
    "events.eventparticipant": ("event", "event_id"),
    "indicators.observation": ("statistic", "id"),
    "indicators.statisticseries": ("statistic-series", "id"),
    "programs.budgetline": ("program", "program_id"),
    "programs.cofinancingrule": ("program", "program_id"),
    "programs.hub": None,  # shown inside regional participations, which have no resource
    "programs.outcome": ("participation", "participation_id"),
    "programs.participation": ("participation", "id"),
    "programs.program": ("program", "id"),
    "programs.programorganization": ("program", "program_id"),
    "programs.regionalparticipation": ("program", "program_id"),
    "programs.target": ("program", "program_id"),
}

#: The horizon: below the snapshot's xmax (ids not handed out yet), and below the oldest
#: transaction of this database still running — other than the reader's own, whose entries
#: it sees already (a request that writes, then reads the feed; the tests). In one statement, the snapshot is taken before
#: pg_stat_activity is read, so a writer that ends between the two is visible to the next
#: statement, which reads the entries.
HORIZON_SQL = """
SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint,
       pg_current_xact_id_if_assigned()::text::bigint,
       (SELECT array_agg(backend_xid::text::bigint) FROM pg_stat_activity
         WHERE datname = current_database() AND backend_xid IS NOT NULL
           AND pid <> pg_backend_pid())
"""


def retention() -> datetime.timedelta:
    return datetime.timedelta(days=settings.CHANGES_RETENTION_DAYS)


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def resource_of(record_type: str, row) -> tuple[str, str]:
    """(API basename, id) of the resource showing ``row`` (a record or a historical version:
    both carry the record's ``id`` and foreign key ids)."""
    target = RESOURCE_OF.get(record_type)
    if target is None:
        return "", ""
    basename, attr = target
    value = getattr(row, attr, None)
    return (basename, str(value)) if value is not None else ("", "")


def change_record(
    *,
    record_type: str,
    record_id: str,
    action: str,
    occurred_at: datetime.datetime,
    row,
    release_key: str | None = None,
) -> None:
    """Write one feed entry in the current transaction (with its id on PostgreSQL). An entry
    with a ``release_key`` already written is not written again."""
    resource, resource_id = resource_of(record_type, row)
    xid = "pg_current_xact_id()::text::bigint" if is_postgresql() else "NULL"
    table = ChangeEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (xid, record_type, record_id, action, occurred_at, resource, "
            f"resource_id, release_key, recorded_at) VALUES ({xid}, %s, %s, %s, %s, %s, %s, %s, %s) "
            "ON CONFLICT DO NOTHING",
            [
                record_type,
                record_id,
                action,
                occurred_at,
                resource,
                resource_id,
                release_key,
                timezone.now(),
            ],
        )


def change_from_history_record(history_record) -> None:
    """Called for every history row (simple-history's signal, inside the writing
    transaction): record it when it is a public change."""
    from .services import change_from_history

    change = change_from_history(history_record)
    if change is None:
        return
    change_record(
        record_type=change.record_type,
        record_id=change.record_id,
        action=change.action,
        occurred_at=change.occurred_at,
        row=history_record,
    )


# --- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Position:
    """Where a reader stands: after the entry (xid, id), recorded at ``recorded_at``."""

    xid: int | None
    id: int
    recorded_at: float


def horizon() -> int:
    """The transaction id below which every writer of this database has ended (module doc):
    ``pg_snapshot_xmin(pg_current_snapshot())`` restricted to this database's transactions (the
    cluster-wide xmin would also wait for the transactions of other databases)."""
    with connection.cursor() as cursor:
        # Inside a transaction PostgreSQL keeps the first read of pg_stat_activity: read anew.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(HORIZON_SQL)
        xmax, own, running = cursor.fetchone()
    # Ids below xmax, and up to the reader's own (assigned before the read), are either ended
    # — and so visible to the next statement — or still running, and then listed in `running`.
    bound = xmax if own is None else max(xmax, own + 1)
    epoch = xmax & ~0xFFFFFFFF
    for xid in running or ():  # 32-bit ids: put them in xmax's epoch (xid8)
        full = epoch | xid
        if full > xmax:
            full -= 1 << 32
        bound = min(bound, full)
    return bound


def entries_after(position: Position | None, limit: int, types: list[str] | None = None):
    """Up to ``limit`` + 1 entries after ``position`` that can no longer be preceded by an
    entry not yet visible (module doc), in feed order."""
    queryset = ChangeEntry.objects.all()
    if is_postgresql():
        queryset = queryset.filter(xid__lt=horizon()).order_by("xid", "id")
    else:
        queryset = queryset.order_by("id")
    if position is not None:
        if is_postgresql() and position.xid is not None:
            queryset = queryset.filter(
                Q(xid__gt=position.xid) | Q(xid=position.xid, id__gt=position.id)
            )
        else:
            queryset = queryset.filter(id__gt=position.id)
    if types:
        queryset = queryset.filter(record_type__in=types)
    return list(
        queryset.values_list(
            "xid",
            "id",
            "recorded_at",
            "record_type",
            "record_id",
            "action",
            "occurred_at",
            "resource",
            "resource_id",
        )[: limit + 1]
    )


def changes_purge(*, now: datetime.datetime | None = None) -> int:
    """Remove the entries older than the retention period; returns how many."""
    now = now or timezone.now()
    deleted, _ = ChangeEntry.objects.filter(recorded_at__lt=now - retention()).delete()
    return deleted
