"""A person's step is answered whatever Telegram does to the direct reply (issue 11, part 7).

The stand-in's ``fail_next`` makes the reply, the button answer, the document or the edit of
the pressed message fail with 429, 502 or a time-out. One to three faults in a row are
overcome in-line (bot.retries); a reply still failing after its tries arrives later through
the outbox (bot.reply_rescue). Nothing the person did is undone meanwhile.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel import select

from bot.context import LapkinApplication
from bot.messages import common as texts
from bot.messages.entry import FETCH_FAILED
from bot.retries import DEFAULT_POLICY
from bot.services import outbox
from bot.settings import Settings
from storage.db import Database
from storage.models import Submission
from tests.e2e.conftest import STAF_NIP, register, register_people
from tests.e2e.steps import last, say, tap
from tests.standin import BotApiStandin, FakeUser

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.filterwarnings("ignore:.*`retry_after`:telegram.warnings.PTBDeprecationWarning"),
]

KINDS = ["429", "502", "timeout"]
TRIES = DEFAULT_POLICY.tries
HELP = "Perintah yang dapat Anda gunakan"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Give up waiting for an answer after 0.3 s, so an injected time-out costs little time."""
    return settings.model_copy(update={"telegram_read_timeout": 0.3, "telegram_write_timeout": 0.3})


def _fail(
    standin: BotApiStandin, method: str, kind: str, times: int, chat: FakeUser | None = None
) -> None:
    standin.fail_next(method, kind, times=times, chat_id=chat.id if chat else None)


def _copies(standin: BotApiStandin, user: FakeUser, text: str, *, after: int = 0) -> int:
    return sum(1 for message in standin.messages(user)[after:] if text in message.body)


def _faults_met(standin: BotApiStandin, method: str, user: FakeUser) -> int:
    return sum(
        1
        for call in standin.calls(method)
        if call.status != 200 and call.params.get("chat_id") == user.id
    )


def _queued_for(db: Database, user: FakeUser, text: str) -> list[outbox.OutboxMessage]:
    return [m for m in outbox.messages(db=db) if m.chat_id == user.id and text in (m.text or "")]


@pytest.mark.parametrize("kind", KINDS)
async def test_a_reply_arrives_once_in_line_after_three_faults_and_later_after_more(
    kind: str, standin: BotApiStandin, office_db: Database, bot: LapkinApplication
) -> None:
    dedi = await register(standin, office_db, STAF_NIP, "Dedi")
    welcomed = len(standin.messages(dedi))
    for times in (1, 2, 3):
        _fail(standin, "sendMessage", kind, times, dedi)
        before = len(standin.messages(dedi))
        await standin.send_text(dedi, "/bantuan")
        await standin.wait_for_message(dedi, contains=HELP, after=before)
    assert _faults_met(standin, "sendMessage", dedi) == 1 + 2 + 3
    assert _queued_for(office_db, dedi, HELP) == []  # all answered in-line

    # Past its tries the reply goes to the outbox, which sends it when Telegram is back.
    _fail(standin, "sendMessage", kind, TRIES, dedi)
    await standin.send_text(dedi, "/bantuan")
    await standin.wait_for_message(dedi, contains=HELP, after=welcomed, count=4)
    await standin.wait_until_idle()

    assert _faults_met(standin, "sendMessage", dedi) == 1 + 2 + 3 + TRIES
    (queued,) = _queued_for(office_db, dedi, HELP)
    assert queued.status == outbox.SENT and queued.person_id is not None
    # One answer per /bantuan: none lost, none twice.
    assert _copies(standin, dedi, HELP, after=welcomed) == 4, standin.transcript(dedi)


@pytest.mark.parametrize("kind", KINDS)
async def test_a_button_press_is_answered_whatever_happens_to_its_answer(
    kind: str, standin: BotApiStandin, pk_db: Database, bot: LapkinApplication
) -> None:
    fajar = (await register_people(standin, pk_db, "fajar"))["fajar"]
    for times in (1, 2, 3, TRIES):
        question = await say(standin, fajar, "/siklus", "periode apa")
        _fail(standin, "answerCallbackQuery", kind, times)
        await tap(standin, fajar, question, "Tahun 2026", "Batas waktu")
        # The spinner stops when the answer gets through in-line. A time-out is not tried
        # again (the press would have expired by then), nor an answer past its tries: the
        # step's reply above is what counts.
        if kind != "timeout" and times < TRIES:
            await standin.wait_for_callback_answer(fajar)
    # An alert that cannot be shown is said in the chat instead.
    _fail(standin, "answerCallbackQuery", kind, TRIES)
    await standin.tap_data(fajar, question, "zz:0")
    await standin.wait_for_message(fajar, contains=texts.STALE_BUTTON)
    await standin.wait_until_idle()
    assert _copies(standin, fajar, "Batas waktu") == 4


