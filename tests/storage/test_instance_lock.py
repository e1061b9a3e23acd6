"""The instance lock: one holder per database, free again once released.

These hold it twice in one process, which works because both kinds of lock belong to
something a process can have two of (a PostgreSQL session, an open file description).
That a second *process* is refused, and that a killed one leaves no lock behind, is proved
with the real CLI in tests/e2e/test_cli_run.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.instance import AlreadyRunning, instance_lock
from tests.conftest import POSTGRES_ENV


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
