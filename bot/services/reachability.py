"""Who the bot can reach: people who blocked it, and unit groups it left or that moved.

A person who blocks the bot (or whose account is gone) is marked once (``person.blocked_at``)
and the admins are told once, whether Telegram's notice (``my_chat_member``) or a refused
send says it first. Their messages stay in the outbox, held: ``outbox.claim_due`` skips
their chat, so nothing is given up and nothing is retried in a loop. When they return (they
unblock the bot, or write to it), the held messages go out in the order they were queued.

What a held message says may have aged. The outbox already treats late messages this way:
an edit is queued behind the message it edits and applied right after it, so a request
whose buttons were settled while it was held arrives and is at once edited to its outcome;
a button pressed on an old message is re-checked by the services. The one thing that piles
up while held is reminders (the sweep queues one per slot and day): of the held reminders of
one kind about one subject, only the newest is delivered, the others are superseded — the
newest says everything the older ones did, with today's figures.

A unit group that removed the bot is unregistered (the admins are told once; the Kasubbag
may register it again), and what was queued for it is undeliverable. A group upgraded to a
supergroup keeps its registration under the new chat id, and its queued messages follow.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from bot.services.audit import record_event
from bot.services.outbox import (
    FAILED,
    PENDING,
    SENDING,
    SUPERSEDED,
    UNDELIVERABLE,
    enqueue_to_admins,
)
from storage.db import Database
from storage.models import OutboxMessage, Person, Reminder, TelegramGroup, Unit
from storage.queries import person_by_telegram_id

SYSTEM = "sistem"


# --------------------------------------------------------------------------- people


def mark_blocked(
    *,
    db: Database,
    chat_id: int,
    now: datetime,
    reason: str,
    admin_chat_id: int | None,
    held_message_id: int | None = None,
) -> bool:
    """Mark the person of this private chat as unreachable; tell the admins once per blocking.

    ``held_message_id`` is the message whose send was refused: it goes back to the queue,
    the attempt uncounted, to wait for them. Return False when the chat is nobody's (the
    caller then gives the message up as before).
    """
    with db.session() as session:
        person = person_by_telegram_id(session, telegram_user_id=chat_id)
        if person is None or person.id is None:
            return False
        if held_message_id is not None:
            _hold(session, held_message_id, reason)
        # A conditional update: Telegram's notice and a refused send may say it at once,
        # and only the first of them may alert.
        newly = session.execute(
            # Every office's person of the account: the chat is one.
            update(Person)
            .where(col(Person.telegram_user_id) == chat_id, col(Person.blocked_at).is_(None))
            .values(blocked_at=now)
        )
        if newly.rowcount >= 1:  # type: ignore[attr-defined]
            _tell_admins(
                session,
                person,
                now=now,
                admin_chat_id=admin_chat_id,
                key=f"alert:blocked:{person.id}:{now.isoformat()}",
                text=blocked_alert(person.name, _unit_name(session, person), reason),
            )
            record_event(
                session,
                now=now,
                actor=SYSTEM,
                action="person.blocked_bot",
                object_type="person",
                object_id=person.id,
                office_id=person.office_id,
                details={"reason": reason[:200]},
            )
        session.commit()
        return True


def _hold(session: Session, message_id: int, reason: str) -> None:
    message = session.get(OutboxMessage, message_id)
    if message is None:
        return
    message.status = PENDING
    message.attempts = max(message.attempts - 1, 0)  # refused, not failed: no backoff grows
    message.last_error = f"held: {reason}"[:1000]


def held_count(*, db: Database, telegram_user_id: int) -> int | None:
    """Return how many messages are held for this person, or None when they are not blocked.

    Stale reminders are superseded first, so the count is what will actually arrive.
    """
    with db.session() as session:
        person = person_by_telegram_id(session, telegram_user_id=telegram_user_id)
        if person is None or person.blocked_at is None:
            return None
        _supersede_stale_reminders(session, chat_id=telegram_user_id)
        session.commit()
        return _pending_count(session, chat_id=telegram_user_id)


def mark_returned(
    *, db: Database, telegram_user_id: int, now: datetime, admin_chat_id: int | None
) -> int | None:
    """Clear the block of the person of this chat; return how many held messages now go out.

    None when they were not blocked. The admins, told of the blocking, are told it ended.
    """
    with db.session() as session:
        person = person_by_telegram_id(session, telegram_user_id=telegram_user_id)
        if person is None or person.id is None or person.blocked_at is None:
            return None
        since = person.blocked_at
        cleared = session.execute(
            update(Person)
            .where(
                col(Person.telegram_user_id) == telegram_user_id,
                col(Person.blocked_at).is_not(None),
            )
            .values(blocked_at=None)
        )
        if cleared.rowcount == 0:  # type: ignore[attr-defined]
            session.rollback()  # someone else cleared it just now, and told the admins
            return None
        _supersede_stale_reminders(session, chat_id=telegram_user_id)
        held = _pending_count(session, chat_id=telegram_user_id)
        _tell_admins(
            session,
            person,
            now=now,
            admin_chat_id=admin_chat_id,
            key=f"alert:unblocked:{person.id}:{since.isoformat()}",
            text=returned_alert(person.name, _unit_name(session, person), held),
        )
        record_event(
            session,
            now=now,
            actor=SYSTEM,
            action="person.returned",
            object_type="person",
            object_id=person.id,
            office_id=person.office_id,
            details={"blocked_at": since.isoformat(), "held_messages": held},
        )
        session.commit()
        return held


def _supersede_stale_reminders(session: Session, *, chat_id: int) -> None:
    """Of the held reminders of one kind about one subject, keep only the newest."""
    rows = session.exec(
        select(OutboxMessage.id, Reminder.kind, Reminder.subject_id)
        .join(Reminder, col(Reminder.outbox_message_id) == col(OutboxMessage.id))
        .where(OutboxMessage.chat_id == chat_id, OutboxMessage.status == PENDING)
        .order_by(col(OutboxMessage.id))
    ).all()
    newest: dict[tuple[str, int], int] = {}
    for message_id, kind, subject_id in rows:
        if message_id is not None:
            newest[(kind, subject_id)] = message_id
    keep = set(newest.values())
    stale = [message_id for message_id, _, _ in rows if message_id not in keep]
    if stale:
        session.execute(
            update(OutboxMessage)
            .where(col(OutboxMessage.id).in_(stale))
            .values(status=SUPERSEDED, last_error="a newer reminder replaced it while held")
        )


def _pending_count(session: Session, *, chat_id: int) -> int:
    query = select(func.count()).where(
        OutboxMessage.chat_id == chat_id, col(OutboxMessage.status).in_((PENDING, SENDING))
    )
    return int(session.exec(query).one())


def _unit_name(session: Session, person: Person) -> str | None:
    unit = session.get(Unit, person.unit_id) if person.unit_id else None
    return unit.name if unit else None


def _tell_admins(
    session: Session,
    person: Person,
    *,
    now: datetime,
    admin_chat_id: int | None,
    key: str,
    text: str,
) -> None:
    # The person is not told about themselves (an admin may be the one who blocked).
    enqueue_to_admins(
        session,
        office_id=person.office_id,
        now=now,
        text=text,
        extra_chat_id=admin_chat_id,
        dedupe_key=key,
        except_person_id=person.id,
    )


def blocked_alert(name: str, unit: str | None, reason: str) -> str:
    """Tell the admins that a person cannot be reached any more."""
    where = f" ({unit})" if unit else ""
    gone = any(word in reason.lower() for word in ("deactivated", "deleted", "not found"))
    what = "akun Telegram-nya sudah tidak aktif" if gone else "memblokir Lapkin"
    return (
        f"⛔ {name}{where} {what}. Pesan Lapkin untuk beliau ditahan, tidak hilang, dan "
        "dikirim begitu beliau kembali (membuka blokir atau menekan Mulai di percakapan "
        "dengan bot). Mohon sampaikan kepada yang bersangkutan."
    )


def returned_alert(name: str, unit: str | None, held: int) -> str:
    """Tell the admins that a person who blocked the bot is reachable again."""
    where = f" ({unit})" if unit else ""
    waiting = f"; {held} pesan yang tertahan dikirim sekarang" if held else ""
    return f"✅ {name}{where} sudah dapat dihubungi Lapkin lagi{waiting}."


# --------------------------------------------------------------------------- groups


def group_removed(
    *, db: Database, chat_id: int, now: datetime, reason: str, admin_chat_id: int | None
) -> bool:
    """Unregister a unit group the bot was removed from; tell the admins once.

    What was queued for the group is undeliverable (it cannot be held: the bot may never be
    added back). Return False when the chat is no registered group.
    """
    with db.session() as session:
        group = session.exec(select(TelegramGroup).where(TelegramGroup.chat_id == chat_id)).first()
        if group is None or group.id is None:
            return False
        session.execute(
            update(OutboxMessage)
            .where(
                col(OutboxMessage.chat_id) == chat_id,
                col(OutboxMessage.status).in_((PENDING, SENDING)),
            )
            .values(status=UNDELIVERABLE, last_error=f"group removed the bot: {reason}"[:1000])
        )
        # Telegram's notice and a refused send may say it at once: whoever deletes the
        # registration alerts. The key names the registration (ids may be reused).
        deleted = session.execute(delete(TelegramGroup).where(col(TelegramGroup.id) == group.id))
        if deleted.rowcount == 1:  # type: ignore[attr-defined]
            unit = session.get(Unit, group.unit_id)
            enqueue_to_admins(
                session,
                office_id=group.office_id,
                now=now,
                text=group_removed_alert(group.title, unit.name if unit else None),
                extra_chat_id=admin_chat_id if admin_chat_id != chat_id else None,
                dedupe_key=f"alert:group-removed:{group.id}:{group.registered_at.isoformat()}",
            )
            record_event(
                session,
                now=now,
                actor=SYSTEM,
                action="group.removed",
                object_type="telegram_group",
                object_id=group.id,
                office_id=group.office_id,
                details={"chat_id": chat_id, "title": group.title, "reason": reason[:200]},
            )
        session.commit()
        return True


def group_removed_alert(title: str, unit: str | None) -> str:
    """Tell the admins that a unit group no longer receives Lapkin's messages."""
    of = f" ({unit})" if unit else ""
    return (
        f"⚠️ Lapkin dikeluarkan dari grup «{title}»{of}; grup itu tidak lagi menerima Nota "
        "Dinas. Bila bot ditambahkan kembali, Kepala Sub Bagian dapat mendaftarkan grupnya "
        "lagi dengan /daftarkan_grup di grup itu."
    )