async def test_a_cycle_run_while_replies_fail_is_sent_and_every_answer_arrives_once(
    standin: BotApiStandin, pk_db: Database, bot: LapkinApplication
) -> None:
    # Yulia, the Ketua Tim, signs the Nota Dinas: her Kirim sends it at once.
    people = await register_people(standin, pk_db, "yulia", "dedi")
    yulia, dedi = people["yulia"], people["dedi"]
    await standin.wait_until_idle()  # the admins' notices of the registrations are out

    # The preview (a document with buttons) arrives through the outbox and still works.
    question = await say(standin, yulia, "/siklus", "periode apa")
    deadline = await tap(standin, yulia, question, "Tahun 2026", "Batas waktu")
    _fail(standin, "sendDocument", "502", TRIES, yulia)
    preview = await tap(standin, yulia, deadline, "Gunakan", "Pratinjau Nota Dinas")
    assert preview.document is not None and preview.document["file_name"].endswith(".docx")
    assert preview.buttons == [["📤 Kirim", "Batal"]]
    # Kirim's confirmation times out past its tries: the Nota Dinas goes out all the same.
    _fail(standin, "sendMessage", "timeout", TRIES, yulia)
    await tap(standin, yulia, preview, "Kirim", "sedang dikirim")
    assert preview.buttons == []
    listing = await last(standin, dedi, "Permintaan data capaian")

    # The edit of the pressed message arrives as a new message.
    overview = await say(standin, yulia, "/status", "indikator terisi")
    _fail(standin, "editMessageText", "429", TRIES)
    detail = await tap(standin, yulia, overview, "KUL: 0/4", "📋 Sub Bagian Keuangan")
    assert detail.message_id != overview.message_id and "Halaman 1/1" in detail.body

    # Dedi's value is kept and his next message is read as the explanation, although the
    # answer to the value reached him only through the outbox.
    menu = await tap(standin, dedi, listing, "Mulai isi data", "Pilih indikator")
    await tap(standin, dedi, menu, "IK 3.1", "Ketik nilai realisasi")
    _fail(standin, "sendMessage", "502", TRIES, dedi)
    await say(standin, dedi, "96,5", "capaian 101,58%")
    await say(standin, dedi, "Penyerapan sesuai rencana kas.", "faktor pendukung")
    await say(standin, dedi, "Rencana kas dipantau setiap bulan.", "faktor penghambat")
    evidence = await say(standin, dedi, "Tidak ada.", "Kirim berkas bukti")
    summary = await tap(standin, dedi, evidence, "Lewati", "Ringkasan isian IK 3.1")
    await tap(standin, dedi, summary, "Kirim", "terkirim (versi 1")
    await standin.wait_until_idle()

    with pk_db.session() as session:
        (submission,) = session.exec(select(Submission)).all()
    assert submission.realisasi == Decimal("96.5")
    assert submission.penjelasan == "Penyerapan sesuai rencana kas."
    for user, text in [
        (yulia, "Pratinjau Nota Dinas"),
        (yulia, "sedang dikirim"),
        (yulia, "📋 Sub Bagian Keuangan"),
        (dedi, "(capaian 101,58%).\n\nKetik penjelasan"),
    ]:
        assert _copies(standin, user, text) == 1, standin.transcript(user)
        assert [m.status for m in _queued_for(pk_db, user, text)] == [outbox.SENT]


async def test_a_file_telegram_keeps_failing_to_hand_over_is_asked_for_again(
    standin: BotApiStandin, office_db: Database, bot: LapkinApplication
) -> None:
    dedi = await register(standin, office_db, STAF_NIP, "Dedi")
    _fail(standin, "getFile", "502", DEFAULT_POLICY.tries)  # every try the limiter makes
    before = len(standin.messages(dedi))

    await standin.send_document(dedi, "SP2D.pdf", b"%PDF-1.4\n% SP2D\n")

    asked = await last(standin, dedi, "kirim ulang", after=before)
    assert asked.body == FETCH_FAILED
    # Sent again once Telegram is back, the file is fetched (and, with no entry open, the
    # person is told what it can be for).
    await standin.send_document(dedi, "SP2D.pdf", b"%PDF-1.4\n% SP2D\n")
    await last(standin, dedi, "tidak tahu untuk apa", after=before + 1)
