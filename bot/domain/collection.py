"""The data collection (SOP step 2) as explicit state machines, like the draft's.

A Rencana Aksi line (one indicator of one unit in a cycle) and each submitted version of it
move only along the transitions in ``LINE_TRANSITIONS`` and ``SUBMISSION_TRANSITIONS``; the
services ask these tables instead of comparing status strings. An illegal move raises
NotAllowed. The statuses are stored as their plain string values.
"""

from __future__ import annotations

from enum import StrEnum

from bot.domain.errors import NotAllowed


class LineStatus(StrEnum):
    """Where a Rencana Aksi line stands: it follows its newest version's review."""

    OPEN = "open"  # nothing submitted yet
    SUBMITTED = "submitted"  # a version waits for rendatin's check
    FLAGGED = "flagged"  # rendatin asked the unit for a correction
    ACCEPTED = "accepted"  # rendatin accepted the newest version
    NO_DATA = "no_data"  # rendatin marked it "tidak ada data", with a reason


class LineEvent(StrEnum):
    """What can happen to a line."""

    SUBMIT = "submit"  # the unit sends a new version (chat or workbook)
    ACCEPT = "accept"  # rendatin accepts the newest version
    FLAG = "flag"  # rendatin flags the newest version as doubtful
    MARK_NO_DATA = "mark_no_data"  # rendatin says the report will have no data for it


class SubmissionStatus(StrEnum):
    """Where one submitted version stands in rendatin's check (SOP steps 2b and 2e)."""

    SUBMITTED = "submitted"
    FLAGGED = "flagged"
    ACCEPTED = "accepted"


class SubmissionEvent(StrEnum):
    """What rendatin can decide about a version."""

    ACCEPT = "accept"
    FLAG = "flag"


_ANSWERABLE = (LineStatus.OPEN, LineStatus.SUBMITTED, LineStatus.FLAGGED, LineStatus.NO_DATA)

LINE_TRANSITIONS: dict[tuple[LineStatus, LineEvent], LineStatus] = {
    # Accepted data changes only through the team (it flags it first, SOP step 2e).
    **{(status, LineEvent.SUBMIT): LineStatus.SUBMITTED for status in _ANSWERABLE},
    **{(status, LineEvent.MARK_NO_DATA): LineStatus.NO_DATA for status in _ANSWERABLE},
    (LineStatus.SUBMITTED, LineEvent.ACCEPT): LineStatus.ACCEPTED,
    (LineStatus.SUBMITTED, LineEvent.FLAG): LineStatus.FLAGGED,
    (LineStatus.ACCEPTED, LineEvent.FLAG): LineStatus.FLAGGED,
    # A version sent before the line was marked "no data" is still decided on.
    (LineStatus.NO_DATA, LineEvent.ACCEPT): LineStatus.ACCEPTED,
    (LineStatus.NO_DATA, LineEvent.FLAG): LineStatus.FLAGGED,
}

SUBMISSION_TRANSITIONS: dict[tuple[SubmissionStatus, SubmissionEvent], SubmissionStatus] = {
    (SubmissionStatus.SUBMITTED, SubmissionEvent.ACCEPT): SubmissionStatus.ACCEPTED,
    (SubmissionStatus.SUBMITTED, SubmissionEvent.FLAG): SubmissionStatus.FLAGGED,
    # Accepted data can still be flagged (the correction flow of SOP step 2e, e.g. after a
    # reviewer returned the draft report), but not accepted twice.
    (SubmissionStatus.ACCEPTED, SubmissionEvent.FLAG): SubmissionStatus.FLAGGED,
}

# What a decided version already is, in the refusal of a second decision.
_DECIDED = {
    SubmissionStatus.FLAGGED: "ditandai kurang valid",
    SubmissionStatus.ACCEPTED: "diterima",
}

# The decision on a version, as the event its line goes through.
LINE_EVENT_OF: dict[SubmissionEvent, LineEvent] = {
    SubmissionEvent.ACCEPT: LineEvent.ACCEPT,
    SubmissionEvent.FLAG: LineEvent.FLAG,
}


def line_allows(status: LineStatus | str, event: LineEvent) -> bool:
    """Tell whether a line in ``status`` may go through ``event``."""
    return (LineStatus(status), event) in LINE_TRANSITIONS


def next_line_status(status: LineStatus | str, event: LineEvent) -> LineStatus:
    """Return the line's status after ``event``; an illegal move raises NotAllowed."""
    target = LINE_TRANSITIONS.get((LineStatus(status), event))
    if target is None:
        raise NotAllowed("Langkah ini tidak dapat dilakukan untuk indikator ini sekarang.")
    return target


# The lines that still need the unit's data: nothing sent yet, or a correction asked for.
OWING: frozenset[LineStatus] = frozenset({LineStatus.OPEN, LineStatus.FLAGGED})


def is_owing(status: LineStatus | str) -> bool:
    """Tell whether the line still needs the unit's data (nothing sent, or a correction)."""
    return LineStatus(status) in OWING


def is_settled(status: LineStatus | str) -> bool:
    """Tell whether nothing more is expected for the line: accepted, or marked "no data"."""
    return LineStatus(status) in (LineStatus.ACCEPTED, LineStatus.NO_DATA)


def submission_allows(status: SubmissionStatus | str, event: SubmissionEvent) -> bool:
    """Tell whether a version in ``status`` may still be decided with ``event``."""
    return (SubmissionStatus(status), event) in SUBMISSION_TRANSITIONS


def next_submission_status(
    status: SubmissionStatus | str, event: SubmissionEvent
) -> SubmissionStatus:
    """Return the version's status after ``event``; a second decision raises NotAllowed."""
    current = SubmissionStatus(status)
    target = SUBMISSION_TRANSITIONS.get((current, event))
    if target is None:
        raise NotAllowed(f"Versi ini sudah {_DECIDED[current]}.")
    return target
