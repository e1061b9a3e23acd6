"""/persetujuan: what waits for each reviewer, and for rendatin the round per reviewer."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.domain.approval import (
    DECISION_LABELS,
    DRAFT_STATUS_LABELS,
    STAGE_OF,
    Decision,
    DraftStatus,
    Stage,
)
from bot.domain.dates import format_day
from bot.domain.errors import NotFound
from bot.domain.formatting import format_datetime
from bot.domain.periods import Period
from bot.domain.roles import Role
from bot.messages import Reply
from bot.services.analysis import latest_cycle
from bot.services.approval_requests import ASK, decision_keyboard
from bot.services.people import PersonView
from storage.db import Database
from storage.models import (
    Approval,
    Cycle,
    Delegation,
    Draft,
    Person,
    ReportDelivery,
)

# ----------------------------------------------------------------------------- /persetujuan


def overview(*, db: Database, actor: PersonView, tz: ZoneInfo) -> list[Reply]:
    """What waits for the actor's decision, and for rendatin the current round per reviewer."""
    replies: list[Reply] = []
    with db.session() as session:
        waiting = _waiting_for(session, actor=actor)
        for approval, draft, reviewer, title in waiting:
            stage = Stage(approval.stage)
            on_behalf = f" sebagai {title} {reviewer.name}" if title else ""
            replies.append(
                Reply(
                    f"⏳ Menunggu {ASK[stage]} Anda{on_behalf}: konsep versi {draft.version}, "
                    f"sejak {format_datetime(approval.assigned_at, tz)}.",
                    decision_keyboard(approval, draft.version),
                )
            )
        if actor.has_role(Role.RENDATIN):
            replies.append(Reply(_round_text(session, actor=actor, tz=tz)))
        elif not waiting:
            replies.append(Reply("Tidak ada konsep laporan yang menunggu keputusan Anda."))
    return replies


def _waiting_for(
    session: Session, *, actor: PersonView
) -> list[tuple[Approval, Draft, Person, str | None]]:
    reviewer_ids: dict[int, str | None] = {actor.id: None}
    for delegation in session.exec(
        select(Delegation).where(
            Delegation.delegate_person_id == actor.id, col(Delegation.ended_at).is_(None)
        )
    ):
        reviewer_ids.setdefault(delegation.absent_person_id, delegation.title)
    rows = session.exec(
        select(Approval, Draft, Person)
        .join(Draft, col(Draft.id) == col(Approval.draft_id))
        .join(Person, col(Person.id) == col(Approval.reviewer_person_id))
        .where(
            col(Approval.reviewer_person_id).in_(list(reviewer_ids)),
            Approval.decision == Decision.PENDING.value,
            Approval.office_id == actor.office_id,
        )
        .order_by(col(Approval.assigned_at))
    ).all()
    return [
        (approval, draft, reviewer, reviewer_ids[reviewer.id or 0])
        for approval, draft, reviewer in rows
        if STAGE_OF.get(DraftStatus(draft.status)) is Stage(approval.stage)
    ]


def _round_text(session: Session, *, actor: PersonView, tz: ZoneInfo) -> str:
    try:
        cycle = latest_cycle(session, office_id=actor.office_id)
    except NotFound:
        return "Belum ada pengumpulan data. Mulai dengan /siklus."
    draft = session.exec(
        select(Draft).where(Draft.cycle_id == cycle.id).order_by(col(Draft.version).desc())
    ).first()
    if draft is None:
        return "Belum ada konsep laporan. Buat dengan /konsep."
    label = f"{Period(cycle.period).label} {cycle.year}"
    status = DraftStatus(draft.status)
    lines = [f"📋 Konsep {label} versi {draft.version}: {DRAFT_STATUS_LABELS[status]}."]
    rows = session.exec(
        select(Approval, Person)
        .join(Person, col(Person.id) == col(Approval.reviewer_person_id))
        .where(Approval.draft_id == draft.id)
        .order_by(col(Approval.id))
    ).all()
    for stage in Stage:
        items = [(a, p) for a, p in rows if a.stage == stage.value]
        if not items:
            continue
        lines.append("")
        lines.append("Paraf Kasubbag:" if stage is Stage.KASUBBAG else "Tanda tangan Sekretaris:")
        for approval, reviewer in items:
            lines.append(_approval_line(session, approval, reviewer, tz=tz))
    if status is DraftStatus.KONSEP:
        lines.append("\nAjukan untuk paraf dengan /ajukan.")
    if status is DraftStatus.SIGNED:
        lines.append("\nKirim ke KPU Provinsi dengan /kirim.")
    lines += _delivery_lines(session, cycle=cycle, tz=tz)
    delegations = session.exec(
        select(Delegation).where(
            Delegation.office_id == actor.office_id, col(Delegation.ended_at).is_(None)
        )
    ).all()
    if delegations:
        lines.append("\nPlh./Plt. yang berlaku:")
        for delegation in delegations:
            absent = session.get(Person, delegation.absent_person_id)
            delegate = session.get(Person, delegation.delegate_person_id)
            lines.append(
                f"• {delegation.title} {absent.name if absent else '-'}: "
                f"{delegate.name if delegate else '-'} ({delegation.reason})"
            )
    return "\n".join(lines)


def _delivery_lines(session: Session, *, cycle: Cycle, tz: ZoneInfo) -> list[str]:
    """Step 5 as the status shows it, late deliveries marked."""
    delivery = session.exec(
        select(ReportDelivery).where(ReportDelivery.cycle_id == cycle.id)
    ).first()
    if delivery is None:
        return []
    late = f" — TERLAMBAT (batas {format_day(delivery.deadline)})" if delivery.late else ""
    lines = [
        "",
        f"📨 Dikirim {format_datetime(delivery.sent_at, tz)} dengan Surat Pengantar nomor "
        f"{delivery.letter_number}{late}.",
    ]
    if delivery.received_at is not None:
        lines.append(
            f"📬 Diterima {delivery.received_by_name or '-'} pada "
            f"{format_datetime(delivery.received_at, tz)}."
        )
    else:
        lines.append("📬 Tanda terima belum ada.")
    return lines


def _approval_line(session: Session, approval: Approval, reviewer: Person, *, tz: ZoneInfo) -> str:
    decision = Decision(approval.decision)
    line = f"• {reviewer.name}: {DECISION_LABELS[decision]}"
    if decision is Decision.PENDING:
        return f"{line} sejak {format_datetime(approval.assigned_at, tz)}"
    if approval.decided_at is not None:
        line += f" {format_datetime(approval.decided_at, tz)}"
    if approval.acting_title and approval.decided_by_person_id:
        delegate = session.get(Person, approval.decided_by_person_id)
        line += f" oleh {approval.acting_title} {delegate.name if delegate else '-'}"
    if approval.reason:
        line += f"\n  Alasan: {approval.reason}"
    return line
