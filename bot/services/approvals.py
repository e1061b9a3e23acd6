"""SOP steps 3–4: the draft report goes to every Kasubbag for initials, then to the Sekretaris.

Every decision is taken under a lock on the draft's row (an UPDATE of its lock_version is
the first statement of the transaction), so double taps, two reviewers pressing at once,
or a return racing an approval settle in one order and change the state exactly once.
Buttons carry the approval's id and the draft's version; both are re-checked here.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot import callbacks
from bot.domain.approval import (
    Decision,
    DraftEvent,
    DraftStatus,
    Stage,
    event_towards,
    next_status,
    round_complete,
    stage_after,
    tally,
)
from bot.domain.approval_route import RouteStage
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.domain.formatting import format_datetime
from bot.domain.pending import ReturnReason
from bot.domain.periods import Period, may_sign, signing_opens
from bot.domain.roles import Role
from bot.messages import Reply
from bot.messages import approval as say
from bot.services.analysis import latest_cycle
from bot.services.approval_requests import (
    Route,
    active_delegation,
    draft_id_of,
    is_open,
    kind_of_round,
    lock_draft,
    open_round,
    recipients,
    rendatin_team,
    route_of,
    unreachable,
)
from bot.services.audit import record_event
from bot.services.common import (
    NOT_RENDATIN,
    load_office,
    require_role,
    tell,
)
from bot.services.outbox import enqueue_edits
from bot.services.pending import get_pending, read_pending, wait_for
from bot.services.people import PersonView
from bot.services.review_route import office_route, people_of_stage, route_people
from bot.services.signing import sign
from storage.db import Database
from storage.files import FileStore
from storage.models import (
    Approval,
    Draft,
    Person,
)
from storage.queries import latest_draft, stage_approvals


def _acting_title(session: Session, approval: Approval, actor: PersonView) -> str | None:
    """None when the reviewer presses; "Plh."/"Plt." for their delegate; else refuse."""
    if actor.id == approval.reviewer_person_id:
        return None
    delegation = active_delegation(session, absent_person_id=approval.reviewer_person_id)
    if delegation is not None and delegation.delegate_person_id == actor.id:
        return delegation.title
    reviewer = session.get(Person, approval.reviewer_person_id)
    name = reviewer.name if reviewer else "pemeriksa lain"
    raise NotAllowed(say.not_your_button(name))


# ----------------------------------------------------------------------------- step 3: submit


def submit(
    *,
    db: Database,
    files: FileStore,
    actor: PersonView,
    draft_id: int | None,
    now: datetime,
    tz: ZoneInfo,
) -> Reply:
    """Send the latest konsep version to the route's first stage for initials (rendatin only)."""
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    with db.session() as session:
        if draft_id is None:
            cycle = latest_cycle(session, office_id=actor.office_id)
            latest = latest_draft(session, cycle_id=cycle.id or 0)
            if latest is None:
                raise NotFound(say.NO_DRAFT)
            draft_id = latest.id or 0
        draft = lock_draft(session, draft_id=draft_id)
        if draft.office_id != actor.office_id:
            raise NotFound(callbacks.INVALID_BUTTON)
        newer = session.exec(
            select(Draft).where(
                Draft.cycle_id == draft.cycle_id, col(Draft.version) > draft.version
            )
        ).first()
        if newer is not None:
            raise NotAllowed(say.newer_version_exists(newer=newer.version, version=draft.version))
        status = next_status(draft.status, DraftEvent.SUBMIT, version=draft.version)
        office = load_office(session, draft.office_id)
        stages = route_people(session, office=office, route=office_route(office))
        *paraf, signature = stages
        reviewers = paraf[0].people
        if any(not stage.people for stage in paraf):
            raise NotAllowed(say.NO_PARAF)
        if not signature.people:
            raise NotAllowed(say.NO_SIGNER)
        everyone = [person for stage in paraf for person in stage.people]
        missing = unreachable(session, [*everyone, signature.people[0]])
        if missing:
            raise NotAllowed(say.unreachable(missing))
        draft.status = status
        draft.submitted_at = now
        session.add(draft)
        route = route_of(session, draft)
        open_round(
            session,
            files,
            route=route,
            stage=paraf[0].stage.name,
            reviewers=reviewers,
            now=now,
            tz=tz,
        )
        record_event(
            session,
            now=now,
            actor=actor.name,
            actor_person_id=actor.id,
            action="draft.submitted",
            object_type="draft",
            object_id=f"{draft.cycle_id}:{draft.version}",
            office_id=draft.office_id,
            details={"version": draft.version, "reviewers": [p.name for p in reviewers]},
        )
        others = [p for p in rendatin_team(session, office_id=draft.office_id) if p.id != actor.id]
        tell(
            session, others, say.submitted_to_team(actor=actor.name, version=draft.version), now=now
        )
        session.commit()
        return say.submitted(
            version=draft.version, reviewers=[(p.name, p.jabatan) for p in reviewers]
        )


