"""SOP steps 2d–4 as use cases: the konsep made, initialled by every Kasubbag, returned with a
reason, and signed by the Sekretaris."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from bot.domain.errors import NotAllowed
from bot.services import approvals
from storage.models import Approval, Draft, StoredFile
from storage.models import Office as OfficeRow
from tests.cycle_data import ready_for_a_draft
from tests.reminder_data import wib
from tests.services.steps import (
    KASUBBAG,
    LATER,
    SIGNING,
    WIB,
    Office,
    approval_of,
    decide,
    draft_status,
    make_draft,
    start_cycle,
    submit,
)

INITIAL = "✅ Setujui (paraf)"
SIGN = "✅ Setujui & tandatangani"
RETURN = "↩️ Kembalikan"
RENDATIN_TEAM = ("fajar", "yulia")


@pytest.fixture
def ready(office: Office) -> Office:
    """Give the office with every line accepted or marked no data, and the outbox cleared."""
    start_cycle(office)
    ready_for_a_draft(office.db)
    office.outbox.clear()
    return office


@pytest.fixture
def submitted(ready: Office) -> Office:
    """Give the office with konsep v1 sent for initials, and the outbox cleared."""
    make_draft(ready)
    submit(ready)
    ready.outbox.clear()
    return ready


def _initial(office: Office, *names: str) -> None:
    for name in names:
        decide(office, name, stage="kasubbag")


def test_no_konsep_while_lines_are_open_and_the_missing_ones_are_named(office: Office) -> None:
    start_cycle(office)
    office.outbox.clear()

    with pytest.raises(NotAllowed, match="Konsep belum dapat dibuat") as refused:
        make_draft(office)

    assert "Sub Bagian Keuangan, Umum dan Logistik:" in str(refused.value)
    assert "IK 3.1" in str(refused.value)
    assert draft_status(office.db) == []
    office.outbox.assert_nothing_sent()


def test_the_konsep_is_stored_as_version_1_and_a_new_one_supersedes_it(ready: Office) -> None:
    first = make_draft(ready)

    assert first.version == 1 and first.filename.startswith("KONSEP LKjIP KPU Kota Bengkulu")
    assert ready.files.path(first.docx_path).read_bytes()[:2] == b"PK"  # a .docx (a zip)
    ready.outbox.assert_nothing_sent()  # rendatin is answered directly, nobody else told
    second = make_draft(ready)
    assert second.version == 2
    assert draft_status(ready.db) == [(1, "superseded"), (2, "konsep")]


def test_submitting_asks_every_kasubbag_for_initials_with_the_konsep(ready: Office) -> None:
    make_draft(ready)

    reply = submit(ready)

    assert reply.text.startswith("📤 Konsep versi 1 dikirim untuk paraf kepada:")
    assert set(ready.outbox.recipients()) == set(KASUBBAG)  # Yulia is Kasubbag and rendatin
    ready.outbox.assert_not_sent_to("hendra")
    for name in KASUBBAG:
        request = ready.outbox.assert_sent_to(name, containing="📝 Mohon paraf Konsep")
        assert "versi 1." in request.text
        ready.outbox.assert_buttons(request, [[INITIAL, RETURN]])
        ready.outbox.assert_sent_to(name, document="KONSEP LKjIP KPU Kota Bengkulu Tahun 2026 v1")
    ready.outbox.assert_sent_to("yulia", containing="mengajukan konsep versi 1 untuk paraf")
    assert draft_status(ready.db) == [(1, "review_kasubbag")]


def test_each_initial_is_counted_for_the_team_and_the_sekretaris_waits(submitted: Office) -> None:
    reply = decide(submitted, "rina", stage="kasubbag")

    assert reply.text == "✅ Paraf Bapak/Ibu untuk versi 1 tercatat. Terima kasih."
    submitted.outbox.assert_recipients("rina", *RENDATIN_TEAM)
    for member in RENDATIN_TEAM:
        submitted.outbox.assert_sent_to(
            member, containing="memaraf konsep versi 1 (1 dari 4 paraf)"
        )
    # Rina's request loses its buttons: an edit of the message that carried them.
    edit = submitted.outbox.assert_sent_to("rina", containing="memaraf konsep versi 1 pada")
    assert edit.edit_of_id is not None
    assert approval_of(submitted.db, submitted.person("rina").nip, stage="kasubbag").decision == (
        "approved"
    )
    submitted.outbox.assert_not_sent_to("hendra")


def test_the_last_initial_hands_the_konsep_to_the_sekretaris(submitted: Office) -> None:
    _initial(submitted, "rina", "agus", "yulia")
    submitted.outbox.clear()

    reply = decide(submitted, "nurhayati", stage="kasubbag")

    assert "Paraf sudah lengkap; konsep diteruskan kepada Sekretaris" in reply.text
    assert draft_status(submitted.db) == [(1, "review_sekretaris")]
    request = submitted.outbox.assert_sent_to("hendra", containing="📝 Mohon persetujuan")
    assert "Telah diparaf oleh: Rina Marlina, S.E., Agus Salim, S.IP." in request.text
    submitted.outbox.assert_buttons(request, [[SIGN, RETURN]])
    submitted.outbox.assert_sent_to("hendra", document="KONSEP LKjIP")
    for member in RENDATIN_TEAM:
        submitted.outbox.assert_sent_to(member, containing="Semua Kasubbag telah memaraf versi 1")


def test_an_initial_cannot_be_given_twice(submitted: Office) -> None:
    decide(submitted, "rina", stage="kasubbag")
    submitted.outbox.clear()

    with pytest.raises(NotAllowed):
        decide(submitted, "rina", stage="kasubbag")

    submitted.outbox.assert_nothing_sent()


def test_only_the_named_reviewer_may_press_their_button(submitted: Office) -> None:
    rina = approval_of(submitted.db, submitted.person("rina").nip, stage="kasubbag")
    assert rina.id is not None

    with pytest.raises(NotAllowed, match="Tombol ini untuk Rina Marlina"):
        approvals.approve(
            db=submitted.db,
            files=submitted.files,
            actor=submitted.person("agus"),
            approval_id=rina.id,
            version=1,
            now=LATER,
            tz=WIB,
            pdf_copies=False,
        )

    submitted.outbox.assert_nothing_sent()


def test_a_return_stops_the_round_and_tells_the_team_why(submitted: Office) -> None:
    decide(submitted, "rina", stage="kasubbag")
    submitted.outbox.clear()
    agus = submitted.person("agus")
    approval = approval_of(submitted.db, agus.nip, stage="kasubbag")
    assert approval.id is not None

    asked = approvals.begin_return(
        db=submitted.db, actor=agus, approval_id=approval.id, version=1, now=LATER
    )
    assert "Tuliskan alasan konsep versi 1 dikembalikan" in asked.text
    submitted.outbox.assert_nothing_sent()
    reply = approvals.return_with_reason(
        db=submitted.db, actor=agus, reason="Narasi IK 2.1 belum lengkap.", now=LATER, tz=WIB
    )

    assert reply.text == "↩️ Konsep versi 1 dikembalikan ke Tim dengan alasan Bapak/Ibu."
    assert draft_status(submitted.db) == [(1, "returned")]
    for member in RENDATIN_TEAM:
        notice = submitted.outbox.assert_sent_to(
            member, containing="↩️ Konsep versi 1 dikembalikan oleh Agus Salim"
        )
        assert "Alasan: Narasi IK 2.1 belum lengkap." in notice.text
    # The reviewers still to decide are told they need not; Rina, who initialled, is told too.
    cancelled = submitted.outbox.assert_sent_to("nurhayati", containing="tidak perlu memutuskan")
    assert cancelled.edit_of_id is not None
    submitted.outbox.assert_sent_to("rina", containing="Versi ini kemudian dikembalikan")
    with submitted.db.session() as session:
        decisions = {
            a.reviewer_person_id: a.decision
            for a in session.exec(select(Approval).where(Approval.stage == "kasubbag"))
        }
    assert decisions[agus.id] == "returned" and decisions[submitted.person("rina").id] == "approved"
    assert decisions[submitted.person("nurhayati").id] == "cancelled"


def test_the_sekretaris_signature_makes_the_report_final(submitted: Office) -> None:
    _initial(submitted, *KASUBBAG)
    submitted.outbox.clear()

    reply = decide(submitted, "hendra", stage="sekretaris", now=SIGNING)

    assert reply.text.startswith("✅ Laporan versi 1 telah Bapak/Ibu tandatangani.")
    assert draft_status(submitted.db) == [(1, "signed")]
    with submitted.db.session() as session:
        draft = session.exec(select(Draft)).one()
        assert draft.signed_sha256
    for member in RENDATIN_TEAM:
        signed = submitted.outbox.assert_sent_to(
            member,
            containing="telah ditandatangani oleh Drs. Hendra Saputra, M.Si.",
            document="LKjIP",
        )
        assert signed.document_name == "LKjIP KPU Kota Bengkulu Tahun 2026 v1.docx"
        assert f"SHA-256: {draft.signed_sha256}" in signed.text
    submitted.outbox.assert_not_sent_to("rina")


def _lembar_paraf(office: Office, file_id: int | None) -> list[list[str]]:
    """The rows of the lembar paraf table of a stored LKjIP (without the header)."""
    from io import BytesIO

    from docx import Document

    with office.db.session() as session:
        stored = session.get(StoredFile, file_id)
        assert stored is not None
        data = office.files.read(stored.path)
    for table in Document(BytesIO(data)).tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if rows and "Paraf/Waktu" in rows[0]:
            return rows[1:]
    raise AssertionError("no lembar paraf in the document")


def test_the_lembar_paraf_starts_with_the_konseptor_in_the_konsep_and_the_signed_copy(
    submitted: Office,
) -> None:
    _initial(submitted, *KASUBBAG)
    decide(submitted, "hendra", stage="sekretaris", now=SIGNING)
    with submitted.db.session() as session:
        draft = session.exec(select(Draft)).one()
        konsep_file, signed_file = draft.file_id, draft.signed_file_id
    konseptor = submitted.person("fajar").name

    konsep = _lembar_paraf(submitted, konsep_file)
    signed = _lembar_paraf(submitted, signed_file)

    for rows in (konsep, signed):
        assert rows[0][1] == konseptor and rows[0][4] == "Konseptor"
        assert rows[0][3].startswith("Diparaf ")
        assert [row[0] for row in rows] == [str(n) for n in range(1, len(KASUBBAG) + 2)]
        assert konseptor not in [row[1] for row in rows[1:]]
    assert all(row[3].startswith("Diparaf ") for row in signed[1:])
    assert not any(row[3] for row in konsep[1:])


def test_the_annual_report_is_not_signed_before_its_year_ends(submitted: Office) -> None:
    _initial(submitted, *KASUBBAG)
    submitted.outbox.clear()

    with pytest.raises(NotAllowed) as refused:
        decide(submitted, "hendra", stage="sekretaris", now=wib(date(2026, 12, 31), 15))

    assert str(refused.value) == (
        "Mohon maaf, Bapak/Ibu, laporan Tahun 2026 baru dapat ditandatangani mulai "
        "Jumat, 1 Januari 2027, setelah periodenya berakhir. Mohon tekan tombol ini kembali "
        "pada tanggal tersebut."
    )
    assert len(str(refused.value)) <= 200  # it is shown as an alert
    assert draft_status(submitted.db) == [(1, "review_sekretaris")]
    submitted.outbox.assert_nothing_sent()
    # On the first day of 2027 (in the office's time zone) the same button signs.
    reply = decide(submitted, "hendra", stage="sekretaris", now=wib(date(2027, 1, 1), 0, 5))
    assert reply.text.startswith("✅ Laporan versi 1 telah Bapak/Ibu tandatangani.")


def _signed_text(office: Office) -> tuple[str, int]:
    """The signed report's text and how many images it holds."""
    from docx import Document

    with office.db.session() as session:
        draft = session.exec(select(Draft)).one()
        stored = session.get(StoredFile, draft.signed_file_id)
    assert stored is not None
    document = Document(io.BytesIO(office.files.read(stored.path)))
    text = "\n".join(p.text for p in document.paragraphs)
    for table in document.tables:
        text += "\n".join(cell.text for row in table.rows for cell in row.cells)
    return text, len(document.inline_shapes)


def _use_signature_image(office: Office, path: str) -> None:
    with office.db.session() as session:
        row = session.exec(select(OfficeRow)).one()
        row.settings = {**row.settings, "tanda_tangan": path}
        session.add(row)
        session.commit()


def test_the_office_signature_image_replaces_ttd_on_the_signed_report(
    submitted: Office, tmp_path: Path
) -> None:
    from PIL import Image

    image = tmp_path / "ttd.png"
    Image.new("RGB", (300, 150), "blue").save(image, format="PNG")
    _use_signature_image(submitted, str(image))
    _initial(submitted, *KASUBBAG)

    decide(submitted, "hendra", stage="sekretaris", now=SIGNING)

    text, images = _signed_text(submitted)
    assert "ttd." not in text and images >= 1


def test_an_unreadable_signature_image_leaves_the_typed_ttd(
    submitted: Office, tmp_path: Path
) -> None:
    _use_signature_image(submitted, str(tmp_path / "missing.png"))
    _initial(submitted, *KASUBBAG)

    decide(submitted, "hendra", stage="sekretaris", now=SIGNING)

    assert "ttd." in _signed_text(submitted)[0]
