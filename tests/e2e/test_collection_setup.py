"""Setting up a collection: the PK sent as a workbook, one live cycle per period, unit groups."""

from __future__ import annotations

import io

import openpyxl
import pytest

from bot.context import LapkinApplication
from bot.documents import build_pk_template
from storage.db import Database
from tests.e2e.conftest import register_people
from tests.e2e.steps import last, say, start_cycle, tap
from tests.standin import BotApiStandin

pytestmark = pytest.mark.e2e


def _pk_workbook(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(build_pk_template(2027)))
    sheet = workbook["PK"]
    header = next(r for r in range(1, 11) if sheet.cell(r, 1).value == "Kode Sasaran")
    for row in range(header + 1, sheet.max_row + 1):  # drop the example rows
        for column in range(1, sheet.max_column + 1):
            sheet.cell(row, column).value = None
    for offset, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            sheet.cell(header + offset, column).value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def test_rendatin_imports_the_pk_by_sending_the_workbook(
    standin: BotApiStandin, office_db: Database, bot: LapkinApplication
) -> None:
    people = await register_people(standin, office_db, "fajar", "dedi")
    fajar, dedi = people["fajar"], people["dedi"]
    template = await say(standin, fajar, "/pk 2027", "Template Perjanjian Kinerja 2027")
    assert template.document is not None

    good = [
        "SS 1",
        "Meningkatnya akuntabilitas",
        "IK 1.1",
        "Persentase realisasi anggaran",
        "persen",
        "naik",
        "95",
        "97",
        "KUL",
        "ya",
    ]
    bad = _pk_workbook(
        [
            good,
            [
                "SS 1",
                "Meningkatnya akuntabilitas",
                "IK 1.2",
                "Nilai SAKIP",
                "nilai",
                "ke atas",
                "7o",
                None,
                "PENGAWASAN",
                "ya",
            ],
        ]
    )
    before = len(standin.messages(fajar))
    await standin.send_document(fajar, "PK 2027.xlsx", bad)
    refusal = await last(standin, fajar, "tidak ada yang diubah", after=before)
    for column in ("F", "G", "I"):  # polaritas, target, unit: each problem named by its cell
        assert f"PK!{column}" in refusal.body, refusal.body

    before = len(standin.messages(fajar))
    await standin.send_document(fajar, "PK 2027.xlsx", _pk_workbook([good]))
    await last(standin, fajar, "Indikator baru (1): IK 1.1", after=before)

    # Staff sending a PK file do not import anything.
    before = len(standin.messages(dedi))
    await standin.send_document(dedi, "PK 2027.xlsx", _pk_workbook([good]))
    reply = await last(standin, dedi, "tidak dapat diproses", after=before)
    assert "Indikator baru" not in reply.body


async def test_one_live_cycle_per_period_groups_get_the_nota_dinas_and_rencana_aksi_downloads(
    standin: BotApiStandin, pk_db: Database, bot: LapkinApplication
) -> None:
    people = await register_people(standin, pk_db, "fajar", "yulia", "rina", "dedi")
    fajar, rina, dedi = people["fajar"], people["rina"], people["dedi"]
    group = standin.group("Sub Bagian KUL", rina, dedi)
    await standin.send_text(dedi, "/daftarkan_grup", chat=group)
    await standin.wait_for_message(group, contains="hanya untuk Kepala Sub Bagian")
    await standin.send_text(rina, "/daftarkan_grup", chat=group)
    await standin.wait_for_message(group, contains="terdaftar sebagai grup Sub Bagian Keuangan")

    await start_cycle(standin, fajar)
    notice = await standin.wait_for_message(
        group, contains="Permintaan data capaian kinerja Tahun 2026", timeout=20
    )
    assert notice.inline_keyboard[0][0]["url"] == "https://t.me/lapkin_test_bot?start=isi"
    await standin.wait_for_message(group, contains="Nota Dinas 1/ORT.06/1771/3/2026")
    # The group's button opens the private chat on the entry menu.
    await say(standin, dedi, "/start isi", "Pilih indikator")

    # A second cycle for the same period is refused while the first runs.
    question = await say(standin, fajar, "/siklus", "periode apa")
    deadline = await tap(standin, fajar, question, "Tahun 2026", "Batas waktu")
    await say(standin, fajar, "31-02-2027", "tidak ada di kalender")
    await say(standin, fajar, "15 Desember 2026", "sudah berjalan")
    del deadline

    overview = await say(standin, fajar, "/status", "📊 Tahun 2026")
    before = len(standin.messages(fajar))
    await standin.tap(fajar, overview, "Rencana Aksi Tahun 2026")
    download = await standin.wait_for_message(
        fajar, contains="Rencana Aksi Tahun 2026", after=before
    )
    assert (
        download.document is not None
        and download.document["file_name"] == "Rencana Aksi Tahun 2026.xlsx"
    )


