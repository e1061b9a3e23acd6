"""Callback data for inline buttons: short, opaque, and decoded in one place.

Shape: ``<area>:<action>[:<id>...]``, e.g. ``e:s:42`` (entry: start indicator line 42).
Telegram allows 64 bytes; ids are integers, so every value here stays far below that.
Every press is re-checked against who pressed it and the current state by the service.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.errors import InvalidInput
from bot.domain.numbers import whole_number
from bot.domain.roles import Role

MAX_BYTES = 64
INVALID_BUTTON = "Maaf, tombol ini tidak berlaku."

# Areas (every button of the bot belongs to one; BUTTON_RULES says who may press which)
ENTRY = "e"  # a unit entering data
CYCLE = "cy"  # rendatin starting a cycle
REVIEW = "rv"  # rendatin checking a submission
STATUS = "st"  # the /status browser
APPROVAL = "ap"  # routing the draft report: submit, initial/sign, return
MEETING = "mt"  # the review meeting: attend, send input, record the minutes
DELIVERY = "dl"  # the signed report: Terima (provinsi), delivered by hand (team)
ARCHIVE = "ar"  # the archive browser: a year's signed reports, one archived file
REMINDER = "rm"  # /pengingat and /ringkasan: resume a unit, set the morning digest
OFFICE = "of"  # /kantor: the office a person of several acts in
NARRATIVE = "nr"  # /narasi: read and replace the LKjIP's narrative sections


# Actions, one enum per area: the only place an action's letters are written. A button is
# built with ``encode(AREA, Action.X, ...)`` and routed by the table in handlers/__init__.py.


class EntryAction(StrEnum):
    """The buttons of a unit entering its data (bot/services/entry.py)."""

    MENU = "m"  # the unit's indicators, each a button
    START = "s"  # e:s:<line>: begin (or correct) one indicator
    EVIDENCE_DONE = "d"  # no more evidence files to send
    CONFIRM = "k"  # send the entry as it stands
    RESTART = "u"  # change the answers: start the entry again
    CANCEL = "x"  # drop the entry in progress


class CycleAction(StrEnum):
    """The buttons of rendatin starting a cycle (handlers/cycle.py, bot/messages/cycles.py)."""

    PERIOD = "p"  # cy:p:<year>:<period index>: collect this period
    DEADLINE = "d"  # cy:d:<year>:<period index>:<yyyymmdd>: take the suggested deadline
    SEND = "k"  # cy:k:<cycle>: number and send the Nota Dinas (or ask its signer to)
    CANCEL = "x"  # cy:x:<cycle>: discard the preview
    APPROVE = "ok"  # cy:ok:<cycle>: the signer approves: numbered and sent
    RETURN = "rt"  # cy:rt:<cycle>: the signer returns it, asking for the reason


class ApprovalAction(StrEnum):
    """The buttons of the review route (bot/services/approvals.py, SOP steps 3–4)."""

    WAITING = "ls"  # ap:ls: list the drafts awaiting the person's decision
    SUBMIT = "sub"  # ap:sub:<draft>: send a konsep version for paraf
    APPROVE = "ok"  # ap:ok:<approval>:<version>: initial (paraf) or sign
    RETURN = "rt"  # ap:rt:<approval>:<version>: return it, asking for the reason


class DeliveryAction(StrEnum):
    """The buttons of the signed report's delivery (bot/services/delivery.py, SOP step 5)."""

    RECEIVE = "ok"  # dl:ok:<delivery>: the provinsi recipient presses Terima
    BY_HAND = "mn"  # dl:mn:<delivery>: the team records a delivery by hand
    APPROVE_LETTER = "sp"  # dl:sp:<delivery>: the signer approves the Surat Pengantar
    SCAN = "sc"  # dl:sc:<draft>: attach the wet-signed, stamped scan of the signed report


class ArchiveAction(StrEnum):
    """The buttons of the archive browser (bot/services/archive.py, SOP step 6)."""

    YEAR = "y"  # ar:y:<year>: the year's signed reports
    FILE = "f"  # ar:f:<entry>: one archived file


