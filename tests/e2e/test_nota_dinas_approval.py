"""SOP step 1 with its signer: a Nota Dinas prepared by a member of the team goes to the Ketua
Tim with Setujui / Kembalikan, and only her Setujui numbers it and sends it to the units.

What each person sees: Fajar (staf, rendatin) prepares it, Yulia (Kasubbag, the Ketua Tim)
signs it, Dedi (a unit) receives it, Hendra (the Sekretaris) may not decide it.
"""

from __future__ import annotations

import io

import pytest
from docx import Document
from sqlmodel import col, select

from bot import callbacks
from bot.callbacks import CycleAction
from bot.context import LapkinApplication
from storage.db import Database
from storage.models import Cycle
from tests.e2e.conftest import count_errors, register_people
from tests.e2e.steps import alert_for, last, say, start_cycle, submit_cycle, tap
from tests.standin import BotApiStandin, FakeUser, SentMessage

pytestmark = pytest.mark.e2e

SIGNER = "Yulia Fitriani, S.T., M.M."
NOMOR = "1/ORT.06/1771/3/2026"
BUTTONS = [["✅ Setujui", "↩️ Kembalikan"]]


def _latest_cycle(db: Database) -> int:
    with db.session() as session:
        cycle = session.exec(select(Cycle).order_by(col(Cycle.id).desc())).first()
        assert cycle is not None and cycle.id is not None
        return cycle.id


def _requests(standin: BotApiStandin, user: FakeUser) -> list[SentMessage]:
    return [m for m in standin.messages(user) if m.body.startswith("✉️ Nota Dinas")]


async def test_a_nota_dinas_prepared_by_staff_is_sent_only_once_its_signer_approves_it(
    standin: BotApiStandin, pk_db: Database, bot: LapkinApplication
) -> None:
    people = await register_people(standin, pk_db, "fajar", "yulia", "dedi", "hendra")
    fajar, yulia, dedi, hendra = (people[n] for n in ("fajar", "yulia", "dedi", "hendra"))
    errors = count_errors(bot)

    # Fajar presses Kirim: it waits for Yulia, nothing reaches the units.
    answer = await submit_cycle(standin, fajar)
    assert f"menunggu persetujuan Bapak/Ibu {SIGNER}" in answer.body
    request = await last(standin, yulia, "Mohon Bapak/Ibu periksa dan setujui")
    assert "disiapkan oleh Fajar" in request.body and request.buttons == BUTTONS
    assert request.document is not None
    assert request.document["file_name"] == "Nota Dinas - Tahun 2026 (untuk disetujui).docx"
    letter = Document(io.BytesIO(standin.download(request.document["file_id"])))
    text = "\n".join(p.text for p in letter.paragraphs)
    assert "NOTA DINAS" in text and NOMOR not in text  # not numbered yet
    await standin.wait_until_idle()
    assert not any("Permintaan data" in m.body for m in standin.messages(dedi))

    # Only she decides: the Sekretaris and the preparer are refused, and nothing changes.
    cycle_id = _latest_cycle(pk_db)
    for who in (hendra, fajar):
        for action in (CycleAction.APPROVE, CycleAction.RETURN):
            data = callbacks.encode(callbacks.CYCLE, action, cycle_id)
            alert = await alert_for(standin, who, standin.messages(who)[-1], data)
            assert "penandatangan Nota Dinas" in alert
    with pk_db.session() as session:
        cycle = session.get(Cycle, cycle_id)
        assert cycle is not None and cycle.status == "awaiting_signer"

    # Yulia approves: numbered and sent; Fajar is told the number; her buttons are gone.
    approved = await tap(standin, yulia, request, "✅ Setujui", "Bapak/Ibu setujui")
    assert f"Nota Dinas nomor {NOMOR}" in approved.body
    told = await last(standin, fajar, f"Nomor surat: {NOMOR}")
    assert f"disetujui oleh {SIGNER}" in told.body
    await last(standin, fajar, "Terlampir Rencana Aksi")
    nota = await last(standin, dedi, f"Nota Dinas {NOMOR}")
    assert nota.document is not None
    await standin.wait_until_idle()
    assert request.buttons == [] and "disetujui oleh" in request.body

    # Yesterday's button: a polite alert, and nothing is sent twice.
    data = callbacks.encode(callbacks.CYCLE, CycleAction.APPROVE, cycle_id)
    alert = await alert_for(standin, yulia, request, data)
    assert alert == f"Nota Dinas ini sudah disetujui dan dikirim (nomor {NOMOR})."
    await standin.wait_until_idle()
    assert len([m for m in standin.messages(dedi) if "Permintaan data" in m.body]) == 1
    assert errors == []


async def test_a_returned_nota_dinas_goes_back_to_its_preparer_with_the_reason_and_is_resubmitted(
    standin: BotApiStandin, pk_db: Database, bot: LapkinApplication
) -> None:
    people = await register_people(standin, pk_db, "fajar", "yulia", "dedi")
    fajar, yulia, dedi = people["fajar"], people["yulia"], people["dedi"]
    errors = count_errors(bot)
    await submit_cycle(standin, fajar)
    first = _latest_cycle(pk_db)
    request = await last(standin, yulia, "Mohon Bapak/Ibu periksa dan setujui")

    # Yulia returns it with a reason; Fajar reads it and may change the deadline.
    await tap(standin, yulia, request, "↩️ Kembalikan", "Ketik alasan")
    await say(standin, yulia, "Batas waktunya terlalu dekat.", "dikembalikan kepada Fajar")
    back = await last(standin, fajar, "dikembalikan oleh")
    assert "Alasan: Batas waktunya terlalu dekat." in back.body
    assert back.buttons == [["🗓 Ubah batas waktu"], ["📤 Ajukan lagi", "Batal"]]
    await standin.wait_until_idle()
    assert request.buttons == [] and "dikembalikan oleh" in request.body
    assert not any("Permintaan data" in m.body for m in standin.messages(dedi))

    # A new deadline, a new preview, Kirim again: a new request for Yulia.
    question = await tap(standin, fajar, back, "🗓 Ubah batas waktu", "Batas waktu")
    preview = await tap(standin, fajar, question, "Gunakan", "Pratinjau Nota Dinas")
    await tap(standin, fajar, preview, "Kirim", "menunggu persetujuan")
    await standin.wait_until_idle()
    again = [m for m in _requests(standin, yulia) if m.buttons == BUTTONS]
    assert len(again) == 1 and again[0].message_id != request.message_id

    # The returned draft's button pressed late changes nothing; the new one is approved.
    data = callbacks.encode(callbacks.CYCLE, CycleAction.APPROVE, first)
    assert "tidak berlaku" in await alert_for(standin, yulia, request, data)
    await tap(standin, yulia, again[0], "✅ Setujui", "Bapak/Ibu setujui")
    await last(standin, fajar, f"Nomor surat: {NOMOR}")  # the returned draft took no number
    await last(standin, dedi, f"Nota Dinas {NOMOR}")
    assert errors == []


async def test_the_signer_pressing_kirim_herself_sends_at_once(
    standin: BotApiStandin, pk_db: Database, bot: LapkinApplication
) -> None:
    people = await register_people(standin, pk_db, "yulia", "dedi")
    errors = count_errors(bot)

    assert await start_cycle(standin, people["yulia"]) == NOMOR

    await last(standin, people["dedi"], f"Nota Dinas {NOMOR}")
    await standin.wait_until_idle()
    assert _requests(standin, people["yulia"]) == []
    assert errors == []
