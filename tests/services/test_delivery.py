"""SOP steps 5–6 as use cases: the signed report sent to KPU Provinsi, its receipt, the archive."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.domain.errors import NotAllowed
from bot.messages import Reply
from bot.services import delivery
from storage.models import ArchiveEntry, ReportDelivery
from tests.cycle_data import ready_for_a_draft
from tests.services.steps import (
    KASUBBAG,
    SIGNING,
    WIB,
    Office,
    decide,
    draft_status,
    make_draft,
    start_cycle,
    submit,
)


@pytest.fixture
def signed(office: Office) -> Office:
    """Give the office with v1 initialled by every Kasubbag and signed, the outbox cleared."""
    start_cycle(office)
    ready_for_a_draft(office.db)
    make_draft(office)
    submit(office)
    for name in KASUBBAG:
        decide(office, name, stage="kasubbag")
    decide(office, "hendra", stage="sekretaris", now=SIGNING)
    office.outbox.clear()
    return office


def _send(office: Office) -> Reply:
    return delivery.send_report(
        db=office.db,
        files=office.files,
        actor=office.person("fajar"),
        now=SIGNING,
        tz=WIB,
        pdf_copies=False,
    )


def _the_delivery(office: Office) -> ReportDelivery:
    with office.db.session() as session:
        return session.exec(select(ReportDelivery)).one()


def _receive(office: Office, name: str) -> Reply:
    sent = _the_delivery(office)
    assert sent.id is not None
    return delivery.receive(
        db=office.db,
        files=office.files,
        actor=office.person(name),
        delivery_id=sent.id,
        now=SIGNING,
        tz=WIB,
    )


def test_the_signed_report_goes_to_the_provinsi_with_its_surat_pengantar(signed: Office) -> None:
    reply = _send(signed)

    assert reply.text.startswith("📨 Surat Pengantar nomor 1/ORT.06/1771/3/2027")
    assert "dikirim kepada Suryadi, S.E.." in reply.text
    signed.outbox.assert_recipients("suryadi")
    signed.outbox.assert_sent_to("suryadi", document="Surat Pengantar LKjIP KPU Kota Bengkulu")
    signed.outbox.assert_sent_to("suryadi", document="LKjIP KPU Kota Bengkulu Tahunan 2026.docx")
    package = signed.outbox.assert_sent_to("suryadi", containing="Mohon tekan Terima")
    signed.outbox.assert_buttons(package, [["✅ Terima"]])
    sent = _the_delivery(signed)
    assert sent.method == "telegram" and sent.letter_number == "1/ORT.06/1771/3/2027"
    assert sent.received_at is None
    assert draft_status(signed.db) == [(1, "sent")]


def test_the_report_is_sent_once(signed: Office) -> None:
    _send(signed)
    signed.outbox.clear()

    with pytest.raises(NotAllowed, match="sudah dikirim"):
        _send(signed)

    signed.outbox.assert_nothing_sent()


def test_the_receipt_is_recorded_once_the_team_told_and_the_cycle_archived(
    signed: Office,
) -> None:
    _send(signed)
    with pytest.raises(NotAllowed, match="penerima di KPU Provinsi"):
        _receive(signed, "fajar")
    signed.outbox.clear()

    reply = _receive(signed, "suryadi")

    assert reply.text.startswith("✅ Terima kasih. Penerimaan Laporan Kinerja tercatat pada")
    received = _the_delivery(signed)
    assert received.received_at is not None
    assert received.received_by_person_id == signed.person("suryadi").id
    assert draft_status(signed.db) == [(1, "archived")]
    for member in ("fajar", "yulia"):
        told = signed.outbox.assert_sent_to(member, containing="📬 Laporan Kinerja Tahunan 2026")
        assert "Diterima oleh Suryadi" in told.text and "Siklus diarsipkan" in told.text
    edit = signed.outbox.assert_sent_to("suryadi", containing="✅ Diterima oleh Suryadi")
    assert edit.edit_of_id is not None  # the Terima button goes
    with signed.db.session() as session:
        assert len(session.exec(select(ArchiveEntry)).all()) > 0
    signed.outbox.clear()
    with pytest.raises(NotAllowed, match="sudah tercatat"):
        _receive(signed, "suryadi")
    signed.outbox.assert_nothing_sent()