class MeetingAction(StrEnum):
    """The buttons of the review meeting (bot/services/meeting.py)."""

    ATTEND = "y"  # mt:y:<meeting>: the invitee will attend (hadir)
    DECLINE = "n"  # mt:n:<meeting>: the invitee cannot come (berhalangan)
    INPUT = "i"  # mt:i:<meeting>: write masukan for the draft
    MINUTES = "m"  # mt:m:<meeting>: rendatin records the minutes


class NarrativeAction(StrEnum):
    """The buttons of /narasi (bot/services/narrative_sections.py)."""

    SHOW = "v"  # nr:v:<cycle>:<section number>: show the section's current text
    REPLACE = "r"  # nr:r:<cycle>:<section number>: write its next version


class ReminderAction(StrEnum):
    """The buttons of /pengingat and /ringkasan (bot/services/reminder_commands.py)."""

    RESUME = "r"  # rm:r:<unit>: resume a paused unit's reminders
    DIGEST = "g"  # rm:g:<0|1>: turn the morning digest off or on


class OfficeAction(StrEnum):
    """The buttons of /kantor (bot/services/offices.py)."""

    CHOOSE = "c"  # of:c:<office>: act in this office from now on


class ReviewAction(StrEnum):
    """The buttons on a submission and a line (bot/services/review.py)."""

    VIEW = "v"  # rv:v:<submission>: the submission in full, with its evidence files
    HISTORY = "h"  # rv:h:<line>: every version of a line
    ACCEPT = "a"  # rv:a:<submission>: accept the data as valid
    FLAG = "f"  # rv:f:<submission>: ask for the reason the data is doubtful
    NO_DATA = "n"  # rv:n:<line>: ask why the line will have no data in the report


class StatusAction(StrEnum):
    """The buttons of the /status browser (bot/services/status.py)."""

    OVERVIEW = "o"  # every open cycle per unit
    RENCANA_AKSI = "r"  # st:r:<cycle>: the cycle's Rencana Aksi workbook
    UNIT = "u"  # st:u:<cycle>:<unit>:<page>: one page of a unit's indicators


class Subject(StrEnum):
    """What a button's first id names: the object whose office the press acts in."""

    LINE = "line"  # a cycle's indicator line (cycle_indicator)
    SUBMISSION = "submission"
    CYCLE = "cycle"
    MEETING = "meeting"
    DRAFT = "draft"
    APPROVAL = "approval"
    DELIVERY = "delivery"
    ARCHIVE_ENTRY = "archive_entry"
    UNIT = "unit"
    OFFICE = "office"


# The object of each button that has one (bot/services/offices.py finds its office); a
# button without one (a year, a period, a switch) acts in the person's current office.
BUTTON_SUBJECTS: dict[tuple[str, str], Subject] = {
    (ENTRY, EntryAction.MENU): Subject.CYCLE,
    (ENTRY, EntryAction.START): Subject.LINE,
    (CYCLE, CycleAction.SEND): Subject.CYCLE,
    (CYCLE, CycleAction.CANCEL): Subject.CYCLE,
    (CYCLE, CycleAction.APPROVE): Subject.CYCLE,
    (CYCLE, CycleAction.RETURN): Subject.CYCLE,
    (REVIEW, ReviewAction.VIEW): Subject.SUBMISSION,
    (REVIEW, ReviewAction.ACCEPT): Subject.SUBMISSION,
    (REVIEW, ReviewAction.FLAG): Subject.SUBMISSION,
    (REVIEW, ReviewAction.HISTORY): Subject.LINE,
    (REVIEW, ReviewAction.NO_DATA): Subject.LINE,
    (STATUS, StatusAction.RENCANA_AKSI): Subject.CYCLE,
    (STATUS, StatusAction.UNIT): Subject.CYCLE,
    (MEETING, MeetingAction.ATTEND): Subject.MEETING,
    (MEETING, MeetingAction.DECLINE): Subject.MEETING,
    (MEETING, MeetingAction.INPUT): Subject.MEETING,
    (MEETING, MeetingAction.MINUTES): Subject.MEETING,
    (APPROVAL, ApprovalAction.SUBMIT): Subject.DRAFT,
    (APPROVAL, ApprovalAction.APPROVE): Subject.APPROVAL,
    (APPROVAL, ApprovalAction.RETURN): Subject.APPROVAL,
    (DELIVERY, DeliveryAction.RECEIVE): Subject.DELIVERY,
    (DELIVERY, DeliveryAction.BY_HAND): Subject.DELIVERY,
    (ARCHIVE, ArchiveAction.FILE): Subject.ARCHIVE_ENTRY,
    (REMINDER, ReminderAction.RESUME): Subject.UNIT,
    (OFFICE, OfficeAction.CHOOSE): Subject.OFFICE,
}


