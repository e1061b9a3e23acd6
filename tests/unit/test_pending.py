"""Pending input: every kind reads the JSON the bot stored before its payloads were typed,
and writes exactly that JSON again (a question asked before an upgrade is answered after)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from bot.domain.pending import (
    PAYLOADS,
    CycleDeadline,
    EntryDraft,
    EntryStep,
    EvidenceFile,
    MeetingSchedule,
    PendingKind,
    ScheduleStep,
    read_payload,
)

# (kind, payload) exactly as the code before the typed payloads stored them.
STORED_BEFORE: list[tuple[str, dict[str, Any]]] = [
    ("entry", {"line": 7, "step": "realisasi", "evidence": []}),
    (
        "entry",
        {
            "line": 7,
            "step": "confirm",
            "evidence": [{"file": 3, "name": "bukti.pdf"}, {"file": 4, "name": "foto.jpg"}],
            "realisasi": "85.5",
            "penjelasan": "Tercapai.",
            "kendala": "Hujan.",
            "upaya": "Lembur.",
        },
    ),
    # Stored by the code before the faktor pendukung: below target, at the kendala question.
    (
        "entry",
        {
            "line": 7,
            "step": "kendala",
            "evidence": [],
            "realisasi": "80",
            "penjelasan": "Sebagian kegiatan tertunda.",
        },
    ),
    # And the shape this version stores, with the faktor pendukung.
    (
        "entry",
        {
            "line": 7,
            "step": "upaya",
            "evidence": [],
            "realisasi": "100",
            "penjelasan": "Tercapai.",
            "pendukung": "Koordinasi rutin.",
            "kendala": "Cuaca.",
        },
    ),
    ("flag", {"submission": 12}),
    ("no_data", {"line": 9}),
    ("cycle_deadline", {"year": 2026, "period": "tw1"}),
    ("meeting", {"step": "when", "cycle": 2}),
    (
        "meeting",
        {"step": "agenda", "cycle": 2, "starts_at": "2026-12-10T09:00:00+07:00", "place": "Aula"},
    ),
    ("meeting_input", {"meeting": 5}),
    ("minutes", {"meeting": 5}),
    ("approval_return", {"approval": 21, "version": 3}),
    ("delivery_manual", {"delivery": 4}),
    ("delivery_scan", {"draft": 7}),
    ("narrative", {"cycle": 2, "section": "sintesis:SS 1"}),
    ("nota_dinas_return", {"cycle": 2}),  # new with the Nota Dinas approval: its JSON from then
]


def test_every_kind_has_one_payload() -> None:
    assert set(PAYLOADS) == set(PendingKind)
    assert {kind for kind, _ in STORED_BEFORE} == {kind.value for kind in PendingKind}


@pytest.mark.parametrize(("kind", "stored"), STORED_BEFORE, ids=lambda value: str(value)[:30])
def test_a_payload_stored_before_reads_and_writes_back_unchanged(
    kind: str, stored: dict[str, Any]
) -> None:
    payload = read_payload(kind, stored)
    assert payload is not None and payload.kind == kind
    assert payload.to_json() == stored


def test_an_entry_reads_as_its_answers() -> None:
    draft = EntryDraft.from_json(STORED_BEFORE[1][1])
    assert draft.step is EntryStep.CONFIRM and draft.realisasi == "85.5"
    assert draft.evidence == (EvidenceFile(3, "bukti.pdf"), EvidenceFile(4, "foto.jpg"))
    assert EntryDraft(line=7).to_json() == STORED_BEFORE[0][1]


def test_an_entry_keeps_a_typed_answer_under_its_step() -> None:
    draft = EntryDraft(line=1, step=EntryStep.KENDALA).answered("Hujan.")
    assert draft.kendala == "Hujan." and draft.penjelasan is None
    with pytest.raises(ValueError):
        EntryDraft(line=1).answered("85")


def test_an_entry_keeps_the_faktor_pendukung_under_its_step() -> None:
    draft = EntryDraft(line=1, step=EntryStep.PENDUKUNG).answered("Koordinasi rutin.")
    assert draft.pendukung == "Koordinasi rutin." and draft.kendala is None
    assert draft.to_json()["pendukung"] == "Koordinasi rutin."


def answer(draft: EntryDraft, text: str, *, below_target: bool) -> EntryDraft:
    """Answer the draft's current question and move to the next, as the entry service does."""
    answered = draft.answered(text)
    return replace(answered, step=answered.next_question(below_target=below_target))


def steps_of(answers: list[str], *, below_target: bool) -> list[EntryStep]:
    """The questions asked, in order, when a person gives ``answers`` one after another."""
    draft = EntryDraft(line=1, realisasi="100", step=EntryStep.PENJELASAN)
    asked = [draft.step]
    for text in answers:
        draft = answer(draft, text, below_target=below_target)
        asked.append(draft.step)
    return asked


def test_at_or_above_100_the_pendukung_and_penghambat_are_asked_and_tidak_ada_skips_upaya() -> None:
    assert steps_of(["Tercapai.", "Koordinasi rutin.", "Tidak ada."], below_target=False) == [
        EntryStep.PENJELASAN,
        EntryStep.PENDUKUNG,
        EntryStep.KENDALA,
        EntryStep.EVIDENCE,
    ]


def test_at_or_above_100_a_named_penghambat_asks_for_the_upaya() -> None:
    asked = steps_of(
        ["Tercapai.", "Koordinasi rutin.", "Hujan saat distribusi.", "Jadwal dimajukan."],
        below_target=False,
    )
    assert asked == [
        EntryStep.PENJELASAN,
        EntryStep.PENDUKUNG,
        EntryStep.KENDALA,
        EntryStep.UPAYA,
        EntryStep.EVIDENCE,
    ]


def test_below_100_every_question_is_asked_even_after_tidak_ada() -> None:
    asked = steps_of(["Tertunda.", "Koordinasi.", "tidak ada", "Dipercepat."], below_target=True)
    assert asked == [
        EntryStep.PENJELASAN,
        EntryStep.PENDUKUNG,
        EntryStep.KENDALA,
        EntryStep.UPAYA,
        EntryStep.EVIDENCE,
    ]


def test_a_draft_stored_at_the_kendala_step_before_the_pendukung_picks_it_up() -> None:
    draft = EntryDraft.from_json(STORED_BEFORE[2][1])
    assert draft.step is EntryStep.KENDALA and draft.pendukung is None

    draft = answer(draft, "Anggaran dipotong.", below_target=True)
    assert draft.step is EntryStep.PENDUKUNG and draft.kendala == "Anggaran dipotong."
    draft = answer(draft, "Koordinasi dengan KPU Provinsi.", below_target=True)
    assert draft.step is EntryStep.UPAYA
    draft = answer(draft, "Kegiatan dialihkan ke daring.", below_target=True)
    assert draft.step is EntryStep.EVIDENCE


def test_a_draft_stored_complete_before_the_pendukung_still_asks_it() -> None:
    draft = EntryDraft.from_json(STORED_BEFORE[1][1])
    assert draft.next_question(below_target=True) is EntryStep.PENDUKUNG


def test_ids_stored_as_text_still_read() -> None:
    assert CycleDeadline.from_json({"year": "2026", "period": "tahunan"}).year == 2026
    assert MeetingSchedule.from_json({"step": "place", "cycle": "2"}).step is ScheduleStep.PLACE


def test_a_kind_this_version_does_not_know_is_nothing_awaited() -> None:
    assert read_payload("something_new", {"x": 1}) is None
