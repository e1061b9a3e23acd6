"""The narrative sections as use cases: versions kept, refusals that change nothing."""

from __future__ import annotations

from io import BytesIO

import pytest
from docx import Document
from sqlmodel import select

from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.services import narratives
from storage.models import NarrativeVersion
from tests.cycle_data import ready_for_a_draft
from tests.services.steps import LATER, WIB, Office, make_draft, start_cycle, submit


def _versions(office: Office) -> list[tuple[str, int, str]]:
    with office.db.session() as session:
        rows = session.exec(select(NarrativeVersion).order_by(NarrativeVersion.id)).all()
        return [(row.section, row.version, row.text) for row in rows]


def _write(office: Office, number: int, text: str, *, by: str = "fajar") -> str:
    actor = office.person(by)
    cycle_id = _cycle_id(office)
    narratives.begin_replace(db=office.db, actor=actor, cycle_id=cycle_id, number=number, now=LATER)
    return narratives.record_text(db=office.db, actor=actor, now=LATER, text=text).text


def _cycle_id(office: Office) -> int:
    reply = narratives.narasi_command(db=office.db, actor=office.person("fajar"))
    data = reply.keyboard[0][0].data
    assert data is not None
    return int(data.split(":")[2])


def test_each_replacement_is_a_new_version_and_the_menu_lists_every_section(
    office: Office,
) -> None:
    start_cycle(office)

    _write(office, 0, "Teks pertama kata pengantar dari tim.")
    _write(office, 0, "Teks kedua kata pengantar dari tim.")
    menu = narratives.narasi_command(db=office.db, actor=office.person("fajar"))

    assert [v[:2] for v in _versions(office)] == [("kata_pengantar", 1), ("kata_pengantar", 2)]
    labels = [row[0].text for row in menu.keyboard]
    assert labels[0] == "✏️ Kata Pengantar"
    assert any(label.startswith("Bab III.A: sintesis sasaran") for label in labels)
    shown = narratives.show_section(
        db=office.db, actor=office.person("fajar"), cycle_id=_cycle_id(office), number=0, tz=WIB
    )
    assert "Versi 2" in shown.text and "Teks kedua" in shown.text


def test_a_docx_upload_becomes_the_text_and_a_broken_one_is_refused(office: Office) -> None:
    start_cycle(office)
    document = Document()
    document.add_paragraph("Isu strategis pertama dari berkas Word.")
    document.add_paragraph("Isu strategis kedua.")
    buffer = BytesIO()
    document.save(buffer)
    actor = office.person("fajar")
    narratives.begin_replace(
        db=office.db, actor=actor, cycle_id=_cycle_id(office), number=5, now=LATER
    )

    with pytest.raises(InvalidInput):
        narratives.record_text(
            db=office.db, actor=actor, now=LATER, data=b"not a zip", filename="isu.docx"
        )
    narratives.record_text(
        db=office.db, actor=actor, now=LATER, data=buffer.getvalue(), filename="isu.docx"
    )

    assert _versions(office) == [
        ("isu_strategis", 1, "Isu strategis pertama dari berkas Word.\nIsu strategis kedua.")
    ]


def test_others_cannot_write_and_text_without_a_prompt_is_refused(office: Office) -> None:
    start_cycle(office)

    with pytest.raises(NotAllowed):
        narratives.narasi_command(db=office.db, actor=office.person("dedi"))
    with pytest.raises(NotFound):
        narratives.record_text(
            db=office.db,
            actor=office.person("fajar"),
            now=LATER,
            text="Teks yang tidak diminta oleh bot.",
        )
    with pytest.raises(InvalidInput):
        narratives.show_section(
            db=office.db,
            actor=office.person("fajar"),
            cycle_id=_cycle_id(office),
            number=99,
            tz=WIB,
        )
    assert _versions(office) == []


def test_no_section_changes_while_a_version_is_under_review(office: Office) -> None:
    start_cycle(office)
    ready_for_a_draft(office.db)
    make_draft(office)
    submit(office)

    with pytest.raises(NotAllowed, match="sedang dalam proses paraf"):
        _write(office, 0, "Teks yang datang terlambat untuk konsep.")
    assert _versions(office) == []
