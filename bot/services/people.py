"""Who is who: looking people up by Telegram account and listing them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select as select_columns
from sqlalchemy import update
from sqlmodel import Session, col, select

from bot.domain.errors import InvalidInput, NotFound
from bot.domain.roles import Role
from bot.messages import people as messages
from storage.change_generation import people_generation
from storage.db import Database
from storage.models import Office, Person, PersonRole, Unit
from storage.queries import all_offices, office_by_code, people_of_office, roles_of, unit_of


@dataclass(frozen=True)
class PersonView:
    """A person as the bot shows and checks them; safe to keep after the session closes."""

    id: int
    office_id: int
    office_code: str
    office_name: str
    nip: str
    name: str
    jabatan: str
    unit_code: str | None
    unit_name: str | None
    roles: frozenset[Role]
    active: bool
    telegram_user_id: int | None
    registered_at: datetime | None
    # Since when they have blocked the bot; their messages are held meanwhile.
    blocked_at: datetime | None = None

    @property
    def registered(self) -> bool:
        """Tell whether a Telegram account is bound to this person."""
        return self.telegram_user_id is not None

    def has_role(self, *roles: Role) -> bool:
        """Tell whether the person holds any of ``roles``."""
        return bool(self.roles & set(roles))


def person_view(session: Session, person: Person) -> PersonView:
    """Build the view of ``person`` (its office, unit and roles)."""
    assert person.id is not None
    office = session.get(Office, person.office_id)
    unit = unit_of(session, person)
    assert office is not None
    return _view(person, office, unit, roles_of(session, person_id=person.id))


def _view(person: Person, office: Office, unit: Unit | None, roles: Iterable[str]) -> PersonView:
    assert person.id is not None
    return PersonView(
        id=person.id,
        office_id=person.office_id,
        office_code=office.code,
        office_name=office.name,
        nip=person.nip,
        name=person.name,
        jabatan=person.jabatan,
        unit_code=unit.code if unit else None,
        unit_name=unit.name if unit else None,
        roles=frozenset(Role(role) for role in roles),
        active=person.active,
        telegram_user_id=person.telegram_user_id,
        registered_at=person.registered_at,
        blocked_at=person.blocked_at,
    )


def find_by_telegram_id(*, db: Database, telegram_user_id: int) -> PersonView | None:
    """Return the person bound to this Telegram account, active or not.

    Every update asks this (the access guard), so it is one statement: the person with their
    office, unit and roles, a row per role.
    """
    query = (
        select(Person, Office, Unit, PersonRole.role)
        .join(Office, col(Office.id) == Person.office_id)
        .outerjoin(Unit, col(Unit.id) == Person.unit_id)
        .outerjoin(PersonRole, col(PersonRole.person_id) == Person.id)
        .where(Person.telegram_user_id == telegram_user_id)
    )
    with db.session() as session:
        rows = session.exec(query).all()
    if not rows:
        return None
    person, office, unit, _ = rows[0]
    return _view(person, office, unit, (role for *_, role in rows if role is not None))


def registered_people(*, db: Database) -> tuple[int, dict[int, PersonView]]:
    """Return everyone with a Telegram account, by account, and the people counter they match.

    One statement for the people (as ``find_by_telegram_id``'s, for all of them, as plain
    columns: no ORM objects for thousands of rows), in the same transaction as the counter
    (storage.change_generation), so the copy is never older than it.
    """
    columns: list[Any] = [
        Person.id,
        Person.office_id,
        Office.code,
        Office.name,
        Person.nip,
        Person.name,
        Person.jabatan,
        Unit.code,
        Unit.name,
        Person.active,
        Person.telegram_user_id,
        Person.registered_at,
        Person.blocked_at,
        PersonRole.role,
    ]
    query = (
        select_columns(*columns)
        .join(Office, col(Office.id) == Person.office_id)
        .outerjoin(Unit, col(Unit.id) == Person.unit_id)
        .outerjoin(PersonRole, col(PersonRole.person_id) == Person.id)
        .where(col(Person.telegram_user_id).is_not(None))
    )
    with db.session() as session:
        generation = people_generation(session)
        rows = session.execute(query).all()
    fields = [
        "id",
        "office_id",
        "office_code",
        "office_name",
        "nip",
        "name",
        "jabatan",
        "unit_code",
        "unit_name",
        "active",
        "telegram_user_id",
        "registered_at",
        "blocked_at",
    ]
    found: dict[int, dict[str, Any]] = {}
    roles: dict[int, set[Role]] = defaultdict(set)
    for *values, role in rows:
        person = found.setdefault(values[10], dict(zip(fields, values, strict=True)))
        if role is not None:
            roles[person["telegram_user_id"]].add(Role(role))
    views = {
        account: PersonView(**person, roles=frozenset(roles[account]))
        for account, person in found.items()
    }
    return generation, views


def people_changes(*, db: Database) -> int:
    """Return the people counter: it moves whenever anyone changes who may do what."""
    with db.session() as session:
        return people_generation(session)


def list_people(*, db: Database, office_id: int | None = None) -> list[PersonView]:
    """Return everyone (of one office, or of all), with roles and registration status."""
    with db.session() as session:
        offices = all_offices(session)
        views: list[PersonView] = []
        for office in offices:
            if office_id is not None and office.id != office_id:
                continue
            assert office.id is not None
            views.extend(
                person_view(session, person)
                for person in people_of_office(session, office_id=office.id)
            )
        return views


@dataclass(frozen=True)
class OfficeRef:
    """An office as the command line names it: id, code, name and its active units' codes."""

    id: int
    code: str
    name: str
    unit_codes: tuple[str, ...]


