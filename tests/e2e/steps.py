"""Steps the end-to-end tests share: a person's moves in the chat, and the SOP's stages played
quickly (the data a test writes straight into the database is in tests/cycle_data.py)."""

from __future__ import annotations

import asyncio
import io
import socket
from collections.abc import Callable
from datetime import UTC, datetime

import openpyxl
from docx import Document

from bot.domain.organisation import OrganisationSpec, PersonSpec
from bot.services.organisation import import_organisation
from bot.services.perjanjian import import_perjanjian_kinerja
from storage.db import Database
from storage.queries import office_by_code
from tests.cycle_data import ready_for_a_draft
from tests.standin import BotApiStandin, FakeUser, SentMessage

KASUBBAG = ("rina", "agus", "yulia", "nurhayati")
INITIAL = "✅ Setujui (paraf)"
SIGN = "✅ Setujui & tandatangani"
RETURN = "↩️ Kembalikan"
KIRIM_ANSWERS = ("sedang dikirim", "menunggu persetujuan")
# The annual 2026 report may be signed once 2026 has ended: Monday 4 January 2027, 09.00 WIB.
AFTER_THE_YEAR = datetime(2027, 1, 4, 2, tzinfo=UTC)


# A person's moves in the chat.


async def last(
    standin: BotApiStandin, user: FakeUser, contains: str, *, after: int = 0
) -> SentMessage:
    """Wait for the bot's message to ``user`` containing ``contains``, after the first ``after``."""
    return await standin.wait_for_message(user, contains=contains, after=after, timeout=20)


async def say(standin: BotApiStandin, user: FakeUser, text: str, expect: str) -> SentMessage:
    """Type ``text`` as ``user``; return the bot's answer containing ``expect``."""
    before = len(standin.messages(user))
    await standin.send_text(user, text)
    return await last(standin, user, expect, after=before)


async def tap(
    standin: BotApiStandin, user: FakeUser, message: SentMessage, button: str, expect: str
) -> SentMessage:
    """Press ``button`` on ``message`` as ``user``; return the answer containing ``expect``."""
    before = len(standin.messages(user))
    await standin.tap(user, message, button)
    return await last(standin, user, expect, after=before)


async def tap_data_expect(
    standin: BotApiStandin, user: FakeUser, data: str, expect: str
) -> SentMessage:
    """Press raw callback ``data`` on ``user``'s latest message; return the answer."""
    before = len(standin.messages(user))
    await standin.tap_data(user, standin.messages(user)[-1], data)
    return await last(standin, user, expect, after=before)


async def alert_for(standin: BotApiStandin, user: FakeUser, message: SentMessage, data: str) -> str:
    """Press raw callback ``data`` on ``message``; return the alert the bot answers with."""
    await standin.tap_data(user, message, data)
    answer = await standin.wait_for_callback_answer(user)
    assert answer.show_alert, answer
    return answer.text or ""


async def upload(
    standin: BotApiStandin, user: FakeUser, name: str, data: bytes, expect: str
) -> str:
    """Send a PDF as ``user``; return the text of the answer containing ``expect``."""
    before = len(standin.messages(user))
    await standin.send_document(user, name, data, mime_type="application/pdf")
    return (await last(standin, user, expect, after=before)).body


async def until(condition: Callable[[], bool], what: str, seconds: float = 20) -> None:
    """Wait until ``condition()`` holds, failing with ``what`` after ``seconds``."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


# The SOP's stages, played as the people would.


def import_second_office(
    db: Database,
    spec: OrganisationSpec,
    *,
    code: str,
    name: str,
    timezone: str | None = None,
    more_people: tuple[PersonSpec, ...] = (),
) -> None:
    """Import a second office beside the example: its people (other rows), its own PK."""
    office = spec.office.model_copy(
        update={"code": code, "name": name, "region_code": "1705", "timezone": timezone}
    )
    now = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
    people = (*spec.people, *more_people)
    import_organisation(
        db=db, spec=spec.model_copy(update={"office": office, "people": people}), now=now
    )
    with db.session() as session:
        found = office_by_code(session, code=code)
        assert found is not None and found.id is not None
        office_id = found.id
    for year in spec.perjanjian_kinerja:
        import_perjanjian_kinerja(
            db=db, office_id=office_id, pk=year.to_domain(), now=now, actor="test"
        )


async def submit_cycle(standin: BotApiStandin, rendatin: FakeUser) -> SentMessage:
    """Play rendatin through /siklus up to Kirim; return the bot's answer to Kirim."""
    question = await say(standin, rendatin, "/siklus", "periode apa")
    deadline = await tap(standin, rendatin, question, "Tahun 2026", "Batas waktu")
    preview = await tap(standin, rendatin, deadline, "Gunakan", "Pratinjau Nota Dinas")
    assert preview.document is not None and preview.document["file_name"].endswith(".docx")
    draft = Document(io.BytesIO(standin.download(preview.document["file_id"])))
    assert "NOTA DINAS" in "\n".join(p.text for p in draft.paragraphs)
    before = len(standin.messages(rendatin))
    await standin.tap(rendatin, preview, "Kirim")

    def answer() -> SentMessage | None:
        # Sent at once by its signer, or waiting for her (the units' messages may come first).
        later = standin.messages(rendatin)[before:]
        return next((m for m in later if any(w in m.body for w in KIRIM_ANSWERS)), None)

    await until(lambda: answer() is not None, f"{rendatin.first_name}'s answer to Kirim")
    assert preview.buttons == []  # the preview's buttons are gone: it cannot be sent twice
    found = answer()
    assert found is not None
    return found


