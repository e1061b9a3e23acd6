"""What the bot holds, as plain rows: compared before and after, to prove nothing changed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import SQLModel

from storage.db import Database

Snapshot = dict[str, list[tuple[Any, ...]]]

# The dispatcher's own progress on messages queued before: it goes on in the background while
# a test presses buttons, so comparing it would make "nothing changed" depend on timing. A
# message queued by what the test did is still a new row, and still a difference.
DELIVERY_PROGRESS = {
    "outbox_message": frozenset(
        {"status", "attempts", "next_attempt_at", "sent_at", "telegram_message_id", "last_error"}
    )
}


def snapshot(db: Database, *, ignore: frozenset[str] = frozenset()) -> Snapshot:
    """Return every row of every table (but ``ignore``), in primary-key order, without the
    outbox's delivery progress (``DELIVERY_PROGRESS``)."""
    rows: Snapshot = {}
    with db.engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            if table.name in ignore:
                continue
            left_out = DELIVERY_PROGRESS.get(table.name, frozenset())
            columns = [column for column in table.columns if column.name not in left_out]
            ordered = select(*columns).order_by(*table.primary_key.columns)
            rows[table.name] = [tuple(row) for row in connection.execute(ordered)]
    return rows


def differences(before: Snapshot, after: Snapshot) -> dict[str, list[str]]:
    """Name the tables whose rows changed, with the first rows that differ."""
    changed: dict[str, list[str]] = {}
    for name, rows in before.items():
        now = after.get(name, [])
        if rows != now:
            gone = [repr(row) for row in rows if row not in now][:3]
            new = [repr(row) for row in now if row not in rows][:3]
            changed[name] = [f"- {row}" for row in gone] + [f"+ {row}" for row in new]
    return changed
