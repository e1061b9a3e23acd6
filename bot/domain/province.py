"""The provincial view (/pantau): where each kabupaten/kota's cycle of a year stands.

Plain data read by ``bot.services.province``; the stage and lateness are decided here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class ChildStage(StrEnum):
    """How far a child office's cycle has come, in SOP order."""

    NOT_STARTED = "belum mulai"
    NOTA_DINAS = "nota dinas belum dikirim"
    COLLECTING = "pengumpulan data"
    DRAFTING = "penyusunan konsep"
    PARAF = "paraf"
    SIGNATURE = "tanda tangan"
    SIGNED = "ditandatangani"
    SENT = "dikirim"
    RECEIVED = "diterima"


# Draft statuses (bot.domain.approval.DraftStatus values) as a stage of the cycle.
_DRAFT_STAGES = {
    "konsep": ChildStage.DRAFTING,
    "returned": ChildStage.DRAFTING,
    "superseded": ChildStage.DRAFTING,
    "review_kasubbag": ChildStage.PARAF,
    "review_sekretaris": ChildStage.SIGNATURE,
    "signed": ChildStage.SIGNED,
    "sent": ChildStage.SENT,
    "received": ChildStage.RECEIVED,
    "archived": ChildStage.RECEIVED,
}


@dataclass(frozen=True)
class ChildCycle:
    """One kabupaten/kota's cycle of the year, as the KPU Provinsi sees it."""

    office_code: str
    office_name: str
    period_label: str | None  # None: no cycle this year
    nota_dinas_sent_at: datetime | None
    indicators: int
    answered: int  # lines with an answer (or marked "tidak ada data")
    accepted: int  # lines the team accepted (or marked "tidak ada data")
    draft_version: int | None
    draft_status: str | None  # of the newest version
    decided: int  # reviewers of the newest version who initialled or signed
    reviewers: int  # reviewers asked for the newest version (cancelled ones left out)
    signed_at: datetime | None
    sent_at: datetime | None
    received_at: datetime | None
    deadline: date  # batas_kirim
    sent_late: bool | None  # None: not sent

    @property
    def stage(self) -> ChildStage:
        """Where the cycle stands."""
        if self.period_label is None:
            return ChildStage.NOT_STARTED
        if self.draft_status is not None:
            return _DRAFT_STAGES.get(self.draft_status, ChildStage.DRAFTING)
        return ChildStage.COLLECTING if self.nota_dinas_sent_at else ChildStage.NOTA_DINAS

    def late(self, today: date) -> bool:
        """Tell whether the report missed its batas_kirim (or, unsent, has passed it)."""
        if self.sent_late is not None:
            return self.sent_late
        return today > self.deadline


def share(part: int, whole: int) -> int:
    """Return ``part`` of ``whole`` in whole percent (0 of nothing)."""
    return round(100 * part / whole) if whole else 0


def late_children(children: list[ChildCycle], today: date) -> list[ChildCycle]:
    """The children whose cycle's report is past its batas_kirim and not yet sent.

    An office that never started a cycle of the year is left out: it may not use Lapkin
    for that year, and a daily reminder about it would never stop.
    """
    return [
        child
        for child in children
        if child.period_label is not None and child.sent_at is None and child.late(today)
    ]
