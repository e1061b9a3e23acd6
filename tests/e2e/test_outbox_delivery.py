"""The outbox as people experience it: every notice arrives once, whatever Telegram does."""

from __future__ import annotations

import asyncio
import shutil
from datetime import UTC, datetime

import pytest

from bot.services import outbox
from bot.settings import Settings
from storage.db import Database
from storage.files import FileStore
from tests.e2e.conftest import BotRunner
from tests.standin import BotApiStandin, FakeUser

pytestmark = pytest.mark.e2e


def _queue(db: Database, user: FakeUser, *texts: str) -> None:
    with db.session() as session:
        for text in texts:
            outbox.enqueue(session, chat_id=user.id, now=datetime.now(UTC), text=text)
        session.commit()


def _received(standin: BotApiStandin, user: FakeUser, prefix: str) -> list[str]:
    return [m.body for m in standin.messages(user) if m.body.startswith(prefix)]


async def _wait_for_all_sent(db: Database) -> None:
    """Wait (at most 30 s) until nothing is pending or in flight in the outbox."""

    def busy() -> bool:
        return bool(
            outbox.messages(db=db, status=outbox.PENDING)
            or outbox.messages(db=db, status=outbox.SENDING)
        )

    async with asyncio.timeout(30):
        while busy():  # noqa: ASYNC110 - the database has no event to wait on
            await asyncio.sleep(0.1)


async def test_queued_messages_survive_a_restart_and_429_5xx_faults_none_twice(
    standin: BotApiStandin, office_db: Database, start_bot: BotRunner
) -> None:
    budi, sari = standin.user("Budi"), standin.user("Sari")
    # Queued while the bot is down: nothing may be lost.
    _queue(office_db, budi, "notice 1", "notice 2", "notice 3")
    _queue(office_db, sari, "notice A", "notice B")
    standin.fail_next("sendMessage", "500", times=2)
    standin.fail_next("sendMessage", "429", retry_after=1)
    standin.fail_next("sendMessage", "502")
    standin.fail_next("sendMessage", "timeout", delay=3.0)

    async with start_bot():
        await standin.wait_for_message(budi, contains="notice 1")
    # Stopped after the first notice arrived; the rest wait in the database.
    async with start_bot():
        await standin.wait_for_message(budi, contains="notice 3", timeout=30)
        await standin.wait_for_message(sari, contains="notice B", timeout=30)
        await _wait_for_all_sent(office_db)

    assert _received(standin, budi, "notice") == ["notice 1", "notice 2", "notice 3"]
    assert _received(standin, sari, "notice") == ["notice A", "notice B"]
    failed_calls = [c for c in standin.calls("sendMessage") if c.status != 200]
    assert len(failed_calls) >= 5  # every injected fault was met, and retried
    sent = outbox.messages(db=office_db, status=outbox.SENT)
    assert len(sent) == 5 and all(m.telegram_message_id for m in sent)


async def test_a_message_refused_by_telegram_is_not_retried_forever(
    standin: BotApiStandin, office_db: Database, start_bot: BotRunner
) -> None:
    budi = standin.user("Budi")
    _queue(office_db, budi, "x" * 5000)  # longer than Telegram allows

    async with start_bot():
        await _wait_for_all_sent(office_db)

    (failed,) = outbox.messages(db=office_db, status=outbox.FAILED)
    assert "too long" in (failed.last_error or "")
    assert standin.messages(budi) == []


async def test_a_queued_document_is_found_after_the_data_folder_moved(
    standin: BotApiStandin, office_db: Database, settings: Settings, start_bot: BotRunner
) -> None:
    budi = standin.user("Budi")
    old_folder = settings.data_dir.with_name("data-lama")
    _, relative = FileStore(old_folder).put(b"%PDF-1.4\n% Nota Dinas\n")
    with office_db.session() as session:
        outbox.enqueue(
            session,
            chat_id=budi.id,
            now=datetime.now(UTC),
            document_path=relative,
            document_name="Nota Dinas.pdf",
        )
        session.commit()
    # The office moves its data folder (say, to a bigger disk) and points DATA_DIR there.
    shutil.rmtree(settings.data_dir, ignore_errors=True)
    old_folder.rename(settings.data_dir)

    async with start_bot():
        sent = await standin.wait_for_message(budi)

    assert sent.document is not None and sent.document["file_name"] == "Nota Dinas.pdf"
    assert standin.download(sent.document["file_id"]) == b"%PDF-1.4\n% Nota Dinas\n"
