"""Data-access functions shared by several services (they never commit)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.models import Approval, Delegation, Draft, Indicator, Office, Person, PersonRole, Unit


def office_by_code(session: Session, *, code: str) -> Office | None:
    """Return the office with ``code``."""
    return session.exec(select(Office).where(Office.code == code)).first()


def child_offices(session: Session, *, parent_id: int) -> list[Office]:
    """Return the offices whose induk is ``parent_id``, by code."""
    query = select(Office).where(Office.parent_id == parent_id).order_by(col(Office.code))
    return list(session.exec(query))


def all_offices(session: Session) -> list[Office]:
    """Return every office, oldest first."""
    return list(session.exec(select(Office).order_by(col(Office.id))))


def person_by_telegram_id(
    session: Session, *, telegram_user_id: int, office_id: int | None = None
) -> Person | None:
    """Return the person bound to a Telegram account (in ``office_id``; else the first
    registered of its people in any office)."""
    query = select(Person).where(Person.telegram_user_id == telegram_user_id)
    if office_id is not None:
        query = query.where(Person.office_id == office_id)
    return session.exec(query.order_by(col(Person.registered_at), col(Person.id))).first()


def people_by_telegram_id(session: Session, *, telegram_user_id: int) -> list[Person]:
    """Return the account's person in every office it is registered in."""
    query = select(Person).where(Person.telegram_user_id == telegram_user_id)
    return list(session.exec(query.order_by(col(Person.id))))


def people_of_office(session: Session, *, office_id: int) -> list[Person]:
    """Return the office's people in a stable order (by name)."""
    query = select(Person).where(Person.office_id == office_id).order_by(col(Person.name))
    return list(session.exec(query))


def roles_of(session: Session, *, person_id: int) -> list[str]:
    """Return the role names a person holds, sorted."""
    query = select(PersonRole.role).where(PersonRole.person_id == person_id)
    return sorted(session.exec(query))


def units_of_office(session: Session, *, office_id: int) -> list[Unit]:
    """Return the office's units by their number."""
    query = select(Unit).where(Unit.office_id == office_id).order_by(col(Unit.number))
    return list(session.exec(query))


def registered_people_with_role(
    session: Session, *, office_id: int | None, role: str
) -> list[Person]:
    """Return active, registered people holding ``role`` (in every office when None)."""
    query = (
        select(Person)
        .join(PersonRole, col(PersonRole.person_id) == col(Person.id))
        .where(
            PersonRole.role == role, col(Person.active), col(Person.telegram_user_id).is_not(None)
        )
        .order_by(col(Person.id))
    )
    if office_id is not None:
        query = query.where(Person.office_id == office_id)
    return list(session.exec(query))


def unit_by_code(session: Session, *, office_id: int, code: str) -> Unit | None:
    """Return the office's unit with ``code``."""
    return session.exec(select(Unit).where(Unit.office_id == office_id, Unit.code == code)).first()


def unit_of(session: Session, person: Person) -> Unit | None:
    """Return the unit a person belongs to; None for those in no unit (the Sekretaris)."""
    return session.get(Unit, person.unit_id) if person.unit_id is not None else None


def person_by_nip(session: Session, *, office_id: int, nip: str) -> Person | None:
    """Return the office's person with ``nip`` (written without spaces)."""
    query = select(Person).where(Person.office_id == office_id, Person.nip == nip)
    return session.exec(query).first()


def active_people_with_role(
    session: Session, *, role: str, office_id: int | None = None, unit_id: int | None = None
) -> list[Person]:
    """Return the active people holding ``role`` (of one office or unit), registered or not,
    in id order."""
    query = (
        select(Person)
        .join(PersonRole, col(PersonRole.person_id) == col(Person.id))
        .where(col(Person.active), PersonRole.role == role)
        .order_by(col(Person.id))
    )
    if office_id is not None:
        query = query.where(Person.office_id == office_id)
    if unit_id is not None:
        query = query.where(Person.unit_id == unit_id)
    return list(session.exec(query))


def active_indicators(session: Session, *, office_id: int, year: int) -> list[Indicator]:
    """Return the office's active indicators of a year (its Perjanjian Kinerja), by code."""
    query = (
        select(Indicator)
        .where(Indicator.office_id == office_id, Indicator.year == year, col(Indicator.active))
        .order_by(col(Indicator.code))
    )
    return list(session.exec(query))


def active_people_by_nip(session: Session, *, office_id: int, nips: list[str]) -> list[Person]:
    """Return the office's active people with these NIPs, in the order given."""
    if not nips:
        return []
    query = select(Person).where(
        Person.office_id == office_id, col(Person.active), col(Person.nip).in_(nips)
    )
    found = {person.nip: person for person in session.exec(query)}
    return [found[nip] for nip in nips if nip in found]


def latest_draft(session: Session, *, cycle_id: int) -> Draft | None:
    """Return the cycle's newest draft version."""
    query = select(Draft).where(Draft.cycle_id == cycle_id).order_by(col(Draft.version).desc())
    return session.exec(query).first()


def current_stage(session: Session, *, draft_id: int) -> str | None:
    """Return the stage of the draft's latest review round (the approval opened last)."""
    query = (
        select(Approval.stage)
        .where(Approval.draft_id == draft_id)
        .order_by(col(Approval.id).desc())
    )
    return session.exec(query).first()


def current_stages(session: Session, *, draft_ids: Iterable[int]) -> dict[int, str]:
    """Return :func:`current_stage` for each of ``draft_ids`` (those with a round), in one query."""
    latest = (
        select(func.max(Approval.id))
        .where(col(Approval.draft_id).in_(list(draft_ids)))
        .group_by(col(Approval.draft_id))
    )
    query = select(Approval.draft_id, Approval.stage).where(col(Approval.id).in_(latest))
    return dict(session.exec(query).all())


def stage_approvals(session: Session, *, draft_id: int, stage: str) -> list[Approval]:
    """Return the approvals of one round of a draft, in the order they were opened."""
    query = (
        select(Approval)
        .where(Approval.draft_id == draft_id, Approval.stage == stage)
        .order_by(col(Approval.id))
    )
    return list(session.exec(query))


def active_delegations(session: Session, *, office_id: int) -> list[Delegation]:
    """Return the Plh./Plt. in force in the office, oldest first."""
    query = (
        select(Delegation)
        .where(Delegation.office_id == office_id, col(Delegation.ended_at).is_(None))
        .order_by(col(Delegation.id))
    )
    return list(session.exec(query))
