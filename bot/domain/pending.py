"""What the bot waits for a person to type or send: one kind each, with a typed payload.

A payload is stored as JSON in ``pending_input`` (kind and payload columns) so a restart
loses nothing. The JSON of every kind is exactly what the bot stored before these classes
existed, so a question asked before an upgrade is still answered after it; a kind this
version does not know reads as nothing awaited.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from enum import StrEnum
from typing import Any, ClassVar, Self

from bot.domain.checks import upaya_needed


class PendingKind(StrEnum):
    """What the person is answering (the values are the stored ``kind``)."""

    ENTRY = "entry"  # a unit member entering one indicator, step by step
    FLAG_REASON = "flag"  # rendatin is typing why a submission is doubtful
    NO_DATA_REASON = "no_data"  # rendatin is typing why an indicator has no data
    CYCLE_DEADLINE = "cycle_deadline"  # rendatin is typing the deadline of a new cycle
    MEETING_SCHEDULE = "meeting"  # rendatin is scheduling the meeting (when, place, agenda)
    MEETING_INPUT = "meeting_input"  # an invitee is writing masukan for the draft
    MINUTES = "minutes"  # rendatin is recording the minutes
    RETURN_REASON = "approval_return"  # a reviewer is writing why they return the draft
    MANUAL_RECEIVER = "delivery_manual"  # who received the report delivered by hand
    SIGNED_SCAN = "delivery_scan"  # the wet-signed, stamped report's scan, as a file
    NARRATIVE = "narrative"  # rendatin is writing a narrative section of the LKjIP (/narasi)
    NOTA_DINAS_RETURN = "nota_dinas_return"  # the signer is writing why she returns it


class EntryStep(StrEnum):
    """The questions of an entry, in order (``evidence`` and ``confirm`` take buttons)."""

    REALISASI = "realisasi"
    PENJELASAN = "penjelasan"
    PENDUKUNG = "pendukung"  # faktor pendukung, asked for every indicator
    KENDALA = "kendala"  # faktor penghambat, asked for every indicator
    UPAYA = "upaya"  # upaya / alternatif solusi, when something stood in the way
    EVIDENCE = "evidence"
    CONFIRM = "confirm"


class ScheduleStep(StrEnum):
    """The questions of scheduling the review meeting, in order."""

    WHEN = "when"
    PLACE = "place"
    AGENDA = "agenda"


@dataclass(frozen=True)
class Pending:
    """What every payload offers: its kind, and its JSON both ways."""

    kind: ClassVar[PendingKind]

    def to_json(self) -> dict[str, Any]:
        """The payload as stored: its fields by name (a payload of ids and words)."""
        return {field.name: getattr(self, field.name) for field in fields(self)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        """Read a stored payload of ids (``int`` fields) and words (``str`` fields)."""
        return cls(**{field.name: _READ[field.type](data[field.name]) for field in fields(cls)})


# How a stored value of each field type is read (annotations are strings here).
_READ: dict[object, Any] = {"int": lambda value: int(str(value)), "str": str}


@dataclass(frozen=True)
class EvidenceFile:
    """A file attached to the entry in progress (a stored file's id, and its name)."""

    file: int
    name: str


@dataclass(frozen=True)
class EntryDraft(Pending):
    """An entry in progress: the answers so far, kept until the person confirms."""

    kind: ClassVar[PendingKind] = PendingKind.ENTRY

    line: int
    step: EntryStep = EntryStep.REALISASI
    evidence: tuple[EvidenceFile, ...] = ()
    realisasi: str | None = None  # the parsed Decimal, as text
    penjelasan: str | None = None
    pendukung: str | None = None  # absent from drafts stored before it was asked
    kendala: str | None = None
    upaya: str | None = None

    def answered(self, text: str) -> EntryDraft:
        """Keep ``text`` as the answer to the current step (a typed text step)."""
        if self.step is EntryStep.PENJELASAN:
            return replace(self, penjelasan=text)
        if self.step is EntryStep.PENDUKUNG:
            return replace(self, pendukung=text)
        if self.step is EntryStep.KENDALA:
            return replace(self, kendala=text)
        if self.step is EntryStep.UPAYA:
            return replace(self, upaya=text)
        raise ValueError(f"the {self.step} step takes no typed text")

    def next_question(self, *, below_target: bool) -> EntryStep:
        """The first typed question still unanswered, in order; EVIDENCE when none is left.

        Penjelasan, faktor pendukung and faktor penghambat are asked for every indicator; the
        upaya / alternatif solusi when the target was not reached (or the capaian cannot be
        computed) or a penghambat was named. Asking the first unanswered one, rather than the
        one after the current step, lets a draft stored before the faktor pendukung existed
        (at the kendala or upaya step, or past them) pick up the question it skipped.
        """
        if self.penjelasan is None:
            return EntryStep.PENJELASAN
        if self.pendukung is None:
            return EntryStep.PENDUKUNG
        if self.kendala is None:
            return EntryStep.KENDALA
        if self.upaya is None and upaya_needed(below_target=below_target, kendala=self.kendala):
            return EntryStep.UPAYA
        return EntryStep.EVIDENCE

    def to_json(self) -> dict[str, Any]:
        """The payload as stored: the answers not given yet are left out."""
        data: dict[str, Any] = {
            "line": self.line,
            "step": self.step.value,
            "evidence": [{"file": item.file, "name": item.name} for item in self.evidence],
        }
        for name in ("realisasi", "penjelasan", "pendukung", "kendala", "upaya"):
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        """Read a stored entry."""
        return cls(
            line=int(data["line"]),
            step=EntryStep(data.get("step", EntryStep.REALISASI)),
            evidence=tuple(
                EvidenceFile(file=int(item["file"]), name=str(item["name"]))
                for item in data.get("evidence", [])
            ),
            realisasi=_text(data, "realisasi"),
            penjelasan=_text(data, "penjelasan"),
            pendukung=_text(data, "pendukung"),
            kendala=_text(data, "kendala"),
            upaya=_text(data, "upaya"),
        )


@dataclass(frozen=True)
class FlagReason(Pending):
    """Rendatin is typing why a submission is doubtful."""

    kind: ClassVar[PendingKind] = PendingKind.FLAG_REASON
    submission: int


@dataclass(frozen=True)
class NoDataReason(Pending):
    """Rendatin is typing why a line will have no data in the report."""

    kind: ClassVar[PendingKind] = PendingKind.NO_DATA_REASON
    line: int


@dataclass(frozen=True)
class InviteeInput(Pending):
    """An invitee is writing masukan for the meeting."""

    kind: ClassVar[PendingKind] = PendingKind.MEETING_INPUT
    meeting: int


@dataclass(frozen=True)
class Minutes(Pending):
    """Rendatin is recording the minutes of the meeting."""

    kind: ClassVar[PendingKind] = PendingKind.MINUTES
    meeting: int


@dataclass(frozen=True)
class NarrativeText(Pending):
    """Rendatin is writing (typing or uploading) a narrative section of the cycle's LKjIP."""

    kind: ClassVar[PendingKind] = PendingKind.NARRATIVE
    cycle: int
    section: str  # a key of bot.domain.narrative.SECTIONS, or "sintesis:<kode sasaran>"


@dataclass(frozen=True)
class ManualReceiver(Pending):
    """Rendatin is typing who received the report delivered by hand."""

    kind: ClassVar[PendingKind] = PendingKind.MANUAL_RECEIVER
    delivery: int


@dataclass(frozen=True)
class SignedScan(Pending):
    """The Sekretaris or the team is sending the scan of the wet-signed, stamped report."""

    kind: ClassVar[PendingKind] = PendingKind.SIGNED_SCAN
    draft: int


@dataclass(frozen=True)
class ReturnReason(Pending):
    """A reviewer is writing why they return a version of the draft."""

    kind: ClassVar[PendingKind] = PendingKind.RETURN_REASON
    approval: int
    version: int


@dataclass(frozen=True)
class NotaDinasReturn(Pending):
    """The Nota Dinas's signer is writing why she returns the cycle's Nota Dinas."""

    kind: ClassVar[PendingKind] = PendingKind.NOTA_DINAS_RETURN
    cycle: int


@dataclass(frozen=True)
class CycleDeadline(Pending):
    """Rendatin is typing the deadline of the cycle for ``period`` of ``year``."""

    kind: ClassVar[PendingKind] = PendingKind.CYCLE_DEADLINE
    year: int
    period: str  # a Period value


@dataclass(frozen=True)
class MeetingSchedule(Pending):
    """Rendatin is scheduling the review meeting of a cycle, one answer at a time."""

    kind: ClassVar[PendingKind] = PendingKind.MEETING_SCHEDULE
    cycle: int
    step: ScheduleStep = ScheduleStep.WHEN
    starts_at: str | None = None  # ISO 8601, with the office's offset
    place: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The payload as stored: the answers not given yet are left out."""
        data: dict[str, Any] = {"step": self.step.value, "cycle": self.cycle}
        if self.starts_at is not None:
            data["starts_at"] = self.starts_at
        if self.place is not None:
            data["place"] = self.place
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        """Read a stored payload."""
        return cls(
            cycle=int(data["cycle"]),
            step=ScheduleStep(data.get("step", ScheduleStep.WHEN)),
            starts_at=_text(data, "starts_at"),
            place=_text(data, "place"),
        )


PAYLOADS: dict[PendingKind, type[Pending]] = {
    payload.kind: payload
    for payload in (
        EntryDraft,
        FlagReason,
        NoDataReason,
        CycleDeadline,
        MeetingSchedule,
        InviteeInput,
        Minutes,
        ReturnReason,
        ManualReceiver,
        SignedScan,
        NarrativeText,
        NotaDinasReturn,
    )
}


def read_payload(kind: str, data: Mapping[str, Any]) -> Pending | None:
    """Read a stored kind and payload; None for a kind this version does not know."""
    try:
        known = PendingKind(kind)
    except ValueError:
        return None
    return PAYLOADS[known].from_json(data)


def _text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return None if value is None else str(value)
