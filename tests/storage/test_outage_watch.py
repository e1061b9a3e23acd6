"""The database watch: a bounded number of log lines while away, one report once back."""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from psycopg import errors
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from bot import outage
from bot.outage import DatabaseWatch, is_unavailable
from bot.services import outbox
from storage.db import Database

START = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # 09.00 WIB
ADMIN_CHAT = 555


def _refused() -> OperationalError:
    return OperationalError(
        "SELECT 1",
        {},
        Exception(
            'connection to server at "db" failed: Connection refused\n\tIs the server running?'
        ),
    )


class _Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


async def test_ten_minutes_away_give_ten_lines_and_one_report_with_the_duration(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    clock = _Clock()
    watch = DatabaseWatch(db=db, admin_chat_id=ADMIN_CHAT, tz=ZoneInfo("Asia/Jakarta"), clock=clock)
    woken: list[int] = []
    caplog.set_level(logging.INFO, logger="bot.outage")

    for _ in range(300):  # a failed poll every 2 s for 10 minutes
        watch.failed(_refused(), where="outbox")
        clock.now += timedelta(seconds=2)
    await watch.recovered(wake=lambda: woken.append(1))
    await watch.recovered(wake=lambda: woken.append(1))  # the next success: nothing more

    lines = [r for r in caplog.records if r.name == "bot.outage"]
    assert len(lines) == 11 and not any(r.exc_info for r in lines)
    assert [r.levelname for r in lines] == ["ERROR"] * 10 + ["WARNING"]
    assert "Connection refused" in lines[0].getMessage() and "\n" not in lines[0].getMessage()
    assert "still unreachable, for 9 menit" in lines[-2].getMessage()
    assert lines[-1].getMessage() == "the database is reachable again after 10 menit"
    (report,) = outbox.messages(db=db)
    assert report.chat_id == ADMIN_CHAT and report.text is not None
    assert "tidak dapat dihubungi selama 10 menit" in report.text
    assert "25 November 2026 pukul 09.00 WIB sampai 25 November 2026 pukul 09.10 WIB" in report.text
    assert woken == [1] and watch.failures == 300 and not watch.down


async def test_a_report_that_cannot_be_queued_is_queued_at_the_next_success(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = _Clock()
    watch = DatabaseWatch(db=db, admin_chat_id=ADMIN_CHAT, tz=ZoneInfo("Asia/Jakarta"), clock=clock)
    watch.failed(_refused(), where="outbox")
    clock.now += timedelta(seconds=30)
    real_report = outage.report_outage

    def gone_again(**kwargs: object) -> None:
        raise _refused()

    monkeypatch.setattr(outage, "report_outage", gone_again)
    await watch.recovered(wake=lambda: None)
    assert outbox.messages(db=db) == [] and watch.down  # it went again while reporting
    monkeypatch.setattr(outage, "report_outage", real_report)
    clock.now += timedelta(seconds=30)
    await watch.recovered(wake=lambda: None)

    texts = [message.text or "" for message in outbox.messages(db=db)]
    assert len(texts) == 2  # the first outage (30 s) and the short one while reporting
    assert "selama 30 detik" in texts[0] and "selama 30 detik" in texts[1]


def test_only_the_database_being_away_counts_as_unavailable() -> None:
    assert is_unavailable(_refused())
    assert is_unavailable(OperationalError("SELECT 1", {}, errors.AdminShutdown()))
    # A deadlock or a lock held too long is the database answering: a bug or contention.
    assert not is_unavailable(OperationalError("UPDATE", {}, errors.DeadlockDetected()))
    locked = sqlite3.OperationalError("database is locked")
    locked.sqlite_errorname = "SQLITE_BUSY"  # type: ignore[attr-defined]
    assert not is_unavailable(OperationalError("UPDATE", {}, locked))
    assert not is_unavailable(ValueError("a bug"))
    assert not is_unavailable(None)


def test_a_sqlite_file_that_cannot_be_opened_is_unavailable(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'lapkin.sqlite3'}")
    (tmp_path / "lapkin.sqlite3").mkdir()  # a directory where the file should be
    with pytest.raises(OperationalError) as refused, database.session() as session:
        session.exec(text("SELECT 1"))  # type: ignore[call-overload]
    database.dispose()
    assert is_unavailable(refused.value)
