"""The report's route (SOP steps 3–6) as an explicit state machine.

A version of the LKjIP moves only along the transitions in ``TRANSITIONS``; anything else
is refused with a message the user can act on. From ``SIGNED`` on, the report is history:
it is sent (step 5), its receipt recorded, and it is archived (step 6).
"""

from __future__ import annotations

from enum import StrEnum

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
    RETURN = "return"  # a reviewer sends it back
    SIGN = "sign"  # the Sekretaris approves and signs
    SUPERSEDE = "supersede"  # rendatin makes a newer version
    SEND = "send"  # rendatin sends it to KPU Provinsi with the Surat Pengantar
    RECEIVE = "receive"  # the receipt is confirmed
    ARCHIVE = "archive"  # rendatin (or the receipt) archives the cycle


class Stage(StrEnum):
    """A review round: the Kasubbag's initials, then the Sekretaris's signature."""

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
