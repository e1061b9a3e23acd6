"""The reminder job survives a failing sweep and tells the admins once a day, not every run."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from sqlmodel import select

from bot import reminders as reminder_job
from bot.services import reminder_sweep as reminders
from storage.db import Database
from storage.models import OutboxMessage, Person


class _Dispatcher:
    def __init__(self) -> None:
        self.woken = 0

    def wake(self) -> None:
        self.woken += 1


async def test_a_failing_sweep_alerts_the_admins_once_a_day_and_the_job_lives_on(
    office_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with office_db.session() as session:
        admin = session.exec(select(Person).where(Person.nip == "199309092020121005")).one()
        admin.telegram_user_id = 700_000_001  # registered, so alerts can reach them
        session.add(admin)
        session.commit()

    def broken(**_: Any) -> int:
        raise ValueError("holidays of 2029 are not known")

    monkeypatch.setattr(reminders, "sweep", broken)
    clock = iter(
        [
            datetime(2026, 11, 26, 2, 0, tzinfo=UTC),
            datetime(2026, 11, 26, 2, 1, tzinfo=UTC),
            datetime(2026, 11, 27, 2, 0, tzinfo=UTC),
        ]
    )
    now = {"value": next(clock)}
    dispatcher = _Dispatcher()
    services = SimpleNamespace(
        db=office_db,
        clock=lambda: now["value"],
        dispatcher=dispatcher,
        settings=SimpleNamespace(tz=None, admin_chat_id=None),
    )
    context: Any = SimpleNamespace(services=services)

    await reminder_job.sweep_job(context)  # does not raise
    now["value"] = next(clock)
    await reminder_job.sweep_job(context)  # a minute later: no second alert
    now["value"] = next(clock)
    await reminder_job.sweep_job(context)  # the next day: one more

    with office_db.session() as session:
        alerts = session.exec(
            select(OutboxMessage).where(OutboxMessage.chat_id == 700_000_001)
        ).all()
    assert [a.dedupe_key for a in alerts] == [
        "alert:reminders:2026-11-26:700000001",
        "alert:reminders:2026-11-27:700000001",
    ]
    assert alerts[0].text is not None and "Pengingat otomatis Lapkin gagal" in alerts[0].text
    assert dispatcher.woken == 3
