"""The health check behind ``GET /healthz``: the database, the outbox dispatcher, the backlog.

A reverse proxy or a monitor asks it; HTTP 200 means the bot can do its work, 503 that it
cannot (the database does not answer, or the outbox dispatcher has stopped). The backlog is
shown for a monitor to judge but does not fail the check: a long queue after an outage is
the outbox doing its job.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from bot.clock import Clock
from bot.outage import DatabaseWatch
from bot.services import outbox
from storage.db import Database

# A database that takes longer than this to answer one small query counts as unreachable:
# a monitor must get an answer, not wait for TCP to give up.
PROBE_SECONDS = 5.0


class Dispatcher(Protocol):
    """What the check needs of the outbox dispatcher."""

    @property
    def alive(self) -> bool:
        """Tell whether it runs."""


@dataclass(frozen=True)
class Health:
    """One answer of the health check."""

    database_ok: bool
    dispatcher_alive: bool
    pending: int | None  # None when the database did not answer
    oldest_seconds: float | None  # how long the oldest unsent message has waited

    @property
    def ok(self) -> bool:
        """Tell whether the bot can work."""
        return self.database_ok and self.dispatcher_alive

    @property
    def http_status(self) -> int:
        """Return 200 when healthy, 503 otherwise."""
        return 200 if self.ok else 503

    def as_json(self) -> dict[str, Any]:
        """Return the answer's JSON body."""
        return {
            "status": "ok" if self.ok else "unavailable",
            "database": {"ok": self.database_ok},
            "dispatcher": {"alive": self.dispatcher_alive},
            "outbox": {
                "pending": self.pending,
                "oldest_seconds": (
                    round(self.oldest_seconds, 1) if self.oldest_seconds is not None else None
                ),
            },
        }


async def check(
    *, db: Database, dispatcher: Dispatcher, watch: DatabaseWatch, clock: Clock
) -> Health:
    """Ask the database for the outbox backlog (which proves it answers) and look at the rest.

    What it finds goes to the watch too, so a monitor asking every few seconds while the
    database is away adds nothing to the watch's line a minute in the log.
    """
    alive = dispatcher.alive
    try:
        async with asyncio.timeout(PROBE_SECONDS):
            backlog = await asyncio.to_thread(outbox.backlog, db=db)
    except Exception as exc:  # whatever the database raised (or a time-out), it did not answer
        watch.failed(exc, where="health check")
        return Health(database_ok=False, dispatcher_alive=alive, pending=None, oldest_seconds=None)
    watch.succeeded()  # the admins are told by the next poll that can write (bot.outage)
    return Health(
        database_ok=True,
        dispatcher_alive=alive,
        pending=backlog.pending,
        oldest_seconds=_age(backlog.oldest_at, clock()),
    )


def _age(since: datetime | None, now: datetime) -> float | None:
    return max((now - since).total_seconds(), 0.0) if since is not None else None
