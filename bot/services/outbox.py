"""The persistent outbox: every message the bot sends on its own initiative goes through it.

A message is written in the same transaction as the change that caused it, so either both
happen or neither does; the dispatcher (bot.dispatcher) sends it later, within Telegram's
limits, and survives restarts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.messages import Keyboard
from storage.db import Database
from storage.models import Office, OutboxMessage, Person
from storage.queries import person_by_telegram_id, registered_people_with_role

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"  # gave up after retries, or Telegram refused the message itself
UNDELIVERABLE = "undeliverable"  # the chat is gone or refuses the bot, and is no one's to hold
SUPERSEDED = "superseded"  # a held reminder a newer one replaced (bot.services.reachability)

MAX_BACKOFF = timedelta(minutes=5)


def keyboard_markup(keyboard: Keyboard) -> dict[str, Any]:
    """Render buttons as Telegram's InlineKeyboardMarkup object."""
    rows = []
    for row in keyboard:
        rendered = []
        for button in row:
            item: dict[str, Any] = {"text": button.text}
            if button.url is not None:
                item["url"] = button.url
            else:
                item["callback_data"] = button.data
            rendered.append(item)
        rows.append(rendered)
    return {"inline_keyboard": rows}


@dataclass(frozen=True)
class OutboxItem:
    """A message claimed for sending."""

    id: int
    chat_id: int
    text: str | None
    parse_mode: str | None
    reply_markup: dict[str, Any] | None
    document_path: str | None
    document_name: str | None
    attempts: int
    person_id: int | None
    office_id: int | None
    edit_of_id: int | None = None


@dataclass(frozen=True)
class EditTarget:
    """The Telegram message an edit replaces, and whether it carries a document."""

    telegram_message_id: int
    has_document: bool


def message_row(
    *,
    chat_id: int,
    now: datetime,
    text: str | None = None,
    keyboard: Keyboard | None = None,
    document_path: str | None = None,
    document_name: str | None = None,
    parse_mode: str | None = None,
    person_id: int | None = None,
    office_id: int | None = None,
    dedupe_key: str | None = None,
) -> dict[str, Any]:
    """Return the column values of one queued message (for :func:`enqueue_rows`)."""
    if text is None and document_path is None:
        raise ValueError("an outbox message needs text or a document")
    return {
        "office_id": office_id,
        "chat_id": chat_id,
        "person_id": person_id,
        "text": text,
        "parse_mode": parse_mode,
        "reply_markup": keyboard_markup(keyboard) if keyboard else None,
        "document_path": document_path,
        "document_name": document_name,
        "dedupe_key": dedupe_key,
        "status": PENDING,
        "next_attempt_at": now,
        "created_at": now,
    }


def enqueue(
    session: Session,
    *,
    chat_id: int,
    now: datetime,
    text: str | None = None,
    keyboard: Keyboard | None = None,
    document_path: str | None = None,
    document_name: str | None = None,
    parse_mode: str | None = None,
    person_id: int | None = None,
    office_id: int | None = None,
    dedupe_key: str | None = None,
) -> OutboxMessage | None:
    """Add a message to the caller's transaction; a repeated ``dedupe_key`` adds nothing."""
    row = message_row(
        chat_id=chat_id,
        now=now,
        text=text,
        keyboard=keyboard,
        document_path=document_path,
        document_name=document_name,
        parse_mode=parse_mode,
        person_id=person_id,
        office_id=office_id,
        dedupe_key=dedupe_key,
    )
    if dedupe_key is not None:
        existing = session.exec(
            select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key)
        ).first()
        if existing is not None:
            return None
    message = OutboxMessage(**row)
    session.add(message)
    return message


