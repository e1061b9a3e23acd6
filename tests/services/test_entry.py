"""SOP step 2 as a use case: a unit member enters one indicator in chat and confirms it."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlmodel import col, select

from bot import documents
from bot.domain.errors import InvalidInput, NotAllowed
from bot.services import entry, review
from bot.services.pending import set_pending
from bot.services.workbook_submission import submit_entry_workbook
from storage.models import Cycle, CycleIndicator, Indicator, Unit
from storage.models import Office as OfficeRow
from tests.cycle_data import line_of
from tests.entry_data import as_format_1
from tests.services.steps import (
    AT_TARGET,
    LATER,
    WIB,
    Office,
    enter,
    line,
    start_cycle,
    submissions,
)

REVIEW_BUTTONS = [["🔎 Periksa", "☑️ Terima"], ["⚠️ Tandai kurang valid"]]


@pytest.fixture
def cycle(office: Office) -> Office:
    """Give the office with the annual 2026 cycle sent and the outbox cleared."""
    start_cycle(office)
    office.outbox.clear()
    return office


def test_a_confirmed_entry_is_version_1_and_the_rendatin_team_may_review_it(
    cycle: Office,
) -> None:
    reply = enter(cycle, "dedi", "IK 3.1", "96,5", "Penyerapan sesuai rencana kas.", *AT_TARGET)

    assert "Data IK 3.1 terkirim (versi 1, capaian 101,58%)" in reply.text
    [submission] = submissions(cycle.db, "IK 3.1")
    assert submission.version == 1 and submission.realisasi == Decimal("96.5")
    assert submission.status == "submitted" and submission.source == "chat"
    assert (submission.pendukung, submission.kendala) == AT_TARGET and submission.upaya is None
    assert (line(cycle.db, "IK 3.1").status, line(cycle.db, "IK 3.1").current_version) == (
        "submitted",
        1,
    )
    cycle.outbox.assert_recipients("fajar", "yulia")
    for member in ("fajar", "yulia"):
        notice = cycle.outbox.assert_sent_to(
            member, containing="📥 Data baru dari Sub Bagian Keuangan, Umum dan Logistik"
        )
        assert "Versi 1, oleh Dedi Kurniawan" in notice.text
        cycle.outbox.assert_buttons(notice, REVIEW_BUTTONS)


def test_below_target_the_entry_asks_for_kendala_and_upaya(cycle: Office) -> None:
    enter(
        cycle,
        "dedi",
        "IK 3.1",
        "90",
        "Sebagian kegiatan ditunda.",
        "Koordinasi dengan KPPN.",
        "Revisi DIPA.",
        "Percepat.",
    )

    [submission] = submissions(cycle.db, "IK 3.1")
    assert (submission.pendukung, submission.kendala, submission.upaya) == (
        "Koordinasi dengan KPPN.",
        "Revisi DIPA.",
        "Percepat.",
    )


def answers(office: Office, name: str, code: str, *texts: str) -> list[str]:
    """Begin ``code`` and type ``texts`` one by one; return each reply's text."""
    person = office.person(name)
    entry.begin_entry(db=office.db, actor=person, line_id=line_of(office.db, code), now=LATER)
    return [
        entry.handle_entry_text(db=office.db, actor=person, text=text, now=LATER).text
        for text in texts
    ]


def test_at_target_the_pendukung_and_penghambat_are_asked_and_tidak_ada_skips_the_upaya(
    cycle: Office,
) -> None:
    replies = answers(
        cycle,
        "dedi",
        "IK 3.1",
        "96,5",
        "Penyerapan sesuai rencana kas.",
        "Rencana kas.",
        "tidak ada",
    )

    assert "Ketik penjelasan" in replies[0]
    assert "Ketik faktor pendukung" in replies[1]
    assert "faktor penghambat (kendala)" in replies[2] and '"tidak ada"' in replies[2]
    assert "Kirim berkas bukti dukung" in replies[3]
    dedi = cycle.person("dedi")
    summary = entry.evidence_done(db=cycle.db, actor=dedi, now=LATER).text
    assert "Faktor pendukung: Rencana kas." in summary
    assert "Faktor penghambat (kendala): tidak ada" in summary
    assert "Upaya" not in summary
    entry.confirm_entry(db=cycle.db, actor=dedi, now=LATER)
    [submission] = submissions(cycle.db, "IK 3.1")
    assert (submission.pendukung, submission.kendala, submission.upaya) == (
        "Rencana kas.",
        "tidak ada",
        None,
    )


def test_at_target_a_penghambat_named_asks_for_the_upaya(cycle: Office) -> None:
    replies = answers(
        cycle,
        "dedi",
        "IK 3.1",
        "96,5",
        "Penyerapan sesuai rencana kas.",
        "Rencana kas dipantau.",
        "SP2D sempat tertunda karena gangguan aplikasi.",
        "Pengajuan SPM dimajukan seminggu.",
    )

    assert "upaya / alternatif solusi" in replies[3]
    assert "Kirim berkas bukti dukung" in replies[4]


