"""The budget workbook through the bot: /anggaran's template, filled and sent back, imported."""

from __future__ import annotations

import io

import openpyxl
import pytest

from bot.context import LapkinApplication
from bot.services.analysis import budget_of
from storage.db import Database
from tests.e2e.conftest import register_people
from tests.e2e.steps import last, say, start_cycle
from tests.standin import BotApiStandin

pytestmark = pytest.mark.e2e

DM = "Program Dukungan Manajemen"
PP = "Program Penyelenggaraan Pemilu dan Pemilihan"


def _filled(template: bytes, rows: list[tuple[object, ...]]) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    sheet = workbook["Anggaran"]
    sheet.delete_rows(2, 2)  # the two example rows
    for row, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            sheet.cell(row, column).value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def test_rendatin_imports_the_budget_with_its_sasaran_by_sending_the_workbook(
    standin: BotApiStandin, pk_db: Database, bot: LapkinApplication
) -> None:
    people = await register_people(standin, pk_db, "fajar", "yulia")
    fajar = people["fajar"]
    await start_cycle(standin, fajar)
    template = await say(standin, fajar, "/anggaran 2026", "kirim kembali ke saya")
    assert template.document is not None
    blank = standin.download(template.document["file_id"])
    rows: list[tuple[object, ...]] = [
        (DM, "Layanan perkantoran", 3245780000, 3158402117),
        (DM, "Perencanaan, data dan informasi", 286350000, 259123450, "SS 1"),
        (PP, "Sosialisasi", 1124600000, 1003286150, "SS 6"),
    ]

    # A sasaran the 2026 PK does not have is refused, with its cell; nothing is stored.
    before = len(standin.messages(fajar))
    await standin.send_document(fajar, "Anggaran 2026.xlsx", _filled(blank, rows))
    refusal = await last(standin, fajar, "tidak ada yang diubah", after=before)
    assert "Anggaran!E4: sasaran SS 6 tidak ada dalam Perjanjian Kinerja 2026" in refusal.body

    rows[2] = (PP, "Sosialisasi", 1124600000, 1003286150, "SS 2")
    before = len(standin.messages(fajar))
    await standin.send_document(fajar, "Anggaran 2026.xlsx", _filled(blank, rows))
    imported = await last(standin, fajar, "Anggaran 2026 diimpor: 3 baris", after=before)
    assert "2 kegiatan dipetakan ke sasaran strategis, 1 kegiatan dukungan manajemen" in (
        imported.body
    )
    with pk_db.session() as session:
        stored = budget_of(session, office_id=1, year=2026)
    assert [line.sasaran_codes for line in stored] == [(), ("SS 1",), ("SS 2",)]
