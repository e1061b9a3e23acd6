"""/kepatuhan end to end: a cycle played through the bot on a held clock, then measured.

The bot's clock is moved by hand between the steps, so the durations the report shows are
the ones the run produced: office minutes from the audit trail the bot itself wrote.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from bot.app import build_application, running
from bot.context import LapkinApplication
from bot.settings import Settings
from storage.db import Database
from storage.models import Submission
from tests.cycle_data import ready_for_a_draft
from tests.e2e.conftest import PEOPLE, TEST_PACING, invite
from tests.e2e.steps import INITIAL, KASUBBAG, SIGN, draft_and_submit, find_request, last, say, tap
from tests.reminder_data import Clock, wib
from tests.standin import BotApiStandin, FakeUser

pytestmark = pytest.mark.e2e

# After the year 2026, so its annual report may be signed; no holiday in the fortnight.
MONDAY = date(2027, 2, 1)


def _bot(settings: Settings, clock: Clock) -> LapkinApplication:
    return build_application(
        settings, db=Database(settings.effective_database_url), clock=clock, pacing=TEST_PACING
    )


async def _register(standin: BotApiStandin, db: Database, name: str, clock: Clock) -> FakeUser:
    nip, first_name = PEOPLE[name]
    user = standin.user(first_name)
    await standin.send_text(user, f"/start {invite(db, nip, now=clock.now)}")
    await standin.wait_for_message(user, contains="Selamat datang", timeout=20)
    return user


def _answered_at(db: Database, clock: Clock) -> None:
    """Date every submission at the clock's time, as if the units answered then."""
    with db.session() as session:
        for submission in session.exec(select(Submission)):
            submission.submitted_at = clock.now
            session.add(submission)
        session.commit()


async def test_kepatuhan_shows_the_six_steps_of_a_cycle_played_through_the_bot(
    standin: BotApiStandin, settings: Settings, pk_db: Database
) -> None:
    clock = Clock(wib(MONDAY, 7, 45))
    async with running(_bot(settings, clock)):
        people = {
            name: await _register(standin, pk_db, name, clock)
            for name in ("fajar", "hendra", "dedi", *KASUBBAG)
        }
        fajar, hendra = people["fajar"], people["hendra"]

        # Step 1: the cycle is drafted at 08:00, submitted at 08:30, and approved by Yulia
        # (the Ketua Tim, who signs it) and sent 45 minutes after it was drafted.
        clock.now = wib(MONDAY, 8)
        question = await say(standin, fajar, "/siklus", "periode apa")
        deadline = await tap(standin, fajar, question, "Tahun 2026", "Batas waktu")
        preview = await tap(standin, fajar, deadline, "Gunakan", "Pratinjau Nota Dinas")
        clock.advance(timedelta(minutes=30))
        await tap(standin, fajar, preview, "Kirim", "menunggu persetujuan")
        yulia = people["yulia"]
        request = await last(standin, yulia, "Mohon Bapak/Ibu periksa dan setujui")
        clock.advance(timedelta(minutes=15))
        await tap(standin, yulia, request, "✅ Setujui", "Bapak/Ibu setujui")

        # Step 2: the units answer on Wednesday (2 of the 7 working days the Nota Dinas gave
        # them); the draft goes for initials next Monday.
        clock.now = wib(MONDAY + timedelta(days=2), 10)
        ready_for_a_draft(pk_db)
        _answered_at(pk_db, clock)
        clock.now = wib(MONDAY + timedelta(days=7), 9)
        await draft_and_submit(standin, fajar, 1)

        # Step 3: three Kasubbag initial after 20 minutes, Agus only after 90.
        requests = {
            name: await find_request(standin, people[name], 1, "Mohon paraf") for name in KASUBBAG
        }
        clock.advance(timedelta(minutes=20))
        for name in ("rina", "yulia", "nurhayati"):
            await tap(
                standin, people[name], requests[name], INITIAL, "Paraf Bapak/Ibu untuk versi 1"
            )
        clock.advance(timedelta(minutes=70))
        await tap(
            standin, people["agus"], requests["agus"], INITIAL, "Paraf Bapak/Ibu untuk versi 1"
        )

        # Step 4: the Sekretaris signs 25 minutes later.
        to_sign = await find_request(standin, hendra, 1, "Mohon persetujuan dan tanda tangan")
        clock.advance(timedelta(minutes=25))
        await tap(standin, hendra, to_sign, SIGN, "telah Bapak/Ibu tandatangani")

        # Ten minutes on, the report is not yet on its way to the KPU Provinsi.
        clock.advance(timedelta(minutes=10))
        before = len(standin.messages(fajar))
        await standin.send_text(fajar, "/kepatuhan")
        summary = await last(standin, fajar, "Kepatuhan SOP — Tahun 2026", after=before)
        document = await last(standin, fajar, "Rincian kepatuhan SOP", after=before)

        # A unit's staff may not see it.
        refused = await say(standin, people["dedi"], "/kepatuhan", "hanya untuk")
        assert "/kepatuhan hanya untuk Tim Laporan Kinerja" in refused.body

    rows = summary.body.split("\n")[1:7]
    assert rows == [
        "1. Kompilasi data (Nota Dinas, Rencana Aksi): 45 menit (standar 120 menit) ✅",
        "2. Penyusunan laporan kinerja: 2 hari kerja (standar 7 hari kerja) ✅",
        "3. Pemeriksaan konsep (paraf Kasubbag): 90 menit (standar 60 menit) ⚠️; "
        "terlambat: Agus Salim, S.IP. (versi 1, 90 menit)",
        "4. Penandatanganan oleh Sekretaris: 25 menit (standar 30 menit) ✅",
        # Signed, not yet sent: step 5 is under way; step 6 has not begun.
        "5. Penyampaian ke Sekretaris KPU Provinsi: 10 menit (standar 30 menit) ⏳ belum selesai",
        "6. Pendokumentasian laporan kinerja: belum",
    ]
    assert "Sesuai waktu standar: 3 dari 4 langkah yang sudah selesai." in summary.body

    chart = next(m for m in standin.messages(fajar)[before:] if m.photo)
    assert "Kepatuhan waktu SOP Tahun 2026" in chart.body
    assert document.document is not None
    assert document.document["file_name"] == "Kepatuhan SOP KPU Kota Bengkulu semua tahun.xlsx"
    book = load_workbook(io.BytesIO(standin.download(document.document["file_id"])))
    steps = [
        (row[2], row[7], row[10])
        for row in book["Kepatuhan SOP"].iter_rows(min_row=6, values_only=True)
        if row[0] == 2026
    ]
    assert steps == [
        (1, 45, "selesai"),
        (2, 435 + 510 + 150, "selesai"),  # Monday 08:45 to Wednesday 10:00
        (3, 90, "selesai"),
        (4, 25, "selesai"),
        (5, 10, "belum selesai"),
        (6, "belum", "belum"),
    ]