# ----------------------------------------------------------------------------- decisions


def _load_for_decision(
    session: Session, *, approval_id: int, version: int, actor: PersonView
) -> tuple[Route, Approval, str | None]:
    """Check the press: right person, current version, round still open, not decided yet."""
    approval = session.get(Approval, approval_id)
    if approval is None or approval.office_id != actor.office_id:
        raise NotFound(callbacks.INVALID_BUTTON)
    draft = session.get(Draft, approval.draft_id)
    assert draft is not None
    title = _acting_title(session, approval, actor)
    if draft.version != version:
        raise NotAllowed(callbacks.INVALID_BUTTON)
    if not is_open(session, approval, draft) or approval.decision == Decision.CANCELLED:
        raise NotAllowed(
            say.button_expired(version=draft.version, status=DraftStatus(draft.status))
        )
    if approval.decision != Decision.PENDING:
        raise NotAllowed(
            say.already_decided(version=draft.version, decision=Decision(approval.decision))
        )
    return route_of(session, draft), approval, title


def approve(
    *,
    db: Database,
    files: FileStore,
    actor: PersonView,
    approval_id: int,
    version: int,
    now: datetime,
    tz: ZoneInfo,
    template: Path | None = None,
    pdf_copies: bool = True,
) -> Reply:
    """Record a paraf (step 3) or the signature (step 4)."""
    draft_id = draft_id_of(db, approval_id=approval_id, office_id=actor.office_id)
    with db.session() as session:
        lock_draft(session, draft_id=draft_id)
        route, approval, title = _load_for_decision(
            session, approval_id=approval_id, version=version, actor=actor
        )
        kind = kind_of_round(route.draft)
        if kind is not Stage.KASUBBAG:
            _refuse_early_signature(route, today=now.astimezone(tz).date())
        _settle(
            session, approval, Decision.APPROVED, actor=actor, title=title, reason=None, now=now
        )
        if kind is Stage.KASUBBAG:
            answer = _after_initial(
                session, files, route=route, approval=approval, actor=actor, now=now, tz=tz
            )
        else:
            answer = sign(
                session,
                files=files,
                route=route,
                approval=approval,
                actor=actor,
                title=title,
                now=now,
                tz=tz,
                template=template,
                pdf_copies=pdf_copies,
            )
        session.commit()
        return answer


def _refuse_early_signature(route: Route, *, today: date) -> None:
    """A report is signed only once its period has ended (drafting earlier is allowed)."""
    period = Period(route.cycle.period)
    if not may_sign(period, route.cycle.year, today):
        opens = signing_opens(period, route.cycle.year)
        raise NotAllowed(say.too_early_to_sign(route.label, opens))


def _settle(
    session: Session,
    approval: Approval,
    decision: Decision,
    *,
    actor: PersonView,
    title: str | None,
    reason: str | None,
    now: datetime,
) -> None:
    approval.decision = decision.value
    approval.reason = reason
    approval.decided_at = now
    approval.decided_by_person_id = actor.id
    approval.acting_title = title
    session.add(approval)
    draft = session.get(Draft, approval.draft_id)
    assert draft is not None
    reviewer = session.get(Person, approval.reviewer_person_id)
    record_event(
        session,
        now=now,
        actor=actor.name,
        actor_person_id=actor.id,
        action=f"draft.{approval.stage}.{decision.value}",
        object_type="draft",
        object_id=f"{draft.cycle_id}:{draft.version}",
        office_id=draft.office_id,
        details={
            "version": draft.version,
            "stage": approval.stage,
            "decision": decision.value,
            "reason": reason,
            "on_behalf_of": reviewer.name if title and reviewer else None,
            "acting_title": title,
        },
    )


def _who(actor: PersonView, title: str | None, reviewer: Person | None) -> str:
    return say.who(actor.name, title, reviewer.name if reviewer is not None else None)


