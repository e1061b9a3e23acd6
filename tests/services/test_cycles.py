"""SOP step 1 as a use case: a cycle drafted, then Kirim sends the Nota Dinas to every unit."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import col, select

from bot.domain.errors import NotAllowed
from bot.domain.periods import Period
from bot.services.common import load_office
from bot.services.cycles import cancel_draft, draft_cycle
from bot.services.delegations import delegate
from bot.services.nota_dinas import nota_dinas_content
from bot.services.nota_dinas_approval import AwaitingSigner, begin_return, return_with_reason
from bot.services.nota_dinas_sending import SentCycle
from storage.models import AuditEvent, Cycle, CycleIndicator, Person
from tests.reminder_data import NAMES
from tests.services.steps import (
    SENT,
    WIB,
    Office,
    approve_nota_dinas,
    draft,
    kirim,
    start_cycle,
)

UNIT_PEOPLE = ("rina", "dedi", "agus", "siti", "yulia", "fajar", "nurhayati", "bima")


def test_a_drafted_cycle_sends_nothing_until_kirim(office: Office) -> None:
    cycle_id = draft(office)

    office.outbox.assert_nothing_sent()
    with office.db.session() as session:
        cycle = session.get(Cycle, cycle_id)
        assert cycle is not None and cycle.status == "draft" and cycle.sent_at is None


def test_kirim_sends_every_unit_member_the_nota_dinas_its_request_and_its_template(
    office: Office,
) -> None:
    sent = start_cycle(office)

    assert sent.nota_dinas_number == "1/ORT.06/1771/3/2026"
    assert (sent.units, sent.recipients) == (4, 8)
    # The Sekretaris has no unit and the provinsi recipient is not asked: nothing for them.
    office.outbox.assert_recipients(*UNIT_PEOPLE)
    office.outbox.assert_sent_to("dedi", document="Nota Dinas 1-ORT.06-1771-3-2026")
    request = office.outbox.assert_sent_to("dedi", containing="Permintaan data capaian kinerja")
    assert "Untuk: Sub Bagian Keuangan, Umum dan Logistik" in request.text
    assert "IK 3.1" in request.text and "IK 2.1" not in request.text
    office.outbox.assert_buttons(request, [["✍️ Mulai isi data"]])
    office.outbox.assert_sent_to("dedi", document="Isian Kinerja KUL Tahun 2026.xlsx")
    office.outbox.assert_sent_to("siti", document="Isian Kinerja TEKNIS Tahun 2026.xlsx")


def test_the_rendatin_team_gets_the_rencana_aksi_and_the_cycle_is_open(office: Office) -> None:
    sent = start_cycle(office)

    for member in ("fajar", "yulia"):
        office.outbox.assert_sent_to(
            member, containing="telah dikirim ke 4 unit (8 penerima)", document="Rencana Aksi"
        )
    office.outbox.assert_not_sent_to("dedi", containing="Rencana Aksi")
    with office.db.session() as session:
        cycle = session.get(Cycle, sent.cycle_id)
        assert cycle is not None and cycle.status == "open" and cycle.sent_at is not None
        lines = session.exec(select(CycleIndicator)).all()
        assert len(lines) == 13 and {line.status for line in lines} == {"open"}


def test_kirim_pressed_twice_sends_once(office: Office) -> None:
    cycle_id = draft(office)
    kirim(office, cycle_id)
    office.outbox.clear()

    with pytest.raises(NotAllowed, match="sudah dikirim"):
        kirim(office, cycle_id)

    office.outbox.assert_nothing_sent()


def test_a_second_cycle_of_the_period_is_refused_while_one_is_open(office: Office) -> None:
    start_cycle(office)
    office.outbox.clear()

    with pytest.raises(NotAllowed, match="sudah berjalan"):
        draft(office)

    office.outbox.assert_nothing_sent()


def test_a_cancelled_draft_cannot_be_sent(office: Office) -> None:
    cycle_id = draft(office)
    cancel_draft(db=office.db, actor=office.person("fajar"), cycle_id=cycle_id, now=SENT)

    with pytest.raises(NotAllowed):
        kirim(office, cycle_id)

    office.outbox.assert_nothing_sent()


def test_only_the_rendatin_team_starts_a_cycle(office: Office) -> None:
    with pytest.raises(NotAllowed):
        draft(office, by="dedi")

    with office.db.session() as session:
        assert session.exec(select(Cycle)).all() == []
    office.outbox.assert_nothing_sent()


def test_the_nota_dinas_is_not_addressed_to_its_own_sender(office: Office) -> None:
    with office.db.session() as session:
        fajar = session.get(Person, office.person("fajar").id)
        assert fajar is not None
        content = nota_dinas_content(
            session,
            office=load_office(session, fajar.office_id),
            actor=fajar,
            period=Period.TAHUNAN,
            year=2026,
            deadline=date(2026, 12, 16),
            nomor="1/ORT.06/1771/3/2026",
            today=date(2026, 12, 7),
        )

    sender = "Kepala Sub Bagian Perencanaan, Data dan Informasi"
    assert content.dari == sender
    assert sender not in content.kepada and len(content.kepada) == 3
    # Her own unit still reports: its indicators stay in the lampiran.
    assert any(row.unit_name.startswith("Sub Bagian Perencanaan") for row in content.indicators)


# --- The signer's approval: Fajar prepares, Yulia (the Ketua Tim, who signs) decides.


def _status(office: Office, cycle_id: int) -> str:
    with office.db.session() as session:
        cycle = session.get(Cycle, cycle_id)
        assert cycle is not None
        return cycle.status


def _events(office: Office) -> list[str]:
    with office.db.session() as session:
        return [
            event.action
            for event in session.exec(select(AuditEvent).order_by(col(AuditEvent.id)))
            if event.action.startswith("cycle.")
        ]


def _return(office: Office, cycle_id: int, reason: str, *, by: str = "yulia") -> None:
    asked = begin_return(db=office.db, actor=office.person(by), cycle_id=cycle_id, now=SENT)
    assert "alasan" in asked.text
    return_with_reason(db=office.db, actor=office.person(by), reason=reason, now=SENT, tz=WIB)


def test_kirim_by_a_team_member_asks_the_signer_and_sends_nothing_to_the_units(
    office: Office,
) -> None:
    cycle_id = draft(office)

    asked = kirim(office, cycle_id)

    assert isinstance(asked, AwaitingSigner) and asked.signer == "Yulia Fitriani, S.T., M.M."
    assert _status(office, cycle_id) == "awaiting_signer"
    office.outbox.assert_recipients("yulia")
    request = office.outbox.assert_sent_to(
        "yulia", containing="disiapkan oleh Fajar", document="(untuk disetujui).docx"
    )
    assert "Batas waktu: Senin, 30 November 2026" in request.text
    office.outbox.assert_buttons(request, [["✅ Setujui", "↩️ Kembalikan"]])
    with office.db.session() as session:
        cycle = session.get(Cycle, cycle_id)
        assert cycle is not None and cycle.nota_dinas_number is None and cycle.sent_at is None
    assert _events(office) == ["cycle.drafted", "cycle.approval_requested"]


def test_setujui_numbers_and_sends_the_nota_dinas_and_tells_the_preparer_its_number(
    office: Office,
) -> None:
    cycle_id = draft(office)
    kirim(office, cycle_id)
    request = office.outbox.assert_sent_to("yulia", containing="disiapkan oleh Fajar")
    office.outbox.clear()

    sent = approve_nota_dinas(office, cycle_id)

    assert sent.nota_dinas_number == "1/ORT.06/1771/3/2026"
    assert (sent.units, sent.recipients) == (4, 8)
    assert _status(office, cycle_id) == "open"
    office.outbox.assert_sent_to("dedi", document="Nota Dinas 1-ORT.06-1771-3-2026")
    told = office.outbox.assert_sent_to("fajar", containing="disetujui oleh Yulia")
    assert "Nomor surat: 1/ORT.06/1771/3/2026" in told.text
    office.outbox.assert_sent_to("fajar", document="Rencana Aksi")
    # Her request loses its buttons and says what became of it.
    edit = next(m for m in office.outbox.to("yulia") if m.edit_of_id == request.id)
    assert "disetujui oleh Yulia" in edit.text and edit.buttons == []
    assert _events(office)[-2:] == ["cycle.sent", "cycle.approved"]


def test_kembalikan_with_a_reason_makes_a_draft_again_that_the_preparer_resubmits(
    office: Office,
) -> None:
    cycle_id = draft(office)
    kirim(office, cycle_id)
    office.outbox.clear()

    _return(office, cycle_id, "Batas waktunya terlalu dekat dengan libur.")

    assert _status(office, cycle_id) == "draft"
    office.outbox.assert_not_sent_to("dedi")
    back = office.outbox.assert_sent_to("fajar", containing="dikembalikan oleh Yulia")
    assert "Alasan: Batas waktunya terlalu dekat dengan libur." in back.text
    office.outbox.assert_buttons(back, [["🗓 Ubah batas waktu"], ["📤 Ajukan lagi", "Batal"]])
    assert _events(office)[-1] == "cycle.returned"

    # Fajar drafts it again with another deadline: a new request, the returned draft gone.
    office.outbox.clear()
    again = draft_cycle(
        db=office.db,
        actor=office.person("fajar"),
        year=2026,
        period=Period.TAHUNAN,
        deadline=date(2026, 12, 4),
        now=SENT,
        tz=WIB,
    ).cycle_id
    assert isinstance(kirim(office, again), AwaitingSigner)
    assert _status(office, cycle_id) == "cancelled"
    # Her returned request keeps saying it was returned (not "withdrawn").
    assert not any("ditarik" in m.text for m in office.outbox.to("yulia"))
    office.outbox.assert_sent_to("yulia", containing="Batas waktu: Jumat, 4 Desember 2026")

    sent = approve_nota_dinas(office, again)
    assert sent.nota_dinas_number == "1/ORT.06/1771/3/2026"  # the returned one took no number


def test_a_returned_draft_is_submitted_again_as_it_is(office: Office) -> None:
    cycle_id = draft(office)
    kirim(office, cycle_id)
    _return(office, cycle_id, "Mohon periksa ulang lampirannya.")
    office.outbox.clear()

    assert isinstance(kirim(office, cycle_id), AwaitingSigner)

    assert _status(office, cycle_id) == "awaiting_signer"
    office.outbox.assert_sent_to("yulia", containing="disiapkan oleh Fajar")


def test_the_signer_pressing_kirim_herself_sends_at_once(office: Office) -> None:
    cycle_id = draft(office, by="yulia")

    sent = kirim(office, cycle_id, by="yulia")

    assert isinstance(sent, SentCycle) and sent.nota_dinas_number == "1/ORT.06/1771/3/2026"
    assert _status(office, cycle_id) == "open"
    office.outbox.assert_not_sent_to("yulia", containing="disiapkan oleh")
    office.outbox.assert_sent_to("dedi", document="Nota Dinas 1-ORT.06-1771-3-2026")
    assert "cycle.approval_requested" not in _events(office)


@pytest.mark.parametrize("who", ["fajar", "dedi", "hendra", "rina"])
def test_only_the_signer_approves_or_returns(office: Office, who: str) -> None:
    cycle_id = draft(office)
    kirim(office, cycle_id)
    office.outbox.clear()

    with pytest.raises(NotAllowed, match="penandatangan Nota Dinas"):
        approve_nota_dinas(office, cycle_id, by=who)
    with pytest.raises(NotAllowed, match="penandatangan Nota Dinas"):
        begin_return(db=office.db, actor=office.person(who), cycle_id=cycle_id, now=SENT)

    assert _status(office, cycle_id) == "awaiting_signer"
    office.outbox.assert_nothing_sent()


def test_her_plh_decides_for_her_while_named(office: Office) -> None:
    delegate(
        db=office.db,
        files=office.files,
        actor=office.person("fajar"),
        absent_nip=NAMES["yulia"],
        delegate_nip=NAMES["rina"],
        title="plh",
        reason="Cuti tahunan sampai akhir bulan.",
        now=SENT,
        tz=WIB,
    )
    cycle_id = draft(office)
    office.outbox.clear()

    kirim(office, cycle_id)
    request = office.outbox.assert_sent_to("rina", containing="disiapkan oleh Fajar")
    assert "Bapak/Ibu ditunjuk sebagai Plh. untuk Yulia Fitriani" in request.text
    office.outbox.assert_sent_to("yulia", containing="disiapkan oleh Fajar")

    approve_nota_dinas(office, cycle_id, by="rina")

    office.outbox.assert_sent_to("fajar", containing="disetujui oleh Rina Marlina, S.E. (Plh.)")


def test_a_press_on_a_request_already_decided_changes_nothing(office: Office) -> None:
    cycle_id = draft(office)
    kirim(office, cycle_id)
    approve_nota_dinas(office, cycle_id)
    office.outbox.clear()

    with pytest.raises(NotAllowed, match="sudah disetujui dan dikirim"):
        approve_nota_dinas(office, cycle_id)
    with pytest.raises(NotAllowed, match="sudah disetujui dan dikirim"):
        begin_return(db=office.db, actor=office.person("yulia"), cycle_id=cycle_id, now=SENT)

    office.outbox.assert_nothing_sent()


def test_setujui_on_a_returned_or_withdrawn_request_changes_nothing(office: Office) -> None:
    cycle_id = draft(office)
    kirim(office, cycle_id)
    _return(office, cycle_id, "Nomor unit belum sesuai.")
    office.outbox.clear()

    with pytest.raises(NotAllowed, match="sudah dikembalikan"):
        approve_nota_dinas(office, cycle_id)
    office.outbox.assert_nothing_sent()

    # Resubmitted, then withdrawn by a new draft: the old request says so, and stays dead.
    kirim(office, cycle_id)
    draft(office)
    assert _status(office, cycle_id) == "cancelled"
    assert any("ditarik" in m.text for m in office.outbox.to("yulia") if m.edit_of_id)
    office.outbox.clear()
    with pytest.raises(NotAllowed, match="tidak berlaku"):
        approve_nota_dinas(office, cycle_id)
    office.outbox.assert_nothing_sent()


def test_a_reason_typed_after_the_request_was_approved_changes_nothing(office: Office) -> None:
    cycle_id = draft(office)
    kirim(office, cycle_id)
    begin_return(db=office.db, actor=office.person("yulia"), cycle_id=cycle_id, now=SENT)
    approve_nota_dinas(office, cycle_id)  # she changes her mind and taps Setujui
    office.outbox.clear()

    with pytest.raises(NotAllowed, match="sudah disetujui"):
        return_with_reason(
            db=office.db, actor=office.person("yulia"), reason="Terlambat.", now=SENT, tz=WIB
        )

    assert _status(office, cycle_id) == "open"
    office.outbox.assert_nothing_sent()


def test_kirim_is_refused_while_the_signer_cannot_be_reached(office: Office) -> None:
    with office.db.session() as session:
        yulia = session.exec(select(Person).where(Person.nip == NAMES["yulia"])).one()
        yulia.telegram_user_id = None
        session.add(yulia)
        session.commit()
    cycle_id = draft(office)

    with pytest.raises(NotAllowed, match="belum terdaftar"):
        kirim(office, cycle_id)

    assert _status(office, cycle_id) == "draft"
    office.outbox.assert_nothing_sent()
