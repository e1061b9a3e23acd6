"""/persetujuan, and decisions refused outside private chats (SOP steps 3–4)."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from bot.context import LapkinApplication
from bot.messages import common as texts
from storage.db import Database
from storage.models import Approval, AuditEvent, PendingInput, Person
from tests.cycle_data import ready_for_a_draft
from tests.e2e.conftest import PEOPLE, register_people
from tests.e2e.steps import (
    INITIAL,
    KASUBBAG,
    RETURN,
    draft_and_submit,
    find_request,
    last,
    say,
    start_cycle,
    tap,
)
from tests.standin import BotApiStandin, FakeUser, SentMessage

pytestmark = pytest.mark.e2e

NOTHING_WAITING = "Tidak ada konsep laporan yang menunggu keputusan Bapak/Ibu."


def _approval_of(db: Database, name: str) -> Approval:
    with db.session() as session:
        return session.exec(
            select(Approval)
            .join(Person, col(Person.id) == col(Approval.reviewer_person_id))
            .where(Person.nip == PEOPLE[name][0])
        ).one()


def _decisions(db: Database) -> list[str]:
    with db.session() as session:
        return [
            event.action
            for event in session.exec(
                select(AuditEvent).where(col(AuditEvent.action).like("draft.kasubbag.%"))
            )
        ]


async def _ask(
    standin: BotApiStandin, user: FakeUser, command: str, *, count: int = 1
) -> list[SentMessage]:
    """Send ``command`` and return everything the bot answered to it."""
    before = len(standin.messages(user))
    await standin.send_text(user, command)
    await standin.wait_for_message(user, after=before, count=count, timeout=20)
    # Wait until the bot is quiet, so a reply too many would be seen.
    await standin.wait_until_idle(timeout=20)
    return standin.messages(user)[before:]


async def test_persetujuan_shows_each_person_what_waits_and_rendatin_the_round(
    standin: BotApiStandin, pk_db: Database, bot: LapkinApplication
) -> None:
    people = await register_people(standin, pk_db, "fajar", "dedi", "hendra", *KASUBBAG)
    fajar, rina, agus, yulia = people["fajar"], people["rina"], people["agus"], people["yulia"]
    await start_cycle(standin, fajar)
    ready_for_a_draft(pk_db)
    await draft_and_submit(standin, fajar, 1)
    for name in KASUBBAG:
        await find_request(standin, people[name], 1, "Mohon paraf")

    # Nothing waits for a staf member, nor yet for the Sekretaris.
    for name in ("dedi", "hendra"):
        (answer,) = await _ask(standin, people[name], "/persetujuan")
        assert answer.body == NOTHING_WAITING and answer.buttons == []

    # A Kasubbag sees exactly her own decision, with buttons that work.
    (waiting,) = await _ask(standin, rina, "/persetujuan")
    assert waiting.body.startswith("⏳ Menunggu paraf Bapak/Ibu: konsep versi 1, sejak ")
    assert waiting.buttons == [[INITIAL, RETURN]]
    await tap(standin, rina, waiting, INITIAL, "Paraf Bapak/Ibu untuk versi 1 tercatat")
    assert _approval_of(pk_db, "rina").decision == "approved"
    for told in (fajar, yulia):  # the team hears of it before anyone asks
        await standin.wait_for_message(told, contains="Rina Marlina, S.E. memaraf konsep versi 1")
    (answer,) = await _ask(standin, rina, "/persetujuan")
    assert answer.body == NOTHING_WAITING

    # Yulia is a Kasubbag and in the report team: her decision, then the round.
    mine, round_ = await _ask(standin, yulia, "/persetujuan", count=2)
    assert mine.body.startswith("⏳ Menunggu paraf Bapak/Ibu: konsep versi 1")
    assert mine.buttons == [[INITIAL, RETURN]]
    assert "versi 1: sedang menunggu paraf Kasubbag." in round_.body and round_.buttons == []

    # Rendatin sees every reviewer's state.
    (round_,) = await _ask(standin, fajar, "/persetujuan")
    lines = round_.body.splitlines()
    assert "versi 1: sedang menunggu paraf Kasubbag." in lines[0]
    assert "Paraf Kasubbag:" in lines
    assert _line(lines, "Rina Marlina, S.E.").startswith("• Rina Marlina, S.E.: disetujui ")
    for name in ("Agus Salim, S.IP.", "Yulia Fitriani, S.T., M.M.", "Nurhayati, S.H."):
        assert _line(lines, name).startswith(f"• {name}: menunggu sejak ")
    assert "Tanda tangan Sekretaris:" not in lines

    # Agus returns it: rendatin sees who returned it and why; the rest need not decide.
    request = await find_request(standin, agus, 1, "Mohon paraf")
    await tap(standin, agus, request, RETURN, "Tuliskan alasan")
    await say(standin, agus, "Target IK 2.1 tidak sesuai PK.", "dikembalikan ke Tim")
    await standin.wait_for_message(fajar, contains="dikembalikan oleh Agus")  # told first
    (round_,) = await _ask(standin, fajar, "/persetujuan")
    lines = round_.body.splitlines()
    assert "versi 1: sudah dikembalikan ke tim." in lines[0]
    assert _line(lines, "Agus Salim, S.IP.").startswith("• Agus Salim, S.IP.: dikembalikan ")
    assert lines[lines.index(_line(lines, "Agus Salim")) + 1] == (
        "  Alasan: Target IK 2.1 tidak sesuai PK."
    )
    assert _line(lines, "Rina Marlina, S.E.").startswith("• Rina Marlina, S.E.: disetujui ")
    for name in ("Yulia Fitriani, S.T., M.M.", "Nurhayati, S.H."):
        assert _line(lines, name).startswith(f"• {name}: tidak diperlukan lagi ")
    (answer,) = await _ask(standin, people["nurhayati"], "/persetujuan")
    assert answer.body == NOTHING_WAITING

    # The buttons /persetujuan gave Yulia are refused now, like the request's own.
    await standin.tap(yulia, mine, INITIAL)
    answer_ = await standin.wait_for_callback_answer(yulia)
    assert answer_.show_alert and "sudah dikembalikan ke tim" in (answer_.text or "")


def _line(lines: list[str], name: str) -> str:
    (found,) = [line for line in lines if line.startswith(f"• {name}")]
    return found


async def test_a_reviewers_own_button_pressed_in_a_group_chat_changes_nothing(
    standin: BotApiStandin, pk_db: Database, bot: LapkinApplication
) -> None:
    people = await register_people(standin, pk_db, "fajar", "hendra", *KASUBBAG)
    rina = people["rina"]
    await start_cycle(standin, people["fajar"])
    ready_for_a_draft(pk_db)
    await draft_and_submit(standin, people["fajar"], 1)
    request = await find_request(standin, rina, 1, "Mohon paraf")

    # Rina registers her unit's group, so the bot has a message there to press on.
    group = standin.group("Subbag KUL", rina, people["agus"])
    await standin.send_text(rina, "/daftarkan_grup", chat=group)
    posted = await standin.wait_for_message(group, contains="terdaftar sebagai grup")

    for button in (INITIAL, RETURN):
        await standin.tap_data(rina, posted, request.button_data(button))
        answer = await standin.wait_for_callback_answer(rina)
        assert answer.show_alert and answer.text == texts.PRIVATE_ONLY

    await standin.wait_until_idle()
    approval = _approval_of(pk_db, "rina")
    assert approval.decision == "pending" and approval.decided_at is None
    assert _decisions(pk_db) == []
    with pk_db.session() as session:
        assert session.exec(select(PendingInput)).all() == []  # no reason was asked for
    assert request.buttons == [[INITIAL, RETURN]]
    assert [m.body for m in standin.messages(group)] == [posted.body]
    # The same press in her private chat counts.
    await tap(standin, rina, request, INITIAL, "Paraf Bapak/Ibu untuk versi 1 tercatat")
    assert _approval_of(pk_db, "rina").decision == "approved"
    await last(standin, people["fajar"], "Rina Marlina, S.E. memaraf konsep versi 1")
