"""One error handler: the user hears a polite apology, the admins get a report, no token leaks."""

from __future__ import annotations

import io
import logging

import pytest

from bot.context import LapkinApplication
from bot.logs import install_redaction
from bot.messages import common as texts
from bot.services import error_reports
from handlers import general
from storage.db import Database
from tests.e2e.conftest import ADMIN_NIP, STAF_NIP, TOKEN, count_errors, deactivate, register
from tests.standin import BotApiStandin, FakeUser

pytestmark = pytest.mark.e2e


def _break_help(monkeypatch: pytest.MonkeyPatch, message: str = "disk on fire") -> None:
    """Make /bantuan fail with a RuntimeError carrying ``message``."""

    def broken_help(person: object) -> str:
        raise RuntimeError(message)

    monkeypatch.setattr(general.texts, "help_text", broken_help)


async def _admin_and_staf(standin: BotApiStandin, db: Database) -> tuple[FakeUser, FakeUser]:
    admin = await register(standin, db, ADMIN_NIP, "Fajar")
    dedi = await register(standin, db, STAF_NIP, "Dedi")
    await standin.wait_for_message(admin, contains="telah mendaftar")
    return admin, dedi


async def test_a_failing_handler_apologises_and_reports_to_the_admins(
    standin: BotApiStandin,
    office_db: Database,
    bot: LapkinApplication,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    admin, dedi = await _admin_and_staf(standin, office_db)
    _break_help(monkeypatch, f"disk on fire while talking to bot{TOKEN}")
    before = len(standin.messages(dedi))
    log_output = io.StringIO()
    handler = logging.StreamHandler(log_output)
    install_redaction([handler], secrets=[TOKEN])  # as bot.logs.configure_logging does
    logging.getLogger().addHandler(handler)
    try:
        await standin.send_text(dedi, "/bantuan")
        apology = await standin.wait_for_message(dedi, after=before)
        report = await standin.wait_for_message(admin, contains="Kesalahan di Lapkin")
    finally:
        logging.getLogger().removeHandler(handler)

    assert "terjadi kesalahan di sistem" in apology.body and "RuntimeError" not in apology.body
    assert "Dedi Kurniawan" in report.body and "RuntimeError" in report.body
    assert "error while handling an update" in log_output.getvalue()
    assert "disk on fire while talking to bot<token>" in log_output.getvalue()
    assert TOKEN not in log_output.getvalue()
    assert TOKEN not in report.body and "bot<token>" in report.body


async def test_the_same_error_again_is_counted_in_the_first_report(
    standin: BotApiStandin,
    office_db: Database,
    bot: LapkinApplication,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    admin, dedi = await _admin_and_staf(standin, office_db)
    _break_help(monkeypatch)
    for attempt in (1, 2, 3):
        before = len(standin.messages(dedi))
        await standin.send_text(dedi, "/bantuan")
        apology = await standin.wait_for_message(dedi, after=before)
        assert apology.body == texts.ERROR, attempt
        if attempt == 1:
            report = await standin.wait_for_message(admin, contains="Kesalahan di Lapkin")
    counted = await standin.wait_for_message(admin, contains="Terjadi 3 kali sejak")
    await standin.wait_until_idle()
    reports = [m for m in standin.messages(admin) if "Kesalahan di Lapkin" in m.body]
    assert len(reports) == 1 and counted.message_id == report.message_id  # edited in place


async def test_when_the_report_cannot_be_queued_nobody_is_told_it_was(
    standin: BotApiStandin,
    office_db: Database,
    bot: LapkinApplication,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dedi = await register(standin, office_db, STAF_NIP, "Dedi")
    _break_help(monkeypatch)

    def database_down(*args: object, **kwargs: object) -> list[int]:
        raise OSError("connection refused")

    monkeypatch.setattr(error_reports, "enqueue_to_admins", database_down)
    before = len(standin.messages(dedi))
    await standin.send_text(dedi, "/bantuan")
    apology = await standin.wait_for_message(dedi, after=before)
    assert apology.body == texts.ERROR_NOT_REPORTED
    assert "dilaporkan" not in apology.body


async def test_the_guard_fails_closed_when_its_refusal_cannot_be_sent(
    standin: BotApiStandin, office_db: Database, bot: LapkinApplication
) -> None:
    dedi = await register(standin, office_db, STAF_NIP, "Dedi")
    deactivate(office_db, STAF_NIP)
    errors = count_errors(bot)
    standin.fail_next("sendMessage", "forbidden", chat_id=dedi.id, times=5)

    await standin.send_text(dedi, "/isi")
    await standin.wait_until_idle()

    # The refusal failed (one error); nothing went on to the entry menu, which would have
    # failed a second time for want of a registered person.
    assert [type(error).__name__ for error in errors] == ["Forbidden"]
