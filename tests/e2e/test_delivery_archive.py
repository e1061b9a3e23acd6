"""SOP steps 5–6 end to end: Surat Pengantar to KPU Provinsi, the receipt, the archive."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from sqlmodel import select

from bot.context import LapkinApplication
from bot.documents.pdf import find_soffice
from bot.domain.budget import BudgetLine
from bot.domain.errors import InvalidInput
from bot.domain.organisation import OrganisationSpec
from bot.domain.performance import Target
from bot.services import archive
from bot.services.budget import import_budget
from bot.services.perjanjian import import_perjanjian_kinerja
from storage.db import Database
from storage.models import ArchiveEntry, Cycle, Draft, ReportDelivery, StoredFile
from tests.cli_process import database_env, run_cli
from tests.cycle_data import submission_id
from tests.e2e.conftest import MovableClock, register, register_people
from tests.e2e.steps import (
    KASUBBAG,
    all_text,
    last,
    say,
    signed,
    tap,
    tap_data_expect,
    until,
    upload,
)
from tests.standin import BotApiStandin, FakeUser

# KPU Provinsi receives PDFs, made by LibreOffice: CI installs it (.ci/run); a machine
# without it skips these tests, CI never does.
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        find_soffice() is None and os.environ.get("CI") != "true",
        reason="LibreOffice (soffice) is not installed here",
    ),
]

SURYADI = "197603032002121002"  # the provinsi recipient in the example office
SCAN = "📎 Lampirkan pindaian bertanda tangan"
STAMPED_SCAN = b"%PDF-1.4\n% the wet-signed, stamped report, scanned\n%%EOF\n"


async def test_the_signed_report_reaches_the_provinsi_is_received_and_archived(
    example_spec: OrganisationSpec,
    standin: BotApiStandin,
    pk_db: Database,
    bot: LapkinApplication,
    clock: MovableClock,
    database_url: str,
    tmp_path: Path,
) -> None:
    # Everyone registers before the clock moves on to 2027 (an invitation lasts a week).
    people = await register_people(standin, pk_db, "fajar", "hendra", "dedi", *KASUBBAG)
    suryadi = await register(standin, pk_db, SURYADI, "Suryadi")
    fajar = people["fajar"]
    await signed(standin, pk_db, people, clock.move_to)

    # A signed report is history: no new version, no data change.
    await say(standin, fajar, "/konsep", "sudah ditandatangani; laporan yang sudah")
    sid = submission_id(pk_db, "IK 3.1")
    detail = await tap_data_expect(standin, fajar, f"rv:v:{sid}", "🔎 IK 3.1")
    await standin.tap(fajar, detail, "⚠️ Minta perbaikan")
    refused = await standin.wait_for_callback_answer(fajar)
    assert "sudah ditandatangani" in (refused.text or "")

    # Nor do the year's budget figures change (an org file re-import reports it).
    with pk_db.session() as session:
        office_id = session.exec(select(Cycle)).one().office_id
    budget = import_budget(
        db=pk_db,
        office_id=office_id,
        year=2026,
        lines=[BudgetLine("Program", "Kegiatan", Decimal(100), Decimal(50))],
        now=datetime.now(UTC),
        actor="cli",
    )
    assert budget.startswith("Anggaran 2026 tidak diubah") and "ditandatangani" in budget
    # Nor the year's targets; an unchanged re-import is still fine.
    pk = example_spec.perjanjian_kinerja[0].to_domain()
    assert not import_perjanjian_kinerja(
        db=pk_db, office_id=office_id, pk=pk, now=datetime.now(UTC), actor="cli"
    ).changed
    first = replace(pk.indicators[0], target=Target.exactly(Decimal(90)))
    changed = replace(pk, indicators=(first, *pk.indicators[1:]))
    with pytest.raises(
        InvalidInput, match=r"Perjanjian Kinerja 2026 tidak diubah: .*ditandatangani"
    ):
        import_perjanjian_kinerja(
            db=pk_db, office_id=office_id, pk=changed, now=datetime.now(UTC), actor="cli"
        )

    # Step 5: the Surat Pengantar goes to the Sekretaris first; nothing leaves before he
    # approves it.
    prepared = await say(standin, fajar, "/kirim", "untuk disetujui")
    number = prepared.body.split("nomor ")[1].split(" ")[0]
    hendra = people["hendra"]
    request = await last(standin, hendra, "Mohon Bapak/Ibu setujui")
    assert request.buttons == [["✅ Setujui Surat Pengantar"], [SCAN]]
    letter_message = next(
        m
        for m in standin.messages(hendra)
        if m.document and "Surat Pengantar" in m.document["file_name"]
    )
    assert letter_message.document is not None
    letter = all_text(Document(io.BytesIO(standin.download(letter_message.document["file_id"]))))
    assert number in letter and "SURAT PENGANTAR" in letter
    assert "Sekretaris KPU Provinsi Bengkulu" in letter
    assert "Laporan Kinerja Instansi Pemerintah (LKjIP) KPU Kota Bengkulu Tahun 2026" in letter
    assert "Perjanjian Kinerja KPU Kota Bengkulu Tahun 2026" in letter
    assert "Data dukung capaian indikator kinerja" in letter and "SHA-256" not in letter
    assert "Jabatan : ....." in letter and "NIP : ....." in letter
    assert not [m for m in standin.messages(suryadi) if m.document]
    await say(standin, fajar, "/kirim", "masih menunggu persetujuan")
    refusal = await _alert(standin, fajar, request.button_data("✅ Setujui Surat Pengantar"))
    assert "untuk penandatangan Surat Pengantar" in refusal

    # He attaches the scan of the wet-signed, stamped report: it becomes the delivered one.
    await tap(standin, hendra, request, SCAN, "ditandatangani basah dan distempel")
    await upload(standin, hendra, "scan.docx", b"not a scan", "bukan PDF atau gambar")
    await upload(standin, hendra, "scan.pdf", STAMPED_SCAN, "tersimpan")
    await last(standin, fajar, "melampirkan pindaian Laporan Kinerja Tahun 2026")

    # One tap: the letter and the report reach Suryadi as PDFs, with a Terima button.
    approved = await tap(standin, hendra, request, "✅ Setujui Surat Pengantar", "Terima kasih")
    assert "dikirim kepada Suryadi" in approved.body and "batas waktu" not in approved.body
    await until(lambda: request.buttons == [], "the Setujui button to go")
    await last(standin, fajar, "dikirim kepada Suryadi")
    offer = await last(standin, suryadi, "Mohon tekan Terima")
    received = [m.document for m in standin.messages(suryadi) if m.document]
    assert [d["file_name"] for d in received] == [
        "Surat Pengantar LKjIP KPU Kota Bengkulu Tahun 2026.pdf",
        "LKjIP KPU Kota Bengkulu Tahun 2026.pdf",
    ]
    assert standin.download(received[0]["file_id"]).startswith(b"%PDF")
    assert standin.download(received[1]["file_id"]) == STAMPED_SCAN
    await say(standin, fajar, "/kirim", "sudah dikirim pada")

    # Someone else cannot acknowledge receipt for the provinsi.
    refusal = await _alert(standin, people["rina"], offer.button_data("✅ Terima"))
    assert "hanya untuk Penerima di KPU Provinsi" in refusal
    await tap(standin, suryadi, offer, "✅ Terima", "Penerimaan Laporan Kinerja tercatat")
    await until(lambda: offer.buttons == [], "the Terima button to go")
    assert "Diterima oleh Suryadi" in offer.body
    told = await last(standin, fajar, "Laporan Kinerja Tahun 2026: Diterima oleh Suryadi")
    assert "diarsipkan" in told.body

    # Step 6: the archive lists the year; a tap sends the signed report.
    listing = await say(standin, fajar, "/arsip", "Arsip Laporan Kinerja")
    before = len(standin.messages(fajar))
    await standin.tap(fajar, listing, "2026")
    report = await standin.wait_for_message(fajar, after=before, timeout=20)
    assert report.document is not None
    assert report.document["file_name"] == "LKjIP Tahun 2026 v1 (ditandatangani).docx"
    found = await say(standin, fajar, "/arsip 2026 nota dinas", "1 berkas")
    assert "Nota Dinas Tahun 2026.docx" in found.body
    await say(standin, fajar, "/arsip 2026 tidakada", "Tidak ada berkas arsip 2026")
    # Only readers may open it.
    await say(standin, people["dedi"], "/arsip", "/arsip hanya untuk Tim Laporan Kinerja")
    await standin.wait_for_message(fajar, contains="Dedi Kurniawan, S.Kom. (staf) telah mendaftar")

    # The year's zip holds every archived file, and its manifest matches their bytes.
    before = len(standin.messages(fajar))
    await standin.send_text(fajar, "/arsip 2026 zip")
    bundle_message = await standin.wait_for_message(
        fajar, contains="", after=before + 1, timeout=30
    )
    assert bundle_message.document is not None
    bundle = zipfile.ZipFile(io.BytesIO(standin.download(bundle_message.document["file_id"])))
    manifest = bundle.read(archive.MANIFEST).decode().splitlines()[1:]
    with pk_db.session() as session:
        archived = session.exec(select(ArchiveEntry)).all()
    # No evidence or meeting in this run; the letter also as PDF, the report also as its scan.
    assert len(manifest) == len(archived) == 10
    for line in manifest:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256(bundle.read(name)).hexdigest() == digest
    kinds = {entry.kind for entry in archived}
    assert {
        "laporan",
        "surat_pengantar",
        "nota_dinas",
        "konsep",
        "data",
        "kepatuhan",
        "audit",
    } <= kinds

    # `archive export` writes the zip; `archive verify` finds a tampered file and a missing one.
    settings = bot.bot_data.services.settings
    env = database_env(database_url, tmp_path) | {"DATA_DIR": str(settings.data_dir)}
    code, out, _ = await run_cli(
        env, "archive", "export", "--year", "2026", "-o", "a.zip", cwd=tmp_path
    )
    assert code == 0 and f"{len(archived)} berkas" in out
    assert archive.MANIFEST in zipfile.ZipFile(tmp_path / "a.zip").namelist()
    code, _, err = await run_cli(env, "archive", "export", "--year", "2027", cwd=tmp_path)
    assert code == 2 and "Belum ada arsip tahun 2027" in err
    code, out, _ = await run_cli(env, "archive", "verify", cwd=tmp_path)
    assert code == 0 and f"{len(archived)} berkas arsip diperiksa, 0 masalah" in out
    letter_entry = next(e for e in archived if e.kind == "surat_pengantar")
    data_entry = next(e for e in archived if e.kind == "data")
    with pk_db.session() as session:
        tampered = session.get(StoredFile, letter_entry.file_id)
        missing = session.get(StoredFile, data_entry.file_id)
    assert tampered is not None and missing is not None
    files = bot.bot_data.services.files
    files.path(tampered.path).write_bytes(b"not the letter")
    files.path(missing.path).unlink()
    code, out, err = await run_cli(env, "archive", "verify", cwd=tmp_path)
    assert code == 1 and "2 masalah" in out
    assert f"{letter_entry.name}: berubah" in err and f"{data_entry.name}: hilang" in err


async def _alert(standin: BotApiStandin, user: FakeUser, data: str) -> str:
    await standin.tap_data(user, standin.messages(user)[-1], data)
    answer = await standin.wait_for_callback_answer(user)
    assert answer.show_alert
    return answer.text or ""


async def test_without_a_provinsi_recipient_the_team_delivers_by_hand_and_a_late_one_shows(
    standin: BotApiStandin, pk_db: Database, bot: LapkinApplication, clock: MovableClock
) -> None:
    people = await register_people(standin, pk_db, "fajar", "hendra", *KASUBBAG)
    fajar = people["fajar"]
    await signed(standin, pk_db, people, clock.move_to)

    # The 2025 report, sent in January 2027, is past its deadline (31 January 2026).
    with pk_db.session() as session:
        cycle = session.exec(select(Cycle)).one()
        cycle.year = 2025
        session.add(cycle)
        session.commit()
    await say(standin, fajar, "/kirim", "untuk disetujui")
    request = await last(standin, people["hendra"], "Mohon Bapak/Ibu setujui")
    await standin.tap(people["hendra"], request, "✅ Setujui Surat Pengantar")
    sent = await last(standin, fajar, "Belum ada penerima KPU Provinsi")
    assert "Melewati batas waktu pengiriman (Sabtu, 31 Januari 2026)" in sent.body
    package = await last(standin, fajar, "Paket Laporan Kinerja Tahun 2025")
    names = [m.document["file_name"] for m in standin.messages(fajar) if m.document]
    assert "Surat Pengantar LKjIP KPU Kota Bengkulu Tahun 2025.pdf" in names

    ask = await tap(standin, fajar, package, "📬 Sudah diserahkan", "Ketik nama")
    assert "penerima di KPU Provinsi" in ask.body
    await say(standin, fajar, "x", "Mohon tulis nama penerima")
    done = await say(standin, fajar, "Rahmat, Kasubbag Umum KPU Provinsi", "tercatat pada")
    assert "diserahkan oleh Fajar Ramadhan" in done.body and "diarsipkan" in done.body
    with pk_db.session() as session:
        record = session.exec(select(ReportDelivery)).one()
        draft = session.exec(select(Draft)).one()
    assert record.method == "manual" and record.late
    assert record.received_by_name == "Rahmat, Kasubbag Umum KPU Provinsi"
    assert draft.status == "archived"
    status = await say(standin, fajar, "/persetujuan", "sudah diarsipkan")
    assert "TERLAMBAT (batas Sabtu, 31 Januari 2026)" in status.body
    # The compliance report and the archive say so too.
    compliance = await say(standin, fajar, "/kepatuhan", "Kepatuhan SOP")
    assert "Pengiriman laporan ke KPU Provinsi: TERLAMBAT (batas Sabtu, 31 Januari 2026)" in (
        compliance.body
    )
    archived = await say(standin, fajar, "/arsip 2025", "Arsip 2025")
    assert "Tahun 2025: dikirim TERLAMBAT (batas Sabtu, 31 Januari 2026)" in archived.body
