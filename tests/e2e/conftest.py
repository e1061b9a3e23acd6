"""End-to-end fixtures: the local Bot API stand-in, and the real bot wired to it."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import build_application, running
from bot.context import LapkinApplication
from bot.services.invitations import create_invitation
from bot.settings import Settings
from storage.db import Database
from tests.standin import BotApiStandin, FakeUser

TOKEN = "123456789:AAH-test-token-for-the-local-standin"
BOT_USERNAME = "lapkin_test_bot"

ADMIN_NIP = "199309092020121005"  # Fajar: staf, rendatin, admin
STAF_NIP = "199001052015031002"  # Dedi: staf KUL
KASUBBAG_NIP = "198203142009012003"  # Rina: kasubbag KUL


@pytest.fixture
async def standin() -> AsyncIterator[BotApiStandin]:
    """Serve a Telegram-like Bot API on 127.0.0.1."""
    server = BotApiStandin(token=TOKEN, bot_username=BOT_USERNAME)
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
    )


BotRunner = Callable[[], AbstractAsyncContextManager[LapkinApplication]]


@pytest.fixture
def start_bot(settings: Settings, office_db: Database) -> BotRunner:
    """Give a function that runs a fresh instance of the real bot (call it again to restart)."""

    def runner() -> AbstractAsyncContextManager[LapkinApplication]:
        return running(build_application(settings, db=Database(settings.effective_database_url)))

    return runner


@pytest.fixture
async def bot(start_bot: BotRunner) -> AsyncIterator[LapkinApplication]:
    """Run the real bot against the stand-in for the length of one test."""
    async with start_bot() as application:
        yield application


def invite(db: Database, nip: str, *, now: datetime | None = None) -> str:
    """Create an invitation as the CLI does and return the token."""
    return create_invitation(
        db=db, nip=nip, now=now or datetime.now(UTC), valid_days=7, created_by="cli"
    ).token


async def register(standin: BotApiStandin, db: Database, nip: str, first_name: str) -> FakeUser:
    """Invite a person and let them open their link; return their Telegram user."""
    user = standin.user(first_name)
    await standin.send_text(user, f"/start {invite(db, nip)}")
    await standin.wait_for_message(user, contains="Selamat datang")
    return user


def token_from_link(text: str) -> str:
    """Pull the token out of the deep link in a message."""
    match = re.search(rf"https://t\.me/{BOT_USERNAME}\?start=([A-Za-z0-9_-]+)", text)
    assert match, text
    return match.group(1)