def subject_of(data: Callback) -> tuple[Subject, int] | None:
    """The object a press names (its kind and id), or None when it names none."""
    subject = BUTTON_SUBJECTS.get((data.area, data.action))
    if subject is None or not data.ids:
        return None
    return subject, data.ids[0]


@dataclass(frozen=True)
class ButtonRule:
    """Who may press the buttons of one area and actions: a row of the authorisation table.

    ``roles`` is checked before the press reaches its handler (handlers/permissions.py);
    ``also`` says what the service checks on top, against the object and its state.
    """

    area: str
    actions: frozenset[str]
    does: str
    roles: frozenset[Role] | None  # None: any registered person, the service checks who
    also: str = ""

    def allowed_for(self, roles: frozenset[Role]) -> bool:
        """Tell whether someone holding ``roles`` may press these buttons at all."""
        return self.roles is None or bool(self.roles & roles)


def _rule(
    area: str,
    actions: str | Iterable[str],
    does: str,
    roles: set[Role] | None,
    also: str = "",
) -> ButtonRule:
    names = actions.split() if isinstance(actions, str) else [str(action) for action in actions]
    return ButtonRule(
        area, frozenset(names), does, None if roles is None else frozenset(roles), also
    )


_UNIT = {Role.STAF, Role.KASUBBAG}
_READERS = {Role.RENDATIN, Role.SEKRETARIS, Role.PIMPINAN}
BUTTON_RULES: tuple[ButtonRule, ...] = (
    _rule(ENTRY, EntryAction, "enter the unit's data", _UNIT, "a line of their own unit"),
    _rule(
        REVIEW,
        (ReviewAction.VIEW, ReviewAction.HISTORY),
        "see an indicator's data, evidence, history",
        _READERS | _UNIT,
        "staf and Kasubbag: their own unit's",
    ),
    _rule(
        REVIEW,
        (ReviewAction.ACCEPT, ReviewAction.FLAG, ReviewAction.NO_DATA),
        "accept, ask for a correction, mark 'no data'",
        {Role.RENDATIN},
    ),
    _rule(
        CYCLE,
        (CycleAction.PERIOD, CycleAction.DEADLINE, CycleAction.SEND, CycleAction.CANCEL),
        "choose period and deadline, send or cancel the Nota Dinas",
        {Role.RENDATIN},
        "sent at once by its signer (the Ketua Tim); from another, it goes to her first",
    ),
    _rule(
        CYCLE,
        (CycleAction.APPROVE, CycleAction.RETURN),
        "approve or return the Nota Dinas",
        None,
        "the Nota Dinas's signer (the Ketua Tim), or her Plh./Plt.; while it awaits her",
    ),
    _rule(STATUS, StatusAction, "the /status pages", _READERS),
    _rule(
        MEETING,
        (MeetingAction.ATTEND, MeetingAction.DECLINE, MeetingAction.INPUT),
        "attend the review meeting or not, send input",
        None,
        "those invited",
    ),
    _rule(MEETING, [MeetingAction.MINUTES], "record the minutes", {Role.RENDATIN}),
    _rule(
        APPROVAL,
        [ApprovalAction.WAITING],
        "list the drafts awaiting a decision",
        None,
        "what awaits the person",
    ),
    _rule(APPROVAL, [ApprovalAction.SUBMIT], "submit a draft for paraf", {Role.RENDATIN}),
    _rule(
        APPROVAL,
        [ApprovalAction.APPROVE, ApprovalAction.RETURN],
        "initial or sign, return",
        None,
        "the person it was sent to, or their Plh./Plt.",
    ),
    _rule(DELIVERY, [DeliveryAction.RECEIVE], "acknowledge receipt (Terima)", {Role.PROVINSI}),
    _rule(DELIVERY, [DeliveryAction.BY_HAND], "record a delivery by hand", {Role.RENDATIN}),
    _rule(
        DELIVERY,
        [DeliveryAction.APPROVE_LETTER],
        "approve the Surat Pengantar",
        None,
        "the report's signer (the Sekretaris by default), or his Plh./Plt.",
    ),
    _rule(
        DELIVERY,
        [DeliveryAction.SCAN],
        "attach the stamped scan of the signed report",
        None,
        "rendatin, or the report's signer",
    ),
    _rule(ARCHIVE, ArchiveAction, "browse and download the archive", _READERS | {Role.ADMIN}),
    _rule(REMINDER, [ReminderAction.RESUME], "resume a unit's reminders", {Role.RENDATIN}),
    _rule(
        NARRATIVE,
        NarrativeAction,
        "read and replace the report's narrative sections",
        {Role.RENDATIN},
        "the latest cycle of their office, not while under review",
    ),
    _rule(
        REMINDER,
        [ReminderAction.DIGEST],
        "turn the morning digest on or off",
        {Role.RENDATIN, Role.SEKRETARIS},
    ),
    _rule(
        OFFICE,
        OfficeAction,
        "choose the office to act in (/kantor)",
        None,
        "an office the account is a person of",
    ),
)


