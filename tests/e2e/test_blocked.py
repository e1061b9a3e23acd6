"""People who block the bot and groups that remove or move it, as the office experiences it.

One alert per blocking (not one per message), the messages held until the person returns
and then delivered once, in order; a unit group that is upgraded to a supergroup keeps
receiving its messages under its new id.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from bot.services import outbox
from storage.db import Database
from storage.models import TelegramGroup
from tests.e2e.conftest import BotRunner, register_people
from tests.standin import BotApiStandin, FakeChat, FakeUser

pytestmark = pytest.mark.e2e

BLOCKED_ALERT = "memblokir Lapkin"
HELD = ("pengingat satu", "pengingat dua", "pengingat tiga")


def _queue(db: Database, chat_id: int, *texts: str) -> None:
    with db.session() as session:
        for text in texts:
            outbox.enqueue(session, chat_id=chat_id, now=datetime.now(UTC), text=text)
        session.commit()


def _bodies(standin: BotApiStandin, chat: FakeUser | FakeChat) -> list[str]:
    return [m.body for m in standin.messages(chat)]


def _count(standin: BotApiStandin, chat: FakeUser | FakeChat, text: str) -> int:
    return sum(text in body for body in _bodies(standin, chat))


def _sends_to(standin: BotApiStandin, chat_id: int) -> list[int]:
    """Return the HTTP status of every sendMessage to ``chat_id``."""
    return [c.status for c in standin.calls("sendMessage") if c.params.get("chat_id") == chat_id]


async def _people_entry(standin: BotApiStandin, admin: FakeUser, name: str) -> str:
    """Ask /pegawai as ``admin`` and return the entry of the person called ``name``."""
    before = len(standin.messages(admin))
    await standin.send_text(admin, "/pegawai")
    await standin.wait_for_message(admin, contains="Daftar pegawai", after=before)
    await standin.wait_until_idle()  # a long list comes in several messages
    listing = "\n".join(_bodies(standin, admin)[before:])
    return next(entry for entry in listing.split("\n\n") if entry.startswith(name))


def _group_chat_ids(db: Database) -> list[int]:
    with db.session() as session:
        return list(session.exec(select(TelegramGroup.chat_id)))


async def test_a_refused_send_holds_three_messages_with_one_alert_until_they_return(
    standin: BotApiStandin, office_db: Database, start_bot: BotRunner
) -> None:
    async with start_bot():
        people = await register_people(standin, office_db, "fajar", "dedi")
        fajar, dedi = people["fajar"], people["dedi"]
        await standin.wait_for_message(fajar, contains="telah mendaftar")
        # Telegram's notice is lost (say the bot was down too long): only a send can tell.
        standin.block_bot(dedi, announce=False)
        before = len(standin.messages(dedi))

        _queue(office_db, dedi.id, *HELD)

        await standin.wait_for_message(fajar, contains=BLOCKED_ALERT)
        await standin.wait_until_idle()
        assert _count(standin, fajar, BLOCKED_ALERT) == 1
        assert _sends_to(standin, dedi.id)[-1:] == [403]  # tried once, then held
        assert _sends_to(standin, dedi.id).count(403) == 1
        held = [m.text for m in outbox.messages(db=office_db, status=outbox.PENDING)]
        assert held == list(HELD)

        assert "⛔ memblokir bot sejak" in await _people_entry(standin, fajar, "Dedi")

        standin.unblock_bot(dedi)  # Telegram's my_chat_member: the bot is a member again

        await standin.wait_for_message(dedi, contains=HELD[-1], after=before)
        await standin.wait_for_message(fajar, contains="sudah dapat dihubungi")
        await standin.wait_until_idle()
        assert _bodies(standin, dedi)[before:] == [
            _bodies(standin, dedi)[before],  # the note that the held messages follow
            *HELD,
        ]
        assert "3 pesan Lapkin untuk Anda tertahan" in _bodies(standin, dedi)[before]
        assert _count(standin, fajar, "sudah dapat dihubungi") == 1

        assert "memblokir" not in await _people_entry(standin, fajar, "Dedi")
    assert not [m for m in outbox.messages(db=office_db) if m.status != outbox.SENT]


async def test_telegrams_notice_holds_messages_before_any_send_and_writing_ends_the_block(
    standin: BotApiStandin, office_db: Database, start_bot: BotRunner
) -> None:
    async with start_bot():
        people = await register_people(standin, office_db, "fajar", "dedi")
        fajar, dedi = people["fajar"], people["dedi"]
        await standin.wait_for_message(fajar, contains="telah mendaftar")
        standin.block_bot(dedi)
        await standin.wait_for_message(fajar, contains=BLOCKED_ALERT)
        sends_before = len(_sends_to(standin, dedi.id))
        before = len(standin.messages(dedi))

        _queue(office_db, dedi.id, *HELD)
        await standin.wait_until_idle()
        assert len(_sends_to(standin, dedi.id)) == sends_before  # nothing even tried

        await standin.send_text(dedi, "/bantuan")  # writing to the bot unblocks it

        await standin.wait_for_message(dedi, contains=HELD[-1], after=before)
        await standin.wait_for_message(dedi, contains="Perintah yang dapat Anda gunakan")
        await standin.wait_until_idle()
    received = _bodies(standin, dedi)[before:]
    assert [body for body in received if body in HELD] == list(HELD)
    assert len(received) == 5  # the note, the three, the answer to /bantuan
    assert _count(standin, fajar, BLOCKED_ALERT) == 1
    assert 403 not in _sends_to(standin, dedi.id)
    assert not [body for body in _bodies(standin, fajar) if "Kesalahan" in body]


async def _register_group(standin: BotApiStandin, kasubbag: FakeUser, group: FakeChat) -> None:
    before = len(standin.messages(group))
    await standin.send_text(kasubbag, "/daftarkan_grup", chat=group)
    await standin.wait_for_message(group, contains="terdaftar sebagai grup", after=before)


async def test_an_upgraded_group_keeps_its_registration_and_gets_the_next_message(
    standin: BotApiStandin, office_db: Database, start_bot: BotRunner
) -> None:
    async with start_bot():
        people = await register_people(standin, office_db, "fajar", "rina", "dedi")
        rina, dedi = people["rina"], people["dedi"]
        group = standin.group("Sub Bagian KUL", rina, dedi, supergroup=False)
        await _register_group(standin, rina, group)

        supergroup = standin.upgrade_group(group, by=dedi)  # anyone in it may upgrade it
        await standin.wait_until_idle()
        assert _group_chat_ids(office_db) == [supergroup.id]

        (chat_id,) = _group_chat_ids(office_db)
        _queue(office_db, chat_id, "Nota Dinas untuk grup")
        await standin.wait_for_message(supergroup, contains="Nota Dinas untuk grup")
        await standin.wait_until_idle()
    assert _count(standin, people["fajar"], "Kesalahan") == 0
    assert _bodies(standin, group) == [_bodies(standin, group)[0]]  # only the registration


async def test_a_send_answered_with_chat_migrated_follows_the_group_to_its_new_id(
    standin: BotApiStandin, office_db: Database, start_bot: BotRunner
) -> None:
    async with start_bot():
        people = await register_people(standin, office_db, "fajar", "rina")
        rina = people["rina"]
        group = standin.group("Sub Bagian KUL", rina, supergroup=False)
        await _register_group(standin, rina, group)
        supergroup = standin.upgrade_group(group, by=rina, announce=False)

        _queue(office_db, group.id, "pesan pertama", "pesan kedua")

        await standin.wait_for_message(supergroup, contains="pesan kedua")
        await standin.wait_until_idle()
        assert _group_chat_ids(office_db) == [supergroup.id]
    assert _bodies(standin, supergroup) == ["pesan pertama", "pesan kedua"]
    assert _count(standin, people["fajar"], "tidak terkirim") == 0


async def test_a_group_that_removes_the_bot_is_unregistered_with_one_alert_and_can_return(
    standin: BotApiStandin, office_db: Database, start_bot: BotRunner
) -> None:
    async with start_bot():
        people = await register_people(standin, office_db, "fajar", "rina")
        fajar, rina = people["fajar"], people["rina"]
        stranger = standin.user("Orang Lain")
        group = standin.group("Sub Bagian KUL", rina, stranger)
        await _register_group(standin, rina, group)
        standin.remove_bot(group, by=stranger, announce=False)

        _queue(office_db, group.id, "Nota Dinas 1", "Nota Dinas 2", "Nota Dinas 3")

        await standin.wait_for_message(fajar, contains="dikeluarkan dari grup")
        await standin.wait_until_idle()
        assert _count(standin, fajar, "dikeluarkan dari grup") == 1
        assert _count(standin, fajar, "tidak terkirim") == 0
        assert _group_chat_ids(office_db) == []
        gone = outbox.messages(db=office_db, status=outbox.UNDELIVERABLE)
        assert [m.text for m in gone] == ["Nota Dinas 1", "Nota Dinas 2", "Nota Dinas 3"]

        standin.add_bot(group, by=stranger)
        await standin.wait_for_message(group, contains="/daftarkan_grup")
        await _register_group(standin, rina, group)
        assert _group_chat_ids(office_db) == [group.id]

        # Removed again, this time with Telegram's notice, by someone the bot does not know.
        standin.remove_bot(group, by=stranger)
        await standin.wait_for_message(fajar, contains="dikeluarkan dari grup", count=2)
        await standin.wait_until_idle()
        assert _group_chat_ids(office_db) == []
    assert _count(standin, fajar, "Kesalahan") == 0