def find_office(*, db: Database, office_code: str | None) -> OfficeRef:
    """Return the office ``--office`` names, or the only office when it names none."""
    with db.session() as session:
        office = resolve_office(session, office_code=office_code)
        assert office.id is not None
        units = session.exec(
            select(Unit.code).where(Unit.office_id == office.id, col(Unit.active))
        ).all()
        return OfficeRef(office.id, office.code, office.name, tuple(units))


def resolve_office(session: Session, *, office_code: str | None) -> Office:
    """Return the office named by ``office_code``, or the only office when it is None."""
    if office_code:
        office = office_by_code(session, code=office_code)
        if office is None:
            raise NotFound(messages.unknown_office(office_code))
        return office
    offices = all_offices(session)
    if not offices:
        raise NotFound(messages.NO_OFFICE_YET)
    if len(offices) > 1:
        codes = ", ".join(office.code for office in offices)
        raise InvalidInput(messages.several_offices(codes))
    return offices[0]


@dataclass(frozen=True)
class MenuOwner:
    """Someone with a Telegram account: the menu they should see and the one they were given."""

    person_id: int
    chat_id: int
    roles: frozenset[Role]
    active: bool
    menu_digest: str | None


def menu_owners(*, db: Database) -> list[MenuOwner]:
    """Return everyone with a Telegram account, in two statements however many they are."""
    with db.session() as session:
        bound = col(Person.telegram_user_id).is_not(None)
        people = session.exec(select(Person).where(bound)).all()
        roles: dict[int, set[Role]] = defaultdict(set)
        role_rows = session.exec(
            select(PersonRole.person_id, PersonRole.role).join(Person).where(bound)
        )
        for person_id, role in role_rows:
            roles[person_id].add(Role(role))
        return [
            MenuOwner(
                person_id=person.id,
                chat_id=person.telegram_user_id,
                roles=frozenset(roles[person.id]),
                active=person.active,
                menu_digest=person.menu_digest,
            )
            for person in people
            if person.id is not None and person.telegram_user_id is not None
        ]


def record_menus(*, db: Database, digests: Mapping[int, str]) -> None:
    """Remember the menu each person (by id) now has in Telegram, in one statement."""
    if not digests:
        return
    with db.session() as session:
        session.execute(
            update(Person),
            [{"id": person_id, "menu_digest": digest} for person_id, digest in digests.items()],
        )
        session.commit()
