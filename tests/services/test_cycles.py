"""SOP step 1 as a use case: a cycle drafted, then Kirim sends the Nota Dinas to every unit."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from bot.domain.errors import NotAllowed
from bot.domain.periods import Period
from bot.services.common import load_office
from bot.services.cycles import cancel_draft
from bot.services.nota_dinas import nota_dinas_content
from storage.models import Cycle, CycleIndicator, Person
from tests.services.steps import SENT, Office, draft, kirim, start_cycle

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
