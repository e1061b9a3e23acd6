"""One error handler: the user hears a polite apology, the admins get a report, no token leaks."""

from __future__ import annotations

import io
import logging

import pytest

from bot.context import LapkinApplication
from bot.logs import install_redaction
from handlers import general
from storage.db import Database
from tests.e2e.conftest import ADMIN_NIP, STAF_NIP, TOKEN, register
from tests.standin import BotApiStandin

pytestmark = pytest.mark.e2e


async def test_a_failing_handler_apologises_and_reports_to_the_admins(
    standin: BotApiStandin,
    office_db: Database,
    bot: LapkinApplication,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    admin = await register(standin, office_db, ADMIN_NIP, "Fajar")
    dedi = await register(standin, office_db, STAF_NIP, "Dedi")
    await standin.wait_for_message(admin, contains="telah mendaftar")

    def broken_help(person: object) -> str:
        raise RuntimeError(f"disk on fire while talking to bot{TOKEN}")

    monkeypatch.setattr(general.texts, "help_text", broken_help)
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