def enqueue_rows(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Add many messages (from :func:`message_row`, without dedupe keys) in one statement.

    In a chat they go out in the order given, like messages added one by one.
    """
    if rows:
        session.execute(_insert_rows(), list(rows))


def enqueue_new_rows(session: Session, rows: Sequence[dict[str, Any]]) -> dict[str, int]:
    """Add messages that carry dedupe keys, skipping keys already queued: two statements.

    Return the id of each message added, by its dedupe key.
    """
    keys = [row["dedupe_key"] for row in rows]
    queued = set(
        session.exec(
            select(OutboxMessage.dedupe_key).where(col(OutboxMessage.dedupe_key).in_(keys))
        )
    )
    fresh = [row for row in rows if row["dedupe_key"] not in queued]
    if not fresh:
        return {}
    statement = _insert_rows().returning(col(OutboxMessage.id), col(OutboxMessage.dedupe_key))
    return {key: message_id for message_id, key in session.execute(statement, fresh)}


def _insert_rows() -> Any:
    # render_nulls: every row the same columns, so they go in one executemany batch (by
    # default the ORM leaves out None values and splits the batch where they differ).
    return insert(OutboxMessage).execution_options(render_nulls=True)


@dataclass(frozen=True)
class RescuedReply:
    """A direct reply Telegram kept refusing, to be sent by the outbox instead."""

    chat_id: int
    text: str | None = None
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None  # Telegram's InlineKeyboardMarkup object
    document_path: str | None = None
    document_name: str | None = None


def enqueue_rescued(*, db: Database, replies: Sequence[RescuedReply], now: datetime) -> None:
    """Queue replies the bot could not send directly, in their order, in one transaction.

    The person is looked up by chat, so an alert about a reply the outbox gives up on names
    them and reaches their office's admins.
    """
    with db.session() as session:
        rows = []
        for reply in replies:
            person = person_by_telegram_id(session, telegram_user_id=reply.chat_id)
            row = message_row(
                chat_id=reply.chat_id,
                now=now,
                text=reply.text,
                document_path=reply.document_path,
                document_name=reply.document_name,
                parse_mode=reply.parse_mode,
                person_id=person.id if person is not None else None,
                office_id=person.office_id if person is not None else None,
            )
            row["reply_markup"] = reply.reply_markup
            rows.append(row)
        enqueue_rows(session, rows)
        session.commit()


def enqueue_edit(session: Session, *, of: OutboxMessage, text: str, now: datetime) -> None:
    """Queue an edit of an earlier message: new text, no buttons.

    The edit goes to the same chat, so the dispatcher's per-chat order sends it only after
    the message it edits.
    """
    session.add(
        OutboxMessage(
            office_id=of.office_id,
            chat_id=of.chat_id,
            person_id=of.person_id,
            text=text,
            edit_of_id=of.id,
            status=PENDING,
            next_attempt_at=now,
            created_at=now,
        )
    )


def enqueue_edits(
    session: Session, message_ids: Sequence[int], text: str, *, now: datetime
) -> None:
    """Queue the same edit for several earlier messages (e.g. every copy of a button)."""
    for message_id in message_ids:
        message = session.get(OutboxMessage, message_id)
        if message is not None:
            enqueue_edit(session, of=message, text=text, now=now)


def edit_target(*, db: Database, message_id: int) -> EditTarget | None:
    """Return what an edit replaces; None when that message never reached Telegram."""
    with db.session() as session:
        message = session.get(OutboxMessage, message_id)
        if message is None or message.telegram_message_id is None:
            return None
        return EditTarget(message.telegram_message_id, message.document_path is not None)


def enqueue_to_admins(
    session: Session,
    *,
    office_id: int | None,
    now: datetime,
    text: str,
    extra_chat_id: int | None = None,
    dedupe_key: str | None = None,
    except_person_id: int | None = None,
) -> list[int]:
    """Queue ``text`` for every registered admin (and the admin chat); return the messages' ids.

    The admin chat is the office's own (``office.admin_chat_id`` of the organisation file)
    when it sets one, else ``extra_chat_id`` (the deployment's ADMIN_CHAT_ID).
    """
    office = session.get(Office, office_id) if office_id is not None else None
    if office is not None and office.settings.get("admin_chat_id") is not None:
        extra_chat_id = int(office.settings["admin_chat_id"])
    chats: dict[int, int | None] = {}
    for admin in registered_people_with_role(session, office_id=office_id, role="admin"):
        assert admin.telegram_user_id is not None
        if admin.id == except_person_id:
            continue
        chats[admin.telegram_user_id] = admin.id
    if extra_chat_id is not None:
        chats.setdefault(extra_chat_id, None)
    queued = []
    for chat_id, person_id in chats.items():
        key = f"{dedupe_key}:{chat_id}" if dedupe_key else None
        message = enqueue(
            session,
            chat_id=chat_id,
            now=now,
            text=text,
            person_id=person_id,
            office_id=office_id,
            dedupe_key=key,
        )
        if message is not None:
            queued.append(message)
    session.flush()
    return [message.id for message in queued if message.id is not None]


def recover_interrupted(*, db: Database) -> int:
    """Put messages left in 'sending' by a crash back in the queue; return how many.

    Telegram has no idempotency key, so a message whose send succeeded just before a crash
    (but was not yet marked sent) goes out again: that window is a few milliseconds wide.
    """
    with db.session() as session:
        result = session.execute(
            update(OutboxMessage).where(col(OutboxMessage.status) == SENDING).values(status=PENDING)
        )
        session.commit()
        return int(result.rowcount)  # type: ignore[attr-defined]


def claim_due(*, db: Database, now: datetime, limit: int = 50) -> list[OutboxItem]:
    """Mark the next due messages as 'sending' and return them, oldest first.

    Per chat only the oldest unsent message is eligible, so a message waiting for a retry
    is never overtaken by a later one to the same person. The chats of people who blocked
    the bot are left out in the query itself: their held messages, however many, never
    crowd out anyone else's.

    Safe when two dispatchers ever meet (only one instance runs, see bot.instance, but a
    claim must not rely on that): the chosen messages are locked with FOR UPDATE SKIP LOCKED
    on PostgreSQL and taken only if still pending, so a message another dispatcher is
    claiming is skipped, one it claimed is not taken again, and a chat whose head it holds
    gets nothing else meanwhile. (SQLite has no row locks; there the instance lock is what
    keeps a second dispatcher away.)
    """
    with db.session() as session:
        waiting = session.exec(
            select(OutboxMessage)
            .where(
                col(OutboxMessage.status).in_((PENDING, SENDING)),
                col(OutboxMessage.chat_id).not_in(_blocked_chats()),
            )
            .order_by(col(OutboxMessage.id))
            .limit(limit * 20)
        ).all()
        heads: dict[int, OutboxMessage] = {}
        for message in waiting:
            heads.setdefault(message.chat_id, message)
        due_ids = [
            message.id
            for message in heads.values()
            if message.status == PENDING and message.next_attempt_at <= now
        ][:limit]
        if not due_ids:
            return []
        due = session.exec(
            select(OutboxMessage)
            .where(col(OutboxMessage.id).in_(due_ids), col(OutboxMessage.status) == PENDING)
            .order_by(col(OutboxMessage.id))
            .with_for_update(skip_locked=True)
            # The rows as they are now (and locked), not as the first query read them.
            .execution_options(populate_existing=True)
        ).all()
        for message in due:
            message.status = SENDING
            message.attempts += 1
        session.commit()
        return [
            OutboxItem(
                id=message.id or 0,
                chat_id=message.chat_id,
                text=message.text,
                parse_mode=message.parse_mode,
                reply_markup=message.reply_markup,
                document_path=message.document_path,
                document_name=message.document_name,
                attempts=message.attempts,
                person_id=message.person_id,
                office_id=message.office_id,
                edit_of_id=message.edit_of_id,
            )
            for message in due
        ]


@dataclass(frozen=True)
class Backlog:
    """Messages waiting to go out: how many, and since when the oldest has waited."""

    pending: int
    oldest_at: datetime | None


def backlog(*, db: Database) -> Backlog:
    """Count the messages not sent yet, leaving out those held for people who blocked the bot.

    A held message waits for its person, not for the bot, so it is no sign of a stuck outbox.
    """
    with db.session() as session:
        pending, oldest_at = session.exec(
            select(func.count(), func.min(OutboxMessage.created_at)).where(
                col(OutboxMessage.status).in_((PENDING, SENDING)),
                col(OutboxMessage.chat_id).not_in(_blocked_chats()),
            )
        ).one()
    return Backlog(pending=int(pending), oldest_at=oldest_at)


def _blocked_chats() -> Any:
    return select(Person.telegram_user_id).where(
        col(Person.blocked_at).is_not(None), col(Person.telegram_user_id).is_not(None)
    )


def mark_sent(*, db: Database, message_id: int, telegram_message_id: int, now: datetime) -> None:
    """Record a delivered message."""
    _set(db, message_id, status=SENT, sent_at=now, telegram_message_id=telegram_message_id)


def mark_retry(*, db: Database, message_id: int, at: datetime, error: str, attempts: int) -> None:
    """Put a message back in the queue for another attempt at ``at``."""
    _set(
        db,
        message_id,
        status=PENDING,
        next_attempt_at=at,
        last_error=error[:1000],
        attempts=attempts,
    )


def mark_dropped(*, db: Database, message_id: int, status: str, error: str) -> None:
    """Stop trying a message without alerting anyone (an edit that no longer applies)."""
    _set(db, message_id, status=status, last_error=error[:1000])


def mark_given_up(
    *,
    db: Database,
    item: OutboxItem,
    status: str,
    error: str,
    now: datetime,
    admin_chat_id: int | None,
) -> None:
    """Stop trying a message and alert the admins, in one transaction."""
    with db.session() as session:
        message = session.get(OutboxMessage, item.id)
        assert message is not None
        message.status = status
        message.last_error = error[:1000]
        reason = (
            "penerima memblokir bot atau percakapan tidak ada lagi"
            if status == UNDELIVERABLE
            else f"gagal setelah {item.attempts} percobaan"
        )
        person = (
            session.get(Person, item.person_id)
            if item.person_id is not None
            else person_by_telegram_id(session, telegram_user_id=item.chat_id)
        )
        who = person.name if person is not None else f"chat {item.chat_id}"
        # Alerts about alerts would loop forever when an admin blocked the bot.
        if not (message.dedupe_key or "").startswith("alert:"):
            enqueue_to_admins(
                session,
                office_id=item.office_id,
                now=now,
                text=f"⚠️ Pesan Lapkin untuk {who} tidak terkirim: {reason}.\n({error[:200]})",
                extra_chat_id=admin_chat_id,
                dedupe_key=f"alert:outbox:{item.id}",
            )
        try:
            session.commit()
        except IntegrityError:
            session.rollback()


def seconds(value: float) -> timedelta:
    """Return ``value`` seconds as a timedelta."""
    return timedelta(seconds=value)


def backoff(attempts: int) -> timedelta:
    """Return how long to wait before attempt ``attempts + 1``: 1 s, 2 s, 4 s ... 5 min."""
    return min(timedelta(seconds=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _set(db: Database, message_id: int, **values: Any) -> None:
    with db.session() as session:
        session.execute(
            update(OutboxMessage).where(col(OutboxMessage.id) == message_id).values(**values)
        )
        session.commit()


def messages(*, db: Database, status: str | None = None) -> list[OutboxMessage]:
    """Return outbox rows (for tests and the CLI), oldest first."""
    with db.session() as session:
        query = select(OutboxMessage).order_by(col(OutboxMessage.id))
        if status is not None:
            query = query.where(OutboxMessage.status == status)
        return list(session.exec(query))
