"""Upload limits as a staf meets them: a polite refusal each time, the admins told once."""

from __future__ import annotations

import pytest

from bot.context import LapkinApplication
from bot.settings import Settings
from storage.db import Database
from storage.files import FileStore
from tests.e2e.conftest import register_people
from tests.e2e.steps import last, pdf, say, start_cycle, tap, upload
from tests.standin import BotApiStandin, FakeUser

pytestmark = pytest.mark.e2e


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The usual test settings with a quota of 1 MB per person and cycle."""
    return settings.model_copy(update={"upload_quota_person_mb": 1})


async def _to_evidence(standin: BotApiStandin, dedi: FakeUser) -> None:
    menu = await say(standin, dedi, "/isi", "Pilih indikator")
    await tap(standin, dedi, menu, "IK 3.4", "Ketik nilai realisasi")
    await say(standin, dedi, "100", "Ketik penjelasan")
    await say(standin, dedi, "Inventarisasi selesai.", "faktor pendukung")
    await say(standin, dedi, "Pencatatan SIMAK diperbarui.", "faktor penghambat")
    await say(standin, dedi, "Tidak ada.", "Kirim berkas bukti")


async def _kirim(standin: BotApiStandin, dedi: FakeUser, fajar: FakeUser) -> None:
    """Send the entry: rendatin's notice of it is queued after anything queued before."""
    before = len(standin.messages(dedi))
    await standin.send_text(dedi, "ok")
    done = await last(standin, dedi, "Selesai unggah", after=before)
    summary = await tap(standin, dedi, done, "Selesai unggah", "Ringkasan isian IK 3.4")
    await tap(standin, dedi, summary, "Kirim", "terkirim (versi 1")
    await last(standin, fajar, "Data baru dari Sub Bagian Keuangan")


def _alerts(standin: BotApiStandin, user: FakeUser, text: str) -> list[str]:
    return [m.body for m in standin.messages(user) if text in m.body]


async def test_a_staf_over_the_quota_is_refused_politely_and_the_admins_told_once(
    standin: BotApiStandin, pk_db: Database, bot: LapkinApplication
) -> None:
    people = await register_people(standin, pk_db, "fajar", "yulia", "dedi")
    fajar, dedi = people["fajar"], people["dedi"]  # fajar is an admin and rendatin
    await start_cycle(standin, fajar)
    await _to_evidence(standin, dedi)

    await upload(standin, dedi, "bukti 1.pdf", pdf(600_000, 1), "diterima (1 berkas)")
    for n in (2, 3):
        refusal = await upload(standin, dedi, f"bukti {n}.pdf", pdf(600_000, n), "kuota")
        assert f'Maaf, berkas "bukti {n}.pdf" (0,6 MB) melebihi kuota unggah Anda' in refusal
        assert "sudah terpakai 0,6 MB dari 1 MB" in refusal

    await _kirim(standin, dedi, fajar)
    assert bot.job_queue is not None and bot.job_queue.get_jobs_by_name("file-cleanup")
    alerts = _alerts(standin, fajar, "Kuota unggah")
    assert len(alerts) == 1, alerts
    assert "Kuota unggah Dedi" in alerts[0] and "UPLOAD_QUOTA_PERSON_MB" in alerts[0]


async def test_a_nearly_full_disk_refuses_files_and_tells_the_admins_once(
    standin: BotApiStandin, pk_db: Database, bot: LapkinApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = await register_people(standin, pk_db, "fajar", "yulia", "dedi")
    fajar, dedi = people["fajar"], people["dedi"]
    await start_cycle(standin, fajar)
    await _to_evidence(standin, dedi)

    monkeypatch.setattr(FileStore, "free_bytes", lambda self: 500 * 1024 * 1024)
    for n in (1, 2):
        refusal = await upload(standin, dedi, f"bukti {n}.pdf", pdf(1000, n), "hampir penuh")
        assert "Isian yang sudah tersimpan tetap aman" in refusal
    monkeypatch.undo()
    await upload(standin, dedi, "bukti 3.pdf", pdf(1000, 3), "diterima (1 berkas)")

    await _kirim(standin, dedi, fajar)
    alerts = _alerts(standin, fajar, "Ruang penyimpanan Lapkin hampir penuh")
    assert len(alerts) == 1, alerts


@pytest.mark.parametrize("size_hidden", [False, True])
async def test_a_file_over_telegrams_20_mb_is_refused_naming_the_limit(
    standin: BotApiStandin, pk_db: Database, bot: LapkinApplication, size_hidden: bool
) -> None:
    people = await register_people(standin, pk_db, "fajar", "yulia", "dedi")
    fajar, dedi = people["fajar"], people["dedi"]
    await start_cycle(standin, fajar)
    await _to_evidence(standin, dedi)

    # Telegram says how big the file is (or, without its size, getFile refuses it).
    before = len(standin.messages(dedi))
    await standin.send_document(
        dedi,
        "pindaian.pdf",
        pdf(1000, 1),
        mime_type="application/pdf",
        claimed_size=25 * 1024 * 1024,
        size_hidden=size_hidden,
    )
    refusal = (await last(standin, dedi, "lebih dari", after=before)).body
    assert refusal.startswith("Maaf, berkas lebih dari 20 MB tidak dapat diterima bot.")
    await upload(standin, dedi, "bukti.pdf", pdf(1000, 2), "diterima (1 berkas)")
