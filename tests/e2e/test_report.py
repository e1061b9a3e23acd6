"""SOP step 2 (2a, 2c, 2d) end to end: analysis with charts, the review meeting, and the draft."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from docx import Document

from bot.context import LapkinApplication
from storage.db import Database
from tests.cycle_data import VALUES, accept_all
from tests.e2e.conftest import register_people
from tests.e2e.steps import last, say, start_cycle, tap
from tests.standin import BotApiStandin

pytestmark = pytest.mark.e2e


async def test_analysis_meeting_and_draft(
    standin: BotApiStandin, pk_db: Database, bot: LapkinApplication
) -> None:
    people = await register_people(
        standin, pk_db, "fajar", "yulia", "rina", "agus", "hendra", "dedi"
    )
    fajar, rina, hendra, dedi = people["fajar"], people["rina"], people["hendra"], people["dedi"]
    await start_cycle(standin, fajar)
    accept_all(pk_db, person_id=1, skip={"IK 4.3"})

    # 2a/2c: the summary and the charts.
    summary = await say(standin, fajar, "/analisis", "Analisis capaian kinerja Tahun 2026")
    assert "capaian" in summary.body.lower()
    # Drawing the charts takes a moment the first time (matplotlib's font cache).
    await standin.wait_for_message(fajar, contains="Tren realisasi", timeout=60)
    photos = [m for m in standin.messages(fajar) if m.photo]
    assert [p.caption for p in photos] == [
        "Capaian per indikator",
        "Tren realisasi dari tahun ke tahun",
    ]
    await say(standin, dedi, "/analisis", "Maaf, /analisis")

    # Drafting with data missing is refused with the list of what is missing, per unit.
    refusal = await say(standin, fajar, "/konsep", "Konsep belum dapat dibuat")
    assert "Sub Bagian Teknis" in refusal.body and "IK 2.3" in refusal.body
    assert "Sub Bagian Hukum" in refusal.body and "IK 4.3" in refusal.body
    assert "IK 3.1" not in refusal.body

    # 2d: the review meeting.
    await say(standin, fajar, "/rapat", "Kapan rapatnya")
    await say(standin, fajar, "besok pagi", "belum memuat tanggal dan jam")
    when = (datetime.now(UTC) + timedelta(days=3)).astimezone().strftime("%d-%m-%Y")
    await say(standin, fajar, f"{when} 09.00", "Di mana tempatnya")
    await say(standin, fajar, "Ruang Rapat KPU Kota Bengkulu", "agendanya")
    await say(standin, fajar, "Reviu konsep LKjIP 2026", "undangan dikirim ke")
    invitation = await last(standin, rina, "Undangan rapat reviu")
    await tap(standin, rina, invitation, "Hadir", "tercatat: hadir")
    sekretaris_invite = await last(standin, hendra, "Undangan rapat reviu")
    await tap(standin, hendra, sekretaris_invite, "Berhalangan", "tercatat: berhalangan")
    await tap(standin, rina, invitation, "Kirim masukan", "Ketik masukan")
    await say(standin, rina, "IK 3.1: rincikan realisasi per triwulan", "masukan Anda tercatat")
    await tap(standin, hendra, sekretaris_invite, "Kirim masukan", "Ketik masukan")
    await say(standin, hendra, "Tambahkan analisis efisiensi anggaran.", "masukan Anda tercatat")
    status = await say(standin, fajar, "/rapat", "Rapat reviu")
    assert "Rina Marlina, S.E.: ✅ hadir" in status.body and "Masukan tertulis: 2" in status.body
    await tap(standin, fajar, status, "Catat notulen", "Ketik notulen")
    await say(
        standin,
        fajar,
        "Rapat menyepakati perbaikan narasi IK 3.1 dan tabel anggaran.",
        "Notulen tercatat",
    )

    # Mark the indicators without data, then draft.
    for code, unit in (("IK 2.3", "TEKNIS"), ("IK 4.3", "HUKUM")):
        overview = await say(standin, fajar, "/status", "📊 Tahun 2026")
        await standin.tap(
            fajar, overview, next(t for row in overview.buttons for t in row if t.startswith(unit))
        )
        page = await standin.wait_for_message(
            fajar, contains=f"📋 Sub Bagian {'Teknis' if unit == 'TEKNIS' else 'Hukum'}"
        )
        history = await tap(standin, fajar, page, f"🔎 {code}", f"Riwayat {code}")
        ask = await tap(standin, fajar, history, "Tandai tidak ada data", f"Ketik alasan {code}")
        del ask
        await say(
            standin,
            fajar,
            "Kegiatan tidak dianggarkan tahun ini.",
            f"{code} ditandai tidak ada data",
        )

    draft = await say(standin, fajar, "/konsep", "Konsep Laporan Kinerja versi 1")
    assert draft.document is not None and "SHA-256" in draft.body
    document = Document(io.BytesIO(standin.download(draft.document["file_id"])))
    text = "\n".join(p.text for p in document.paragraphs)
    tables = "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    everything = (
        text
        + "\n"
        + tables
        + "\n"
        + "\n".join(p.text for s in document.sections for p in s.header.paragraphs)
    )
    for code in VALUES:
        assert code in everything, code
    assert "101,58%" in everything  # IK 3.1: 96,5 of 95
    ik31 = next(  # Bab III.A's table of SS 3 (No, Kode, Indikator, ...)
        row
        for table in document.tables
        if table.rows[0].cells[0].text == "No"
        for row in table.rows
        if row.cells[1].text == "IK 3.1"
    )
    assert "101,58%" in [cell.text for cell in ik31.cells] and "Sangat Baik" in [
        cell.text for cell in ik31.cells
    ]
    assert "KONSEP" in everything
    assert (
        "rincikan realisasi per triwulan" in everything
        and "Tambahkan analisis efisiensi" in everything
    )
    assert "Kegiatan tidak dianggarkan tahun ini." in everything
    assert "Rina Marlina" in everything  # the initials sheet lists every Kasubbag
    assert len(document.inline_shapes) >= 2
    second = await say(standin, fajar, "/konsep", "versi 2")
    assert second.document is not None
