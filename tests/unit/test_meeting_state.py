"""The review meeting's lifecycle (SOP step 2d): every legal move, every illegal one refused."""

from __future__ import annotations

import itertools

import pytest

from bot.domain.errors import NotAllowed
from bot.domain.meeting import (
    LIVE,
    REFUSALS,
    TRANSITIONS,
    UPCOMING,
    MeetingEvent,
    MeetingStatus,
    is_closed,
    next_status,
    require_open,
)

S, E = MeetingStatus, MeetingEvent
ILLEGAL = [pair for pair in itertools.product(S, E) if pair not in TRANSITIONS]


def test_recording_the_minutes_marks_the_meeting_held_and_input_may_follow() -> None:
    assert next_status(S.SCHEDULED, E.RECORD_MINUTES) is S.HELD
    assert next_status(S.HELD, E.SEND_INPUT) is S.HELD
    assert next_status(S.HELD, E.RECORD_MINUTES) is S.HELD
    assert next_status("scheduled", E.RESPOND) is S.SCHEDULED


@pytest.mark.parametrize(("status", "event"), ILLEGAL, ids=lambda v: str(v))
def test_every_illegal_move_is_refused_with_the_status_reason(
    status: MeetingStatus, event: MeetingEvent
) -> None:
    with pytest.raises(NotAllowed) as refused:
        next_status(status, event)
    assert refused.value.message == REFUSALS[status]


def test_answers_close_once_held_and_a_cancelled_meeting_takes_nothing() -> None:
    with pytest.raises(NotAllowed, match="kehadiran tidak dapat diubah lagi"):
        next_status(S.HELD, E.RESPOND)
    assert is_closed(S.CANCELLED) and not is_closed(S.HELD)
    with pytest.raises(NotAllowed, match="sudah dibatalkan"):
        require_open(S.CANCELLED)
    require_open(S.HELD)


def test_the_queries_ask_the_table() -> None:
    assert set(LIVE) == {S.SCHEDULED, S.HELD}
    assert UPCOMING == (S.SCHEDULED,)