def _after_initial(
    session: Session,
    files: FileStore,
    *,
    route: Route,
    approval: Approval,
    actor: PersonView,
    now: datetime,
    tz: ZoneInfo,
) -> Reply:
    draft = route.draft
    reviewer = session.get(Person, approval.reviewer_person_id)
    title = approval.acting_title
    who = _who(actor, title, reviewer)
    when = format_datetime(now, tz)
    enqueue_edits(
        session,
        approval.message_ids,
        say.initialled_edit(who=who, version=draft.version, when=when),
        now=now,
    )
    decisions = [
        item.decision
        for item in stage_approvals(session, draft_id=draft.id or 0, stage=approval.stage)
    ]
    done, total = tally(decisions)
    team = rendatin_team(session, office_id=draft.office_id)
    tell(
        session,
        team,
        say.initialled_to_team(who=who, version=draft.version, done=done, total=total),
        now=now,
    )
    if not round_complete(decisions):
        return say.initial_recorded(draft.version)
    office = load_office(session, draft.office_id)
    office_stages = office_route(office)
    following = stage_after(office_stages, approval.stage)
    draft.status = next_status(draft.status, event_towards(following), version=draft.version)
    session.add(draft)
    reviewers = people_of_stage(session, office=office, route=office_stages, stage=following)
    if following.signs:
        if not reviewers:
            raise NotAllowed(say.NO_SIGNER)
        reviewers = reviewers[:1]
    elif not reviewers:
        raise NotAllowed(say.NO_PARAF)
    open_round(
        session, files, route=route, stage=following.name, reviewers=reviewers, now=now, tz=tz
    )
    record_event(
        session,
        now=now,
        actor="sistem",
        action="draft.initialled" if following.signs else "draft.stage_initialled",
        object_type="draft",
        object_id=f"{draft.cycle_id}:{draft.version}",
        office_id=draft.office_id,
        details={"version": draft.version, "initials": done}
        if following.signs
        else {
            "version": draft.version,
            "initials": done,
            "stage": approval.stage,
            "next": following.name,
        },
    )
    if not following.signs:
        tell(
            session,
            team,
            say.to_next_stage_to_team(
                version=draft.version,
                stage=_stage_title(office_stages.named(approval.stage), approval.stage),
                reviewers=[p.name for p in reviewers],
            ),
            now=now,
        )
        return say.stage_complete(draft.version)
    signer = reviewers[0]
    tell(
        session,
        team,
        say.to_signature_to_team(
            version=draft.version, signer=signer.name, reachable=bool(recipients(session, signer))
        ),
        now=now,
    )
    return say.initials_complete(draft.version)


def _stage_title(stage: RouteStage | None, name: str) -> str:
    return stage.label if stage is not None and stage.label else name


# ----------------------------------------------------------------------------- returns


def begin_return(
    *, db: Database, actor: PersonView, approval_id: int, version: int, now: datetime
) -> Reply:
    """Ask the reviewer why they return the draft; nothing changes until they answer."""
    with db.session() as session:
        route, _, _ = _load_for_decision(
            session, approval_id=approval_id, version=version, actor=actor
        )
        wait_for(
            session,
            person_id=actor.id,
            payload=ReturnReason(approval=approval_id, version=version),
            now=now,
        )
        session.commit()
        return say.ask_reason(route.draft.version)


def return_with_reason(
    *, db: Database, actor: PersonView, reason: str, now: datetime, tz: ZoneInfo
) -> Reply:
    """Return the draft to the team with the reviewer's reason."""
    reason = reason.strip()
    if len(reason) < 5:
        raise InvalidInput(say.REASON_TOO_SHORT)
    with db.session() as session:
        found = read_pending(session, person_id=actor.id, expected=ReturnReason)
        if found is None:
            raise NotFound(say.NOTHING_BEING_RETURNED)
        approval_id, version = found[1].approval, found[1].version
    draft_id = draft_id_of(db, approval_id=approval_id, office_id=actor.office_id)
    with db.session() as session:
        lock_draft(session, draft_id=draft_id)
        pending = get_pending(session, person_id=actor.id)
        if pending is not None:
            session.delete(pending)
        try:
            route, approval, title = _load_for_decision(
                session, approval_id=approval_id, version=version, actor=actor
            )
        except NotAllowed:
            session.commit()  # the pending question is settled either way
            raise
        draft = route.draft
        reviewer = session.get(Person, approval.reviewer_person_id)
        who = _who(actor, title, reviewer)
        _settle(
            session,
            approval,
            Decision.RETURNED,
            actor=actor,
            title=title,
            reason=reason[:1000],
            now=now,
        )
        draft.status = next_status(draft.status, DraftEvent.RETURN, version=draft.version)
        session.add(draft)
        enqueue_edits(
            session,
            approval.message_ids,
            say.returned_edit(
                who=who, version=draft.version, when=format_datetime(now, tz), reason=reason
            ),
            now=now,
        )
        for other in session.exec(
            select(Approval).where(Approval.draft_id == draft.id, col(Approval.id) != approval.id)
        ).all():
            undecided = other.decision == Decision.PENDING
            if undecided:
                other.decision = Decision.CANCELLED.value
                other.decided_at = now
                session.add(other)
            text = say.returned_to_other(
                pending=undecided,
                decision=Decision(other.decision),
                version=draft.version,
                who=who,
                reason=reason,
            )
            enqueue_edits(session, other.message_ids, text, now=now)
        tell(
            session,
            rendatin_team(session, office_id=draft.office_id),
            say.returned_to_team(
                version=draft.version,
                who=who,
                jabatan=reviewer.jabatan if reviewer else "-",
                reason=reason,
            ),
            now=now,
        )
        session.commit()
        return say.returned(draft.version)
