"""The outbox store: written with its cause, deduplicated, per-chat ordered, crash-safe."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

from telegram import Bot, Message

from bot.dispatcher import OutboxDispatcher
from bot.messages import Button
from bot.outage import DatabaseWatch
from bot.ratelimit import Pacing
from bot.services import outbox
from storage.db import Database
from storage.files import FileStore

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


def _enqueue(db: Database, chat_id: int, text: str, **kwargs: object) -> None:
    with db.session() as session:
        outbox.enqueue(session, chat_id=chat_id, now=NOW, text=text, **kwargs)  # type: ignore[arg-type]
        session.commit()


def test_nothing_is_queued_when_the_transaction_rolls_back(db: Database) -> None:
    with db.session() as session:
        outbox.enqueue(session, chat_id=1, now=NOW, text="hilang")
        session.rollback()

    assert outbox.messages(db=db) == []


def test_a_dedupe_key_queues_a_message_once(db: Database) -> None:
    _enqueue(db, 1, "pengingat", dedupe_key="reminder:1:2026-11-25")
    _enqueue(db, 1, "pengingat", dedupe_key="reminder:1:2026-11-25")

    assert len(outbox.messages(db=db)) == 1


def test_buttons_are_stored_as_telegram_markup(db: Database) -> None:
    _enqueue(
        db,
        1,
        "isi data",
        keyboard=[[Button("Mulai", data="e:1")], [Button("Buka", url="https://t.me/x")]],
    )

    assert outbox.messages(db=db)[0].reply_markup == {
        "inline_keyboard": [
            [{"text": "Mulai", "callback_data": "e:1"}],
            [{"text": "Buka", "url": "https://t.me/x"}],
        ]
    }


def test_claims_keep_each_chats_order_and_skip_messages_not_yet_due(db: Database) -> None:
    for text in ("a1", "a2"):
        _enqueue(db, 1, text)
    _enqueue(db, 2, "b1")

    first = outbox.claim_due(db=db, now=NOW)
    assert sorted(item.text or "" for item in first) == ["a1", "b1"]
    assert outbox.claim_due(db=db, now=NOW) == []  # a2 waits behind a1, which is in flight

    a1 = next(item for item in first if item.text == "a1")
    outbox.mark_retry(
        db=db, message_id=a1.id, at=NOW + timedelta(seconds=4), error="5xx", attempts=1
    )
    assert outbox.claim_due(db=db, now=NOW + timedelta(seconds=1)) == []  # a2 must not overtake
    retried = outbox.claim_due(db=db, now=NOW + timedelta(seconds=4))
    assert [(item.text, item.attempts) for item in retried] == [("a1", 2)]


def test_messages_interrupted_by_a_crash_are_requeued(db: Database) -> None:
    _enqueue(db, 1, "a1")
    outbox.claim_due(db=db, now=NOW)  # ... and the process dies before marking it sent

    assert outbox.recover_interrupted(db=db) == 1
    assert [item.text for item in outbox.claim_due(db=db, now=NOW)] == ["a1"]


async def test_a_stop_gives_up_on_sends_that_hang_past_its_grace_and_leaves_them_queued(
    db: Database, tmp_path: Path
) -> None:
    _enqueue(db, 1, "a1")
    _enqueue(db, 2, "b1")
    both_sending = asyncio.Event()
    hanging: list[int] = []

    class HangingBot:
        """Telegram never answers (the HTTP client's own time-out is not in play here)."""

        async def send_message(self, *, chat_id: int, **kwargs: Any) -> Message:
            hanging.append(chat_id)
            if len(hanging) == 2:
                both_sending.set()
            await asyncio.Event().wait()
            raise AssertionError("unreachable")

    dispatcher = OutboxDispatcher(
        bot=cast(Bot, HangingBot()),
        db=db,
        clock=lambda: NOW,
        pacing=Pacing(speed=100.0),
        admin_chat_id=None,
        poll_seconds=60.0,
        max_attempts=3,
        answer_timeout=0.1,
        watch=DatabaseWatch(db=db, admin_chat_id=None, tz=ZoneInfo("Asia/Jakarta")),
        files=FileStore(tmp_path),
    )
    await dispatcher.start()
    await both_sending.wait()

    async with asyncio.timeout(5):  # bounded: the grace is 0.15 s here
        await dispatcher.stop()

    assert [row.status for row in outbox.messages(db=db)] == [outbox.SENDING] * 2
    assert outbox.recover_interrupted(db=db) == 2  # the next start sends them


def test_giving_up_alerts_the_admin_chat_once(db: Database) -> None:
    _enqueue(db, 1, "a1")
    (item,) = outbox.claim_due(db=db, now=NOW)

    for _ in range(2):
        outbox.mark_given_up(
            db=db,
            item=item,
            status=outbox.UNDELIVERABLE,
            error="Forbidden",
            now=NOW,
            admin_chat_id=-100,
        )

    alerts = [m for m in outbox.messages(db=db) if m.chat_id == -100]
    assert len(alerts) == 1 and "tidak terkirim" in (alerts[0].text or "")
    assert outbox.messages(db=db, status=outbox.UNDELIVERABLE)[0].text == "a1"


def test_backoff_grows_and_is_capped() -> None:
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert outbox.backoff(30) == timedelta(minutes=5)
