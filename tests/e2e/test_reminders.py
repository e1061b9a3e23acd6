"""Reminders through the real bot: the sweep on the JobQueue, the outbox, the stand-in.

The bot's clock is held at the deadline day; a restart of the bot does not repeat the
reminder, and the next working day brings the next one.
"""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

import pytest

from bot import reminders
from bot.app import build_application, running
from bot.context import LapkinApplication
from bot.services import reminder_sweep as service_reminders
from bot.settings import Settings
from storage.db import Database
from tests.e2e.conftest import PEOPLE, TEST_PACING, invite
from tests.reminder_data import Clock, open_cycle, set_status, wib
from tests.standin import BotApiStandin, FakeUser

pytestmark = pytest.mark.e2e

DEADLINE = date(2026, 5, 19)  # a Tuesday
REMINDER = "Pengingat data capaian kinerja"


def _bot(settings: Settings, clock: Clock) -> LapkinApplication:
    application = build_application(
        settings.model_copy(update={"reminder_sweep_seconds": 0.2, "reminders_enabled": True}),
        db=Database(settings.effective_database_url),
        clock=clock,
        pacing=TEST_PACING,
    )
    reminders.install(application, first=0.1)  # sooner than a real start-up's first sweep
    return application


async def _register(standin: BotApiStandin, db: Database, name: str, clock: Clock) -> FakeUser:
    nip, first_name = PEOPLE[name]
    user = standin.user(first_name)
    await standin.send_text(user, f"/start {invite(db, nip, now=clock.now)}")
    await standin.wait_for_message(user, contains="Selamat datang", timeout=20)
    return user


class SweepCounter:
    """Counts the bot's reminder sweeps, so a test can wait for some to have run."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        self._changed = asyncio.Event()
        loop = asyncio.get_running_loop()
        real_sweep = service_reminders.sweep

        def counted(**kwargs: Any) -> int:
            try:
                return real_sweep(**kwargs)
            finally:  # the sweep runs in a worker thread
                loop.call_soon_threadsafe(self._bump)

        monkeypatch.setattr(service_reminders, "sweep", counted)

    def _bump(self) -> None:
        self.count += 1
        self._changed.set()

    async def more(self, runs: int) -> None:
        """Wait until ``runs`` more sweeps have finished."""
        target = self.count + runs
        async with asyncio.timeout(20):
            while self.count < target:
                self._changed.clear()
                await self._changed.wait()


def _reminders(standin: BotApiStandin, user: FakeUser) -> list[str]:
    return [m.body for m in standin.messages(user) if REMINDER in m.body]


async def test_the_bot_delivers_a_unit_reminder_once_with_a_working_button(
    standin: BotApiStandin, settings: Settings, pk_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    sweeps = SweepCounter(monkeypatch)
    open_cycle(pk_db, deadline=DEADLINE, sent_at=wib(date(2026, 5, 11), 8))
    for unit in ("TEKNIS", "HUKUM", "RENDATIN"):
        set_status(pk_db, unit=unit, status="submitted")
    clock = Clock(wib(DEADLINE, 9, 5))

    async with running(_bot(settings, clock)):
        dedi = await _register(standin, pk_db, "dedi", clock)
        fajar = await _register(standin, pk_db, "fajar", clock)
        reminder = await standin.wait_for_message(dedi, contains=REMINDER, timeout=20)
        assert "Batas waktu: hari ini, Selasa, 19 Mei 2026." in reminder.body
        assert "IK 3.1" in reminder.body and "IK 3.4" in reminder.body
        assert reminder.buttons == [["✍️ Lanjutkan pengisian"]]

        before = len(standin.messages(dedi))
        await standin.tap(dedi, reminder, "✍️ Lanjutkan pengisian")
        menu = await standin.wait_for_message(
            dedi, contains="Pilih indikator yang akan diisi", after=before, timeout=20
        )
        assert "IK 3.1" in menu.body

        # Rendatin's commands answer through the same bot.
        before = len(standin.messages(fajar))
        await standin.send_text(fajar, "/ringkasan")
        setting = await standin.wait_for_message(
            fajar, contains="Ringkasan pagi", after=before, timeout=20
        )
        await standin.tap(fajar, setting, "🔔 Aktifkan ringkasan pagi")
        await standin.wait_for_message(fajar, contains="diaktifkan", after=before, timeout=20)
        before = len(standin.messages(fajar))
        await standin.send_text(fajar, "/pengingat jeda TEKNIS dinas luar")
        await standin.wait_for_message(
            fajar, contains="dijeda (dinas luar)", after=before, timeout=20
        )

    # A restart later that morning: the sweep runs again, and repeats nothing.
    clock.advance(timedelta(hours=1))
    async with running(_bot(settings, clock)):
        await sweeps.more(3)
        await standin.wait_until_idle()  # anything they queued has been sent
        assert len(_reminders(standin, dedi)) == 1

        # The next working day brings the next reminder, once.
        clock.now = wib(DEADLINE + timedelta(days=1), 9, 1)
        late = await standin.wait_for_message(dedi, contains="telah lewat 1 hari kerja", timeout=20)
        assert late.buttons == [["✍️ Lanjutkan pengisian"]]
        await sweeps.more(3)
        await standin.wait_until_idle()
        assert len(_reminders(standin, dedi)) == 2