def test_the_rendatin_team_reads_the_faktor_pendukung(cycle: Office) -> None:
    enter(cycle, "dedi", "IK 3.1", "90", "Ditunda.", "Koordinasi dengan KPPN.", "DIPA.", "Cepat.")
    [submission] = submissions(cycle.db, "IK 3.1")
    assert submission.id is not None

    detail, _ = review.submission_detail(
        db=cycle.db, actor=cycle.person("fajar"), submission_id=submission.id, tz=WIB
    )

    assert "Faktor pendukung: Koordinasi dengan KPPN." in detail.text
    assert "Faktor penghambat (kendala): DIPA." in detail.text
    assert "Upaya / alternatif solusi: Cepat." in detail.text


def store_draft(office: Office, name: str, payload: dict[str, object]) -> None:
    """Leave a draft in ``pending_input`` as the code before the faktor pendukung stored it."""
    with office.db.session() as session:
        set_pending(
            session, person_id=office.person(name).id, kind="entry", payload=payload, now=LATER
        )
        session.commit()


def test_a_draft_stored_at_the_kendala_step_before_the_upgrade_continues(cycle: Office) -> None:
    store_draft(
        cycle,
        "dedi",
        {
            "line": line_of(cycle.db, "IK 3.1"),
            "step": "kendala",
            "evidence": [],
            "realisasi": "90",
            "penjelasan": "Sebagian kegiatan ditunda.",
        },
    )
    dedi = cycle.person("dedi")

    def say(text: str) -> str:
        return entry.handle_entry_text(db=cycle.db, actor=dedi, text=text, now=LATER).text

    assert "Ketik faktor pendukung" in say("Revisi DIPA.")
    assert "upaya / alternatif solusi" in say("Koordinasi dengan KPPN.")
    assert "Kirim berkas bukti dukung" in say("Percepat.")
    entry.evidence_done(db=cycle.db, actor=dedi, now=LATER)
    entry.confirm_entry(db=cycle.db, actor=dedi, now=LATER)
    [submission] = submissions(cycle.db, "IK 3.1")
    assert (submission.pendukung, submission.kendala, submission.upaya) == (
        "Koordinasi dengan KPPN.",
        "Revisi DIPA.",
        "Percepat.",
    )


def test_a_draft_stored_at_the_confirm_step_before_the_upgrade_asks_what_it_missed(
    cycle: Office,
) -> None:
    # The old code asked nothing more at 100 %: penjelasan, then the summary.
    store_draft(
        cycle,
        "dedi",
        {
            "line": line_of(cycle.db, "IK 3.1"),
            "step": "confirm",
            "evidence": [],
            "realisasi": "96.5",
            "penjelasan": "Penyerapan sesuai rencana kas.",
        },
    )
    dedi = cycle.person("dedi")

    asked = entry.confirm_entry(db=cycle.db, actor=dedi, now=LATER)

    assert "mohon lengkapi isian yang belum ditanyakan" in asked.text
    assert "Ketik faktor pendukung" in asked.text
    assert submissions(cycle.db, "IK 3.1") == []
    for text in AT_TARGET:
        entry.handle_entry_text(db=cycle.db, actor=dedi, text=text, now=LATER)
    assert entry.evidence_done(db=cycle.db, actor=dedi, now=LATER).text.startswith("Ringkasan")
    entry.confirm_entry(db=cycle.db, actor=dedi, now=LATER)
    [submission] = submissions(cycle.db, "IK 3.1")
    assert (submission.pendukung, submission.kendala) == AT_TARGET


# ----------------------------------------------------------------- the entry workbook


def kul_template(office: Office) -> bytes:
    """The KUL template of the annual cycle, built the way the cycle's requests build it."""
    with office.db.session() as session:
        cycle = session.exec(select(Cycle)).one()
        unit = session.exec(select(Unit).where(Unit.code == "KUL")).one()
        office_row = session.get(OfficeRow, cycle.office_id)
        assert office_row is not None and cycle.id is not None
        indicators = session.exec(
            select(Indicator)
            .join(CycleIndicator, col(CycleIndicator.indicator_id) == col(Indicator.id))
            .where(CycleIndicator.unit_id == unit.id)
            .order_by(col(Indicator.code))
        ).all()
        meta = documents.EntryWorkbookMeta(
            office_code=office_row.code,
            office_name=office_row.name,
            unit_code=unit.code,
            unit_name=unit.name,
            year=cycle.year,
            period=cycle.period,
            period_label=f"Tahun {cycle.year}",
            cycle_id=cycle.id,
            deadline=cycle.deadline,
        )
        rows = [
            documents.EntryTemplateRow(i.code, "", i.name, i.satuan, "-", i.evidence_required)
            for i in indicators
        ]
    return documents.build_entry_workbook(meta, rows)


