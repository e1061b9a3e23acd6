"""The outbox backlog the health check shows: messages still to send, and the oldest's age."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from bot.services import outbox
from storage.db import Database
from storage.models import OutboxMessage, Person

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


def test_the_backlog_counts_what_waits_but_not_what_is_held_for_a_blocked_person(
    office_db: Database,
) -> None:
    assert outbox.backlog(db=office_db) == outbox.Backlog(pending=0, oldest_at=None)
    with office_db.session() as session:
        person = session.exec(select(Person).where(Person.nip == "199001052015031002")).one()
        person.telegram_user_id, person.blocked_at = 700_000_009, NOW
        session.add(person)
        outbox.enqueue(session, chat_id=700_000_009, now=NOW - timedelta(hours=5), text="held")
        outbox.enqueue(session, chat_id=1, now=NOW - timedelta(minutes=3), text="waiting")
        outbox.enqueue(session, chat_id=2, now=NOW - timedelta(minutes=1), text="sent")
        outbox.enqueue(session, chat_id=3, now=NOW, text="in flight")
        session.commit()
    sent = next(m for m in outbox.messages(db=office_db) if m.text == "sent")
    assert sent.id is not None
    outbox.mark_sent(db=office_db, message_id=sent.id, telegram_message_id=1, now=NOW)
    outbox.claim_due(db=office_db, now=NOW)  # "in flight" and "waiting" are being sent
    with office_db.session() as session:
        in_flight = session.exec(select(OutboxMessage).where(OutboxMessage.text == "waiting")).one()
        outbox.mark_retry(
            db=office_db, message_id=in_flight.id or 0, at=NOW, error="502", attempts=1
        )

    assert outbox.backlog(db=office_db) == outbox.Backlog(
        pending=2, oldest_at=NOW - timedelta(minutes=3)
    )
