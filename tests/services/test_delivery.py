"""SOP steps 5–6 as use cases: the signed report sent to KPU Provinsi, its receipt, the archive."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.domain.errors import NotAllowed
from bot.messages import Reply
from bot.services import delivery
from storage.models import ArchiveEntry, ReportDelivery
from storage.models import Office as OfficeRow
from tests.services.steps import (
    LATER,
    WIB,
    Office,
    draft_status,
    sign,
)


@pytest.fixture
def signed(office: Office) -> Office:
    """Give the office with v1 initialled by every Kasubbag and signed, the outbox cleared."""
    sign(office)
    return office


def _send(office: Office) -> Reply:
    return delivery.send_report(
        db=office.db,
        files=office.files,
        actor=office.person("fajar"),
        now=LATER,
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
        now=LATER,
        tz=WIB,
    )


def test_the_signed_report_goes_to_the_provinsi_with_its_surat_pengantar(signed: Office) -> None:
    reply = _send(signed)

    assert reply.text.startswith("📨 Surat Pengantar nomor 2/ORT.06/1771/3/2026")
    assert "dikirim kepada Suryadi, S.E. Anda akan" in reply.text
    signed.outbox.assert_recipients("suryadi")
    signed.outbox.assert_sent_to("suryadi", document="Surat Pengantar LKjIP KPU Kota Bengkulu")
    signed.outbox.assert_sent_to("suryadi", document="LKjIP KPU Kota Bengkulu Tahun 2026.docx")
    package = signed.outbox.assert_sent_to("suryadi", containing="Mohon tekan Terima")
    signed.outbox.assert_buttons(package, [["✅ Terima"]])
    sent = _the_delivery(signed)
    assert sent.method == "telegram" and sent.letter_number == "2/ORT.06/1771/3/2026"
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
        told = signed.outbox.assert_sent_to(member, containing="📬 Laporan Kinerja Tahun 2026")
        assert "Diterima oleh Suryadi" in told.text and "Siklus diarsipkan" in told.text
    edit = signed.outbox.assert_sent_to("suryadi", containing="✅ Diterima oleh Suryadi")
    assert edit.edit_of_id is not None  # the Terima button goes
    with signed.db.session() as session:
        assert len(session.exec(select(ArchiveEntry)).all()) > 0
    signed.outbox.clear()
    with pytest.raises(NotAllowed, match="sudah tercatat"):
        _receive(signed, "suryadi")
    signed.outbox.assert_nothing_sent()


def test_the_surat_pengantar_takes_its_own_kind_s_number_when_the_office_sets_one(
    signed: Office,
) -> None:
    with signed.db.session() as session:
        office = session.exec(select(OfficeRow)).one()
        office.settings = {
            **office.settings,
            "letter_number": {
                "kinds": {
                    "surat_pengantar": {
                        "classification": "ORT.07",
                        "type": "SP",
                        "pattern": "{seq}/{classification}-{type}/{region}/{unit}/{year}",
                        "unit": "Sek",
                    }
                }
            },
        }
        session.add(office)
        session.commit()

    reply = _send(signed)

    # Its own sequence (the Nota Dinas took 1 of ORT.06's), its code, the Sekretariat's unit.
    assert reply.text.startswith("📨 Surat Pengantar nomor 1/ORT.07-SP/1771/Sek/2026")
    assert _the_delivery(signed).letter_number == "1/ORT.07-SP/1771/Sek/2026"
