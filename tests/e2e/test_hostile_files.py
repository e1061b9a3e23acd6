"""A staf sends hostile files: workbook bombs and a program named laporan.pdf.

Each is refused politely, saying what is wrong and what to do, and nothing is stored.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlmodel import select

from bot.context import LapkinApplication
from storage.db import Database
from storage.models import Evidence, StoredFile, Submission
from tests.e2e.conftest import register_people
from tests.e2e.steps import fill, last, say, start_cycle, tap
from tests.hostile_files import EXECUTABLE, row_bomb, zip_bomb
from tests.standin import BotApiStandin, FakeUser

pytestmark = pytest.mark.e2e


def _counts(db: Database) -> tuple[int, int, int]:
    with db.session() as session:
        return tuple(  # type: ignore[return-value]
            session.exec(select(func.count()).select_from(table)).one()
            for table in (Submission, Evidence, StoredFile)
        )


async def _send(standin: BotApiStandin, user: FakeUser, name: str, data: bytes, expect: str) -> str:
    before = len(standin.messages(user))
    await standin.send_document(user, name, data)
    return (await last(standin, user, expect, after=before)).body


async def test_workbook_bombs_are_refused_and_the_real_template_still_goes_through(
    standin: BotApiStandin, pk_db: Database, bot: LapkinApplication
) -> None:
    people = await register_people(standin, pk_db, "fajar", "yulia", "dedi")
    dedi = people["dedi"]
    await start_cycle(standin, people["fajar"])
    template = await last(standin, dedi, "Template isian")
    assert template.document is not None
    filled = fill(
        standin.download(template.document["file_id"]),
        {"IK 3.4": ("100", "Lengkap.", "Pencatatan SIMAK diperbarui.")},
    )
    stored_before = _counts(pk_db)

    # The 7 KB bomb: the unit's own filled template plus one cell in row 1,048,576.
    bomb = row_bomb(filled)
    assert len(bomb) < 10_000
    refusal = await _send(standin, dedi, "Isian KUL.xlsx", bomb, "tidak dapat diproses")
    assert "terpakai sampai baris 1.048.576" in refusal
    assert "hapus baris kosong di bawah tabel" in refusal

    # The 259 KB bomb: the same template padded with rows that unpack to 75 MB.
    bomb = zip_bomb(filled)
    assert len(bomb) < 300_000
    refusal = await _send(standin, dedi, "Isian KUL.xlsx", bomb, "tidak dapat diproses")
    assert "mengembang" in refusal and "template baru dari bot" in refusal
    assert _counts(pk_db) == stored_before

    outcome = await _send(standin, dedi, "Isian KUL.xlsx", filled, "Diterima (1)")
    assert "IK 3.4: capaian 100%" in outcome


async def test_a_program_named_laporan_pdf_is_not_taken_as_evidence(
    standin: BotApiStandin, pk_db: Database, bot: LapkinApplication
) -> None:
    people = await register_people(standin, pk_db, "fajar", "yulia", "dedi")
    fajar, dedi = people["fajar"], people["dedi"]
    await start_cycle(standin, fajar)
    menu = await say(standin, dedi, "/isi", "Pilih indikator")
    await tap(standin, dedi, menu, "IK 3.4", "Ketik nilai realisasi")
    await say(standin, dedi, "100", "Ketik penjelasan")
    await say(standin, dedi, "Inventarisasi selesai.", "faktor pendukung")
    await say(standin, dedi, "Pencatatan SIMAK diperbarui.", "faktor penghambat")
    question = await say(standin, dedi, "Tidak ada.", "Kirim berkas bukti")
    stored_before = _counts(pk_db)

    refusal = await _send(standin, dedi, "laporan.pdf", EXECUTABLE, "tidak dapat diterima")
    assert "isinya bukan PDF (tampaknya sebuah program Windows (.exe))" in refusal
    assert "Mohon kirim berkas aslinya" in refusal
    assert _counts(pk_db) == stored_before

    summary = await tap(standin, dedi, question, "Lewati", "Ringkasan isian IK 3.4")
    assert "laporan.pdf" not in summary.body
    await tap(standin, dedi, summary, "Kirim", "terkirim (versi 1")
    notice = await last(standin, fajar, "Data baru dari Sub Bagian Keuangan")
    await tap(standin, fajar, notice, "Periksa", "Bukti: tidak ada")
    assert not any(
        message.document and message.document["file_name"] == "laporan.pdf"
        for message in standin.messages(fajar)
    )
