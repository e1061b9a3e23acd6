"""Plh./Plt. (/delegasi): an admin names who decides for an absent reviewer, on the record."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from sqlmodel import col, select

from bot.context import LapkinApplication
from bot.domain.errors import NotFound
from bot.services import delegations
from bot.services.people import find_by_telegram_id
from storage.db import Database
from storage.files import FileStore
from storage.models import Approval, AuditEvent, Delegation, Draft, Person
from tests.cycle_data import ready_for_a_draft
from tests.e2e.conftest import PEOPLE, MovableClock, register_people
from tests.e2e.steps import (
    AFTER_THE_YEAR,
    INITIAL,
    RETURN,
    SIGN,
    alert_for,
    all_text,
    draft_and_submit,
    find_request,
    last,
    say,
    start_cycle,
    tap,
    until,
)
from tests.standin import BotApiStandin, FakeUser, SentMessage

pytestmark = pytest.mark.e2e

NURHAYATI, BIMA, SITI = PEOPLE["nurhayati"][0], PEOPLE["bima"][0], PEOPLE["siti"][0]
PLH_FOR_NURHAYATI = "Bapak/Ibu ditunjuk sebagai Plh. untuk Nurhayati, S.H."


def _person_id(db: Database, nip: str) -> int:
    with db.session() as session:
        person = session.exec(select(Person).where(Person.nip == nip)).one()
        assert person.id is not None
        return person.id


def _approval(db: Database, *, nip: str, version: int) -> Approval:
    with db.session() as session:
        return session.exec(
            select(Approval)
            .join(Draft, col(Draft.id) == col(Approval.draft_id))
            .where(Approval.reviewer_person_id == _person_id(db, nip), Draft.version == version)
        ).one()


def _events(db: Database, action: str) -> list[AuditEvent]:
    with db.session() as session:
        return list(
            session.exec(
                select(AuditEvent).where(AuditEvent.action == action).order_by(col(AuditEvent.id))
            )
        )


def _documents(standin: BotApiStandin, user: FakeUser) -> list[str]:
    return [m.document["file_name"] for m in standin.messages(user) if m.document]


async def _initial_all(
    standin: BotApiStandin, people: dict[str, FakeUser], names: tuple[str, ...], version: int
) -> None:
    for name in names:
        user = people[name]
        request = await find_request(standin, user, version, "Mohon paraf")
        await tap(
            standin, user, request, INITIAL, f"Paraf Bapak/Ibu untuk versi {version} tercatat"
        )


def _row_with(document: object, name: str) -> str:
    """The text of the (first) table row that names ``name``."""
    from docx.document import Document as DocumentType

    assert isinstance(document, DocumentType)
    for table in document.tables:
        for row in table.rows:
            text = " | ".join(cell.text for cell in row.cells)
            if name in text:
                return text
    raise AssertionError(f"no table row names {name}")


async def test_a_plh_initials_for_an_unregistered_kasubbag_and_the_record_shows_it(
    standin: BotApiStandin, pk_db: Database, bot: LapkinApplication, clock: MovableClock
) -> None:
    # Nurhayati (Kasubbag HUKUM) never registered on Telegram; Bima is on her staff.
    people = await register_people(
        standin, pk_db, "fajar", "hendra", "rina", "agus", "yulia", "bima"
    )
    fajar, bima, hendra = people["fajar"], people["bima"], people["hendra"]
    await start_cycle(standin, fajar)
    ready_for_a_draft(pk_db)
    await say(standin, fajar, "/konsep", "ajukan untuk paraf Kasubbag")

    # Nobody could decide for her, so the draft cannot go out.
    refused = await say(standin, fajar, "/ajukan", "belum dapat diajukan")
    assert "Nurhayati, S.H. belum terdaftar di Lapkin" in refused.body
    assert "/delegasi" in refused.body
    with pk_db.session() as session:
        assert session.exec(select(Approval)).all() == []

    # /delegasi: the usage, and each mistake an admin can make, is answered and changes nothing.
    listing = await say(standin, fajar, "/delegasi", "Menunjuk Plh./Plt.")
    assert "Belum ada Plh./Plt. yang berlaku." in listing.body
    usage = await say(standin, fajar, f"/delegasi {NURHAYATI} {BIMA}", "Menunjuk Plh./Plt.")
    assert "/delegasi selesai <NIP yang berhalangan>" in usage.body
    wrong_title = await say(
        standin, fajar, f"/delegasi {NURHAYATI} {BIMA} Pj Cuti tahunan", "Sebutan harus"
    )
    assert "Sebutan harus Plh atau Plt, bukan “Pj”." in wrong_title.body
    await say(
        standin,
        fajar,
        f"/delegasi {NURHAYATI} {NURHAYATI} Plh Cuti tahunan",
        "Pegawai yang berhalangan dan penggantinya harus orang berbeda.",
    )
    await say(
        standin,
        fajar,
        f"/delegasi 199999999999999999 {BIMA} Plh Cuti tahunan",
        "Tidak ada pegawai aktif dengan NIP 199999999999999999.",
    )
    await say(
        standin,
        fajar,
        f"/delegasi {NURHAYATI} {SITI} Plh Cuti tahunan",
        "Siti Aminah, S.Sos. belum terdaftar di Lapkin; undang terlebih dahulu dengan /undang.",
    )
    await say(standin, fajar, f"/delegasi {NURHAYATI} {BIMA} Plh cuti", "paling sedikit 5 huruf")
    await say(
        standin,
        people["yulia"],
        f"/delegasi {NURHAYATI} {BIMA} Plh Cuti tahunan",
        "/delegasi hanya untuk Admin",
    )
    with pk_db.session() as session:
        assert session.exec(select(Delegation)).all() == []

    # Fajar names Bima Plh.; nothing waits yet, so nothing is handed over.
    named = await say(
        standin, fajar, f"/delegasi {NURHAYATI} {BIMA} Plh Cuti tahunan", "menjadi Plh."
    )
    assert named.body.startswith("✅ Bima Pratama, S.H. menjadi Plh. untuk Nurhayati, S.H.")
    told = await last(standin, bima, "📌 Bapak/Ibu ditunjuk sebagai Plh. untuk Nurhayati, S.H.")
    assert "Alasan: Cuti tahunan" in told.body

    # Now the draft goes out, and Bima gets Nurhayati's request.
    await say(standin, fajar, "/ajukan", "versi 1 dikirim untuk paraf")
    request = await find_request(standin, bima, 1, "Mohon paraf")
    assert request.body.startswith(PLH_FOR_NURHAYATI)
    assert "Cuti tahunan" in request.body and request.buttons == [[INITIAL, RETURN]]
    assert "KONSEP LKjIP KPU Kota Bengkulu Tahun 2026 v1.docx" in _documents(standin, bima)
    bima_initial = request.button_data(INITIAL)
    await tap(standin, bima, request, INITIAL, "Paraf Bapak/Ibu untuk versi 1 tercatat")
    await last(standin, fajar, "Bima Pratama, S.H. (Plh. Nurhayati, S.H.) memaraf konsep versi 1")
    await until(lambda: request.buttons == [], "Bima's buttons to go")
    assert "Bima Pratama, S.H. (Plh. Nurhayati, S.H.) memaraf" in request.body

    # /persetujuan shows rendatin who initialled for her.
    overview = await say(standin, fajar, "/persetujuan", "📋 Konsep")
    assert "• Nurhayati, S.H.: disetujui" in overview.body
    assert "oleh Plh. Bima Pratama, S.H." in overview.body
    assert "• Plh. Nurhayati, S.H.: Bima Pratama, S.H. (Cuti tahunan)" in overview.body

    # The others initial; the Sekretaris signs.
    await _initial_all(standin, people, ("rina", "agus", "yulia"), 1)
    to_sign = await find_request(standin, hendra, 1, "Mohon persetujuan dan tanda tangan")
    # Checked last (see the end): who the Sekretaris is told initialled.
    initialled_by = to_sign.body.split("Telah diparaf oleh:")[1].split("\n")[0]
    clock.move_to(AFTER_THE_YEAR)
    await tap(standin, hendra, to_sign, SIGN, "telah Bapak/Ibu tandatangani")
    signed = await last(standin, fajar, "telah ditandatangani")
    assert signed.document is not None
    report = Document(io.BytesIO(standin.download(signed.document["file_id"])))
    row = _row_with(report, "Bima Pratama, S.H.")
    assert "Plh. Kepala Sub Bagian Hukum dan Sumber Daya Manusia" in row
    assert "Plh. untuk Nurhayati, S.H." in row and "Diparaf" in row
    assert "KONSEP" not in all_text(report)

    # The audit trail names who decided, for whom, and as what.
    (on_behalf,) = [
        event
        for event in _events(pk_db, "draft.kasubbag.approved")
        if event.details.get("on_behalf_of")
    ]
    assert on_behalf.actor == "Bima Pratama, S.H."
    assert on_behalf.actor_person_id == _person_id(pk_db, BIMA)
    assert on_behalf.details["on_behalf_of"] == "Nurhayati, S.H."
    assert on_behalf.details["acting_title"] == "Plh."
    assert on_behalf.details["version"] == 1
    (created,) = _events(pk_db, "delegation.created")
    assert created.details == {
        "absent": "Nurhayati, S.H.",
        "delegate": "Bima Pratama, S.H.",
        "title": "Plh.",
        "reason": "Cuti tahunan",
    }
    initialled = _approval(pk_db, nip=NURHAYATI, version=1)
    assert initialled.decided_by_person_id == _person_id(pk_db, BIMA)
    assert initialled.acting_title == "Plh."

    # /delegasi selesai ends it; Bima's old button no longer acts for her.
    ended = await say(standin, fajar, f"/delegasi selesai {NURHAYATI}", "diakhiri")
    assert ended.body.startswith("✅ Plh. untuk Nurhayati, S.H. diakhiri")
    await last(standin, bima, "Penunjukan Bapak/Ibu sebagai Plh. untuk Nurhayati, S.H. berakhir.")
    refusal = await alert_for(standin, bima, request, bima_initial)
    assert "Tombol ini untuk Nurhayati, S.H." in refusal
    await say(
        standin,
        fajar,
        f"/delegasi selesai {NURHAYATI}",
        "Tidak ada Plh./Plt. yang berlaku untuk Nurhayati, S.H.",
    )
    assert len(_events(pk_db, "delegation.ended")) == 1

    # The Sekretaris signs on the strength of these initials: he must see that Bima, not
    # Nurhayati, initialled (as the initials sheet, the audit trail and /persetujuan do).
    assert "Bima Pratama, S.H. (Plh. Nurhayati, S.H.)" in initialled_by, initialled_by


async def test_a_delegate_named_during_an_open_round_gets_the_waiting_request(
    standin: BotApiStandin, pk_db: Database, bot: LapkinApplication
) -> None:
    people = await register_people(
        standin, pk_db, "fajar", "hendra", "rina", "agus", "yulia", "nurhayati", "bima"
    )
    fajar, bima, nurhayati = people["fajar"], people["bima"], people["nurhayati"]
    await start_cycle(standin, fajar)
    ready_for_a_draft(pk_db)
    await draft_and_submit(standin, fajar, 1)
    own_request = await find_request(standin, nurhayati, 1, "Mohon paraf")
    assert not [m for m in standin.messages(bima) if "Mohon paraf" in m.body]

    # Nurhayati falls ill mid-round: Fajar names Bima Plt., who gets the document and buttons.
    named = await say(
        standin, fajar, f"/delegasi {NURHAYATI} {BIMA} Plt Sakit, dirawat inap", "menjadi Plt."
    )
    assert "1 keputusan yang menunggu sudah dikirim kepadanya." in named.body
    handed = await find_request(standin, bima, 1, "Mohon paraf")
    assert handed.body.startswith("Bapak/Ibu ditunjuk sebagai Plt. untuk Nurhayati, S.H.")
    assert handed.buttons == [[INITIAL, RETURN]]
    assert "KONSEP LKjIP KPU Kota Bengkulu Tahun 2026 v1.docx" in _documents(standin, bima)
    await last(standin, nurhayati, "Bima Pratama, S.H. ditunjuk sebagai Plt. Bapak/Ibu")
    bima_v1 = handed.button_data(INITIAL)
    # His /persetujuan shows the decision he now holds for her.
    waiting = await say(standin, bima, "/persetujuan", "Menunggu paraf Bapak/Ibu")
    assert "sebagai Plt. Nurhayati, S.H.: konsep versi 1" in waiting.body
    assert waiting.buttons == [[INITIAL, RETURN]]

    # Bima returns version 1 on her behalf; her own message says so and loses its buttons.
    await tap(standin, bima, handed, RETURN, "Tuliskan alasan")
    await say(standin, bima, "Data IK 4.1 belum lengkap.", "dikembalikan ke Tim")
    told = await last(standin, fajar, "dikembalikan oleh Bima Pratama, S.H. (Plt. Nurhayati")
    assert "Alasan: Data IK 4.1 belum lengkap." in told.body
    await until(lambda: own_request.buttons == [], "Nurhayati's buttons to go")
    assert "Bima Pratama, S.H. (Plt. Nurhayati, S.H.) mengembalikan" in own_request.body
    (returned,) = _events(pk_db, "draft.kasubbag.returned")
    assert returned.actor == "Bima Pratama, S.H."
    assert returned.details["on_behalf_of"] == "Nurhayati, S.H."
    assert returned.details["acting_title"] == "Plt."

    # She is back: the delegation ends, and version 2 goes to her alone.
    await say(standin, fajar, f"/delegasi selesai {NURHAYATI}", "diakhiri")
    await draft_and_submit(standin, fajar, 2)
    second = await find_request(standin, nurhayati, 2, "Mohon paraf")
    assert not second.body.startswith("Bapak/Ibu ditunjuk")
    pending = _approval(pk_db, nip=NURHAYATI, version=2)
    assert pending.id is not None

    # Bima's saved button, and the same press aimed at version 2, act for nobody.
    old = await alert_for(standin, bima, handed, bima_v1)
    assert "Tombol ini untuk Nurhayati, S.H." in old
    forged = await alert_for(standin, bima, handed, f"ap:ok:{pending.id}:2")
    assert "Tombol ini untuk Nurhayati, S.H." in forged
    still = _approval(pk_db, nip=NURHAYATI, version=2)
    assert still.decision == "pending" and still.decided_by_person_id is None
    assert not _bima_asked_about(standin, bima, 2)

    # Nurhayati's own press counts.
    await tap(standin, nurhayati, second, INITIAL, "Paraf Bapak/Ibu untuk versi 2 tercatat")
    done = _approval(pk_db, nip=NURHAYATI, version=2)
    assert done.decision == "approved" and done.acting_title is None


def _bima_asked_about(standin: BotApiStandin, bima: FakeUser, version: int) -> list[SentMessage]:
    return [
        m
        for m in standin.messages(bima)
        if "Mohon paraf" in m.body and f"versi {version}." in m.body
    ]


def test_a_name_ending_in_a_full_stop_is_not_given_a_second_one(
    office_db: Database, tmp_path: Path
) -> None:
    """Most names here end in a degree ("Nurhayati, S.H."); a sentence after one ends once."""
    with office_db.session() as session:
        for nip, telegram_id in ((PEOPLE["fajar"][0], 1001), (BIMA, 1002)):
            person = session.exec(select(Person).where(Person.nip == nip)).one()
            person.telegram_user_id = telegram_id
            session.add(person)
        session.commit()
    fajar = find_by_telegram_id(db=office_db, telegram_user_id=1001)
    assert fajar is not None
    now = datetime.now(UTC)
    named = delegations.delegate(
        db=office_db,
        files=FileStore(tmp_path),
        actor=fajar,
        absent_nip=NURHAYATI,
        delegate_nip=BIMA,
        title="Plh",
        reason="Cuti tahunan",
        now=now,
        tz=ZoneInfo("Asia/Jakarta"),
    )
    ended = delegations.end(db=office_db, actor=fajar, absent_nip=NURHAYATI, now=now)
    with pytest.raises(NotFound) as nothing:
        delegations.end(db=office_db, actor=fajar, absent_nip=NURHAYATI, now=now)
    assert named.text == "✅ Bima Pratama, S.H. menjadi Plh. untuk Nurhayati, S.H."
    assert ended.text == "✅ Plh. untuk Nurhayati, S.H. diakhiri."
    assert nothing.value.message == "Tidak ada Plh./Plt. yang berlaku untuk Nurhayati, S.H."