async def test_batal_drops_an_entry_and_warnings_need_a_second_look(
    standin: BotApiStandin, pk_db: Database, bot: LapkinApplication
) -> None:
    people = await register_people(standin, pk_db, "fajar", "yulia", "dedi")
    fajar, dedi = people["fajar"], people["dedi"]
    await start_cycle(standin, fajar)
    listing = await last(standin, dedi, "Permintaan data capaian")
    menu = await tap(standin, dedi, listing, "Mulai isi data", "Pilih indikator")
    await tap(standin, dedi, menu, "IK 3.3", "Ketik nilai realisasi")
    await say(standin, dedi, "3", "Ketik penjelasan")
    await say(standin, dedi, "/batal", "Dibatalkan")
    await say(standin, dedi, "Ini teks biasa.", "belum dapat memahami")

    # IK 3.3 target 4 laporan; 1 laporan is 25%: far below target, a warning to confirm.
    menu = await say(standin, dedi, "/isi", "Pilih indikator")
    await tap(standin, dedi, menu, "IK 3.3", "Ketik nilai realisasi")
    await say(standin, dedi, "1", "capaian 25%")
    await say(standin, dedi, "Baru satu laporan.", "faktor pendukung")
    await say(standin, dedi, "Pengelola keuangan sudah memakai SAKTI.", "kendala")
    await say(standin, dedi, "Aplikasi SAKTI bermasalah.", "upaya")
    await say(standin, dedi, "Pendampingan KPPN.", "(wajib)")
    before = len(standin.messages(dedi))
    await standin.send_document(
        dedi, "laporan-tw1.pdf", b"%PDF-1.4 laporan", mime_type="application/pdf"
    )
    uploaded = await last(standin, dedi, "laporan-tw1.pdf", after=before)
    before = len(standin.messages(dedi))
    await standin.send_document(dedi, "skrip.exe", b"MZ", mime_type="application/octet-stream")
    await last(standin, dedi, "tidak dapat diterima sebagai bukti", after=before)
    summary = await tap(standin, dedi, uploaded, "Selesai unggah", "Ringkasan isian IK 3.3")
    assert "⚠️" in summary.body and "Kirim (angka sudah benar)" in str(summary.buttons)
    await tap(standin, dedi, summary, "Kirim (angka sudah benar)", "terkirim (versi 1")
    notice = await last(standin, fajar, "Peringatan otomatis")
    detail = await tap(standin, fajar, notice, "Periksa", "Bukti: 1 berkas")
    assert "Realisasi: 1 laporan" in detail.body
    evidence = await standin.wait_for_message(fajar, contains="📎 Bukti: laporan-tw1.pdf")
    assert evidence.document is not None and evidence.document["file_name"] == "laporan-tw1.pdf"
    assert standin.download(evidence.document["file_id"]) == b"%PDF-1.4 laporan"


async def test_forged_or_garbled_buttons_are_refused_politely(
    standin: BotApiStandin, pk_db: Database, bot: LapkinApplication
) -> None:
    people = await register_people(standin, pk_db, "fajar")
    fajar = people["fajar"]
    question = await say(standin, fajar, "/siklus", "periode apa")
    for data in (
        "cy:p:2026:99",
        "cy:d:2026:0:20261399",
        "e:z:1",
        "rv:q:1",
        "mt:w:1",
        "cy:k",
        "zz:top",
    ):
        await standin.tap_data(fajar, question, data)
        answer = await standin.wait_for_callback_answer(fajar)
        assert answer.show_alert and answer.text in {
            "Maaf, tombol ini tidak berlaku.",
            "Tombol ini sudah tidak berlaku.",
        }, (data, answer)
    assert not any("kesalahan" in m.body for m in standin.messages(fajar))
