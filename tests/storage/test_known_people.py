"""The registered people kept in memory for the access guard, and when it forgets them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

import bot.services.known_people as module
from bot.services.known_people import KnownPeople, NotHeld
from bot.services.pending import clear_pending, set_pending
from bot.services.pending_memory import PendingMemory
from bot.services.people import (
    Account,
    find_account,
    people_changes,
    record_menus,
    registered_people,
)
from storage.change_generation import PEOPLE_TABLES, on_people_change
from storage.db import Database
from storage.models import Office, Person, PersonRole, Unit

NOW = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)


def _bind(db: Database, nip: str, telegram_user_id: int) -> int:
    with db.session() as session:
        person = session.exec(select(Person).where(Person.nip == nip)).one()
        person.telegram_user_id = telegram_user_id
        person.registered_at = NOW
        session.add(person)
        session.commit()
        assert person.id is not None
        return person.id


def _set_active(db: Database, person_id: int, active: bool) -> None:
    with db.session() as session:
        person = session.get(Person, person_id)
        assert person is not None
        person.active = active
        session.add(person)
        session.commit()


def _first_nip(db: Database) -> str:
    with db.session() as session:
        return session.exec(select(Person.nip).order_by(Person.id)).first() or ""


def test_everyone_registered_is_held_and_a_stranger_is_known_as_one(office_db: Database) -> None:
    _bind(office_db, _first_nip(office_db), 501)
    known = KnownPeople()
    assert isinstance(known.lookup(501), NotHeld)  # nothing loaded yet: ask the database

    known.refresh(db=office_db)

    held = known.lookup(501)
    assert isinstance(held, Account) and held.current.telegram_user_id == 501
    assert held.current.roles
    assert known.lookup(999) is None


def test_a_change_in_this_process_is_forgotten_at_once(office_db: Database) -> None:
    person_id = _bind(office_db, _first_nip(office_db), 501)
    known = KnownPeople()
    stop = on_people_change(office_db.engine, known.forget)
    try:
        known.refresh(db=office_db)
        _set_active(office_db, person_id, False)
        assert isinstance(known.lookup(501), NotHeld)
        known.refresh(db=office_db)
        held = known.lookup(501)
        assert isinstance(held, Account) and not held.current.active
    finally:
        stop()


def test_another_process_change_moves_the_counter_and_the_next_check_reloads(
    office_db: Database,
) -> None:
    person_id = _bind(office_db, _first_nip(office_db), 501)
    known = KnownPeople()  # not listening: as the bot is to a change the CLI makes
    known.refresh(db=office_db)
    before = people_changes(db=office_db)

    _set_active(office_db, person_id, False)

    assert people_changes(db=office_db) == before + 1
    held = known.lookup(501)
    assert isinstance(held, Account) and held.current.active  # stale until the next check
    known.refresh(db=office_db)
    held = known.lookup(501)
    assert isinstance(held, Account) and not held.current.active


def test_roles_count_as_a_change_and_menus_do_not(office_db: Database) -> None:
    person_id = _bind(office_db, _first_nip(office_db), 501)
    before = people_changes(db=office_db)

    record_menus(db=office_db, digests={person_id: "abc"})
    assert people_changes(db=office_db) == before

    with office_db.session() as session:
        session.add(PersonRole(person_id=person_id, role="admin"))
        session.commit()
    assert people_changes(db=office_db) == before + 1


def test_a_rolled_back_change_does_not_count(office_db: Database) -> None:
    person_id = _bind(office_db, _first_nip(office_db), 501)
    before = people_changes(db=office_db)
    with office_db.session() as session:
        person = session.get(Person, person_id)
        assert person is not None
        person.active = False
        session.add(person)
        session.flush()
        session.rollback()
    _set_active(office_db, person_id, True)  # unchanged: nothing to count
    assert people_changes(db=office_db) == before


def test_a_read_begun_before_a_change_is_not_kept(
    office_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _bind(office_db, _first_nip(office_db), 501)
    known = KnownPeople()
    known._task = object()  # type: ignore[assignment]  # as when the bot runs its checks
    real = module.find_account

    def read_then_change(**kwargs: object) -> Account | None:
        found = real(**kwargs)  # type: ignore[arg-type]
        known.forget()  # a commit lands while the guard's read is under way
        return found

    monkeypatch.setattr(module, "find_account", read_then_change)
    assert isinstance(known.find(db=office_db, telegram_user_id=501), Account)
    assert isinstance(known.lookup(501), NotHeld)


def test_the_people_tables_are_those_of_the_models() -> None:
    assert {Person.__tablename__, PersonRole.__tablename__, "office", "unit"} == PEOPLE_TABLES
    assert {Office.__tablename__, Unit.__tablename__} <= PEOPLE_TABLES


def _person_id(db: Database) -> int:
    with db.session() as session:
        person_id = session.exec(select(Person.id).order_by(Person.id)).first()
        assert person_id is not None
        return person_id


def test_pending_input_is_kept_until_a_commit_changes_one(office_db: Database) -> None:
    person_id = _person_id(office_db)
    memory = PendingMemory()
    memory.start(db=office_db)
    try:
        assert isinstance(memory.lookup(person_id), NotHeld)
        assert memory.read(db=office_db, person_id=person_id) is None
        assert memory.lookup(person_id) is None  # held: nothing is awaited

        with office_db.session() as session:
            set_pending(session, person_id=person_id, kind="x", payload={"a": [1]}, now=NOW)
            session.commit()
        assert isinstance(memory.lookup(person_id), NotHeld)
        assert memory.read(db=office_db, person_id=person_id) == ("x", {"a": [1]})
        held = memory.lookup(person_id)
        assert held == ("x", {"a": [1]})
        assert held is not None and not isinstance(held, NotHeld)
        held[1]["a"].append(2)  # a caller changing its copy changes nothing held
        assert memory.lookup(person_id) == ("x", {"a": [1]})

        clear_pending(db=office_db, person_id=person_id)
        assert isinstance(memory.lookup(person_id), NotHeld)
        assert memory.read(db=office_db, person_id=person_id) is None
    finally:
        memory.stop()


def test_pending_input_is_not_kept_without_listening(office_db: Database) -> None:
    person_id = _person_id(office_db)
    memory = PendingMemory()
    memory.read(db=office_db, person_id=person_id)
    assert isinstance(memory.lookup(person_id), NotHeld)


def test_everyone_loaded_at_once_is_who_the_guard_would_read(office_db: Database) -> None:
    with office_db.session() as session:
        nips = list(session.exec(select(Person.nip).order_by(Person.id)))
    for number, nip in enumerate(nips, start=600):
        _bind(office_db, nip, number)

    _, everyone = registered_people(db=office_db)

    assert len(everyone) == len(nips)
    for account, view in everyone.items():
        assert view == find_account(db=office_db, telegram_user_id=account)
