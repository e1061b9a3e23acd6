"""End-to-end fixtures: the local Bot API stand-in, and the real bot wired to it."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from bot.app import build_application, running
from bot.clock import utc_now
from bot.context import LapkinApplication
from bot.ratelimit import Pacing
from bot.services.invitations import create_invitation
from bot.settings import Settings
from storage.db import Database
from storage.models import Person
from tests.standin import BotApiStandin, FakeUser

TOKEN = "123456789:AAH-test-token-for-the-local-standin"
BOT_USERNAME = "lapkin_test_bot"

ADMIN_NIP = "199309092020121005"  # Fajar: staf, rendatin, admin
STAF_NIP = "199001052015031002"  # Dedi: staf KUL
KASUBBAG_NIP = "198203142009012003"  # Rina: kasubbag KUL

# Telegram's rate limits and retry waits, a hundred times faster for the bot and the stand-in
# alike, so the suite waits on events rather than on the clock (tests/e2e/test_pacing.py keeps
# real time).
TEST_PACING = Pacing(speed=100.0)


@pytest.fixture
async def standin() -> AsyncIterator[BotApiStandin]:
    """Serve a Telegram-like Bot API on 127.0.0.1."""
    server = BotApiStandin(token=TOKEN, bot_username=BOT_USERNAME, speed=TEST_PACING.speed)
    await server.start()
    yield server
    await server.stop()
    assert not server.internal_errors, server.internal_errors


@pytest.fixture
def settings(standin: BotApiStandin, database_url: str, tmp_path: Path) -> Settings:
    """Give settings that point the bot at the stand-in and the test database."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        telegram_bot_token=TOKEN,  # type: ignore[arg-type]
        telegram_base_url=standin.base_url,
        telegram_base_file_url=standin.base_file_url,
        database_url=database_url,
        data_dir=tmp_path / "data",
        outbox_poll_seconds=0.2,
        telegram_read_timeout=2.0,
        telegram_write_timeout=2.0,
        admin_chat_id=None,
        # LibreOffice takes seconds per document; its path has a test of its own.
        pdf_copies=False,
        # The wall clock would make reminders fall due at random moments of other tests;
        # tests/e2e/test_reminders.py turns them on with a controlled clock.
        reminders_enabled=False,
    )


BotRunner = Callable[[], AbstractAsyncContextManager[LapkinApplication]]


@dataclass
class MovableClock:
    """The bot's clock: the wall clock, which a test may move to another day.

    Time keeps running from the moment it was moved to, so retries and waits still come due.
    """

    offset: timedelta = timedelta(0)

    def __call__(self) -> datetime:
        return utc_now() + self.offset

    def move_to(self, moment: datetime) -> None:
        """Make the bot's time ``moment`` now, and let it run on from there."""
        self.offset = moment - utc_now()


@pytest.fixture
def clock() -> MovableClock:
    """Give the clock the bot of this test reads (the wall clock until a test moves it)."""
    return MovableClock()


@pytest.fixture
def start_bot(settings: Settings, office_db: Database, clock: MovableClock) -> BotRunner:
    """Give a function that runs a fresh instance of the real bot (call it again to restart)."""

    def runner() -> AbstractAsyncContextManager[LapkinApplication]:
        database = Database(settings.effective_database_url)
        return running(build_application(settings, db=database, pacing=TEST_PACING, clock=clock))

    return runner


@pytest.fixture
async def bot(start_bot: BotRunner) -> AsyncIterator[LapkinApplication]:
    """Run the real bot against the stand-in for the length of one test."""
    async with start_bot() as application:
        yield application


def count_errors(application: LapkinApplication) -> list[BaseException | None]:
    """Record every error that reaches the bot's error handler (which still runs)."""
    errors: list[BaseException | None] = []
    (real_handler,) = application.error_handlers

    async def record(update: object, context: Any) -> None:
        errors.append(getattr(context, "error", None))
        await real_handler(update, context)

    application.error_handlers.clear()
    application.add_error_handler(record)
    return errors


def deactivate(db: Database, nip: str) -> None:
    """Mark the person with ``nip`` as no longer working here (as an org import would)."""
    with db.session() as session:
        person = session.exec(select(Person).where(Person.nip == nip)).one()
        person.active = False
        session.add(person)
        session.commit()


def invite(
    db: Database, nip: str, *, now: datetime | None = None, office_code: str | None = None
) -> str:
    """Create an invitation as the CLI does (of ``office_code``, when several) and return the
    token."""
    return create_invitation(
        db=db,
        nip=nip,
        now=now or datetime.now(UTC),
        valid_days=7,
        created_by="cli",
        office_code=office_code,
    ).token


async def register(
    standin: BotApiStandin,
    db: Database,
    nip: str,
    first_name: str,
    *,
    office_code: str | None = None,
) -> FakeUser:
    """Invite a person and let them open their link; return their Telegram user."""
    user = standin.user(first_name)
    await standin.send_text(user, f"/start {invite(db, nip, office_code=office_code)}")
    await standin.wait_for_message(user, contains="Selamat datang")
    return user


def token_from_link(text: str) -> str:
    """Pull the token out of the deep link in a message."""
    match = re.search(rf"https://t\.me/{BOT_USERNAME}\?start=([A-Za-z0-9_-]+)", text)
    assert match, text
    return match.group(1)


# The example organisation's people, by the names tests use for them.
PEOPLE = {
    "fajar": ("199309092020121005", "Fajar"),  # staf RENDATIN, rendatin, admin
    "yulia": ("198011302006042002", "Yulia"),  # kasubbag RENDATIN, rendatin (team lead)
    "rina": ("198203142009012003", "Rina"),  # kasubbag KUL
    "dedi": ("199001052015031002", "Dedi"),  # staf KUL
    "agus": ("198407222010011004", "Agus"),  # kasubbag TEKNIS
    "siti": ("199205172019032011", "Siti"),  # staf TEKNIS
    "nurhayati": ("198506182011012006", "Nurhayati"),  # kasubbag HUKUM
    "bima": ("199407252022031007", "Bima"),  # staf HUKUM
    "hendra": ("197805122005021001", "Hendra"),  # sekretaris
}


@pytest.fixture
def pk_db(office_db: Database, example_spec: object) -> Database:
    """Give the example office with its 2026 Perjanjian Kinerja (13 indicators, 4 units)."""
    from bot.services.perjanjian import import_perjanjian_kinerja
    from storage.queries import office_by_code

    with office_db.session() as session:
        office = office_by_code(session, code="kpu-kota-bengkulu")
        assert office is not None and office.id is not None
        office_id = office.id
    for year in example_spec.perjanjian_kinerja:  # type: ignore[attr-defined]
        import_perjanjian_kinerja(
            db=office_db,
            office_id=office_id,
            pk=year.to_domain(),
            now=datetime.now(UTC),
            actor="test",
        )
    return office_db


async def register_people(standin: BotApiStandin, db: Database, *names: str) -> dict[str, FakeUser]:
    """Register the named people of the example office; return their Telegram users."""
    users = {}
    for name in names:
        nip, first_name = PEOPLE[name]
        users[name] = await register(standin, db, nip, first_name)
    return users
