"""A data-collection cycle's life (SOP steps 1–2) as an explicit state machine.

A cycle is drafted when rendatin previews the Nota Dinas, opens when "Kirim" sends it, and
from then on collects the units' data. A Nota Dinas prepared by someone other than its
signer (the Ketua Tim) waits for her "Setujui" before it is numbered and sent; "Kembalikan"
puts it back in draft. A draft nobody sent is cancelled, by "Batal" or by a newer draft of
the same period; an open cycle is never replaced.
"""

from __future__ import annotations

from enum import StrEnum

from bot.domain.errors import NotAllowed


class CycleStatus(StrEnum):
    """Where a cycle stands (``storage.models.Cycle.status``)."""

    DRAFT = "draft"  # the Nota Dinas is previewed, nothing is sent
    AWAITING_SIGNER = "awaiting_signer"  # Kirim pressed by a preparer: the signer decides
    OPEN = "open"  # the Nota Dinas went out: the units enter their data
    CLOSED = "closed"  # collection is over (the schema has it; no step closes a cycle yet)
    CANCELLED = "cancelled"  # a draft that was never sent


class CycleEvent(StrEnum):
    """What can happen to a cycle."""

    SEND = "send"  # the signer presses "Kirim": the Nota Dinas is numbered and sent
    SUBMIT = "submit"  # another member of the team presses "Kirim": the signer is asked
    APPROVE = "approve"  # the signer presses "Setujui": numbered and sent
    RETURN = "return"  # the signer presses "Kembalikan" and says why: a draft again
    CANCEL = "cancel"  # rendatin presses "Batal" under the preview
    REPLACE = "replace"  # rendatin drafts the same period again
    CLOSE = "close"  # collection ends


TRANSITIONS: dict[tuple[CycleStatus, CycleEvent], CycleStatus] = {
    (CycleStatus.DRAFT, CycleEvent.SEND): CycleStatus.OPEN,
    (CycleStatus.DRAFT, CycleEvent.CANCEL): CycleStatus.CANCELLED,
    (CycleStatus.DRAFT, CycleEvent.REPLACE): CycleStatus.CANCELLED,
    (CycleStatus.DRAFT, CycleEvent.SUBMIT): CycleStatus.AWAITING_SIGNER,
    (CycleStatus.AWAITING_SIGNER, CycleEvent.APPROVE): CycleStatus.OPEN,
    (CycleStatus.AWAITING_SIGNER, CycleEvent.RETURN): CycleStatus.DRAFT,
    # The preparer drafts the period again (another deadline) before the signer decided:
    # the request is withdrawn, and its buttons answer that it no longer stands.
    (CycleStatus.AWAITING_SIGNER, CycleEvent.REPLACE): CycleStatus.CANCELLED,
    (CycleStatus.OPEN, CycleEvent.CLOSE): CycleStatus.CLOSED,
}

# At most one cycle per office, year and period is live (the database enforces it too).
LIVE: frozenset[CycleStatus] = frozenset(
    {CycleStatus.DRAFT, CycleStatus.AWAITING_SIGNER, CycleStatus.OPEN}
)
# Cycles whose Nota Dinas went out: they have lines, entries, results.
SENT: frozenset[CycleStatus] = frozenset({CycleStatus.OPEN, CycleStatus.CLOSED})
# Cycles that ran (part of) the SOP: all but the drafts thrown away.
RAN: frozenset[CycleStatus] = frozenset(CycleStatus) - {CycleStatus.CANCELLED}


def next_cycle_status(status: CycleStatus | str, event: CycleEvent, *, refusal: str) -> CycleStatus:
    """Return the status after ``event``; an illegal move raises NotAllowed with ``refusal``."""
    target = TRANSITIONS.get((CycleStatus(status), event))
    if target is None:
        raise NotAllowed(refusal)
    return target


def moves_from(event: CycleEvent) -> tuple[CycleStatus, ...]:
    """The statuses ``event`` may leave (for a conditional update that claims the move)."""
    return tuple(source for source, on in TRANSITIONS if on == event)


def collects(status: CycleStatus | str) -> bool:
    """Tell whether a cycle in ``status`` takes the units' data (entries, workbooks)."""
    return CycleStatus(status) is CycleStatus.OPEN