def buttons_table() -> str:
    """The button rules as a Markdown table (README.md shows exactly this)."""
    rows = ["| buttons | who may press | and the service checks |", "|---|---|---|"]
    for rule in BUTTON_RULES:
        who = (
            "anyone registered"
            if rule.roles is None
            else ", ".join(role.value for role in Role if role in rule.roles)
        )
        rows.append(f"| {rule.does} | {who} | {rule.also or '—'} |")
    return "\n".join(rows)


def rule_for(area: str, action: str) -> ButtonRule | None:
    """The rule for a press, or None when no button of the bot has this area and action."""
    return next(
        (rule for rule in BUTTON_RULES if rule.area == area and action in rule.actions), None
    )


@dataclass(frozen=True)
class Callback:
    """A decoded button press."""

    area: str
    action: str
    ids: tuple[int, ...] = ()

    def id(self, position: int = 0) -> int:
        """Return the ``position``-th id; a forged or garbled press gets a polite refusal."""
        if position >= len(self.ids):
            raise InvalidInput(INVALID_BUTTON)
        return self.ids[position]


def encode(area: str, action: str, *ids: int) -> str:
    """Build callback data; raise ValueError if it would exceed Telegram's 64 bytes."""
    data = ":".join([area, action, *(str(int(value)) for value in ids)])
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data too long: {data!r}")
    return data


def decode(data: str | None) -> Callback | None:
    """Read callback data; None when it is not ours or is malformed."""
    if not data:
        return None
    parts = data.split(":")
    if len(parts) < 2 or not parts[0]:
        return None
    ids = tuple(whole_number(part) for part in parts[2:])
    if None in ids:
        return None
    return Callback(parts[0], parts[1], tuple(value for value in ids if value is not None))


def in_area(area: str, action: str | None = None) -> Callable[[object], bool]:
    """A CallbackQueryHandler pattern: the data is well-formed and belongs to ``area``
    (and ``action``, when given).

    Garbled or forged data of a known area then falls through to the stale-button answer
    instead of reaching the area's handler.
    """

    def matches(data: object) -> bool:
        decoded = decode(data) if isinstance(data, str) else None
        return (
            decoded is not None
            and decoded.area == area
            and (action is None or decoded.action == action)
        )

    return matches


def in_known_area(data: object) -> bool:
    """A CallbackQueryHandler pattern: well-formed data of an area some button rule names."""
    decoded = decode(data) if isinstance(data, str) else None
    return decoded is not None and any(rule.area == decoded.area for rule in BUTTON_RULES)
