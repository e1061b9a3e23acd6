"""Who is who: looking people up by Telegram account and listing them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

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
    # When the account chose this office with /kantor (Account.current).
    office_chosen_at: datetime | None = None
    # The office's own settings of the organisation file (None: the deployment's).
    office_timezone: str | None = None
    office_templates_dir: str | None = None
    office_admin_chat_id: int | None = None

    @property
    def registered(self) -> bool:
        """Tell whether a Telegram account is bound to this person."""
        return self.telegram_user_id is not None

    def has_role(self, *roles: Role) -> bool:
        """Tell whether the person holds any of ``roles``."""
        return bool(self.roles & set(roles))


@dataclass(frozen=True)
class Account:
    """A Telegram account and the person it is in each office (one row per office)."""

    telegram_user_id: int
    people: tuple[PersonView, ...]  # in the order they registered

    @property
    def current(self) -> PersonView:
        """Return the person of the account's current office.

        The office last chosen with /kantor, else the first registered; an active person
        before a deactivated one (someone who moved works on in their new office).
        """
        return current_of(self.people)

    def in_office(self, office_id: int) -> PersonView | None:
        """Return the account's person in ``office_id`` (None: not a person there)."""
        return next((person for person in self.people if person.office_id == office_id), None)

    @property
    def several(self) -> bool:
        """Tell whether the account is a person in more than one office."""
        return len(self.people) > 1


class _Row(Protocol):
    @property
    def id(self) -> int | None: ...
    @property
    def active(self) -> bool: ...
    @property
    def registered_at(self) -> datetime | None: ...
    @property
    def office_chosen_at(self) -> datetime | None: ...


R = TypeVar("R", bound=_Row)


def _registration_order(person: _Row) -> tuple[datetime, int]:
    return (person.registered_at or datetime.max.replace(tzinfo=UTC), person.id or 0)


def current_of(people: Iterable[R]) -> R:
    """Return the person of an account's current office among its ``people`` (not empty).

    The office last chosen with /kantor, else the first registered; an active person before
    a deactivated one (someone who moved works on in their new office).
    """
    ordered = sorted(people, key=_registration_order)
    active = [person for person in ordered if person.active] or ordered
    chosen = [person for person in active if person.office_chosen_at is not None]
    if chosen:
        return max(chosen, key=lambda person: (person.office_chosen_at, person.id or 0))
    return active[0]


def _account(telegram_user_id: int, people: Iterable[PersonView]) -> Account:
    return Account(telegram_user_id, tuple(sorted(people, key=_registration_order)))


def office_setting_fields(settings: Mapping[str, Any] | None) -> dict[str, Any]:
    """The PersonView fields of an office's own settings (bot/domain/organisation.py)."""
    settings = settings or {}
    return {
        "office_timezone": settings.get("timezone"),
        "office_templates_dir": settings.get("templates_dir"),
        "office_admin_chat_id": settings.get("admin_chat_id"),
    }


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
        office_chosen_at=person.office_chosen_at,
        **office_setting_fields(office.settings),
    )


def find_by_telegram_id(*, db: Database, telegram_user_id: int) -> PersonView | None:
    """Return the person of this Telegram account in its current office, active or not."""
    account = find_account(db=db, telegram_user_id=telegram_user_id)
    return account.current if account is not None else None


def find_account(*, db: Database, telegram_user_id: int) -> Account | None:
    """Return the account with its person in every office, active or not.

    Every update asks this (the access guard), so it is one statement: each person with
    their office, unit and roles, a row per role.
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
    found: dict[int, tuple[Person, Office, Unit | None]] = {}
    roles: dict[int, list[str]] = defaultdict(list)
    for person, office, unit, role in rows:
        assert person.id is not None
        found.setdefault(person.id, (person, office, unit))
        if role is not None:
            roles[person.id].append(role)
    views = (_view(*row, roles[person_id]) for person_id, row in found.items())
    return _account(telegram_user_id, views)


def registered_people(*, db: Database) -> tuple[int, dict[int, Account]]:
    """Return every Telegram account with its people, and the people counter they match.

    One statement for the people (as ``find_account``'s, for all of them, as plain
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
        Person.office_chosen_at,
        Office.settings,
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
        "office_chosen_at",
    ]
    found: dict[int, dict[str, Any]] = {}
    roles: dict[int, set[Role]] = defaultdict(set)
    for *values, settings, role in rows:
        person = found.get(values[0])
        if person is None:
            person = dict(zip(fields, values, strict=True), **office_setting_fields(settings))
            found[values[0]] = person
        if role is not None:
            roles[person["id"]].add(Role(role))
    people: dict[int, list[PersonView]] = defaultdict(list)
    for person_id, person in found.items():
        people[person["telegram_user_id"]].append(
            PersonView(**person, roles=frozenset(roles[person_id]))
        )
    return generation, {account: _account(account, views) for account, views in people.items()}


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
    timezone: str | None = None  # the office's own (WIB/WITA/WIT); None: the deployment's


def find_office(*, db: Database, office_code: str | None) -> OfficeRef:
    """Return the office ``--office`` names, or the only office when it names none."""
    with db.session() as session:
        office = resolve_office(session, office_code=office_code)
        assert office.id is not None
        units = session.exec(
            select(Unit.code).where(Unit.office_id == office.id, col(Unit.active))
        ).all()
        return OfficeRef(
            office.id, office.code, office.name, tuple(units), office.settings.get("timezone")
        )


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
    """Return every Telegram account's person of its current office (whose roles its menu
    shows), in two statements however many they are."""
    with db.session() as session:
        bound = col(Person.telegram_user_id).is_not(None)
        accounts: dict[int, list[Person]] = defaultdict(list)
        for person in session.exec(select(Person).where(bound)).all():
            assert person.telegram_user_id is not None
            accounts[person.telegram_user_id].append(person)
        people = [current_of(account) for account in accounts.values()]
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
