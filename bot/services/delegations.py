"""Plh./Plt.: an admin names who decides for an absent reviewer, with the reason on record."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from bot.domain.errors import InvalidInput, NotFound
from bot.domain.formatting import format_datetime
from bot.domain.roles import Role
from bot.messages import Reply
from bot.messages import approval as say
from bot.services.approval_requests import active_delegation, send_pending_to_delegate
from bot.services.audit import record_event
from bot.services.common import require_role, tell
from bot.services.people import PersonView
from storage.db import Database
from storage.files import FileStore
from storage.models import Delegation, Person
from storage.queries import active_delegations

TITLES = {"plh": "Plh.", "plt": "Plt."}
USAGE = say.USAGE
NOT_ADMIN = say.NOT_ADMIN


def _person(session: Session, *, office_id: int, nip: str) -> Person:
    person = session.exec(
        select(Person).where(Person.office_id == office_id, Person.nip == nip.replace(" ", ""))
    ).first()
    if person is None or not person.active:
        raise NotFound(say.no_active_person(nip))
    return person


def delegate(
    *,
    db: Database,
    files: FileStore,
    actor: PersonView,
    absent_nip: str,
    delegate_nip: str,
    title: str,
    reason: str,
    now: datetime,
    tz: ZoneInfo,
) -> Reply:
    """Name ``delegate_nip`` as Plh./Plt. for ``absent_nip``; hand over what waits for them."""
    require_role(actor, Role.ADMIN, message=NOT_ADMIN)
    shown_title = TITLES.get(title.lower().rstrip("."))
    if shown_title is None:
        raise InvalidInput(say.bad_title(title))
    reason = reason.strip()
    if len(reason) < 5:
        raise InvalidInput(say.delegation_reason_needed())
    with db.session() as session:
        absent = _person(session, office_id=actor.office_id, nip=absent_nip)
        substitute = _person(session, office_id=actor.office_id, nip=delegate_nip)
        if absent.id == substitute.id:
            raise InvalidInput(say.SAME_PERSON)
        if substitute.telegram_user_id is None:
            raise InvalidInput(say.delegate_not_registered(substitute.name))
        assert absent.id is not None and substitute.id is not None
        previous = active_delegation(session, absent_person_id=absent.id)
        if previous is not None:
            previous.ended_at = now
            previous.ended_by_person_id = actor.id
            session.add(previous)
        delegation = Delegation(
            office_id=actor.office_id,
            absent_person_id=absent.id,
            delegate_person_id=substitute.id,
            title=shown_title,
            reason=reason[:500],
            created_by_person_id=actor.id,
            created_at=now,
        )
        session.add(delegation)
        session.flush()
        record_event(
            session,
            now=now,
            actor=actor.name,
            actor_person_id=actor.id,
            action="delegation.created",
            object_type="delegation",
            object_id=delegation.id,
            office_id=actor.office_id,
            details={
                "absent": absent.name,
                "delegate": substitute.name,
                "title": shown_title,
                "reason": reason,
            },
        )
        handed_over = send_pending_to_delegate(
            session, files, delegation=delegation, now=now, tz=tz
        )
        tell(
            session,
            [substitute],
            say.named_to_delegate(
                title=shown_title,
                absent=absent.name,
                jabatan=absent.jabatan,
                since=format_datetime(now, tz),
                reason=reason,
            ),
            now=now,
        )
        tell(
            session,
            [absent],
            say.named_to_absent(delegate=substitute.name, title=shown_title, reason=reason),
            now=now,
        )
        session.commit()
        return say.delegated(
            delegate=substitute.name, title=shown_title, absent=absent.name, handed_over=handed_over
        )


def end(*, db: Database, actor: PersonView, absent_nip: str, now: datetime) -> Reply:
    """End the delegation in force for ``absent_nip``."""
    require_role(actor, Role.ADMIN, message=NOT_ADMIN)
    with db.session() as session:
        absent = _person(session, office_id=actor.office_id, nip=absent_nip)
        assert absent.id is not None
        delegation = active_delegation(session, absent_person_id=absent.id)
        if delegation is None:
            raise NotFound(say.no_delegation(absent.name))
        delegation.ended_at = now
        delegation.ended_by_person_id = actor.id
        session.add(delegation)
        record_event(
            session,
            now=now,
            actor=actor.name,
            actor_person_id=actor.id,
            action="delegation.ended",
            object_type="delegation",
            object_id=delegation.id,
            office_id=actor.office_id,
            details={"absent": absent.name},
        )
        substitute = session.get(Person, delegation.delegate_person_id)
        if substitute is not None:
            tell(
                session,
                [substitute],
                say.delegation_ended_to_delegate(title=delegation.title, absent=absent.name),
                now=now,
            )
        session.commit()
        return say.delegation_ended(title=delegation.title, absent=absent.name)


def listing(*, db: Database, actor: PersonView) -> Reply:
    """The usage and the delegations in force."""
    require_role(actor, Role.ADMIN, message=NOT_ADMIN)
    with db.session() as session:
        lines = []
        for row in active_delegations(session, office_id=actor.office_id):
            absent = session.get(Person, row.absent_person_id)
            substitute = session.get(Person, row.delegate_person_id)
            lines.append(
                say.delegation_line(
                    title=row.title,
                    absent=absent.name if absent else None,
                    delegate=substitute.name if substitute else None,
                    reason=row.reason,
                )
            )
        return say.delegations_listing(lines)
