"""The report's route (SOP steps 3–6) as an explicit state machine.

A version of the LKjIP moves only along the transitions in ``TRANSITIONS``; anything else
is refused with a message the user can act on. From ``SIGNED`` on, the report is history:
it is sent (step 5), its receipt recorded, and it is archived (step 6).

Who reviews it, in which stages, is the office's route (bot/domain/approval_route.py):
every paraf stage keeps the version in ``REVIEW_KASUBBAG``, the signature stage in
``REVIEW_SEKRETARIS``; a round is complete when everyone of the stage approved it.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from bot.domain.approval_route import ReviewRoute, RouteStage
from bot.domain.errors import NotAllowed


class DraftStatus(StrEnum):
    """Where a draft version stands."""

    KONSEP = "konsep"  # made, not yet sent for review
    REVIEW_KASUBBAG = "review_kasubbag"  # step 3: waiting for every Kasubbag's paraf
    REVIEW_SEKRETARIS = "review_sekretaris"  # step 4: waiting for the Sekretaris
    RETURNED = "returned"  # sent back to the team with a reason
    SUPERSEDED = "superseded"  # a newer version replaced it before it was reviewed
    SIGNED = "signed"  # the Sekretaris signed it
    SENT = "sent"  # step 5: delivered with its Surat Pengantar, receipt not yet confirmed
    RECEIVED = "received"  # KPU Provinsi confirmed receipt (or the team confirmed delivery)
    ARCHIVED = "archived"  # step 6: every file of the cycle archived with its checksum


class DraftEvent(StrEnum):
    """What can happen to a draft version."""

    SUBMIT = "submit"  # rendatin sends it for initials
    ALL_INITIALLED = "all_initialled"  # the last Kasubbag initialled
    STAGE_INITIALLED = "stage_initialled"  # a paraf stage is complete, another paraf follows
    RETURN = "return"  # a reviewer sends it back
    SIGN = "sign"  # the Sekretaris approves and signs
    SUPERSEDE = "supersede"  # rendatin makes a newer version
    SEND = "send"  # rendatin sends it to KPU Provinsi with the Surat Pengantar
    RECEIVE = "receive"  # the receipt is confirmed
    ARCHIVE = "archive"  # rendatin (or the receipt) archives the cycle


class Stage(StrEnum):
    """The kind of a review round: initials (paraf), or the signature.

    The values are also the default route's stage names (bot/domain/approval_route.py).
    """

    KASUBBAG = "kasubbag"
    SEKRETARIS = "sekretaris"


class Decision(StrEnum):
    """One reviewer's answer in a round."""

    PENDING = "pending"
    APPROVED = "approved"
    RETURNED = "returned"
    CANCELLED = "cancelled"  # the round ended (someone else returned the version) first


TRANSITIONS: dict[tuple[DraftStatus, DraftEvent], DraftStatus] = {
    (DraftStatus.KONSEP, DraftEvent.SUBMIT): DraftStatus.REVIEW_KASUBBAG,
    (DraftStatus.KONSEP, DraftEvent.SUPERSEDE): DraftStatus.SUPERSEDED,
    (DraftStatus.REVIEW_KASUBBAG, DraftEvent.ALL_INITIALLED): DraftStatus.REVIEW_SEKRETARIS,
    (DraftStatus.REVIEW_KASUBBAG, DraftEvent.STAGE_INITIALLED): DraftStatus.REVIEW_KASUBBAG,
    (DraftStatus.REVIEW_KASUBBAG, DraftEvent.RETURN): DraftStatus.RETURNED,
    (DraftStatus.REVIEW_SEKRETARIS, DraftEvent.SIGN): DraftStatus.SIGNED,
    (DraftStatus.REVIEW_SEKRETARIS, DraftEvent.RETURN): DraftStatus.RETURNED,
    (DraftStatus.RETURNED, DraftEvent.SUPERSEDE): DraftStatus.SUPERSEDED,
    (DraftStatus.SIGNED, DraftEvent.SEND): DraftStatus.SENT,
    (DraftStatus.SENT, DraftEvent.RECEIVE): DraftStatus.RECEIVED,
    (DraftStatus.SENT, DraftEvent.ARCHIVE): DraftStatus.ARCHIVED,
    (DraftStatus.RECEIVED, DraftEvent.ARCHIVE): DraftStatus.ARCHIVED,
}

