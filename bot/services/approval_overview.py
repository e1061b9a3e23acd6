"""/persetujuan: what waits for each reviewer, and for rendatin the round per reviewer."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.domain.approval import Decision, DraftStatus, Stage, kind_of
from bot.domain.dates import format_day
from bot.domain.errors import NotFound
from bot.domain.formatting import format_datetime
from bot.domain.periods import Period
from bot.domain.roles import Role
from bot.messages import Reply
from bot.messages import approval as say
from bot.services.analysis import latest_cycle
from bot.services.approval_requests import decision_keyboard, is_open, kind_of_round
from bot.services.people import PersonView
from bot.services.review_route import office_route
from storage.db import Database
from storage.models import (
    Approval,
    Cycle,
    Delegation,
    Draft,
    Office,
    Person,
    ReportDelivery,
)
from storage.queries import active_delegations, latest_draft

# ----------------------------------------------------------------------------- /persetujuan


def overview(*, db: Database, actor: PersonView, tz: ZoneInfo) -> list[Reply]:
    """What waits for the actor's decision, and for rendatin the current round per reviewer."""
    replies: list[Reply] = []
    with db.session() as session:
        waiting = _waiting_for(session, actor=actor)
        for approval, draft, reviewer, title in waiting:
            replies.append(
                say.waiting(
                    kind=kind_of_round(draft),
                    on_behalf_of=f"{title} {reviewer.name}" if title else None,
                    version=draft.version,
                    since=format_datetime(approval.assigned_at, tz),
                    keyboard=decision_keyboard(approval, draft),
                )
            )
        if actor.has_role(Role.RENDATIN):
            replies.append(_round(session, actor=actor, tz=tz))
        elif not waiting:
            replies.append(say.NOTHING_WAITING)
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
        if is_open(session, approval, draft)
    ]


def _round(session: Session, *, actor: PersonView, tz: ZoneInfo) -> Reply:
    try:
        cycle = latest_cycle(session, office_id=actor.office_id)
    except NotFound:
        return say.NO_CYCLE
    draft = latest_draft(session, cycle_id=cycle.id or 0)
    if draft is None:
        return say.NO_DRAFT_YET
    rows = session.exec(
        select(Approval, Person)
        .join(Person, col(Person.id) == col(Approval.reviewer_person_id))
        .where(Approval.draft_id == draft.id)
        .order_by(col(Approval.id))
    ).all()
    route = office_route(session.get_one(Office, draft.office_id))
    stages: list[tuple[str, list[str]]] = []
    for name in dict.fromkeys(approval.stage for approval, _ in rows):
        stage = route.named(name)
        kind = kind_of(stage) if stage is not None else _kind_by_name(name)
        stages.append(
            (
                say.round_heading(kind, stage.label if stage is not None else ""),
                [_approval_line(session, a, p, tz=tz) for a, p in rows if a.stage == name],
            )
        )
    return say.round_overview(
        label=Period(cycle.period).named(cycle.year),
        version=draft.version,
        status=DraftStatus(draft.status),
        stages=stages,
        delivery=_delivery_lines(session, cycle=cycle, tz=tz),
        delegations=[
            say.delegation_line(
                title=delegation.title,
                absent=_name(session, delegation.absent_person_id),
                delegate=_name(session, delegation.delegate_person_id),
                reason=delegation.reason,
            )
            for delegation in active_delegations(session, office_id=actor.office_id)
        ],
    )


def _kind_by_name(name: str) -> Stage:
    """The kind of a round whose stage the route no longer has (the file changed meanwhile)."""
    return Stage.SEKRETARIS if name == Stage.SEKRETARIS.value else Stage.KASUBBAG


def _name(session: Session, person_id: int | None) -> str | None:
    person = session.get(Person, person_id) if person_id is not None else None
    return person.name if person is not None else None


def _delivery_lines(session: Session, *, cycle: Cycle, tz: ZoneInfo) -> list[str]:
    """Step 5 as the status shows it, late deliveries marked."""
    delivery = session.exec(
        select(ReportDelivery).where(ReportDelivery.cycle_id == cycle.id)
    ).first()
    if delivery is None:
        return []
    if delivery.letter_approved_at is None:
        return say.letter_awaiting_lines(
            letter_number=delivery.letter_number,
            prepared_at=format_datetime(delivery.sent_at, tz),
        )
    return say.delivery_lines(
        sent_at=format_datetime(delivery.sent_at, tz),
        letter_number=delivery.letter_number,
        late_deadline=format_day(delivery.deadline) if delivery.late else None,
        received_by=delivery.received_by_name,
        received_at=(
            format_datetime(delivery.received_at, tz) if delivery.received_at is not None else None
        ),
    )


def _approval_line(session: Session, approval: Approval, reviewer: Person, *, tz: ZoneInfo) -> str:
    acting = None
    if approval.acting_title and approval.decided_by_person_id:
        acting = f"{approval.acting_title} {_name(session, approval.decided_by_person_id) or '-'}"
    return say.approval_line(
        reviewer=reviewer.name,
        decision=Decision(approval.decision),
        assigned_at=format_datetime(approval.assigned_at, tz),
        decided_at=(
            format_datetime(approval.decided_at, tz) if approval.decided_at is not None else None
        ),
        acting=acting,
        reason=approval.reason,
    )