def is_registered_group(*, db: Database, chat_id: int) -> bool:
    """Tell whether this chat is some unit's registered group."""
    with db.session() as session:
        query = select(TelegramGroup.id).where(TelegramGroup.chat_id == chat_id)
        return session.exec(query).first() is not None


def group_migrated(*, db: Database, old_chat_id: int, new_chat_id: int, now: datetime) -> None:
    """Follow a group upgraded to a supergroup: its registration and queued messages move.

    Telegram says it up to three times (a notice in the old chat, one in the new, a refused
    send); every time after the first changes nothing. Queued edits are dropped instead:
    the message they would edit stayed in the old chat.
    """
    with db.session() as session:
        group = session.exec(
            select(TelegramGroup).where(TelegramGroup.chat_id == old_chat_id)
        ).first()
        if group is not None and group.id is not None:
            taken = session.exec(
                select(TelegramGroup).where(TelegramGroup.chat_id == new_chat_id)
            ).first()
            if taken is None:
                group.chat_id = new_chat_id
            else:  # the new chat was registered meanwhile: that registration stands
                session.execute(delete(TelegramGroup).where(col(TelegramGroup.id) == group.id))
            record_event(
                session,
                now=now,
                actor=SYSTEM,
                action="group.migrated",
                object_type="telegram_group",
                object_id=group.id,
                office_id=group.office_id,
                details={"from_chat_id": old_chat_id, "to_chat_id": new_chat_id},
            )
        waiting = (
            col(OutboxMessage.chat_id) == old_chat_id,
            col(OutboxMessage.status).in_((PENDING, SENDING)),
        )
        session.execute(
            update(OutboxMessage)
            .where(*waiting, col(OutboxMessage.edit_of_id).is_(None))
            .values(chat_id=new_chat_id)
        )
        session.execute(
            update(OutboxMessage)
            .where(*waiting, col(OutboxMessage.edit_of_id).is_not(None))
            .values(status=FAILED, last_error="the group moved to a supergroup")
        )
        session.commit()
