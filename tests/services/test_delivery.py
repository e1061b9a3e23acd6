"""SOP steps 5–6 as use cases: the signed report sent to KPU Provinsi, its receipt, the archive."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from sqlmodel import select

from bot import documents
from bot.domain.errors import InvalidInput, NotAllowed
from bot.messages import Reply
from bot.services import approval_overview, compliance, delivery
from storage.models import (
    ArchiveEntry,
    AuditEvent,
    Cycle,
    Delegation,
    Draft,
    OutboxMessage,
    ReportDelivery,
    StoredFile,
)
from storage.models import Office as OfficeRow
from tests.services.steps import (
    SIGNING,
    WIB,
    Office,
    draft_status,
    sign,
)

FAKE_PDF = b"%PDF-1.7 converted"


@pytest.fixture(autouse=True)
def converter(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """Stand in for LibreOffice (its own tests run it): a PDF, or a failure while told so."""
    failing: list[bool] = []

    def convert(docx: bytes, *, timeout: float = 60) -> bytes | None:
        return None if failing else FAKE_PDF + docx[:8]

    monkeypatch.setattr(documents, "convert_to_pdf", convert, raising=False)
    yield failing


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
        now=SIGNING,
        tz=WIB,
        pdf_copies=False,
    )


def _approve(office: Office, name: str = "hendra") -> Reply:
    prepared = _the_delivery(office)
    assert prepared.id is not None
    return delivery.approve_letter(
        db=office.db,
        files=office.files,
        actor=office.person(name),
        delivery_id=prepared.id,
        now=SIGNING,
        tz=WIB,
    )


def _sent(office: Office) -> None:
    _send(office)
    _approve(office)


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


def test_the_surat_pengantar_waits_for_the_sekretaris_before_anything_leaves(
    signed: Office,
) -> None:
    reply = _send(signed)

    assert reply.text.startswith("✉️ Surat Pengantar nomor 1/ORT.06/1771/3/2027 sudah dibuat")
    assert "dikirim kepada Drs. Hendra Saputra, M.Si. untuk disetujui" in reply.text
    signed.outbox.assert_recipients("hendra")
    signed.outbox.assert_sent_to("hendra", document="Surat Pengantar LKjIP KPU Kota Bengkulu")
    request = signed.outbox.assert_sent_to("hendra", containing="Mohon Bapak/Ibu setujui")
    signed.outbox.assert_buttons(
        request, [["✅ Setujui Surat Pengantar"], ["📎 Lampirkan pindaian bertanda tangan"]]
    )
    assert draft_status(signed.db) == [(1, "signed")]
    # A second /kirim while it waits says so and makes no second letter.
    signed.outbox.clear()
    with pytest.raises(NotAllowed, match=r"masih menunggu persetujuan Drs\. Hendra Saputra"):
        _send(signed)
    signed.outbox.assert_nothing_sent()
    # Only the signer may approve it.
    with pytest.raises(NotAllowed, match="untuk penandatangan Surat Pengantar"):
        _approve(signed, "fajar")
    signed.outbox.assert_nothing_sent()
    # /persetujuan says it waits, not that it was sent.
    status = "\n".join(
        r.text
        for r in approval_overview.overview(db=signed.db, actor=signed.person("fajar"), tz=WIB)
    )
    assert "Surat Pengantar nomor 1/ORT.06/1771/3/2027 dibuat" in status
    assert "menunggu persetujuan Sekretaris" in status and "📨 Dikirim" not in status


def test_a_failed_pdf_conversion_changes_nothing_and_the_tap_can_be_repeated(
    signed: Office, converter: list[bool]
) -> None:
    _send(signed)
    signed.outbox.clear()
    converter.append(True)

    with pytest.raises(NotAllowed, match="PDF surat atau laporan belum dapat dibuat"):
        _approve(signed)

    signed.outbox.assert_nothing_sent()
    assert draft_status(signed.db) == [(1, "signed")]
    assert _the_delivery(signed).letter_approved_at is None
    converter.clear()
    assert "dikirim kepada Suryadi" in _approve(signed).text


def test_the_approved_letter_and_the_report_reach_the_provinsi_as_pdf(signed: Office) -> None:
    _send(signed)
    signed.outbox.clear()

    reply = _approve(signed)

    assert reply.text.startswith("✅ Terima kasih, Surat Pengantar nomor 1/ORT.06/1771/3/2027")
    assert "📨 Surat Pengantar nomor 1/ORT.06/1771/3/2027" in reply.text
    assert "dikirim kepada Suryadi, S.E. " in reply.text
    signed.outbox.assert_recipients("suryadi", "hendra", "fajar", "yulia")
    names = [m.document_name for m in signed.outbox.to("suryadi") if m.document_name]
    assert names == [
        "Surat Pengantar LKjIP KPU Kota Bengkulu Tahun 2026.pdf",
        "LKjIP KPU Kota Bengkulu Tahun 2026.pdf",
    ]
    edit = signed.outbox.assert_sent_to("hendra", containing="✅ Surat Pengantar nomor")
    assert edit.edit_of_id is not None  # the Setujui button goes
    signed.outbox.assert_sent_to("fajar", containing="dikirim kepada Suryadi")
    with signed.db.session() as session:
        actions = [e.action for e in session.exec(select(AuditEvent))]
    assert actions.index("letter.prepared") < actions.index("letter.approved")
    assert actions.index("letter.approved") < actions.index("report.sent")
    package = signed.outbox.assert_sent_to("suryadi", containing="Mohon tekan Terima")
    signed.outbox.assert_buttons(package, [["✅ Terima"]])
    sent = _the_delivery(signed)
    assert sent.method == "telegram" and sent.letter_number == "1/ORT.06/1771/3/2027"
    assert sent.received_at is None
    assert draft_status(signed.db) == [(1, "sent")]


def test_the_report_is_sent_once(signed: Office) -> None:
    _sent(signed)
    signed.outbox.clear()

    with pytest.raises(NotAllowed, match="sudah dikirim"):
        _send(signed)
    with pytest.raises(NotAllowed, match="sudah disetujui"):
        _approve(signed)

    signed.outbox.assert_nothing_sent()


def test_the_receipt_is_recorded_once_the_team_told_and_the_cycle_archived(
    signed: Office,
) -> None:
    _sent(signed)
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
    assert reply.text.startswith("✉️ Surat Pengantar nomor 1/ORT.07-SP/1771/Sek/2027")
    assert _the_delivery(signed).letter_number == "1/ORT.07-SP/1771/Sek/2027"


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (120, 170), "white").save(out, format="PNG")
    return out.getvalue()


def _attach(office: Office, name: str, data: bytes) -> Reply:
    return delivery.attach_scan(
        db=office.db,
        files=office.files,
        actor=office.person(name),
        data=data,
        filename="pindaian.png",
        now=SIGNING,
        tz=WIB,
    )


def _begin_scan(office: Office, name: str) -> Reply:
    with office.db.session() as session:
        draft = session.exec(select(Draft)).one()
    assert draft.id is not None
    return delivery.begin_scan(
        db=office.db, actor=office.person(name), draft_id=draft.id, now=SIGNING
    )


def _sent_document(office: Office, name: str) -> str:
    """The stored path of the report PDF queued for the provinsi recipient."""
    with office.db.session() as session:
        row = session.exec(select(OutboxMessage).where(OutboxMessage.document_name == name)).one()
        assert row.document_path is not None
        return row.document_path


def test_a_stamped_scan_replaces_the_report_kpu_provinsi_receives(signed: Office) -> None:
    with pytest.raises(NotAllowed, match="Tim Laporan Kinerja atau penandatangannya"):
        _begin_scan(signed, "dedi")
    assert "ditandatangani basah dan distempel" in _begin_scan(signed, "hendra").text
    # Not an image nor a PDF: refused, and the bot still waits for the scan.
    with pytest.raises(InvalidInput, match="bukan PDF atau gambar"):
        _attach(signed, "hendra", b"just words")
    signed.outbox.clear()

    reply = _attach(signed, "hendra", _png())

    assert reply.text.startswith("📎 Pindaian Laporan Kinerja Tahun 2026 tersimpan.")
    for member in ("fajar", "yulia"):
        signed.outbox.assert_sent_to(member, containing="📎 Drs. Hendra Saputra, M.Si. melampirkan")
    with signed.db.session() as session:
        draft = session.exec(select(Draft)).one()
        scan = session.get(StoredFile, draft.scan_file_id)
    assert scan is not None and signed.files.read(scan.path).startswith(b"%PDF")
    # A second scan (here from the team) replaces the first.
    _begin_scan(signed, "fajar")
    again = _attach(signed, "fajar", b"%PDF-1.4 the stamped scan")
    assert "menggantikan pindaian sebelumnya" in again.text
    with signed.db.session() as session:
        scan = session.get(StoredFile, session.exec(select(Draft)).one().scan_file_id)
    assert scan is not None

    _sent(signed)

    assert _sent_document(signed, "LKjIP KPU Kota Bengkulu Tahun 2026.pdf") == scan.path
    # Once sent, the delivered report is fixed.
    with pytest.raises(NotAllowed, match="sebelum dikirim ke KPU Provinsi"):
        _begin_scan(signed, "fajar")


def _yulia_plh_for_hendra(office: Office) -> None:
    """Name Yulia Plh. for the Sekretaris (Hendra), away on duty."""
    hendra, yulia = office.person("hendra"), office.person("yulia")
    with office.db.session() as session:
        session.add(
            Delegation(
                office_id=hendra.office_id,
                absent_person_id=hendra.id,
                delegate_person_id=yulia.id,
                title="Plh.",
                reason="dinas luar",
                created_by_person_id=office.person("fajar").id,
                created_at=SIGNING,
            )
        )
        session.commit()


def test_the_sekretaris_plh_may_approve_the_surat_pengantar_for_him(signed: Office) -> None:
    _yulia_plh_for_hendra(signed)

    _send(signed)

    for name in ("hendra", "yulia"):
        signed.outbox.assert_sent_to(name, containing="Mohon Bapak/Ibu setujui")
    plh = signed.outbox.assert_sent_to("yulia", containing="Bapak/Ibu ditunjuk sebagai Plh.")
    assert "untuk Drs. Hendra Saputra, M.Si." in plh.text
    with pytest.raises(NotAllowed, match="untuk penandatangan Surat Pengantar"):
        _approve(signed, "fajar")
    signed.outbox.clear()

    _approve(signed, "yulia")

    signed.outbox.assert_sent_to("suryadi", containing="Mohon tekan Terima")
    edits = [m for m in signed.outbox.messages() if m.edit_of_id is not None]
    assert len(edits) == 2 and all("(Plh.)" in m.text for m in edits)
    with signed.db.session() as session:
        approved = session.exec(
            select(AuditEvent).where(AuditEvent.action == "letter.approved")
        ).one()
    assert approved.details["acting_title"] == "Plh."


def test_a_letter_waiting_for_approval_is_not_counted_as_sent(signed: Office) -> None:
    _send(signed)

    with signed.db.session() as session:
        cycle = session.exec(select(Cycle)).one()
        (trail,) = compliance.load_trails(session, cycles=[cycle])

    assert trail.submission_deadline is None and trail.sent_late is None


def test_a_surat_pengantar_awaiting_its_signer_is_in_his_reminders_until_he_approves(
    signed: Office,
) -> None:
    from datetime import date

    from bot.services.reminder_sweep import sweep
    from tests.reminder_data import wib

    _send(signed)  # Monday 4 January 2027, 10.00: the letter waits for Hendra's tap
    signed.outbox.clear()

    # Within the Sekretaris's 30 minutes nothing; after them, one reminder with his buttons.
    sweep(db=signed.db, now=wib(date(2027, 1, 4), 10, 20), tz=WIB)
    signed.outbox.assert_not_sent_to("hendra", containing="Surat Pengantar")
    sweep(db=signed.db, now=wib(date(2027, 1, 4), 10, 40), tz=WIB)
    reminder = signed.outbox.assert_sent_to("hendra", containing="menunggu persetujuan Bapak/Ibu")
    assert "belum dikirim ke KPU Provinsi" in reminder.text
    signed.outbox.assert_buttons(
        reminder,
        [["✅ Setujui Surat Pengantar"], ["📎 Lampirkan pindaian bertanda tangan"]],
    )
    signed.outbox.clear()

    # The Sekretaris's Plh. named meanwhile gets the same reminder, saying for whom.
    _yulia_plh_for_hendra(signed)
    # The next working morning again (Tuesday 5 January 2027 is Isra Mikraj, a holiday); once
    # approved, never.
    sweep(db=signed.db, now=wib(date(2027, 1, 5), 9), tz=WIB)
    signed.outbox.assert_not_sent_to("hendra", containing="Surat Pengantar")
    sweep(db=signed.db, now=wib(date(2027, 1, 6), 9), tz=WIB)
    signed.outbox.assert_sent_to("hendra", containing="Surat Pengantar")
    for_him = signed.outbox.assert_sent_to("yulia", containing="menunggu persetujuan Drs. Hendra")
    assert "Bapak/Ibu tercatat sebagai Plh. untuk beliau." in for_him.text
    _approve(signed)
    signed.outbox.clear()
    sweep(db=signed.db, now=wib(date(2027, 1, 7), 9), tz=WIB)
    signed.outbox.assert_not_sent_to("hendra", containing="menunggu persetujuan")
    signed.outbox.assert_not_sent_to("yulia", containing="menunggu persetujuan")
