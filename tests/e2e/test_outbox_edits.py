"""Outbox edits: an old message's text replaced and its buttons dropped, quietly when moot."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from bot.messages import Button
from bot.services import outbox
from storage.db import Database
from storage.models import OutboxMessage
from tests.e2e.conftest import ADMIN_NIP, BotRunner, register
from tests.standin import BotApiStandin, FakeUser

pytestmark = pytest.mark.e2e

BUTTONS = [[Button("✅ Setujui", data="ap:ok:1:1"), Button("↩️ Kembalikan", data="ap:rt:1:1")]]


def _queue(db: Database, user: FakeUser, text: str | None = None, **fields: object) -> int:
    with db.session() as session:
        message = outbox.enqueue(
            session,
            chat_id=user.id,
            now=datetime.now(UTC),
            text=text,
            **fields,  # type: ignore[arg-type]
        )
        assert message is not None
        session.commit()
        assert message.id is not None
        return message.id


def _queue_edit(db: Database, of: int, text: str) -> int:
    with db.session() as session:
        original = session.get(OutboxMessage, of)
        assert original is not None
        outbox.enqueue_edit(session, of=original, text=text, now=datetime.now(UTC))
        session.commit()
        edit = session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.edit_of_id == of)
            .order_by(col(OutboxMessage.id).desc())
        ).first()
        assert edit is not None and edit.id is not None
        return edit.id


def _row(db: Database, message_id: int) -> OutboxMessage:
    with db.session() as session:
        row = session.get(OutboxMessage, message_id)
        assert row is not None
        return row


async def _until(condition: Callable[[], bool], what: str, seconds: float = 15) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _settled(db: Database, message_id: int) -> Callable[[], bool]:
    return lambda: _row(db, message_id).status not in (outbox.PENDING, outbox.SENDING)


def _alerts(db: Database) -> list[OutboxMessage]:
    return [m for m in outbox.messages(db=db) if (m.dedupe_key or "").startswith("alert:")]


async def test_an_edit_of_a_message_that_never_reached_telegram_is_dropped_quietly(
    standin: BotApiStandin, office_db: Database, start_bot: BotRunner
) -> None:
    async with start_bot():
        fajar = await register(standin, office_db, ADMIN_NIP, "Fajar")  # an admin to alert
        budi = standin.user("Budi")
        # Telegram refuses the original (too long), so it never gets a message id ...
        original = _queue(office_db, budi, "x" * 5000, keyboard=BUTTONS)
        # ... and the edit, queued behind it in the same chat, has nothing to correct.
        edit = _queue_edit(office_db, original, "✅ Sudah diputuskan.")
        await _until(_settled(office_db, edit), "the edit to be settled")
        await standin.wait_for_message(fajar, contains="tidak terkirim")
        await standin.wait_until_idle()

    assert _row(office_db, original).status == outbox.FAILED
    dropped = _row(office_db, edit)
    assert dropped.status == outbox.FAILED and dropped.telegram_message_id is None
    assert dropped.last_error == "the edited message was never sent"
    # One alert, for the refused message; none for the edit that followed it.
    alerts = _alerts(office_db)
    assert [a.dedupe_key for a in alerts] == [f"alert:outbox:{original}:{fajar.id}"]
    assert len([m for m in standin.messages(fajar) if "tidak terkirim" in m.body]) == 1
    assert standin.calls("editMessageText") == [] and standin.messages(budi) == []


async def test_an_edit_of_a_document_replaces_its_caption_and_drops_the_buttons(
    standin: BotApiStandin, office_db: Database, start_bot: BotRunner, tmp_path: Path
) -> None:
    budi = standin.user("Budi")
    document = tmp_path / "konsep.docx"
    document.write_bytes(b"PK\x03\x04 not really a docx")
    async with start_bot():
        original = _queue(
            office_db,
            budi,
            "📝 Mohon paraf konsep versi 1.",
            keyboard=BUTTONS,
            document_path=str(document),
            document_name="KONSEP v1.docx",
        )
        sent = await standin.wait_for_message(budi, contains="Mohon paraf")
        assert sent.document is not None and sent.buttons == [["✅ Setujui", "↩️ Kembalikan"]]
        edit = _queue_edit(office_db, original, "✅ Anda memaraf konsep versi 1.")
        await _until(_settled(office_db, edit), "the edit to be sent")

    assert sent.caption == "✅ Anda memaraf konsep versi 1."
    assert sent.buttons == [] and sent.edited and sent.document["file_name"] == "KONSEP v1.docx"
    assert len(standin.messages(budi)) == 1  # edited in place, nothing new sent
    (call,) = standin.calls("editMessageCaption")
    assert call.status == 200 and standin.calls("editMessageText") == []
    done = _row(office_db, edit)
    assert done.status == outbox.SENT
    assert done.telegram_message_id == _row(office_db, original).telegram_message_id


async def test_message_is_not_modified_neither_raises_nor_alerts(
    standin: BotApiStandin,
    office_db: Database,
    start_bot: BotRunner,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="bot.dispatcher")
    async with start_bot():
        fajar = await register(standin, office_db, ADMIN_NIP, "Fajar")
        budi = standin.user("Budi")
        original = _queue(office_db, budi, "📝 Mohon paraf konsep versi 1.", keyboard=BUTTONS)
        sent = await standin.wait_for_message(budi, contains="Mohon paraf")
        # Two settlements of one approval (say, a retry) write the same text twice.
        first = _queue_edit(office_db, original, "↩️ Konsep versi 1 dikembalikan.")
        second = _queue_edit(office_db, original, "↩️ Konsep versi 1 dikembalikan.")
        await _until(_settled(office_db, second), "the second edit to be settled")
        # The dispatcher carries on with the chat afterwards.
        _queue(office_db, budi, "pesan berikutnya")
        await standin.wait_for_message(budi, contains="pesan berikutnya")
        await standin.wait_until_idle()

    assert sent.text == "↩️ Konsep versi 1 dikembalikan." and sent.buttons == []
    assert sent.edit_count == 1
    assert _row(office_db, first).status == outbox.SENT
    moot = _row(office_db, second)
    assert moot.status == outbox.FAILED
    assert "message is not modified" in (moot.last_error or "").lower()
    refused = [c for c in standin.calls("editMessageText") if c.status != 200]
    assert len(refused) == 1 and refused[0].status == 400
    assert _alerts(office_db) == []
    assert not [m for m in standin.messages(fajar) if "tidak terkirim" in m.body]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
