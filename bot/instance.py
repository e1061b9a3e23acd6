"""One running bot per database: a second ``run`` on the same database refuses to start.

Two copies would both poll Telegram (409 conflicts), both run the reminder sweep and both
drain the outbox. The lock lives where the database is, so it holds across machines too:

- PostgreSQL: a session-level advisory lock, on a connection of its own that stays open for
  the bot's lifetime. PostgreSQL drops it when that session ends, however the process ended.
- SQLite: ``flock`` on a lock file beside the database file. The kernel drops it when the
  process ends, so a killed bot leaves no stale lock (the file stays; the lock does not).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from bot.startup import CannotStart
from storage.db import normalise_url

log = logging.getLogger(__name__)

# The advisory lock's key ("Lapkin" in ASCII). Advisory locks belong to one database, so two
# deployments sharing a PostgreSQL server do not stop each other.
ADVISORY_KEY = 0x4C61706B696E
APPLICATION_NAME = "lapkin run"


class AlreadyRunning(CannotStart):
    """Another bot holds the lock on this database."""


@contextlib.contextmanager
def instance_lock(url: str) -> Iterator[None]:
    """Hold the database's instance lock for the block; raise AlreadyRunning when taken."""
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if not database or database == ":memory:":
            yield  # a database in memory belongs to one process anyway
            return
        with _file_lock(Path(database + ".lock")):
            yield
        return
    with _advisory_lock(normalise_url(url)):
        yield


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
                f"Lapkin sudah berjalan untuk basis data ini{_holder_pid(file)}; hentikan "
                "yang itu dulu (systemctl stop lapkin atau Ctrl+C), lalu jalankan lagi."
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


def _holder_pid(file: IO[str]) -> str:
    file.seek(0)
    pid = file.read().strip()
    return f" (PID {pid})" if pid.isdigit() else ""


@contextlib.contextmanager
def _advisory_lock(url: str) -> Iterator[None]:
    # NullPool: the connection is this lock's own, never handed to anything else.
    engine = create_engine(
        url, poolclass=NullPool, connect_args={"application_name": APPLICATION_NAME}
    )
    try:
        with engine.connect() as connection:
            taken = connection.execute(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY}
            ).scalar_one()
            connection.commit()  # the lock is the session's: it outlives the transaction
            if not taken:
                raise AlreadyRunning(
                    f"Lapkin sudah berjalan untuk basis data ini{_holder(connection)}; "
                    "hentikan yang itu dulu (systemctl stop lapkin atau Ctrl+C), lalu "
                    "jalankan lagi."
                )
            yield
    finally:
        engine.dispose()


def _holder(connection: Connection) -> str:
    """Say where the running copy connects from, when PostgreSQL lets us see it."""
    row = connection.execute(
        text(
            "SELECT a.client_addr FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.database = "
            "(SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND l.classid::bigint = :high AND l.objid::bigint = :low"
        ),
        {"high": ADVISORY_KEY >> 32, "low": ADVISORY_KEY & 0xFFFFFFFF},
    ).first()
    if row is None:
        return ""
    return f" (dari {row[0]})" if row[0] is not None else " (di mesin basis data ini)"
