"""The cycle's life as a table: a draft is sent (by its signer, or with her approval) or
thrown away, an open cycle stays."""

from __future__ import annotations

import pytest

from bot.domain.cycles import (
    LIVE,
    RAN,
    SENT,
    CycleEvent,
    CycleStatus,
    collects,
    moves_from,
    next_cycle_status,
)
from bot.domain.errors import NotAllowed


def test_a_draft_is_sent_cancelled_or_replaced() -> None:
    draft = CycleStatus.DRAFT
    assert next_cycle_status(draft, CycleEvent.SEND, refusal="-") is CycleStatus.OPEN
    assert next_cycle_status("draft", CycleEvent.CANCEL, refusal="-") is CycleStatus.CANCELLED
    assert next_cycle_status(draft, CycleEvent.REPLACE, refusal="-") is CycleStatus.CANCELLED


@pytest.mark.parametrize(
    "event", [CycleEvent.SEND, CycleEvent.SUBMIT, CycleEvent.CANCEL, CycleEvent.REPLACE]
)
def test_an_open_cycle_is_never_sent_again_cancelled_or_replaced(event: CycleEvent) -> None:
    with pytest.raises(NotAllowed) as refused:
        next_cycle_status(CycleStatus.OPEN, event, refusal="sudah berjalan")
    assert refused.value.message == "sudah berjalan"


def test_a_draft_prepared_by_another_awaits_its_signer_who_approves_or_returns_it() -> None:
    waiting = next_cycle_status(CycleStatus.DRAFT, CycleEvent.SUBMIT, refusal="-")
    assert waiting is CycleStatus.AWAITING_SIGNER
    assert next_cycle_status(waiting, CycleEvent.APPROVE, refusal="-") is CycleStatus.OPEN
    assert next_cycle_status(waiting, CycleEvent.RETURN, refusal="-") is CycleStatus.DRAFT
    # Drafting the period again withdraws the request.
    assert next_cycle_status(waiting, CycleEvent.REPLACE, refusal="-") is CycleStatus.CANCELLED


@pytest.mark.parametrize("event", [CycleEvent.SEND, CycleEvent.SUBMIT, CycleEvent.CANCEL])
def test_a_request_before_the_signer_is_not_sent_again_nor_cancelled_by_its_preparer(
    event: CycleEvent,
) -> None:
    with pytest.raises(NotAllowed):
        next_cycle_status(CycleStatus.AWAITING_SIGNER, event, refusal="-")


@pytest.mark.parametrize(
    "status", [CycleStatus.DRAFT, CycleStatus.OPEN, CycleStatus.CLOSED, CycleStatus.CANCELLED]
)
@pytest.mark.parametrize("event", [CycleEvent.APPROVE, CycleEvent.RETURN])
def test_only_a_request_awaiting_the_signer_is_approved_or_returned(
    status: CycleStatus, event: CycleEvent
) -> None:
    with pytest.raises(NotAllowed) as refused:
        next_cycle_status(status, event, refusal="sudah diputuskan")
    assert refused.value.message == "sudah diputuskan"


def test_the_questions_the_services_ask() -> None:
    assert moves_from(CycleEvent.SEND) == (CycleStatus.DRAFT,)
    assert moves_from(CycleEvent.SUBMIT) == (CycleStatus.DRAFT,)
    assert moves_from(CycleEvent.APPROVE) == (CycleStatus.AWAITING_SIGNER,)
    assert moves_from(CycleEvent.RETURN) == (CycleStatus.AWAITING_SIGNER,)
    assert {CycleStatus.DRAFT, CycleStatus.AWAITING_SIGNER, CycleStatus.OPEN} == LIVE
    assert CycleStatus.AWAITING_SIGNER not in SENT and not collects("awaiting_signer")
    assert {CycleStatus.OPEN, CycleStatus.CLOSED} == SENT
    assert CycleStatus.CANCELLED not in RAN and CycleStatus.DRAFT in RAN
    assert collects("open") and not collects(CycleStatus.DRAFT)
