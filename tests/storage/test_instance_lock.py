"""The instance lock: one holder per database, free again once released.

These hold it twice in one process, which works because both kinds of lock belong to
something a process can have two of (a PostgreSQL session, an open file description).
That a second *process* is refused, and that a killed one leaves no lock behind, is proved
with the real CLI in tests/e2e/test_cli_run.py.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.instance import APPLICATION_NAME, AlreadyRunning, check_job, instance_lock
from storage.db import normalise_url
from tests.conftest import POSTGRES_ENV
from tests.dbproxy import proxied


def test_a_second_holder_is_refused_in_one_line_until_the_first_lets_go(
    database_url: str,
) -> None:
    with instance_lock(database_url):
        with pytest.raises(AlreadyRunning) as refused, instance_lock(database_url):
            pass
        message = str(refused.value)
        assert "\n" not in message and "sudah berjalan" in message and "hentikan" in message
    with instance_lock(database_url):  # released: free again
        pass


def test_another_sqlite_database_has_a_lock_of_its_own(tmp_path: Path) -> None:
    with (
        instance_lock(f"sqlite:///{tmp_path / 'a.sqlite3'}"),
        instance_lock(f"sqlite:///{tmp_path / 'b.sqlite3'}"),
    ):
        assert (tmp_path / "a.sqlite3.lock").exists()


def test_the_sqlite_refusal_names_the_running_process(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'lapkin.sqlite3'}"
    with (
        instance_lock(url),
        pytest.raises(AlreadyRunning, match=r"\(PID \d+\)"),
        instance_lock(url),
    ):
        pass


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_another_postgresql_database_on_the_server_has_a_lock_of_its_own(
    database_url: str,
) -> None:
    server_database = os.environ[POSTGRES_ENV]  # the server's own "postgres" database
    with (
        instance_lock(database_url),
        instance_lock(server_database),
        pytest.raises(AlreadyRunning, match=r"\(dari 127\.0\.0\.1\)"),
        instance_lock(database_url),
    ):
        pass


def _wait_until_the_server_dropped_the_lock(url: str) -> None:
    """Wait until no session holds the lock (the server noticed its connection closed)."""
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as connection:
            for _ in range(500):
                holders = connection.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE application_name = :name AND datname = current_database()"
                    ),
                    {"name": APPLICATION_NAME},
                ).scalar_one()
                connection.commit()
                if holders == 0:
                    return
                time.sleep(0.01)
    finally:
        engine.dispose()
    raise AssertionError("the server kept the lost session")


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_lock_lost_with_its_connection_is_taken_again(database_url: str) -> None:
    with proxied(database_url) as proxy, instance_lock(proxy.url) as lock:
        assert lock.still_ours()
        proxy.cut()  # as when PostgreSQL restarts: the session, and its lock, are gone
        _wait_until_the_server_dropped_the_lock(database_url)
        proxy.restore()

        assert lock.still_ours()
        with pytest.raises(AlreadyRunning), instance_lock(database_url):
            pass


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_lock_another_copy_took_meanwhile_stops_this_one(database_url: str) -> None:
    stopped: list[bool] = []
    with proxied(database_url) as proxy, instance_lock(proxy.url) as lock:
        proxy.cut()
        _wait_until_the_server_dropped_the_lock(database_url)
        with instance_lock(database_url):  # a second copy started while the first was cut off
            proxy.restore()
            await check_job(lock, lambda: stopped.append(True))(None)  # type: ignore[arg-type]

    assert stopped == [True] and lock.lost
