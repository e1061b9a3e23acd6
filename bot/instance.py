"""One running bot per database: a second ``run`` on the same database refuses to start.

Two copies would both poll Telegram (409 conflicts), both run the reminder sweep and both
drain the outbox. The lock lives where the database is, so it holds across machines too:

- PostgreSQL: a session-level advisory lock, on a connection of its own that stays open for
  the bot's lifetime. PostgreSQL drops it when that session ends, however the process ended.
  It also drops it when the connection is lost (the server restarted), so the running bot
  checks it every half minute and takes it again (see :func:`keep`).
- SQLite: ``flock`` on a lock file beside the database file. The kernel drops it when the
  process ends, so a killed bot leaves no stale lock (the file stays; the lock does not).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from bot.startup import CannotStart
from storage.db import normalise_url, postgres_connect_args

if TYPE_CHECKING:
    from bot.context import LapkinApplication, LapkinContext

log = logging.getLogger(__name__)

# The advisory lock's key ("Lapkin" in ASCII). Advisory locks belong to one database, so two
# deployments sharing a PostgreSQL server do not stop each other.
ADVISORY_KEY = 0x4C61706B696E
APPLICATION_NAME = "lapkin run"
CHECK_SECONDS = 30.0


class AlreadyRunning(CannotStart):
    """Another bot holds the lock on this database."""


class InstanceLock:
    """The lock a running bot holds; ``lost`` once another copy has taken it."""

    can_be_lost = False  # a file lock lasts as long as the process

    def __init__(self) -> None:
        self.lost = False

    def still_ours(self) -> bool:
        """Tell whether this process still holds the lock (blocking: call in a thread)."""
        return True


@contextlib.contextmanager
def instance_lock(url: str) -> Iterator[InstanceLock]:
    """Hold the database's instance lock for the block; raise AlreadyRunning when taken."""
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if not database or database == ":memory:":
            yield InstanceLock()  # a database in memory belongs to one process anyway
            return
        with _file_lock(Path(database + ".lock")):
            yield InstanceLock()
        return
    lock = _AdvisoryLock(normalise_url(url))
    try:
        lock.take()
        yield lock
    finally:
        lock.release()


def keep(
    application: LapkinApplication,
    lock: InstanceLock,
    *,
    stop: Callable[[], None] | None = None,
    interval: float = CHECK_SECONDS,
) -> None:
    """Check the lock every ``interval`` seconds; stop the bot if another copy has taken it.

    ``stop`` defaults to a SIGTERM to this process, which both run_polling and the webhook
    runner answer with their usual shutdown.
    """
    if not lock.can_be_lost:
        return
    job_queue = application.job_queue
    if job_queue is None:
        raise RuntimeError("the JobQueue is missing: install python-telegram-bot[job-queue]")
    job_queue.run_repeating(
        check_job(lock, stop or _terminate),
        interval=interval,
        first=interval,
        name="instance-lock",
        job_kwargs={"max_instances": 1, "coalesce": True},
    )


def check_job(lock: InstanceLock, stop: Callable[[], None]) -> Callable[[LapkinContext], Any]:
    """Return the job that checks ``lock`` and calls ``stop`` when it went to another copy."""

    async def check(context: LapkinContext) -> None:
        """Checks the instance lock is still this process's."""
        if await asyncio.to_thread(lock.still_ours):
            return
        lock.lost = True
        log.error(
            "another copy of Lapkin took this database's instance lock while the connection "
            "holding it was lost; stopping this one"
        )
        stop()

    return check


def _terminate() -> None:
    os.kill(os.getpid(), signal.SIGTERM)


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        file = path.open("a+", encoding="ascii")
    except OSError as exc:
        raise CannotStart(
            f"Berkas kunci {path} tidak dapat dibuat ({exc.strerror}); pastikan folder basis "
            "data dapat ditulis oleh pengguna yang menjalankan Lapkin"
        ) from None
    with file:
        try:
            fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AlreadyRunning(
                f"Lapkin sudah berjalan untuk basis data ini{_pid_in(file)}; hentikan "
                "yang itu terlebih dahulu (systemctl stop lapkin atau Ctrl+C), lalu jalankan lagi."
            ) from None
        # Who holds it, for the message a second copy prints; the lock is flock's, not this.
        file.seek(0)
        file.truncate()
        file.write(f"{os.getpid()}\n")
        file.flush()
        try:
            yield
        finally:
            fcntl.flock(file.fileno(), fcntl.LOCK_UN)


