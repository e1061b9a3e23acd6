"""What a reviewer receives: the draft, a summary, what changed, and the decision buttons.

Shared by the decisions (bot.services.approvals), the delegation of an absent reviewer
(bot.services.delegations) and /persetujuan (bot.services.approval_overview).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import Session, col, select

from bot import callbacks
from bot.domain.approval import (
    STAGE_OF,
    Decision,
    DraftStatus,
    Stage,
    waits_for,
)
from bot.domain.errors import NotFound
from bot.domain.formatting import format_datetime
from bot.domain.measure import summary_lines
from bot.domain.periods import Period, may_sign, signing_opens
from bot.domain.roles import Role
from bot.messages import Keyboard
from bot.messages import approval as say
from bot.services.common import (
    load_office,
    people_with_role,
)
from bot.services.drafts import (
    build_content,
    draft_filename,
    signature_of,
)
from bot.services.outbox import enqueue
from storage.db import Database
from storage.files import FileStore
from storage.models import (
    Approval,
    Cycle,
    Delegation,
    Draft,
    Person,
    StoredFile,
)
from storage.queries import current_stage

# The SOP's time standard per kind of stage, shown to the reviewer.
STANDARD_MINUTES = {Stage.KASUBBAG: 60, Stage.SEKRETARIS: 30}


@dataclass(frozen=True)
class Route:
    """A draft with everything a decision needs, loaded under the draft's lock."""

    draft: Draft
    cycle: Cycle

    @property
    def label(self) -> str:
        return Period(self.cycle.period).named(self.cycle.year)


# ----------------------------------------------------------------------------- rounds


def kind_of_round(draft: Draft) -> Stage:
    """The kind of round the draft's status waits for (a version under review)."""
    return STAGE_OF[DraftStatus(draft.status)]


def is_open(session: Session, approval: Approval, draft: Draft) -> bool:
    """Tell whether ``approval`` belongs to the round the draft waits for now."""
    current = current_stage(session, draft_id=draft.id or 0)
    return waits_for(draft.status, approval.stage, current=current)


def decision_keyboard(approval: Approval, draft: Draft) -> Keyboard:
    """Setujui / Kembalikan for one approval of the draft's open round."""
    assert approval.id is not None
    return say.decision_keyboard(kind_of_round(draft), approval.id, draft.version)


# ----------------------------------------------------------------------------- locking


def lock_draft(session: Session, *, draft_id: int) -> Draft:
    """Take the draft's row lock (first write of the transaction) and load it fresh."""
    session.execute(
        update(Draft)
        .where(col(Draft.id) == draft_id)
        .values(lock_version=col(Draft.lock_version) + 1)
    )
    draft = session.exec(
        select(Draft).where(Draft.id == draft_id).execution_options(populate_existing=True)
    ).first()
    if draft is None:
        raise NotFound(say.DRAFT_NOT_FOUND)
    return draft


def route_of(session: Session, draft: Draft) -> Route:
    cycle = session.get(Cycle, draft.cycle_id)
    assert cycle is not None
    return Route(draft=draft, cycle=cycle)


# ----------------------------------------------------------------------------- people


def active_delegation(session: Session, *, absent_person_id: int) -> Delegation | None:
    """Return the delegation in force for an absent reviewer, if any."""
    return session.exec(
        select(Delegation)
        .where(
            Delegation.absent_person_id == absent_person_id,
            col(Delegation.ended_at).is_(None),
        )
        .order_by(col(Delegation.id).desc())
    ).first()


def recipients(session: Session, reviewer: Person) -> list[tuple[Person, Delegation | None]]:
    """Who receives a reviewer's buttons: the reviewer and any delegate, when registered."""
    people: list[tuple[Person, Delegation | None]] = []
    if reviewer.active and reviewer.telegram_user_id is not None:
        people.append((reviewer, None))
    assert reviewer.id is not None
    delegation = active_delegation(session, absent_person_id=reviewer.id)
    if delegation is not None:
        delegate = session.get(Person, delegation.delegate_person_id)
        if delegate is not None and delegate.active and delegate.telegram_user_id is not None:
            people.append((delegate, delegation))
    return people


