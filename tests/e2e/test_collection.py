"""SOP steps 1–2 end to end: the Nota Dinas reaches every unit, units answer in chat and by
spreadsheet, doubtful data is flagged and corrected, and /status shows all of it."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from docx import Document
from sqlmodel import select

from bot.context import LapkinApplication
from bot.messages import common as texts
from storage.db import Database
from storage.models import Submission
from tests.e2e.steps import fill, last, say, start_cycle, tap
from tests.standin import BotApiStandin, FakeUser, tiny_png

pytestmark = pytest.mark.e2e

UNIT_INDICATORS = {
    "dedi": ["IK 3.1", "IK 3.2", "IK 3.3", "IK 3.4"],
    "siti": ["IK 2.1", "IK 2.2", "IK 2.3"],
    "bima": ["IK 4.1", "IK 4.2", "IK 4.3"],
    "yulia": ["IK 1.1", "IK 1.2", "IK 1.3"],
}


@pytest.fixture
async def cycle(
    standin: BotApiStandin, pk_db: Database, bot: LapkinApplication
) -> dict[str, FakeUser]:
    """Register the office and send the annual 2026 Nota Dinas; return the people."""
    from tests.e2e.conftest import register_people

    people = await register_people(
        standin, pk_db, "fajar", "yulia", "dedi", "rina", "siti", "bima", "hendra"
    )
    people["nomor"] = await start_cycle(standin, people["fajar"])  # type: ignore[assignment]
    return people


async def test_the_nota_dinas_reaches_each_unit_with_exactly_its_indicators(
    standin: BotApiStandin, cycle: dict[str, FakeUser]
) -> None:
    nomor = str(cycle["nomor"])
    assert nomor == "1/ORT.06/1771/3/2026"  # sequence/classification/region/unit/year
    for name, codes in UNIT_INDICATORS.items():
        user = cycle[name]
        listing = await last(standin, user, "Permintaan data capaian kinerja Tahun 2026")
        others = {code for other in UNIT_INDICATORS.values() for code in other} - set(codes)
        assert all(code in listing.body for code in codes), listing.body
        assert not any(f"{code} —" in listing.body for code in others), listing.body
        assert listing.buttons == [["✍️ Mulai isi data"]]
        await last(standin, user, f"Nota Dinas {nomor}")
        # The letter itself (rendatin's Rencana Aksi names the Nota Dinas too).
        nota = next(m for m in standin.messages(user) if m.body == f"Nota Dinas {nomor}")
        assert nota.document is not None
        letter = Document(io.BytesIO(standin.download(nota.document["file_id"])))
        table_text = "\n".join(
            cell.text for table in letter.tables for row in table.rows for cell in row.cells
        )
        text = "\n".join(p.text for p in letter.paragraphs) + table_text
        assert nomor in text and "Permintaan Data Capaian Kinerja Tahun 2026" in text
        assert all(code in table_text for codes_ in UNIT_INDICATORS.values() for code in codes_)
        template = await last(standin, user, "Template isian")
        assert template.document is not None
        workbook = openpyxl.load_workbook(
            io.BytesIO(standin.download(template.document["file_id"]))
        )
        codes_in_template = [
            row[1]
            for row in workbook["Isian"].iter_rows(values_only=True)
            if isinstance(row[1], str) and row[1].startswith("IK ")
        ]
        assert codes_in_template == codes
    # The Sekretaris has no unit: no request for him.
    assert not any("Permintaan data" in m.body for m in standin.messages(cycle["hendra"]))
    # Rendatin gets the Rencana Aksi: one line per indicator, with who answers for it.
    rencana = await last(standin, cycle["fajar"], "Terlampir Rencana Aksi")
    assert rencana.document is not None
    sheet = openpyxl.load_workbook(io.BytesIO(standin.download(rencana.document["file_id"]))).active
    rows = [
        row
        for row in sheet.iter_rows(values_only=True)
        if any(isinstance(c, str) and c.startswith("IK ") for c in row)
    ]
    assert len(rows) == 13
    assert any("Dedi Kurniawan" in " ".join(str(c) for c in row) for row in rows)


async def test_units_answer_in_chat_with_checks_evidence_and_a_correction_round(
    standin: BotApiStandin, cycle: dict[str, FakeUser]
) -> None:
    dedi, siti, fajar, rina = cycle["dedi"], cycle["siti"], cycle["fajar"], cycle["rina"]

    # KUL in chat: IK 3.1 realisasi 96,5 against 95 → capaian 101,58%: the faktor pendukung
    # and penghambat are asked all the same; "tidak ada" skips the upaya.
    listing = await last(standin, dedi, "Permintaan data capaian")
    menu = await tap(standin, dedi, listing, "Mulai isi data", "Pilih indikator")
    prompt = await tap(standin, dedi, menu, "IK 3.1", "Ketik nilai realisasi")
    assert "Target: 95 persen" in prompt.body
    await say(standin, dedi, "sembilan puluh", "tidak dapat dibaca sebagai angka")
    await say(standin, dedi, "-3", "negatif")
    await say(standin, dedi, "96,5", "capaian 101,58%")
    await say(standin, dedi, "Penyerapan sesuai rencana kas.", "faktor pendukung")
    asked = await say(standin, dedi, "Rencana kas dipantau setiap bulan.", "faktor penghambat")
    assert '"tidak ada"' in asked.body
    evidence = await say(standin, dedi, "Tidak ada.", "Kirim berkas bukti")
    summary = await tap(standin, dedi, evidence, "Lewati", "Ringkasan isian IK 3.1")
    assert "Capaian: 101,58%" in summary.body
    assert "Faktor pendukung: Rencana kas dipantau setiap bulan." in summary.body
    await tap(standin, dedi, summary, "Kirim", "terkirim (versi 1")
    notice = await last(standin, fajar, "Data baru dari Sub Bagian Keuangan")
    assert "IK 3.1" in notice.body and "capaian 101,58%" in notice.body

    # TEKNIS in chat: below target asks kendala and upaya; mandatory evidence is enforced.
    listing = await last(standin, siti, "Permintaan data capaian")
    menu = await tap(standin, siti, listing, "Mulai isi data", "Pilih indikator")
    await tap(standin, siti, menu, "IK 2.1", "Ketik nilai realisasi")
    await say(standin, siti, "10", "capaian 83,33%")
    await say(standin, siti, "Sepuluh kegiatan terlaksana.", "faktor pendukung")
    await say(standin, siti, "Kerja sama dengan sekolah.", "kendala")
    await say(standin, siti, "Anggaran sosialisasi dipotong.", "upaya")
    evidence = await say(standin, siti, "Kerja sama dengan kampus.", "(wajib)")
    refusal = await tap(standin, siti, evidence, "Lewati", "Belum dapat dikirim")
    assert "bukti" in refusal.body.lower()
    before = len(standin.messages(siti))
    await standin.send_photo(siti, tiny_png())
    uploaded = await last(standin, siti, "diterima (1 berkas)", after=before)
    summary = await tap(standin, siti, uploaded, "Selesai unggah", "Ringkasan isian IK 2.1")
    assert "Faktor penghambat (kendala): Anggaran sosialisasi dipotong." in summary.body
    await tap(standin, siti, summary, "Kirim", "terkirim (versi 1")

    # 2b: Fajar flags Dedi's value; Dedi is pinged with the reason and a button to fix it.
    ask = await tap(standin, fajar, notice, "Tandai kurang valid", "Ketik alasan")
    assert "IK 3.1" in ask.body
    await say(standin, fajar, "Realisasi melebihi SP2D; mohon cek ulang", "ditandai kurang valid")
    ping = await last(standin, dedi, "dinilai kurang valid")
    assert "Realisasi melebihi SP2D" in ping.body
    # 2e: the correction is a new version; Fajar accepts it.
    prompt = await tap(standin, dedi, ping, "Perbaiki", "Ketik nilai realisasi")
    assert (
        "Isian terakhir (versi 1): 96,5 persen" in prompt.body
        and "Realisasi melebihi SP2D" in prompt.body
    )
    await say(standin, dedi, "94,2", "capaian 99,16%")
    await say(standin, dedi, "Dikoreksi sesuai SP2D.", "faktor pendukung")
    await say(standin, dedi, "Rencana kas dipantau.", "kendala")
    await say(standin, dedi, "Percepatan belanja modal.", "upaya")
    evidence = await say(standin, dedi, "Koordinasi dengan PPK.", "Kirim berkas bukti")
    summary = await tap(standin, dedi, evidence, "Lewati", "Ringkasan isian IK 3.1")
    await tap(standin, dedi, summary, "Kirim", "terkirim (versi 2")
    second = await last(standin, fajar, "Versi 2, oleh Dedi")
    flag_data = second.button_data("⚠️ Tandai kurang valid")
    await standin.tap(fajar, second, "Terima")
    await last(standin, dedi, "telah diterima Tim")
    # The old notice's buttons now act on an outdated version: refused politely.
    await standin.tap(fajar, notice, "Terima")
    answer = await standin.wait_for_callback_answer(fajar)
    assert answer.show_alert and "versi yang lebih baru" in (answer.text or "")

    # Every version is kept and can be shown.
    detail = await tap(standin, fajar, notice, "Periksa", "bukan versi terbaru")
    assert "Versi 1" in detail.body and "Realisasi melebihi SP2D" in detail.body

    # A Kasubbag who is not in the team cannot flag, even with a forged button.
    await standin.tap_data(rina, await last(standin, rina, "Permintaan data"), flag_data)
    rejected = await standin.wait_for_callback_answer(rina)
    assert rejected.show_alert and "Rendatin" in (rejected.text or "")


async def test_a_member_cannot_submit_for_another_unit_and_staff_cannot_start_a_cycle(
    standin: BotApiStandin, cycle: dict[str, FakeUser]
) -> None:
    dedi, siti = cycle["dedi"], cycle["siti"]
    listing = await last(standin, siti, "Permintaan data capaian")
    menu = await tap(standin, siti, listing, "Mulai isi data", "Pilih indikator")
    teknis_line = menu.button_data(
        next(text for row in menu.buttons for text in row if "IK 2.2" in text)
    )

    own = await last(standin, dedi, "Permintaan data capaian")
    await standin.tap_data(dedi, own, teknis_line)  # a forged press of another unit's line
    answer = await standin.wait_for_callback_answer(dedi)
    assert answer.show_alert and "tanggung jawab Sub Bagian Teknis" in (answer.text or "")

    await say(standin, dedi, "/siklus", "/siklus hanya untuk Tim Laporan Kinerja")
    await say(standin, dedi, "/status", "/status hanya untuk Tim Laporan Kinerja")


async def test_a_unit_answers_by_spreadsheet_after_a_bad_file(
    standin: BotApiStandin, cycle: dict[str, FakeUser]
) -> None:
    bima, dedi = cycle["bima"], cycle["dedi"]
    before = len(standin.messages(bima))
    await standin.send_document(
        bima,
        "isian.xlsx",
        b"this is not a spreadsheet",
        mime_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    await last(standin, bima, "tidak dapat diproses", after=before)

    # Another unit's filled template is refused.
    kul_template = await last(standin, dedi, "Template isian")
    assert kul_template.document is not None
    before = len(standin.messages(bima))
    await standin.send_document(
        bima,
        "kul.xlsx",
        fill(standin.download(kul_template.document["file_id"]), {"IK 3.4": ("100", "Lengkap.")}),
    )
    await last(standin, bima, "milik unit Sub Bagian Keuangan", after=before)

    template = await last(standin, bima, "Template isian")
    assert template.document is not None
    filled = fill(
        standin.download(template.document["file_id"]),
        {
            "IK 4.1": ("100", "Semua produk hukum tepat waktu.", "Konsultasi dengan Biro Hukum."),
            "IK 4.2": ("85", "Sesuai target.", "Bimtek daring dari KPU RI.", "Tidak ada"),
            "IK 4.3": ("100", "Semua tertangani.", "Pendampingan Kejaksaan Negeri."),
        },
    )
    before = len(standin.messages(bima))
    await standin.send_document(bima, "Isian HUKUM.xlsx", filled)
    outcome = await last(standin, bima, "Diterima (2)", after=before)
    assert "IK 4.2: capaian 100%" in outcome.body
    assert (
        "Ditolak (1)" in outcome.body and "IK 4.1" in outcome.body and "bukti wajib" in outcome.body
    )


async def test_status_shows_every_unit_and_pages_through_a_unit(
    standin: BotApiStandin, cycle: dict[str, FakeUser]
) -> None:
    fajar, dedi = cycle["fajar"], cycle["dedi"]
    listing = await last(standin, dedi, "Permintaan data capaian")
    menu = await tap(standin, dedi, listing, "Mulai isi data", "Pilih indikator")
    await tap(standin, dedi, menu, "IK 3.4", "Ketik nilai realisasi")
    await say(standin, dedi, "100 %", "capaian 100%")
    await say(standin, dedi, "Inventarisasi selesai.", "faktor pendukung")
    await say(standin, dedi, "Pencatatan SIMAK diperbarui.", "faktor penghambat")
    evidence = await say(standin, dedi, "Tidak ada.", "Kirim berkas bukti")
    summary = await tap(standin, dedi, evidence, "Lewati", "Ringkasan")
    await tap(standin, dedi, summary, "Kirim", "terkirim")
    await last(standin, fajar, "Data baru dari Sub Bagian Keuangan")  # rendatin is told first

    overview = await say(standin, fajar, "/status", "indikator terisi")
    assert "Sub Bagian Keuangan, Umum dan Logistik: 1/4 terisi" in overview.body
    assert "Sub Bagian Hukum dan Sumber Daya Manusia: 0/3 terisi" in overview.body
    assert "Jumlah: 1/13 indikator terisi." in overview.body
    count = len(standin.messages(fajar))
    await standin.tap(fajar, overview, "KUL: 1/4")
    # The summary turns into the unit's page, in place.
    detail = await standin.wait_for_message(fajar, contains="📋 Sub Bagian Keuangan")
    assert detail.message_id == overview.message_id and len(standin.messages(fajar)) == count
    assert "✅ IK 3.4 — Persentase barang milik negara yang terinventarisasi v1" in detail.body
    assert "⏳ IK 3.1" in detail.body and "Halaman 1/1" in detail.body
    await standin.tap(fajar, detail, "Ringkasan")
    await standin.wait_for_message(fajar, contains="Jumlah: 1/13")


async def test_an_entry_in_progress_survives_a_restart(
    standin: BotApiStandin, pk_db: Database, start_bot: object
) -> None:
    from tests.e2e.conftest import register_people

    async with start_bot() as _:  # type: ignore[operator]
        people = await register_people(standin, pk_db, "fajar", "yulia", "dedi")
        await start_cycle(standin, people["fajar"])
        dedi = people["dedi"]
        listing = await last(standin, dedi, "Permintaan data capaian")
        menu = await tap(standin, dedi, listing, "Mulai isi data", "Pilih indikator")
        await tap(standin, dedi, menu, "IK 3.4", "Ketik nilai realisasi")
        await say(standin, dedi, "100", "Ketik penjelasan")
    async with start_bot() as _:  # type: ignore[operator]
        await say(standin, dedi, "Inventarisasi lengkap.", "faktor pendukung")
        await say(standin, dedi, "Pencatatan SIMAK diperbarui.", "faktor penghambat")
        evidence = await say(standin, dedi, "Tidak ada.", "Kirim berkas bukti")
        summary = await tap(standin, dedi, evidence, "Lewati", "Ringkasan isian IK 3.4")
        assert "Realisasi: 100 persen" in summary.body
        await tap(standin, dedi, summary, "Kirim", "terkirim (versi 1")
    assert Decimal("100") == Decimal(summary.body.split("Realisasi: ")[1].split(" ")[0])


async def test_quick_messages_and_an_album_are_read_in_the_order_they_were_sent(
    standin: BotApiStandin, cycle: dict[str, FakeUser]
) -> None:
    dedi = cycle["dedi"]
    listing = await last(standin, dedi, "Permintaan data capaian")
    menu = await tap(standin, dedi, listing, "Mulai isi data", "Pilih indikator")
    # A double tap: both presses arrive together, neither fails.
    before = len(standin.messages(dedi))
    await standin.tap(dedi, menu, "IK 3.4")
    await standin.tap(dedi, menu, "IK 3.4")
    await last(standin, dedi, "Ketik nilai realisasi", after=before)
    await standin.wait_until_idle()

    # The value and the explanation typed before the bot answered the first: one batch.
    before = len(standin.messages(dedi))
    await standin.send_text(dedi, "100 %")
    await standin.send_text(dedi, "Inventarisasi selesai.")
    await last(standin, dedi, "faktor pendukung", after=before)
    await say(standin, dedi, "Pencatatan SIMAK diperbarui.", "faktor penghambat")
    await say(standin, dedi, "Tidak ada.", "Kirim berkas bukti")

    # Three files sent as one album: every one is attached.
    before = len(standin.messages(dedi))
    pdf = b"%PDF-1.4\n% bukti\n"
    await standin.send_album(dedi, [(f"Bukti {n}.pdf", pdf + bytes([n])) for n in (1, 2, 3)])
    uploaded = await last(standin, dedi, "diterima (3 berkas)", after=before)
    acknowledged = [m.body for m in standin.messages(dedi)[before:] if "diterima (" in m.body]
    assert [body.split("diterima (")[1][0] for body in acknowledged] == ["1", "2", "3"]
    # The same file once more is attached once.
    before = len(standin.messages(dedi))
    await standin.send_document(dedi, "Bukti 2 lagi.pdf", pdf + bytes([2]))
    uploaded = await last(standin, dedi, "sudah terlampir (3 berkas)", after=before)
    summary = await tap(standin, dedi, uploaded, "Selesai unggah", "Ringkasan isian IK 3.4")
    assert "Realisasi: 100 persen" in summary.body or "100 persen" in summary.body
    assert "Inventarisasi selesai." in summary.body
    for n in (1, 2, 3):
        assert f"Bukti {n}.pdf" in summary.body
    assert "lagi" not in summary.body
    assert all(texts.ERROR not in m.body for m in standin.messages(dedi))


async def test_an_edited_answer_is_not_read_and_the_person_is_told_how_to_correct(
    standin: BotApiStandin, cycle: dict[str, FakeUser], pk_db: Database
) -> None:
    dedi = cycle["dedi"]
    listing = await last(standin, dedi, "Permintaan data capaian")
    menu = await tap(standin, dedi, listing, "Mulai isi data", "Pilih indikator")
    await tap(standin, dedi, menu, "IK 3.4", "Ketik nilai realisasi")
    before = len(standin.messages(dedi))
    value = await standin.send_text(dedi, "96,5")
    asked = await last(standin, dedi, "capaian 96,5%", after=before)

    # "96,5" corrected to "95,25" in place, after the bot already asked the next question
    # (and after the rest of the Nota Dinas, which the outbox sends meanwhile, arrived).
    await standin.wait_until_idle()
    before = len(standin.messages(dedi))
    await standin.edit_text(dedi, value, "95,25")
    told = await last(standin, dedi, "Pesan yang diubah tidak dibaca", after=before)
    assert "Ubah" in told.body and "/batal" in told.body
    await standin.wait_until_idle()
    assert len(standin.messages(dedi)) == before + 1  # nothing else happened
    # The next answer is still the explanation, and the value is still 96,5.
    await say(standin, dedi, "Inventarisasi hampir selesai.", "faktor pendukung")
    await say(standin, dedi, "Pencatatan SIMAK diperbarui.", "kendala")
    await say(standin, dedi, "Dua gudang belum dicek.", "upaya")
    evidence = await say(standin, dedi, "Dijadwalkan Desember.", "Kirim berkas bukti")
    summary = await tap(standin, dedi, evidence, "Lewati", "Ringkasan isian IK 3.4")
    assert "96,5" in summary.body and "95,25" not in summary.body
    assert asked.message_id < told.message_id

    # An edited command is not run again either.
    before = len(standin.messages(dedi))
    command = await standin.send_text(dedi, "/bantuan")
    await last(standin, dedi, "Perintah yang dapat", after=before)
    before = len(standin.messages(dedi))
    await standin.edit_text(dedi, command, "/isi")
    await last(standin, dedi, "Pesan yang diubah tidak dibaca", after=before)
    await standin.wait_until_idle()
    assert len(standin.messages(dedi)) == before + 1


async def test_control_characters_typed_in_an_answer_are_dropped_and_kirim_works(
    standin: BotApiStandin, cycle: dict[str, FakeUser], pk_db: Database
) -> None:
    dedi = cycle["dedi"]
    listing = await last(standin, dedi, "Permintaan data capaian")
    menu = await tap(standin, dedi, listing, "Mulai isi data", "Pilih indikator")
    await tap(standin, dedi, menu, "IK 3.4", "Ketik nilai realisasi")
    await say(standin, dedi, "96,5", "capaian 96,5%")
    # A NUL pasted from another program: PostgreSQL would refuse it in every later Kirim.
    await say(
        standin, dedi, "Inventarisasi\x00 hampir\x07 selesai.\r\nSisa dua gudang.", "pendukung"
    )
    await say(standin, dedi, "Pencatatan\x00 SIMAK diperbarui.", "kendala")
    await say(standin, dedi, "Dua gudang belum dicek.", "upaya")
    evidence = await say(standin, dedi, "Dijadwalkan Desember.", "Kirim berkas bukti")
    summary = await tap(standin, dedi, evidence, "Lewati", "Ringkasan isian IK 3.4")
    await tap(standin, dedi, summary, "Kirim", "terkirim (versi 1")

    with pk_db.session() as session:
        (submission,) = session.exec(select(Submission)).all()
    assert submission.penjelasan == "Inventarisasi hampir selesai.\nSisa dua gudang."
    assert submission.pendukung == "Pencatatan SIMAK diperbarui."
