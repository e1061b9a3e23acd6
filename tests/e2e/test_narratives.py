"""/narasi end to end: rendatin reads a section, replaces it by typing and by a file, and the
next konsep shows the latest version; no one else may press the buttons."""

from __future__ import annotations

import io

import pytest
from docx import Document
from sqlmodel import col, select

from bot.context import LapkinApplication
from storage.db import Database
from storage.models import NarrativeVersion
from tests.cycle_data import ready_for_a_draft
from tests.e2e.conftest import register_people
from tests.e2e.steps import alert_for, all_text, last, say, start_cycle, tap
from tests.standin import BotApiStandin

pytestmark = pytest.mark.e2e

TYPED = "Kata pengantar yang ditulis tim perencanaan.\nParagraf kedua dari tim."
UPLOADED = "Kata pengantar dari berkas unggahan tim, versi kedua."


async def test_rendatin_replaces_a_section_and_the_next_draft_shows_it(
    standin: BotApiStandin, pk_db: Database, bot: LapkinApplication
) -> None:
    people = await register_people(standin, pk_db, "fajar", "yulia", "dedi")
    fajar, dedi = people["fajar"], people["dedi"]
    await start_cycle(standin, fajar)

    menu = await say(standin, fajar, "/narasi", "Narasi Laporan Kinerja")
    assert "Kata Pengantar" in [button for row in menu.buttons for button in row]
    shown = await tap(standin, fajar, menu, "Kata Pengantar", "disusun otomatis dari data")
    assert "Puji syukur" in shown.body  # the generated default, never empty

    # A staf member cannot press rendatin's buttons, even with the data copied.
    replace_data = shown.inline_keyboard[0][0]["callback_data"]
    help_page = await say(standin, dedi, "/bantuan", "")
    refusal = await alert_for(standin, dedi, help_page, replace_data)
    assert refusal
    with pk_db.session() as session:
        assert not session.exec(select(NarrativeVersion)).all()

    prompt = await tap(standin, fajar, shown, "✏️ Ganti teks", "Ketik teks baru")
    assert "/batal" in prompt.body
    saved = await say(standin, fajar, TYPED, "tersimpan sebagai versi 1")
    assert "Kata Pengantar" in saved.body

    again = await say(standin, fajar, "/narasi", "Narasi Laporan Kinerja")
    shown = await tap(standin, fajar, again, "✏️ Kata Pengantar", "Versi 1")
    assert "Kata pengantar yang ditulis tim" in shown.body
    await tap(standin, fajar, shown, "✏️ Ganti teks", "Ketik teks baru")
    before = len(standin.messages(fajar))
    await standin.send_document(fajar, "pengantar.txt", UPLOADED.encode(), mime_type="text/plain")
    await last(standin, fajar, "tersimpan sebagai versi 2", after=before)

    with pk_db.session() as session:
        versions = session.exec(
            select(NarrativeVersion).order_by(col(NarrativeVersion.version))
        ).all()
    assert [(v.section, v.version) for v in versions] == [
        ("kata_pengantar", 1),
        ("kata_pengantar", 2),
    ]  # every version kept

    ready_for_a_draft(pk_db)
    await say(standin, fajar, "/konsep", "Konsep Laporan Kinerja versi 1")
    draft = next(m for m in reversed(standin.messages(fajar)) if m.document)
    text = all_text(Document(io.BytesIO(standin.download(draft.document["file_id"]))))
    assert UPLOADED in text and "Kata pengantar yang ditulis tim" not in text
