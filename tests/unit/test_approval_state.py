"""The draft's route (SOP steps 3–4): every legal move, and every illegal one refused politely."""

from __future__ import annotations

import itertools

import pytest

from bot.domain.approval import (
    DRAFT_STATUS_LABELS,
    STAGE_OF,
    TRANSITIONS,
    DraftEvent,
    DraftStatus,
    Stage,
    is_closed,
    next_status,
)
from bot.domain.errors import NotAllowed

S, E = DraftStatus, DraftEvent

# Steps 3–4 exactly as the SOP routes a version; steps 5–6 extend the table from SIGNED.
REVIEW_ROUTE = {
    (S.KONSEP, E.SUBMIT): S.REVIEW_KASUBBAG,
    (S.KONSEP, E.SUPERSEDE): S.SUPERSEDED,
    (S.REVIEW_KASUBBAG, E.ALL_INITIALLED): S.REVIEW_SEKRETARIS,
    (S.REVIEW_KASUBBAG, E.RETURN): S.RETURNED,
    (S.REVIEW_SEKRETARIS, E.SIGN): S.SIGNED,
    (S.REVIEW_SEKRETARIS, E.RETURN): S.RETURNED,
    (S.RETURNED, E.SUPERSEDE): S.SUPERSEDED,
}
REVIEW_EVENTS = (E.SUBMIT, E.ALL_INITIALLED, E.RETURN, E.SIGN, E.SUPERSEDE)
ILLEGAL = [pair for pair in itertools.product(S, E) if pair not in TRANSITIONS]
ILLEGAL_IN_REVIEW = [
    pair for pair in itertools.product(S, REVIEW_EVENTS) if pair not in REVIEW_ROUTE
]


def _name(value: object) -> str:
    return str(value)


def test_the_review_events_move_a_version_only_along_the_sop_route() -> None:
    in_table = {pair: target for pair, target in TRANSITIONS.items() if pair[1] in REVIEW_EVENTS}
    assert in_table == REVIEW_ROUTE


@pytest.mark.parametrize(("status", "event"), list(TRANSITIONS), ids=_name)
def test_every_legal_move_reaches_its_status(status: DraftStatus, event: DraftEvent) -> None:
    assert next_status(status, event, version=3) is TRANSITIONS[(status, event)]
    # A status read back from the database is a plain string.
    assert next_status(status.value, event, version=3) is TRANSITIONS[(status, event)]


@pytest.mark.parametrize(("status", "event"), list(REVIEW_ROUTE), ids=_name)
def test_the_review_route_is_legal(status: DraftStatus, event: DraftEvent) -> None:
    assert next_status(status.value, event, version=1) is REVIEW_ROUTE[(status, event)]


@pytest.mark.parametrize(("status", "event"), ILLEGAL, ids=_name)
def test_every_illegal_move_is_refused_in_indonesian_naming_the_version(
    status: DraftStatus, event: DraftEvent
) -> None:
    with pytest.raises(NotAllowed) as refused:
        next_status(status.value, event, version=7)
    message = refused.value.message
    assert message.startswith("Konsep versi 7 ")
    assert DRAFT_STATUS_LABELS[status] in message
    assert message.endswith("langkah ini tidak dapat dilakukan sekarang.")


def test_the_illegal_review_moves_are_the_ones_a_person_could_try() -> None:
    assert set(ILLEGAL_IN_REVIEW) <= set(ILLEGAL)
    for pair in [
        (S.KONSEP, E.SIGN),  # signing what nobody initialled
        (S.KONSEP, E.RETURN),
        (S.REVIEW_KASUBBAG, E.SIGN),  # skipping the initials
        (S.REVIEW_KASUBBAG, E.SUBMIT),  # submitting twice
        (S.REVIEW_SEKRETARIS, E.ALL_INITIALLED),
        (S.REVIEW_KASUBBAG, E.SUPERSEDE),  # a new version while reviewers decide
        (S.RETURNED, E.SUBMIT),  # a returned version is fixed in a new one
        (S.SIGNED, E.RETURN),
        (S.SIGNED, E.SIGN),
        (S.SUPERSEDED, E.SUBMIT),
    ]:
        assert pair in ILLEGAL_IN_REVIEW, pair


def test_a_superseded_version_is_closed_and_the_review_statuses_are_open() -> None:
    assert is_closed(S.SUPERSEDED) and is_closed(S.SUPERSEDED.value)
    for status in (S.KONSEP, S.REVIEW_KASUBBAG, S.REVIEW_SEKRETARIS, S.RETURNED):
        assert not is_closed(status)


def test_only_the_review_statuses_wait_for_a_stage() -> None:
    assert STAGE_OF == {S.REVIEW_KASUBBAG: Stage.KASUBBAG, S.REVIEW_SEKRETARIS: Stage.SEKRETARIS}


def test_every_status_has_a_label() -> None:
    assert set(DRAFT_STATUS_LABELS) == set(S)


def test_an_unknown_status_is_a_programming_error_not_a_polite_refusal() -> None:
    with pytest.raises(ValueError):
        next_status("dibuang", E.SUBMIT, version=1)