def fill_rows(template: bytes, values: dict[str, tuple[str | None, ...]]) -> bytes:
    """Fill each row's answers from column G on (realisasi, penjelasan, ...), as in Excel."""
    workbook = load_workbook(BytesIO(template))
    sheet = workbook["Isian"]
    for number in range(1, sheet.max_row + 1):
        code = sheet.cell(number, 2).value
        for offset, value in enumerate(values.get(code, ())):
            sheet.cell(number, 7 + offset).value = value
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_workbook_row_without_faktor_pendukung_is_refused_by_its_row(cycle: Office) -> None:
    filled = fill_rows(
        kul_template(cycle),
        {
            "IK 3.1": ("96,5", "Sesuai rencana kas.", "Rencana kas dipantau.", "Tidak ada"),
            "IK 3.4": ("100", "Inventarisasi lengkap."),
        },
    )

    text, stored = submit_entry_workbook(
        db=cycle.db, actor=cycle.person("dedi"), data=filled, now=LATER
    )

    assert stored
    assert "IK 3.1: capaian 101,58% (versi 1)" in text
    assert "(IK 3.4): kolom Faktor Pendukung kosong" in text
    assert "baris " in text.split("(IK 3.4)")[0].splitlines()[-1]
    [submission] = submissions(cycle.db, "IK 3.1")
    assert (submission.pendukung, submission.kendala, submission.source) == (
        "Rencana kas dipantau.",
        "Tidak ada",
        "xlsx",
    )
    assert submissions(cycle.db, "IK 3.4") == []


def test_a_workbook_of_the_old_layout_is_still_taken_without_the_pendukung(
    cycle: Office,
) -> None:
    old = as_format_1(kul_template(cycle))
    filled = fill_rows(
        old,
        {
            "IK 3.1": ("90", "Sebagian ditunda.", "Revisi DIPA.", "Percepat."),
            "IK 3.4": ("100", "Inventarisasi lengkap."),
        },
    )

    text, stored = submit_entry_workbook(
        db=cycle.db, actor=cycle.person("dedi"), data=filled, now=LATER
    )

    assert stored and "Ditolak" not in text
    assert "template versi lama, tanpa kolom Faktor Pendukung" in text
    [below] = submissions(cycle.db, "IK 3.1")
    assert (below.pendukung, below.kendala, below.upaya) == (None, "Revisi DIPA.", "Percepat.")
    [at_target] = submissions(cycle.db, "IK 3.4")
    assert at_target.pendukung is None and at_target.penjelasan == "Inventarisasi lengkap."


def test_a_value_that_is_not_a_number_or_negative_is_refused_and_nothing_stored(
    cycle: Office,
) -> None:
    dedi = cycle.person("dedi")
    entry.begin_entry(db=cycle.db, actor=dedi, line_id=line_of(cycle.db, "IK 3.1"), now=LATER)

    with pytest.raises(InvalidInput, match="tidak dapat dibaca sebagai angka"):
        entry.handle_entry_text(db=cycle.db, actor=dedi, text="sembilan puluh", now=LATER)
    with pytest.raises(InvalidInput, match="negatif"):
        entry.handle_entry_text(db=cycle.db, actor=dedi, text="-3", now=LATER)

    assert submissions(cycle.db, "IK 3.1") == []
    cycle.outbox.assert_nothing_sent()


def test_a_member_of_another_unit_cannot_enter_the_indicator(cycle: Office) -> None:
    with pytest.raises(NotAllowed, match="tanggung jawab Sub Bagian Keuangan"):
        entry.begin_entry(
            db=cycle.db,
            actor=cycle.person("siti"),
            line_id=line_of(cycle.db, "IK 3.1"),
            now=LATER,
        )

    cycle.outbox.assert_nothing_sent()


def test_a_rendatin_member_entering_their_own_units_data_is_not_told_of_it(
    cycle: Office,
) -> None:
    enter(cycle, "fajar", "IK 1.2", "3", "Tiga dokumen disusun tepat waktu.", *AT_TARGET)

    cycle.outbox.assert_recipients("yulia")


def test_data_the_team_accepts_while_a_correction_waits_on_the_confirm_step_is_kept(
    cycle: Office,
) -> None:
    enter(cycle, "dedi", "IK 3.1", "96,5", "Penyerapan sesuai rencana kas.", *AT_TARGET)
    [first] = submissions(cycle.db, "IK 3.1")
    dedi = cycle.person("dedi")
    entry.begin_entry(db=cycle.db, actor=dedi, line_id=line_of(cycle.db, "IK 3.1"), now=LATER)
    entry.handle_entry_text(db=cycle.db, actor=dedi, text="97", now=LATER)
    for text in ("Koreksi angka.", *AT_TARGET):
        entry.handle_entry_text(db=cycle.db, actor=dedi, text=text, now=LATER)
    entry.evidence_done(db=cycle.db, actor=dedi, now=LATER)
    assert first.id is not None
    review.accept(db=cycle.db, actor=cycle.person("fajar"), submission_id=first.id, now=LATER)

    with pytest.raises(NotAllowed, match=r"Data IK 3\.1 sudah diterima Tim"):
        entry.confirm_entry(db=cycle.db, actor=dedi, now=LATER)

    assert [s.version for s in submissions(cycle.db, "IK 3.1")] == [1]
    stored = line(cycle.db, "IK 3.1")
    assert (stored.status, stored.current_version) == ("accepted", 1)
