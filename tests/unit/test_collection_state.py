"""The collection's lifecycles (SOP step 2): every legal move of a line and a submitted
version, and every illegal one refused."""

from __future__ import annotations

import itertools

import pytest

from bot.domain.collection import (
    LINE_TRANSITIONS,
    SUBMISSION_TRANSITIONS,
    LineEvent,
    LineStatus,
    SubmissionEvent,
    SubmissionStatus,
    is_owing,
    is_settled,
    line_allows,
    next_line_status,
    next_submission_status,
    submission_allows,
)
from bot.domain.errors import NotAllowed

L, LE, S, SE = LineStatus, LineEvent, SubmissionStatus, SubmissionEvent


def _name(value: object) -> str:
    return str(value)


@pytest.mark.parametrize(("status", "event"), list(LINE_TRANSITIONS), ids=_name)
def test_every_legal_line_move_reaches_its_status(status: LineStatus, event: LineEvent) -> None:
    assert line_allows(status.value, event)
    assert next_line_status(status.value, event) is LINE_TRANSITIONS[(status, event)]


@pytest.mark.parametrize(
    ("status", "event"),
    [pair for pair in itertools.product(L, LE) if pair not in LINE_TRANSITIONS],
    ids=_name,
)
def test_every_illegal_line_move_is_refused(status: LineStatus, event: LineEvent) -> None:
    assert not line_allows(status, event)
    with pytest.raises(NotAllowed):
        next_line_status(status, event)


def test_accepted_data_takes_no_new_version_until_the_team_flags_it() -> None:
    assert not line_allows(L.ACCEPTED, LE.SUBMIT)
    assert next_line_status(L.ACCEPTED, LE.FLAG) is L.FLAGGED
    assert next_line_status(L.FLAGGED, LE.SUBMIT) is L.SUBMITTED


def test_a_version_is_accepted_once_and_flagged_from_submitted_or_accepted() -> None:
    assert set(SUBMISSION_TRANSITIONS) == {
        (S.SUBMITTED, SE.ACCEPT),
        (S.SUBMITTED, SE.FLAG),
        (S.ACCEPTED, SE.FLAG),
    }
    assert submission_allows("submitted", SE.ACCEPT)
    assert not submission_allows("accepted", SE.ACCEPT)


@pytest.mark.parametrize(
    ("status", "event", "message"),
    [
        (S.ACCEPTED, SE.ACCEPT, "Versi ini sudah diterima."),
        (S.FLAGGED, SE.ACCEPT, "Versi ini sudah ditandai kurang valid."),
        (S.FLAGGED, SE.FLAG, "Versi ini sudah ditandai kurang valid."),
    ],
    ids=_name,
)
def test_a_second_decision_says_what_the_version_already_is(
    status: SubmissionStatus, event: SubmissionEvent, message: str
) -> None:
    with pytest.raises(NotAllowed) as refused:
        next_submission_status(status.value, event)
    assert refused.value.message == message


def test_owing_and_settled_lines() -> None:
    assert [s for s in L if is_owing(s)] == [L.OPEN, L.FLAGGED]
    assert [s for s in L if is_settled(s)] == [L.ACCEPTED, L.NO_DATA]
