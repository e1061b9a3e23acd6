"""The budget sent in chat: its Sasaran column checked against the PK; the konsep by sasaran."""

from __future__ import annotations

from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook

from bot.documents import build_budget_template
from bot.domain.errors import InvalidInput
from bot.domain.organisation import OrganisationSpec
from bot.services.analysis import budget_of
from bot.services.budget import import_budget, import_budget_workbook
from tests.cycle_data import ready_for_a_draft
from tests.services.steps import LATER, Office, make_draft, start_cycle

DM = "Program Dukungan Manajemen"
PP = "Program Penyelenggaraan Pemilu dan Pemilihan"


def workbook(*rows: tuple[object, ...]) -> bytes:
    """The downloaded template with its examples replaced by ``rows``."""
    book = load_workbook(BytesIO(build_budget_template(2026)))
    sheet = book["Anggaran"]
    sheet.delete_rows(2, 2)
    for row, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=row, column=column, value=value)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_workbook_naming_a_sasaran_outside_the_pk_is_refused_with_its_cell(
    office: Office,
) -> None:
    start_cycle(office)
    data = workbook(
        (DM, "Perencanaan, data dan informasi", 286350000, 259123450, "SS 1"),
        (PP, "Sosialisasi", 1124600000, 1003286150, "SS 5"),
    )

    with pytest.raises(InvalidInput) as refused:
        import_budget_workbook(db=office.db, actor=office.person("fajar"), data=data, now=LATER)

    assert str(refused.value) == (
        "Berkas anggaran belum dapat diimpor; tidak ada yang diubah:\n"
        "Anggaran!E3: sasaran SS 5 tidak ada dalam Perjanjian Kinerja 2026 (sasarannya: SS 1, "
        "SS 2, SS 3, SS 4); perbaiki kodenya, atau kosongkan bila kegiatan ini dukungan "
        "manajemen untuk seluruh sasaran"
    )
    with office.db.session() as session:
        assert budget_of(session, office_id=1, year=2026) == ()


def test_a_workbook_mapping_kegiatan_to_sasaran_is_stored_with_the_map(office: Office) -> None:
    start_cycle(office)
    data = workbook(
        (DM, "Layanan perkantoran", 3245780000, 3158402117),
        (DM, "Perencanaan, data dan informasi", 286350000, 259123450, "SS 1, SS 3"),
        (PP, "Sosialisasi", 1124600000, 1003286150, "SS 2"),
    )

    summary = import_budget_workbook(
        db=office.db, actor=office.person("fajar"), data=data, now=LATER
    )

    assert summary.startswith("Anggaran 2026 diimpor: 3 baris")
    assert "2 kegiatan dipetakan ke sasaran strategis, 1 kegiatan dukungan manajemen." in summary
    with office.db.session() as session:
        stored = budget_of(session, office_id=1, year=2026)
    assert [line.sasaran_codes for line in stored] == [(), ("SS 1", "SS 3"), ("SS 2",)]


def test_the_konsep_shows_the_stored_budget_per_sasaran(
    office: Office, example_spec: OrganisationSpec
) -> None:
    start_cycle(office)
    ready_for_a_draft(office.db)
    import_budget(
        db=office.db,
        office_id=1,
        year=2026,
        lines=example_spec.anggaran[0].to_domain(),
        now=LATER,
        actor="test",
    )

    made = make_draft(office)

    document = Document(BytesIO(office.files.read(made.docx_path)))
    captions = [
        p.text for p in document.paragraphs if p.style is not None and p.style.name == "Caption"
    ]
    assert [c.split(" ", 2)[2] for c in captions if "Anggaran" in c][:5] == [
        "Realisasi Anggaran Kegiatan Pendukung SS 1",
        "Realisasi Anggaran Kegiatan Pendukung SS 2",
        "Realisasi Anggaran Kegiatan Pendukung SS 3",
        "Realisasi Anggaran Kegiatan Pendukung SS 4",
        "Realisasi Anggaran Dukungan Manajemen",
    ]
    # SS 1: Rp591.096.250 of Rp642.350.000 (92,02%), as the example file maps it.
    assert any(
        p.text.startswith(
            "Kegiatan yang mendukung sasaran SS 1 menyerap Rp591.096.250 dari pagu "
            "Rp642.350.000 (penyerapan 92,02%)"
        )
        for p in document.paragraphs
    )
