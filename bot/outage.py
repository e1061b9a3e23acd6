"""The database going away while the bot runs: a line a minute, then the admins are told.

Everything that polls the database (the outbox dispatcher every couple of seconds, the
reminder sweep, the cleanup, updates, the health check) reports to one watch. While the
database is unreachable the log gets one line when it goes, one a minute while it stays
away and one when it is back, instead of a traceback per poll; once it is back the admins
get one message through the outbox saying how long it was down.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from bot.clock import Clock, utc_now
from bot.domain.formatting import format_duration
from bot.services.outages import report_outage
from storage.db import Database

log = logging.getLogger(__name__)

LOG_EVERY = timedelta(minutes=1)


# PostgreSQL's error classes that mean the server is away or cannot serve anyone: connection
# exceptions, insufficient resources (too many connections, disk full), operator intervention
# (shutting down, starting up). A deadlock or a cancelled query is not an outage.
_OUTAGE_SQLSTATES = ("08", "53", "57P")
# SQLite's: the file cannot be opened or read or written, or the disk is full.
_OUTAGE_SQLITE_ERRORS = ("SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_FULL")


def is_unavailable(error: BaseException | None) -> bool:
    """Tell whether ``error`` means the database cannot be reached now (not a bug to trace)."""
    if isinstance(error, PoolTimeout):
        return True  # every pooled connection is stuck waiting for it
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated:
        return True  # SQLAlchemy recognised a lost connection
    if not isinstance(error, OperationalError | InterfaceError):
        return False
    sqlite_error = getattr(error.orig, "sqlite_errorname", None)
    if sqlite_error is not None:
        return str(sqlite_error).startswith(_OUTAGE_SQLITE_ERRORS)
    sqlstate = getattr(error.orig, "sqlstate", None)
    # No SQLSTATE: no server answered at all (refused, reset, timed out, authentication).
    return sqlstate is None or str(sqlstate).startswith(_OUTAGE_SQLSTATES)


def one_line(error: BaseException) -> str:
    """Return the first line of an error, for a log line instead of a traceback."""
    text = str(getattr(error, "orig", None) or error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


@dataclass(frozen=True)
class Outage:
    """A time the database could not be reached."""

    began: datetime
    ended: datetime


class DatabaseWatch:
    """Counts failed and successful database calls; logs and reports outages.

    Called from the event loop only (after a worker thread's call has returned), so its
    state needs no lock.
    """

    def __init__(
        self,
        *,
        db: Database,
        admin_chat_id: int | None,
        tz: ZoneInfo,
        clock: Clock = utc_now,
        log_every: timedelta = LOG_EVERY,
    ) -> None:
        self._db = db
        self._admin_chat_id = admin_chat_id
        self._tz = tz
        self._clock = clock
        self._log_every = log_every
        self._down_since: datetime | None = None
        self._logged_at: datetime | None = None
        self._unreported: list[Outage] = []
        self.failures = 0  # calls that failed because the database was away, ever

    @property
    def down(self) -> bool:
        """Tell whether the last call found the database away."""
        return self._down_since is not None

    def failed(self, error: BaseException, *, where: str) -> None:
        """Note a call that could not reach the database; log at most a line a minute."""
        now = self._clock()
        self.failures += 1
        if self._down_since is None:
            self._down_since = self._logged_at = now
            log.error(
                "the database is unreachable (%s: %s); retrying, with a line a minute until "
                "it is back",
                where,
                one_line(error),
            )
        elif self._logged_at is not None and now - self._logged_at >= self._log_every:
            self._logged_at = now
            log.error(
                "the database is still unreachable, for %s now (%s: %s)",
                format_duration((now - self._down_since).total_seconds()),
                where,
                one_line(error),
            )

    def succeeded(self) -> None:
        """Note a call that reached the database; an outage it ends waits to be reported."""
        if self._down_since is None:
            return
        outage = Outage(self._down_since, self._clock())
        self._down_since = self._logged_at = None
        self._unreported.append(outage)
        log.warning(
            "the database is reachable again after %s",
            format_duration((outage.ended - outage.began).total_seconds()),
        )

    async def recovered(self, *, wake: Callable[[], None]) -> None:
        """Note a successful call and tell the admins about the outages it ended.

        A report that cannot be queued (the database went again) waits for the next time.
        """
        self.succeeded()
        while self._unreported:
            outage = self._unreported[0]
            try:
                await asyncio.to_thread(
                    report_outage,
                    db=self._db,
                    began=outage.began,
                    ended=outage.ended,
                    admin_chat_id=self._admin_chat_id,
                    tz=self._tz,
                )
            except Exception as exc:
                if not is_unavailable(exc):
                    raise
                self.failed(exc, where="outage report")
                return
            self._unreported.pop(0)
            wake()
