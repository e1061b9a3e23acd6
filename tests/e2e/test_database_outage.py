"""PostgreSQL going away while the bot runs, and coming back."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from bot.app import build_application, running
from bot.messages import common as texts
from bot.settings import Settings
from storage.db import Database
from tests.dbproxy import proxied
from tests.e2e.conftest import ADMIN_NIP, STAF_NIP, TEST_PACING, register
from tests.standin import BotApiStandin

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.parametrize("database_url", ["postgresql"], indirect=True),
]

# The bot's clock runs a minute per real second, so a few seconds of outage span minutes of
# the watch's "a line a minute".
SPEED = 60.0


def _fast_clock() -> Callable[[], datetime]:
    start, began = datetime.now(UTC), time.monotonic()
    return lambda: start + timedelta(seconds=(time.monotonic() - began) * SPEED)


async def _until(condition: Callable[[], bool]) -> None:
    async with asyncio.timeout(30):
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.02)


async def test_the_outage_is_logged_a_line_a_minute_and_reported_once_it_is_over(
    standin: BotApiStandin,
    office_db: Database,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert settings.database_url is not None
    with proxied(settings.database_url) as proxy:
        through_proxy = settings.model_copy(update={"database_url": proxy.url})
        application = build_application(
            through_proxy, db=Database(proxy.url), pacing=TEST_PACING, clock=_fast_clock()
        )
        watch = application.bot_data.services.watch
        async with running(application):
            admin = await register(standin, office_db, ADMIN_NIP, "Fajar")
            dedi = await register(standin, office_db, STAF_NIP, "Dedi")
            await standin.wait_for_message(admin, contains="telah mendaftar")
            await standin.wait_until_idle()
            caplog.clear()
            caplog.set_level(logging.INFO)

            proxy.cut()
            await _until(lambda: watch.failures >= 10)
            before = len(standin.messages(dedi))
            await standin.send_text(dedi, "/bantuan")  # while the database is away
            apology = await standin.wait_for_message(dedi, after=before)
            await _until(lambda: watch.failures >= 25)
            proxy.restore()
            report = await standin.wait_for_message(admin, contains="tidak dapat dihubungi")
            await standin.wait_until_idle()
            failures = watch.failures

    # Dedi is not told his error was reported: it could not be.
    assert apology.body == texts.ERROR_NOT_REPORTED
    assert not [m for m in standin.messages(admin) if "Kesalahan di Lapkin" in m.body]
    # The admin hears once, with how long it lasted (minutes on the bot's fast clock).
    outage_reports = [m for m in standin.messages(admin) if "tidak dapat dihubungi" in m.body]
    assert outage_reports == [report] and "menit" in report.body
    # The log: no tracebacks, and a line a minute rather than one per failed poll.
    noisy = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert not [r for r in noisy if r.exc_info], [r.getMessage() for r in noisy]
    outage_lines = [r for r in noisy if r.name == "bot.outage"]
    assert outage_lines[0].getMessage().startswith("the database is unreachable")
    assert outage_lines[-1].getMessage().startswith("the database is reachable again")
    assert len(noisy) == len(outage_lines), [r.getMessage() for r in noisy]
    assert 3 <= len(outage_lines) < failures / 3
