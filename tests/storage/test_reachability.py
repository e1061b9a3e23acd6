"""Blocked people and moved groups: one alert per blocking, held messages, nothing lost."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert
from sqlmodel import col, select

from bot.services import outbox, reachability
from bot.services.audit import events
from bot.services.people import find_by_telegram_id
from storage.db import Database
from storage.models import OutboxMessage, Person, Reminder, TelegramGroup

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
ADMIN_CHAT = -100_200
FAJAR = ("199309092020121005", 700_000_001)  # admin
DEDI = ("199001052015031002", 700_000_002)  # staf KUL
RINA = ("198203142009012003", 700_000_003)  # kasubbag KUL


def _bind(db: Database, *people: tuple[str, int]) -> None:
    """Register people as if they had opened their invitation."""
    with db.session() as session:
        for nip, chat_id in people:
            person = session.exec(select(Person).where(Person.nip == nip)).one()
            person.telegram_user_id = chat_id
            person.registered_at = NOW
            session.add(person)
        session.commit()


def _queue(db: Database, chat_id: int, *texts: str) -> list[int]:
    with db.session() as session:
        queued = [outbox.enqueue(session, chat_id=chat_id, now=NOW, text=text) for text in texts]
        session.commit()
        return [message.id for message in queued if message is not None and message.id]


def _pending(db: Database, chat_id: int) -> list[str]:
    return [
        m.text or "" for m in outbox.messages(db=db, status=outbox.PENDING) if m.chat_id == chat_id
    ]


def _alerts(db: Database, word: str) -> list[OutboxMessage]:
    return [m for m in outbox.messages(db=db) if word in (m.text or "")]


def _refuse_head(db: Database, chat_id: int) -> None:
    """Claim what is due and let Telegram refuse the message for ``chat_id``."""
    (item,) = [i for i in outbox.claim_due(db=db, now=NOW) if i.chat_id == chat_id]
    assert reachability.mark_blocked(
        db=db,
        chat_id=chat_id,
        now=NOW,
        reason="Forbidden: bot was blocked by the user",
        admin_chat_id=ADMIN_CHAT,
        held_message_id=item.id,
    )


def test_a_refused_send_holds_the_persons_messages_and_alerts_the_admins_once(
    office_db: Database,
) -> None:
    _bind(office_db, FAJAR, DEDI, RINA)
    _queue(office_db, DEDI[1], "satu", "dua", "tiga")
    _queue(office_db, RINA[1], "untuk Rina")

    _refuse_head(office_db, DEDI[1])
    # Telegram's notice arrives too, later: it changes nothing.
    reachability.mark_blocked(
        db=office_db, chat_id=DEDI[1], now=NOW, reason="kicked", admin_chat_id=ADMIN_CHAT
    )

    assert _pending(office_db, DEDI[1]) == ["satu", "dua", "tiga"]
    (held,) = [m for m in outbox.messages(db=office_db) if m.text == "satu"]
    assert held.attempts == 0 and (held.last_error or "").startswith("held:")
    alerts = _alerts(office_db, "memblokir Lapkin")
    # One for the admin (Fajar) and one for the admin chat; none for Dedi himself.
    assert sorted(m.chat_id for m in alerts) == sorted([FAJAR[1], ADMIN_CHAT])
    assert "Dedi Kurniawan, S.Kom. (Sub Bagian Keuangan" in (alerts[0].text or "")
    # Only others' messages are claimed from now on (Rina's went with Dedi's first one).
    claimed = outbox.claim_due(db=office_db, now=NOW + timedelta(hours=1))
    assert {item.chat_id for item in claimed} == {FAJAR[1], ADMIN_CHAT}
    person = find_by_telegram_id(db=office_db, telegram_user_id=DEDI[1])
    assert person is not None and person.blocked_at == NOW
    assert len(events_of(office_db, "person.blocked_bot")) == 1


def events_of(db: Database, action: str) -> list[object]:
    with db.session() as session:
        return list(events(session, action=action))


def test_a_chat_that_is_nobodys_is_not_held(office_db: Database) -> None:
    _queue(office_db, 123, "siapa?")
    (item,) = outbox.claim_due(db=office_db, now=NOW)

    assert not reachability.mark_blocked(
        db=office_db,
        chat_id=123,
        now=NOW,
        reason="Forbidden",
        admin_chat_id=None,
        held_message_id=item.id,
    )


def test_returning_releases_the_held_messages_in_order_and_says_so_once(
    office_db: Database,
) -> None:
    _bind(office_db, FAJAR, DEDI)
    reachability.mark_blocked(
        db=office_db, chat_id=DEDI[1], now=NOW, reason="kicked", admin_chat_id=None
    )
    _queue(office_db, DEDI[1], "satu", "dua", "tiga")
    assert all(item.chat_id != DEDI[1] for item in outbox.claim_due(db=office_db, now=NOW))

    assert reachability.held_count(db=office_db, telegram_user_id=DEDI[1]) == 3
    later = NOW + timedelta(days=2)
    assert (
        reachability.mark_returned(
            db=office_db, telegram_user_id=DEDI[1], now=later, admin_chat_id=None
        )
        == 3
    )
    assert (
        reachability.mark_returned(
            db=office_db, telegram_user_id=DEDI[1], now=later, admin_chat_id=None
        )
        is None
    )

    delivered = []
    for _ in range(5):  # one per chat and round, as the dispatcher sees them
        for item in outbox.claim_due(db=office_db, now=later):
            outbox.mark_sent(db=office_db, message_id=item.id, telegram_message_id=1, now=later)
            if item.chat_id == DEDI[1]:
                delivered.append(item.text)
    assert delivered == ["satu", "dua", "tiga"]
    (back,) = _alerts(office_db, "sudah dapat dihubungi")
    assert back.chat_id == FAJAR[1] and "3 pesan yang tertahan" in (back.text or "")
    assert reachability.held_count(db=office_db, telegram_user_id=DEDI[1]) is None


def test_of_the_held_reminders_only_the_newest_per_kind_and_subject_arrives(
    office_db: Database,
) -> None:
    _bind(office_db, DEDI)
    with office_db.session() as session:
        dedi = session.exec(select(Person).where(Person.nip == DEDI[0])).one()
        office_id, person_id = dedi.office_id, dedi.id
    reachability.mark_blocked(
        db=office_db, chat_id=DEDI[1], now=NOW, reason="kicked", admin_chat_id=None
    )
    reminders = [
        ("unit", 1, "unit 1, hari 1"),
        ("unit", 2, "unit 2, hari 1"),
        ("unit", 1, "unit 1, hari 2"),
        ("meeting", 1, "rapat, hari 2"),
        ("unit", 1, "unit 1, hari 3"),
    ]
    for day, (kind, subject, text) in enumerate(reminders, start=1):
        (message_id,) = _queue(office_db, DEDI[1], text)
        with office_db.session() as session:
            session.execute(
                insert(Reminder).values(
                    office_id=office_id,
                    key=f"reminder:{kind}:{subject}:{day}",
                    kind=kind,
                    subject_id=subject,
                    day=date(2026, 11, day),
                    slot="pagi",
                    person_id=person_id,
                    outbox_message_id=message_id,
                    created_at=NOW,
                )
            )
            session.commit()
    _queue(office_db, DEDI[1], "Nota Dinas")  # not a reminder: always kept

    assert reachability.held_count(db=office_db, telegram_user_id=DEDI[1]) == 4
    assert _pending(office_db, DEDI[1]) == [
        "unit 2, hari 1",
        "rapat, hari 2",
        "unit 1, hari 3",
        "Nota Dinas",
    ]
    superseded = outbox.messages(db=office_db, status=outbox.SUPERSEDED)
    assert [m.text for m in superseded] == ["unit 1, hari 1", "unit 1, hari 2"]


def test_many_held_messages_never_crowd_out_anyone_else(office_db: Database) -> None:
    _bind(office_db, DEDI, RINA)
    reachability.mark_blocked(
        db=office_db, chat_id=DEDI[1], now=NOW, reason="kicked", admin_chat_id=None
    )
    with office_db.session() as session:
        rows = [outbox.message_row(chat_id=DEDI[1], now=NOW, text=f"#{n}") for n in range(1100)]
        outbox.enqueue_rows(session, rows)
        session.commit()
    _queue(office_db, RINA[1], "untuk Rina")

    assert [item.text for item in outbox.claim_due(db=office_db, now=NOW)] == ["untuk Rina"]


def _register_group(db: Database, chat_id: int, *, at: datetime = NOW) -> int:
    with db.session() as session:
        rina = session.exec(select(Person).where(Person.nip == RINA[0])).one()
        assert rina.id is not None and rina.unit_id is not None
        group = TelegramGroup(
            office_id=rina.office_id,
            unit_id=rina.unit_id,
            chat_id=chat_id,
            title="Sub Bagian KUL",
            registered_by_person_id=rina.id,
            registered_at=at,
        )
        session.add(group)
        session.commit()
        assert group.id is not None
        return group.id


def _groups(db: Database) -> list[int]:
    with db.session() as session:
        return list(session.exec(select(TelegramGroup.chat_id)))


def test_a_group_that_removed_the_bot_is_unregistered_with_one_alert(
    office_db: Database,
) -> None:
    _bind(office_db, FAJAR)
    _register_group(office_db, -1001)
    _queue(office_db, -1001, "Nota Dinas 1", "Nota Dinas 2")

    for _ in range(2):  # the notice, then a refused send: the second finds nothing to do
        reachability.group_removed(
            db=office_db,
            chat_id=-1001,
            now=NOW,
            reason="Forbidden: bot was kicked from the supergroup chat",
            admin_chat_id=ADMIN_CHAT,
        )

    assert _groups(office_db) == []
    gone = outbox.messages(db=office_db, status=outbox.UNDELIVERABLE)
    assert [m.text for m in gone] == ["Nota Dinas 1", "Nota Dinas 2"]
    alerts = _alerts(office_db, "dikeluarkan dari grup")
    assert sorted(m.chat_id for m in alerts) == sorted([FAJAR[1], ADMIN_CHAT])
    assert "/daftarkan_grup" in (alerts[0].text or "")
    assert not reachability.group_removed(
        db=office_db, chat_id=-1001, now=NOW, reason="Forbidden", admin_chat_id=None
    )
    # Registered again later (SQLite may give it the same id), and removed again: alerted.
    _register_group(office_db, -1001, at=NOW + timedelta(days=1))
    reachability.group_removed(
        db=office_db, chat_id=-1001, now=NOW, reason="kicked", admin_chat_id=ADMIN_CHAT
    )
    assert len(_alerts(office_db, "dikeluarkan dari grup")) == 4
    assert len(events_of(office_db, "group.removed")) == 2


def test_a_migrated_group_keeps_its_registration_and_its_queued_messages(
    office_db: Database,
) -> None:
    _bind(office_db, RINA)
    _register_group(office_db, -4001)
    (sent, _) = _queue(office_db, -4001, "terkirim", "menunggu")
    outbox.mark_sent(db=office_db, message_id=sent, telegram_message_id=7, now=NOW)
    with office_db.session() as session:
        original = session.get(OutboxMessage, sent)
        assert original is not None
        outbox.enqueue_edit(session, of=original, text="sudah diputuskan", now=NOW)
        session.commit()

    for _ in range(3):  # said in the old chat, in the new one, and by a refused send
        reachability.group_migrated(db=office_db, old_chat_id=-4001, new_chat_id=-1004001, now=NOW)

    assert _groups(office_db) == [-1004001]
    assert _pending(office_db, -1004001) == ["menunggu"]
    (edit,) = [m for m in outbox.messages(db=office_db) if m.edit_of_id == sent]
    assert edit.status == outbox.FAILED and edit.chat_id == -4001
    assert len(events_of(office_db, "group.migrated")) == 1


def test_a_migration_onto_a_group_registered_meanwhile_keeps_that_registration(
    office_db: Database,
) -> None:
    _bind(office_db, RINA)
    _register_group(office_db, -4001)
    newer = _register_group(office_db, -1004001)

    reachability.group_migrated(db=office_db, old_chat_id=-4001, new_chat_id=-1004001, now=NOW)

    with office_db.session() as session:
        (group,) = session.exec(select(TelegramGroup)).all()
        assert group.id == newer
        assert session.exec(select(col(OutboxMessage.id))).all() == []
