"""Two outbox dispatchers that ever meet on PostgreSQL never claim the same message."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from bot.services import outbox
from storage.db import Database

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)

# Row locks are PostgreSQL's; on SQLite the instance lock keeps a second dispatcher away.
pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


def _queue(db: Database, chats: int, per_chat: int) -> None:
    with db.session() as session:
        for number in range(per_chat):
            for chat in range(1, chats + 1):
                outbox.enqueue(session, chat_id=chat, now=NOW, text=f"{chat}:{number}")
        session.commit()


def _in_thread(function: object, seconds: float = 10.0) -> object:
    """Run ``function()`` in a thread; fail if it has not returned within ``seconds``."""
    result: list[object] = []
    worker = threading.Thread(target=lambda: result.append(function()), daemon=True)  # type: ignore[operator]
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "the claim waited for a row another dispatcher holds"
    return result[0]


def test_a_message_being_claimed_elsewhere_is_skipped_and_its_chat_waits(db: Database) -> None:
    _queue(db, chats=2, per_chat=2)  # ids: 1 "1:0", 2 "2:0", 3 "1:1", 4 "2:1"
    head_of_chat_1 = outbox.messages(db=db)[0]
    assert head_of_chat_1.text == "1:0"
    # Another dispatcher is in the middle of claiming chat 1's head: it holds the row lock.
    with db.engine.connect() as other:
        other.execute(
            text("SELECT id FROM outbox_message WHERE id = :id FOR UPDATE"),
            {"id": head_of_chat_1.id},
        )
        claimed = _in_thread(lambda: outbox.claim_due(db=db, now=NOW))
        other.rollback()

    # Neither chat 1's head (being claimed) nor its second message (it must wait its turn).
    assert [item.text for item in claimed] == ["2:0"]  # type: ignore[attr-defined]
    assert [item.text for item in outbox.claim_due(db=db, now=NOW)] == ["1:0"]


def test_two_dispatchers_claiming_at_once_never_take_the_same_message(db: Database) -> None:
    chats, per_chat = 20, 10
    _queue(db, chats=chats, per_chat=per_chat)
    claims: dict[str, list[outbox.OutboxItem]] = {"a": [], "b": []}
    start = threading.Barrier(2)

    def dispatcher(name: str) -> None:
        for _ in range(per_chat * 3):
            start.wait(10)  # both claim at the same moment, round after round
            for item in outbox.claim_due(db=db, now=NOW, limit=chats):
                claims[name].append(item)
                outbox.mark_sent(db=db, message_id=item.id, telegram_message_id=item.id, now=NOW)

    workers = [threading.Thread(target=dispatcher, args=(name,)) for name in claims]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)

    ids = [item.id for items in claims.values() for item in items]
    assert len(ids) == len(set(ids)), "a message was claimed twice"
    assert sorted(ids) == list(range(1, chats * per_chat + 1))