def _pid_in(file: IO[str]) -> str:
    file.seek(0)
    pid = file.read().strip()
    return f" (PID {pid})" if pid.isdigit() else ""


class _AdvisoryLock(InstanceLock):
    """PostgreSQL's session-level advisory lock, on a connection of its own."""

    can_be_lost = True

    def __init__(self, url: str) -> None:
        super().__init__()
        # NullPool: the connection is this lock's own, never handed to anything else.
        self._engine: Engine = create_engine(
            url,
            poolclass=NullPool,
            connect_args=postgres_connect_args(url, application_name=APPLICATION_NAME),
        )
        self._connection: Connection | None = None
        self._backend_pid: int | None = None  # the server process of the session holding it

    def take(self) -> None:
        """Take the lock; raise AlreadyRunning when another session holds it."""
        connection = self._engine.connect()
        if not _try_lock(connection):
            holder = _holder(connection)
            connection.close()
            raise AlreadyRunning(
                f"Lapkin sudah berjalan untuk basis data ini{holder}; hentikan yang itu terlebih dahulu "
                "(systemctl stop lapkin atau Ctrl+C), lalu jalankan lagi."
            )
        self._hold(connection)

    def still_ours(self) -> bool:
        """Tell whether the lock is still held, taking it again after a lost connection."""
        held = self._connection
        if held is not None:
            try:
                held.execute(text("SELECT 1"))
                held.commit()
                return True
            except DBAPIError:
                pass  # the session, and the lock with it, is gone (or going)
            with contextlib.suppress(DBAPIError):
                held.close()
            self._connection = None
        try:
            connection = self._engine.connect()
        except DBAPIError:
            return True  # still unreachable: nobody else can take it from there either
        try:
            if _try_lock(connection):
                self._hold(connection)
                log.warning("took the instance lock again after its connection was lost")
                return True
            # Still held by the session we lost (the server has not noticed yet), or by
            # another copy that started meanwhile.
            ours = _holder_pid(connection) == self._backend_pid
        except DBAPIError:
            ours = True  # cannot tell yet; the next check will
        connection.close()
        return ours

    def _hold(self, connection: Connection) -> None:
        self._backend_pid = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
        connection.commit()
        self._connection = connection

    def release(self) -> None:
        """Close the lock's connection, which releases it."""
        if self._connection is not None:
            with contextlib.suppress(DBAPIError):
                self._connection.close()
            self._connection = None
        self._engine.dispose()


def _try_lock(connection: Connection) -> bool:
    taken = connection.execute(
        text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY}
    ).scalar_one()
    connection.commit()  # the lock is the session's: it outlives the transaction
    return bool(taken)


_HOLDER = (
    "SELECT l.pid, a.client_addr FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
    "WHERE l.locktype = 'advisory' AND l.granted AND l.database = "
    "(SELECT oid FROM pg_database WHERE datname = current_database()) "
    "AND l.classid::bigint = :high AND l.objid::bigint = :low"
)


def _holder_row(connection: Connection) -> Any:
    return connection.execute(
        text(_HOLDER), {"high": ADVISORY_KEY >> 32, "low": ADVISORY_KEY & 0xFFFFFFFF}
    ).first()


def _holder_pid(connection: Connection) -> int | None:
    row = _holder_row(connection)
    return int(row[0]) if row is not None else None


def _holder(connection: Connection) -> str:
    """Say where the running copy connects from, when PostgreSQL lets us see it."""
    row = _holder_row(connection)
    if row is None:
        return ""
    return f" (dari {row[1]})" if row[1] is not None else " (di mesin basis data ini)"