async def approve_cycle(standin: BotApiStandin, signer: FakeUser) -> str:
    """Have the Nota Dinas's signer approve the request waiting for her; return its number."""
    request = await last(standin, signer, "Mohon Bapak/Ibu periksa dan setujui")
    assert request.document is not None
    approved = await tap(standin, signer, request, "✅ Setujui", "Bapak/Ibu setujui")
    return approved.body.split("Nota Dinas nomor ")[1].split(" Bapak/Ibu")[0]


def _number(sent: SentMessage) -> str:
    return sent.body.split("Nota Dinas ")[1].split(" sedang")[0]


async def start_cycle(
    standin: BotApiStandin, rendatin: FakeUser, *, signer: FakeUser | None = None
) -> str:
    """Play rendatin through /siklus and, when rendatin does not sign the Nota Dinas, its
    signer (Yulia, the Ketua Tim, unless ``signer`` says who) through Setujui; return the
    Nota Dinas number."""
    answer = await submit_cycle(standin, rendatin)
    if "sedang dikirim" in answer.body:  # rendatin is the signer: sent at once
        return _number(answer)
    assert "menunggu persetujuan" in answer.body, answer.body
    return await approve_cycle(standin, signer or standin.user_named("Yulia"))


async def draft_and_submit(
    standin: BotApiStandin, fajar: FakeUser, version: int, *, office_name: str = "KPU Kota Bengkulu"
) -> None:
    """Have rendatin make draft ``version`` with /konsep and submit it for initials."""
    offer = await say(standin, fajar, "/konsep", "ajukan untuk paraf Kasubbag")
    drafts = [m.document["file_name"] for m in standin.messages(fajar) if m.document]
    assert f"KONSEP LKjIP {office_name} Tahun 2026 v{version}.docx" in drafts
    await tap(standin, fajar, offer, "Ajukan untuk paraf", f"versi {version} dikirim untuk paraf")


async def find_request(
    standin: BotApiStandin, user: FakeUser, version: int, stage: str
) -> SentMessage:
    """Wait for ``user``'s approval request of ``stage`` for draft ``version``."""

    def found() -> SentMessage | None:
        for message in standin.messages(user):
            if stage in message.body and f"versi {version}." in message.body:
                return message
        return None

    await until(lambda: found() is not None, f"{user.first_name}'s request for v{version}")
    request = found()
    assert request is not None
    return request


async def signed(
    standin: BotApiStandin,
    db: Database,
    people: dict[str, FakeUser],
    clock: Callable[[datetime], None],
    *,
    office: tuple[str, str] | None = None,
) -> None:
    """Play steps 1–4 quickly: every Kasubbag initials version 1; once the year has ended
    (``clock`` moves the bot's time there) the Sekretaris signs.

    ``office``: the (code, name) of the people's office, when the database holds several
    copies of the example office.
    """
    fajar = people["fajar"]
    await start_cycle(standin, fajar, signer=people["yulia"])  # the Ketua Tim approves it
    ready_for_a_draft(db, office_code=office[0] if office else None)
    await draft_and_submit(
        standin, fajar, 1, office_name=office[1] if office else "KPU Kota Bengkulu"
    )
    for name in KASUBBAG:
        request = await find_request(standin, people[name], 1, "Mohon paraf")
        await standin.tap(people[name], request, INITIAL)
    to_sign = await find_request(standin, people["hendra"], 1, "Mohon persetujuan")
    clock(AFTER_THE_YEAR)
    await standin.tap(people["hendra"], to_sign, SIGN)
    await last(standin, fajar, "telah ditandatangani")


# Files a person sends or receives.


def fill(template: bytes, values: dict[str, tuple[str, ...]]) -> bytes:
    """Fill an entry template the way a person does in Excel: from column G on, the
    realisasi, penjelasan, faktor pendukung, faktor penghambat and upaya given."""
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    sheet = workbook["Isian"]
    for row in range(1, sheet.max_row + 1):
        code = sheet.cell(row, 2).value
        for offset, value in enumerate(values.get(code, ())):
            sheet.cell(row, 7 + offset).value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pdf(size: int, seed: int) -> bytes:
    """Return a PDF-looking file of ``size`` bytes, different for each ``seed``."""
    return (b"%PDF-1.4 " + str(seed).encode() + b" ").ljust(size, b"x")


def all_text(document: object) -> str:
    """Return every paragraph, table cell and page header of a python-docx document."""
    from docx.document import Document as DocumentType

    assert isinstance(document, DocumentType)
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs]
    return "\n".join(parts)


def free_port() -> int:
    """Return a TCP port nothing listens on at the moment (on 127.0.0.1)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
