"""The cycle's life as a table: a draft is sent or thrown away, an open cycle stays."""

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


@pytest.mark.parametrize("event", [CycleEvent.SEND, CycleEvent.CANCEL, CycleEvent.REPLACE])
def test_an_open_cycle_is_never_sent_again_cancelled_or_replaced(event: CycleEvent) -> None:
    with pytest.raises(NotAllowed) as refused:
        next_cycle_status(CycleStatus.OPEN, event, refusal="sudah berjalan")
    assert refused.value.message == "sudah berjalan"


def test_the_questions_the_services_ask() -> None:
    assert moves_from(CycleEvent.SEND) == (CycleStatus.DRAFT,)
    assert {CycleStatus.DRAFT, CycleStatus.OPEN} == LIVE
    assert {CycleStatus.OPEN, CycleStatus.CLOSED} == SENT
    assert CycleStatus.CANCELLED not in RAN and CycleStatus.DRAFT in RAN
    assert collects("open") and not collects(CycleStatus.DRAFT)