def rendatin_team(session: Session, *, office_id: int) -> list[Person]:
    return people_with_role(session, office_id=office_id, role=Role.RENDATIN)


# ----------------------------------------------------------------------------- review requests


def changes_since(session: Session, *, draft: Draft, reviewer_id: int) -> list[str]:
    """What changed since the version this reviewer last saw, and why it came back."""
    seen = session.exec(
        select(Draft)
        .join(Approval, col(Approval.draft_id) == col(Draft.id))
        .where(
            Draft.cycle_id == draft.cycle_id,
            col(Draft.version) < draft.version,
            Approval.reviewer_person_id == reviewer_id,
        )
        .order_by(col(Draft.version).desc())
    ).first()
    returns = session.exec(
        select(Approval, Draft, Person)
        .join(Draft, col(Draft.id) == col(Approval.draft_id))
        .join(Person, col(Person.id) == col(Approval.reviewer_person_id))
        .where(
            Draft.cycle_id == draft.cycle_id,
            col(Draft.version) < draft.version,
            col(Draft.version) >= (seen.version if seen else 0),
            Approval.decision == Decision.RETURNED.value,
        )
        .order_by(col(Draft.version))
    ).all()
    return say.changes_since(
        returns=[
            (earlier.version, who.name, approval.reason) for approval, earlier, who in returns
        ],
        seen_version=seen.version if seen else None,
        before=seen.indicator_values if seen else {},
        after=draft.indicator_values,
    )


def decided_by(session: Session, approval: Approval, reviewer: Person) -> str:
    """The reviewer's name, or "<delegate> (Plh. <reviewer>)" when a delegate decided."""
    if approval.acting_title and approval.decided_by_person_id:
        delegate = session.get(Person, approval.decided_by_person_id)
        if delegate is not None:
            return say.who(delegate.name, approval.acting_title, reviewer.name)
    return reviewer.name


def request_text(
    session: Session,
    *,
    route: Route,
    approval: Approval,
    reviewer: Person,
    delegation: Delegation | None,
    summary: list[str],
    tz: ZoneInfo,
) -> str:
    kind = kind_of_round(route.draft)
    office = load_office(session, route.draft.office_id)
    initialled = session.exec(
        select(Approval, Person)
        .join(Person, col(Person.id) == col(Approval.reviewer_person_id))
        .where(
            Approval.draft_id == route.draft.id,
            Approval.stage != approval.stage,
            Approval.decision == Decision.APPROVED.value,
        )
        .order_by(col(Approval.decided_at))
    ).all()
    return say.request_text(
        kind=kind,
        office_name=office.name,
        label=route.label,
        version=route.draft.version,
        assigned_at=format_datetime(approval.assigned_at, tz),
        standard_minutes=STANDARD_MINUTES[kind],
        delegation=(
            (delegation.title, reviewer.name, reviewer.jabatan, delegation.reason)
            if delegation is not None
            else None
        ),
        initialled_by=[decided_by(session, a, p) for a, p in initialled],
        summary=summary,
        changes=changes_since(session, draft=route.draft, reviewer_id=reviewer.id or 0),
        signable_from=_signable_from(route, approval.assigned_at.astimezone(tz).date()),
    )


def _signable_from(route: Route, today: date) -> date | None:
    """The day the report becomes signable, while its period still runs on ``today``."""
    period = Period(route.cycle.period)
    if may_sign(period, route.cycle.year, today):
        return None
    return signing_opens(period, route.cycle.year)


