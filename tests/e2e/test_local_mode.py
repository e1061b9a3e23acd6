"""A self-hosted Bot API server in local mode: files over 20 MB come as paths and are taken."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlmodel import select

from bot.context import LapkinApplication
from bot.domain.files import MB
from bot.settings import Settings
from storage.db import Database
from storage.models import StoredFile
from tests.e2e.conftest import BOT_USERNAME, TEST_PACING, TOKEN, register_people
from tests.e2e.steps import pdf, say, start_cycle, tap, upload
from tests.standin import BotApiStandin

pytestmark = pytest.mark.e2e


@pytest.fixture
async def standin(tmp_path: Path) -> AsyncIterator[BotApiStandin]:
    """Serve the Bot API as telegram-bot-api --local does, its files under tmp_path/bot-api."""
    server = BotApiStandin(
        token=TOKEN,
        bot_username=BOT_USERNAME,
        speed=TEST_PACING.speed,
        local_dir=tmp_path / "bot-api",
    )
    await server.start()
    yield server
    await server.stop()
    assert not server.internal_errors, server.internal_errors


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The usual test settings in local mode, with files of up to 30 MB."""
    return Settings.model_validate(
        settings.model_dump() | {"local_mode": True, "max_upload_mb": 30}
    )


async def test_a_25_mb_scan_is_taken_from_the_local_server_and_31_mb_refused(
    standin: BotApiStandin, tmp_path: Path, pk_db: Database, bot: LapkinApplication
) -> None:
    assert bot.bot.local_mode
    people = await register_people(standin, pk_db, "fajar", "yulia", "dedi")
    fajar, dedi = people["fajar"], people["dedi"]
    await start_cycle(standin, fajar)
    menu = await say(standin, dedi, "/isi", "Pilih indikator")
    await tap(standin, dedi, menu, "IK 3.4", "Ketik nilai realisasi")
    await say(standin, dedi, "100", "Ketik penjelasan")
    await say(standin, dedi, "Inventarisasi selesai.", "faktor pendukung")
    await say(standin, dedi, "Pencatatan SIMAK diperbarui.", "faktor penghambat")
    prompt = await say(standin, dedi, "Tidak ada.", "Kirim berkas bukti")
    assert "paling besar 30 MB per berkas" in prompt.body

    scan = pdf(25 * MB, 1)
    await upload(standin, dedi, "pindaian.pdf", scan, "diterima (1 berkas)")
    refusal = await upload(standin, dedi, "besar.pdf", pdf(31 * MB, 2), "lebih dari 30 MB")
    assert refusal.startswith("Maaf, berkas lebih dari 30 MB tidak dapat diterima bot.")

    # The bot was given a path on this machine, as a local server does, and read the file
    # from there: what it stored is the scan, byte for byte.
    (answer,) = [call.response for call in standin.calls("getFile") if call.status == 200]
    assert answer is not None
    assert Path(answer["result"]["file_path"]).is_relative_to(tmp_path / "bot-api")
    digest = hashlib.sha256(scan).hexdigest()
    with pk_db.session() as session:
        stored = session.exec(select(StoredFile).where(StoredFile.sha256 == digest)).one()
    assert stored.size == len(scan)
