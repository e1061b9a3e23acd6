"""Pending input: every kind reads the JSON the bot stored before its payloads were typed,
and writes exactly that JSON again (a question asked before an upgrade is answered after)."""

from __future__ import annotations

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


def test_ids_stored_as_text_still_read() -> None:
    assert CycleDeadline.from_json({"year": "2026", "period": "tahunan"}).year == 2026
    assert MeetingSchedule.from_json({"step": "place", "cycle": "2"}).step is ScheduleStep.PLACE


def test_a_kind_this_version_does_not_know_is_nothing_awaited() -> None:
    assert read_payload("something_new", {"x": 1}) is None