# Once signed, a report and the data behind it are on record and never change again.
FINAL: frozenset[DraftStatus] = frozenset(
    {DraftStatus.SIGNED, DraftStatus.SENT, DraftStatus.RECEIVED, DraftStatus.ARCHIVED}
)

# The stage whose decisions a status waits for.
STAGE_OF: dict[DraftStatus, Stage] = {
    DraftStatus.REVIEW_KASUBBAG: Stage.KASUBBAG,
    DraftStatus.REVIEW_SEKRETARIS: Stage.SEKRETARIS,
}

DRAFT_STATUS_LABELS: dict[DraftStatus, str] = {
    DraftStatus.KONSEP: "belum diajukan",
    DraftStatus.REVIEW_KASUBBAG: "sedang menunggu paraf Kasubbag",
    DraftStatus.REVIEW_SEKRETARIS: "sedang menunggu tanda tangan Sekretaris",
    DraftStatus.RETURNED: "sudah dikembalikan ke tim",
    DraftStatus.SUPERSEDED: "sudah diganti versi yang lebih baru",
    DraftStatus.SIGNED: "sudah ditandatangani",
    DraftStatus.SENT: "sudah dikirim ke KPU Provinsi",
    DraftStatus.RECEIVED: "sudah diterima KPU Provinsi",
    DraftStatus.ARCHIVED: "sudah diarsipkan",
}

DECISION_LABELS: dict[Decision, str] = {
    Decision.PENDING: "menunggu",
    Decision.APPROVED: "disetujui",
    Decision.RETURNED: "dikembalikan",
    Decision.CANCELLED: "tidak diperlukan lagi",
}


def next_status(status: DraftStatus | str, event: DraftEvent, *, version: int) -> DraftStatus:
    """Return the status after ``event``; an illegal move raises NotAllowed, politely."""
    current = DraftStatus(status)
    target = TRANSITIONS.get((current, event))
    if target is None:
        raise NotAllowed(
            f"Konsep versi {version} {DRAFT_STATUS_LABELS[current]}; langkah ini tidak dapat "
            "dilakukan sekarang."
        )
    return target


def is_closed(status: DraftStatus | str) -> bool:
    """Tell whether no event can move ``status`` any more in steps 3–4."""
    current = DraftStatus(status)
    return not any(source == current for source, _ in TRANSITIONS)


# ----------------------------------------------------------------------------- rounds


def kind_of(stage: RouteStage) -> Stage:
    """The kind of round ``stage`` holds: paraf or signature."""
    return Stage.SEKRETARIS if stage.signs else Stage.KASUBBAG


def tally(decisions: Iterable[Decision | str]) -> tuple[int, int]:
    """How many of a round's reviewers approved, of how many."""
    values = [Decision(decision) for decision in decisions]
    return sum(1 for decision in values if decision is Decision.APPROVED), len(values)


def round_complete(decisions: Iterable[Decision | str]) -> bool:
    """Tell whether everyone of the round approved (a paraf round: all must initial)."""
    approved, total = tally(decisions)
    return total > 0 and approved == total


def waits_for(status: DraftStatus | str, stage: str, *, current: str | None) -> bool:
    """Tell whether a version in ``status`` waits for the decisions of round ``stage``.

    ``current`` is the stage of the version's latest round: the one opened last.
    """
    return DraftStatus(status) in STAGE_OF and current is not None and stage == current


def event_towards(next_stage: RouteStage) -> DraftEvent:
    """The event of handing a complete paraf round on to ``next_stage``."""
    return DraftEvent.ALL_INITIALLED if next_stage.signs else DraftEvent.STAGE_INITIALLED


def stage_after(route: ReviewRoute, stage: str) -> RouteStage:
    """The stage a complete paraf round ``stage`` hands the version on to."""
    following = route.after(stage)
    assert following is not None, "the signature round is closed by signing, not handed on"
    return following