def send_request(
    session: Session,
    files: FileStore,
    *,
    route: Route,
    approval: Approval,
    summary: list[str],
    now: datetime,
    tz: ZoneInfo,
    only: Person | None = None,
) -> int:
    """Send the draft and the decision buttons to the reviewer (and delegate); return how many."""
    reviewer = session.get(Person, approval.reviewer_person_id)
    assert reviewer is not None
    documents = draft_files(session, files, route.draft)
    office = load_office(session, route.draft.office_id)
    name = draft_filename(office, route.cycle, route.draft.version, signed=False)
    sent = 0
    message_ids = list(approval.message_ids)
    for person, delegation in recipients(session, reviewer):
        if only is not None and person.id != only.id:
            continue
        assert person.telegram_user_id is not None
        for path, extension in documents:
            enqueue(
                session,
                chat_id=person.telegram_user_id,
                now=now,
                document_path=path,
                document_name=f"{name}.{extension}",
                person_id=person.id,
                office_id=route.draft.office_id,
            )
        message = enqueue(
            session,
            chat_id=person.telegram_user_id,
            now=now,
            text=request_text(
                session,
                route=route,
                approval=approval,
                reviewer=reviewer,
                delegation=delegation,
                summary=summary,
                tz=tz,
            ),
            keyboard=decision_keyboard(approval, route.draft),
            person_id=person.id,
            office_id=route.draft.office_id,
        )
        assert message is not None
        session.flush()
        message_ids.append(message.id or 0)
        sent += 1
    approval.message_ids = message_ids  # a new list, so the JSON column is written
    session.add(approval)
    return sent


def draft_files(session: Session, files: FileStore, draft: Draft) -> list[tuple[str, str]]:
    """The draft's files as (path under DATA_DIR, extension)."""
    found = []
    for file_id, extension in ((draft.file_id, "docx"), (draft.pdf_file_id, "pdf")):
        stored = session.get(StoredFile, file_id) if file_id else None
        if stored is not None:
            found.append((stored.path, extension))
    return found


def summary_for(session: Session, route: Route, *, tz: ZoneInfo) -> list[str]:
    office = load_office(session, route.draft.office_id)
    content = build_content(
        session,
        cycle=route.cycle,
        office=office,
        version=route.draft.version,
        konsep=True,
        initials=[],
        signature=signature_of(session, office=office),
        generated_on=route.draft.created_at.astimezone(tz).date(),
        tz=tz,
    )
    return say.summary(summary_lines(content.analysis))


def open_round(
    session: Session,
    files: FileStore,
    *,
    route: Route,
    stage: str,
    reviewers: list[Person],
    now: datetime,
    tz: ZoneInfo,
) -> list[Approval]:
    summary = summary_for(session, route, tz=tz)
    approvals = []
    for reviewer in reviewers:
        approval = Approval(
            office_id=route.draft.office_id,
            draft_id=route.draft.id or 0,
            stage=stage,
            reviewer_person_id=reviewer.id or 0,
            assigned_at=now,
        )
        session.add(approval)
        session.flush()
        send_request(
            session, files, route=route, approval=approval, summary=summary, now=now, tz=tz
        )
        approvals.append(approval)
    return approvals


def unreachable(session: Session, people: list[Person]) -> list[str]:
    """Name the reviewers nobody could decide for: unregistered and without a delegate."""
    return [person.name for person in people if not recipients(session, person)]


# ----------------------------------------------------------------------------- delegation support


def send_pending_to_delegate(
    session: Session, files: FileStore, *, delegation: Delegation, now: datetime, tz: ZoneInfo
) -> int:
    """Give a new delegate the buttons of every decision waiting for the absent reviewer."""
    delegate = session.get(Person, delegation.delegate_person_id)
    assert delegate is not None
    sent = 0
    for approval in session.exec(
        select(Approval).where(
            Approval.reviewer_person_id == delegation.absent_person_id,
            Approval.decision == Decision.PENDING.value,
        )
    ).all():
        draft = session.get(Draft, approval.draft_id)
        assert draft is not None
        if not is_open(session, approval, draft):
            continue
        route = route_of(session, draft)
        sent += send_request(
            session,
            files,
            route=route,
            approval=approval,
            summary=summary_for(session, route, tz=tz),
            now=now,
            tz=tz,
            only=delegate,
        )
    return sent


def draft_id_of(db: Database, *, approval_id: int, office_id: int) -> int:
    with db.session() as session:
        approval = session.get(Approval, approval_id)
        if approval is None or approval.office_id != office_id:
            raise NotFound(callbacks.INVALID_BUTTON)
        return approval.draft_id
