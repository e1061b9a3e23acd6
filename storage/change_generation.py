"""A counter of changes to who may do what, so a cache of people knows when it is stale.

The bot keeps the registered people in memory (bot.services.known_people) instead of reading
them for every update. Whatever changes a person, their roles, office or unit, in any process
(the bot itself, or the CLI's ``org import`` beside it), adds one to the ``people`` counter in
the same transaction; the bot reads the counter every few seconds and forgets its copy when
it moved. Within the process, a committed change also tells the caches at once.

It is done here, for every session, rather than at each place that changes a person, so that
a new such place cannot forget it. The one change that does not count is a person's
``menu_digest`` (bookkeeping of the command menus, which start-up writes for everyone).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import BigInteger, Column, Engine, String, Table, event, inspect, orm, select
from sqlalchemy.orm import ORMExecuteState
from sqlmodel import Session, SQLModel

from storage.models import Person
from storage.upsert import insert_for

PEOPLE = "people"

change_generation = Table(
    "change_generation",
    SQLModel.metadata,
    Column("name", String(32), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

# The tables of Person, PersonRole, Office and Unit: what the guard's view of a person holds.
PEOPLE_TABLES = frozenset({"person", "person_role", "office", "unit"})
_NOT_ACCESS = frozenset({"menu_digest"})  # written for everyone at start-up; changes no right
_CHANGED = "lapkin.changed_tables"  # in Session.info until the transaction ends

Listener = Callable[[], None]
_listeners: dict[tuple[str, str], list[Listener]] = {}  # (database, table): listeners
_listeners_lock = threading.Lock()


def database_key(engine: Engine) -> str:
    """Name the database an engine reaches (two engines on one URL are one database)."""
    return engine.url.render_as_string(hide_password=False)


def on_change(engine: Engine, tables: Iterable[str], listener: Listener) -> Callable[[], None]:
    """Call ``listener`` after every commit in this process that changes one of ``tables`` in
    ``engine``'s database (from whatever engine); return a function that stops it."""
    keys = [(database_key(engine), table) for table in tables]
    with _listeners_lock:
        for key in keys:
            _listeners.setdefault(key, []).append(listener)

    def stop() -> None:
        with _listeners_lock:
            for key in keys:
                listeners = _listeners.get(key, [])
                if listener in listeners:
                    listeners.remove(listener)
                if not listeners:
                    _listeners.pop(key, None)

    return stop


def on_people_change(engine: Engine, listener: Listener) -> Callable[[], None]:
    """Call ``listener`` after every commit in this process that changes people."""
    return on_change(engine, PEOPLE_TABLES, listener)


def people_generation(session: Session) -> int:
    """Return the ``people`` counter (0 before the first change)."""
    query = select(change_generation.c.value).where(change_generation.c.name == PEOPLE)
    return session.execute(query).scalar() or 0


def _changed_tables(session: orm.Session) -> set[str]:
    tables: set[str] = session.info.setdefault(_CHANGED, set())
    return tables


def _table_of(instance: object) -> str | None:
    table = getattr(type(instance), "__table__", None)
    return table.name if isinstance(table, Table) else None


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    changed = _changed_tables(session)
    for instance in (*session.new, *session.deleted):
        if (table := _table_of(instance)) is not None:
            changed.add(table)
    for instance in session.dirty:
        table = _table_of(instance)
        if table is None or table in changed:
            continue
        if isinstance(instance, Person):
            state = inspect(instance)
            if any(
                attribute.history.has_changes()
                for attribute in state.attrs
                if attribute.key not in _NOT_ACCESS
            ):
                changed.add(table)
        elif session.is_modified(instance):
            changed.add(table)


@event.listens_for(Session, "do_orm_execute")
def _on_statement(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if not isinstance(table, Table):
        return
    if table.name == Person.__tablename__ and _only_menus(state):
        return
    _changed_tables(state.session).add(table.name)


def _only_menus(state: ORMExecuteState) -> bool:
    """Tell whether an UPDATE of people sets nothing but their menu digests."""
    if not state.is_update:
        return False
    rows = state.parameters if isinstance(state.parameters, list) else [state.parameters]
    columns = {key for row in rows if row for key in row} - {"id"}
    values = getattr(state.statement, "_values", None) or {}
    columns |= {getattr(key, "key", str(key)) for key in values}
    return bool(columns) and columns <= _NOT_ACCESS


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    # The commit's own flush comes after this event: flush first, so its changes count.
    if session.new or session.dirty or session.deleted:
        session.flush()
    if not _changed_tables(session) & PEOPLE_TABLES:
        return
    # Last in the transaction, so the counter's row is held only for the commit itself and
    # two transactions that change people never wait on each other's counter mid-way.
    bump = insert_for(session, change_generation).values(name=PEOPLE, value=1)
    session.execute(
        bump.on_conflict_do_update(
            index_elements=["name"], set_={"value": change_generation.c.value + 1}
        )
    )


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    changed = session.info.pop(_CHANGED, None)
    if not changed:
        return
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    database = database_key(engine)
    with _listeners_lock:
        listeners = {
            listener: None
            for table in changed
            for listener in _listeners.get((database, table), ())
        }
    for listener in listeners:
        listener()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_CHANGED, None)
