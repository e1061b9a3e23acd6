"""The review meeting (SOP step 2d) as an explicit state machine.

A meeting is scheduled, invitees answer and send written input, and recording the minutes
marks it held; input may still come after that, answers may not. A cancelled meeting takes
no move at all (no command cancels one yet; the status is kept for the stored rows).
"""

from __future__ import annotations

from enum import StrEnum

from bot.domain.errors import NotAllowed


class MeetingStatus(StrEnum):
    """Where a review meeting stands."""

    SCHEDULED = "scheduled"  # invitations sent, not yet held
    HELD = "held"  # its minutes were recorded
    CANCELLED = "cancelled"  # called off: nothing more happens to it


class MeetingEvent(StrEnum):
    """What can happen to a review meeting."""

    RESPOND = "respond"  # an invitee answers hadir or berhalangan (or changes the answer)
    SEND_INPUT = "send_input"  # an invitee sends written input for the draft
    RECORD_MINUTES = "record_minutes"  # rendatin records (or replaces) the minutes


class Answer(StrEnum):
    """An invitee's answer to the invitation (none until they give one)."""

    HADIR = "hadir"
    BERHALANGAN = "berhalangan"


TRANSITIONS: dict[tuple[MeetingStatus, MeetingEvent], MeetingStatus] = {
    (MeetingStatus.SCHEDULED, MeetingEvent.RESPOND): MeetingStatus.SCHEDULED,
    (MeetingStatus.SCHEDULED, MeetingEvent.SEND_INPUT): MeetingStatus.SCHEDULED,
    (MeetingStatus.SCHEDULED, MeetingEvent.RECORD_MINUTES): MeetingStatus.HELD,
    (MeetingStatus.HELD, MeetingEvent.SEND_INPUT): MeetingStatus.HELD,
    (MeetingStatus.HELD, MeetingEvent.RECORD_MINUTES): MeetingStatus.HELD,
}

# Why a move from a status is refused.
REFUSALS: dict[MeetingStatus, str] = {
    MeetingStatus.HELD: "Rapat sudah berlangsung; kehadiran tidak dapat diubah lagi.",
    MeetingStatus.CANCELLED: "Rapat ini sudah dibatalkan.",
}


def is_closed(status: MeetingStatus | str) -> bool:
    """Tell whether no event can move a meeting in ``status`` any more."""
    current = MeetingStatus(status)
    return not any(source == current for source, _ in TRANSITIONS)


def allowing(event: MeetingEvent) -> tuple[MeetingStatus, ...]:
    """The statuses in which ``event`` may happen (for queries), in a stable order."""
    return tuple(status for status in MeetingStatus if (status, event) in TRANSITIONS)


# The meeting of a cycle is its latest one not closed; reminders go to the ones still ahead.
LIVE: tuple[MeetingStatus, ...] = tuple(s for s in MeetingStatus if not is_closed(s))
UPCOMING: tuple[MeetingStatus, ...] = allowing(MeetingEvent.RESPOND)


def require_open(status: MeetingStatus | str) -> None:
    """Refuse, politely, anything at all on a closed meeting."""
    current = MeetingStatus(status)
    if is_closed(current):
        raise NotAllowed(REFUSALS[current])


def next_status(status: MeetingStatus | str, event: MeetingEvent) -> MeetingStatus:
    """Return the status after ``event``; an illegal move raises NotAllowed, politely."""
    current = MeetingStatus(status)
    target = TRANSITIONS.get((current, event))
    if target is None:
        raise NotAllowed(REFUSALS[current])
    return target
