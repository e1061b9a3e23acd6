"""Every table's rows in a form both databases read back the same, taken in one snapshot.

A backup made on SQLite must restore onto PostgreSQL (the way from the embedded default to
production), so rows travel as JSON objects with one neutral encoding per column kind instead
of a backend's own dump. Each column's kind comes from the models; a column of a type this
module does not know stops the backup rather than being written wrongly.
"""

from __future__ import annotations

import base64
import contextlib
import json
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Table,
    Text,
    bindparam,
    cast,
    exists,
    func,
    inspect,
    null,
    select,
    text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers every table on SQLModel.metadata)
from storage.db import make_engine, normalise_url
from storage.migrate import alembic_config
from storage.types import UTCDateTime

BATCH = 1000


class UnknownColumnType(Exception):
    """A column has a type the neutral form has no encoding for."""


def tables() -> list[Table]:
    """Return every table, each after the tables it refers to (the order to insert in)."""
    return list(SQLModel.metadata.sorted_tables)


def column_kind(column: Column[Any]) -> str:
    """Name the neutral encoding of a column's values."""
    kind = column.type
    if isinstance(kind, UTCDateTime):
        return "datetime"
    if isinstance(kind, TypeDecorator):  # e.g. SQLModel's AutoString: stored as its impl
        kind = kind.impl_instance
    # Order matters: Boolean and Float are not what their base classes would suggest.
    if isinstance(kind, Boolean):
        return "boolean"
    if isinstance(kind, Integer):
        return "integer"
    if isinstance(kind, Float):
        raise UnknownColumnType(f"{column.table.name}.{column.name}: float")
    if isinstance(kind, Numeric):
        return "decimal"
    if isinstance(kind, String):
        return "text"
    if isinstance(kind, DateTime):
        raise UnknownColumnType(f"{column.table.name}.{column.name}: naive datetime")
    if isinstance(kind, Date):
        return "date"
    if isinstance(kind, JSON):
        return "json"
    if isinstance(kind, LargeBinary):
        return "bytes"
    raise UnknownColumnType(f"{column.table.name}.{column.name}: {kind!r}")


def columns(table: Table) -> dict[str, str]:
    """Return each column's name and kind, in the table's order."""
    return {column.name: column_kind(column) for column in table.columns}


def head_revision() -> str:
    """Return the newest migration this code knows."""
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


def backend(url: str) -> str:
    """Return "sqlite" or "postgresql"."""
    return make_url(normalise_url(url)).get_backend_name()


@contextlib.contextmanager
def snapshot(url: str, *, scratch: Path) -> Iterator[Connection]:
    """Yield a read-only connection that sees one moment of the database, while it is in use.

    SQLite: the online backup API copies the database, with what is still in its write-ahead
    log, in one step into ``scratch`` (copying the file would lose the WAL). PostgreSQL: one
    REPEATABLE READ, read-only transaction, which sees every table as of its first query.
    """
    if backend(url) == "sqlite":
        source = make_url(url).database
        if not source or source == ":memory:" or not Path(source).is_file():
            raise FileNotFoundError(source or ":memory:")
        with tempfile.TemporaryDirectory(dir=scratch, prefix=".lapkin-snapshot-") as folder:
            copy = Path(folder) / "snapshot.sqlite3"
            with (
                contextlib.closing(sqlite3.connect(source, timeout=30)) as live,
                contextlib.closing(sqlite3.connect(copy)) as target,
            ):
                live.backup(target)  # pages=-1: the whole database in one consistent step
            engine = make_engine(f"sqlite:///{copy}")
            try:
                with engine.connect() as connection:
                    yield connection
            finally:
                engine.dispose()
        return
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            connection.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
            with connection.begin():
                yield connection
    finally:
        engine.dispose()


def current_revision(connection: Connection) -> str | None:
    """Return the database's migration revision (None before the first migration)."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def read_rows(connection: Connection, table: Table) -> Iterator[dict[str, Any]]:
    """Yield every row of ``table`` in primary-key order, encoded."""
    kinds = columns(table)
    selected = [
        # JSON as its text: the JSON value null and SQL NULL must stay apart.
        cast(column, Text).label(column.name) if kinds[column.name] == "json" else column
        for column in table.columns
    ]
    query = (
        select(*selected).order_by(*table.primary_key.columns).execution_options(yield_per=BATCH)
    )
    for row in connection.execute(query):
        yield {name: encode(kinds[name], value) for name, value in row._mapping.items()}


def encode(kind: str, value: Any) -> Any:
    """Turn a column value into JSON."""
    if value is None:
        return None
    if kind in ("datetime", "date"):
        assert isinstance(value, date)
        return value.isoformat()
    if kind == "decimal":
        return str(value)
    if kind == "bytes":
        return base64.b64encode(value).decode("ascii")
    if kind == "json":  # already the document's text
        return str(value)
    return value


def decode(kind: str, value: Any) -> Any:
    """Turn the JSON of ``encode`` back into the column value."""
    if kind == "json":
        if value is None:
            return null()  # SQL NULL, not the JSON value null
        document = json.loads(value)
        return JSON.NULL if document is None else document
    if value is None:
        return None
    if kind == "datetime":
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise ValueError(f"datetime without a time zone: {value}")
        return moment
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "decimal":
        return Decimal(value)
    if kind == "bytes":
        return base64.b64decode(value, validate=True)
    return value


def first_occupied_table(connection: Connection) -> str | None:
    """Return the name of a table of ours that holds rows (None: the database is empty)."""
    present = set(inspect(connection).get_table_names())
    for table in tables():
        if (
            table.name in present
            and connection.execute(select(exists().select_from(table))).scalar()
        ):
            return table.name
    return None


def insert_rows(connection: Connection, table: Table, rows: Iterable[Mapping[str, Any]]) -> int:
    """Insert encoded rows into ``table`` as they are; return how many.

    A column that refers to its own table (an edit's earlier message) is filled in afterwards,
    so the order of the rows does not matter to the foreign key.
    """
    kinds = columns(table)
    own = [key.parent.name for key in table.foreign_keys if key.column.table is table]
    keys = list(table.primary_key.columns)
    later: dict[str, list[dict[str, Any]]] = {name: [] for name in own}
    batch: list[dict[str, Any]] = []
    count = 0
    for row in rows:
        values = {name: decode(kind, row[name]) for name, kind in kinds.items()}
        for name in own:
            if values[name] is not None:
                key = {f"_{k.name}": values[k.name] for k in keys}
                later[name].append({**key, "_value": values.pop(name)})
                values[name] = None
        batch.append(values)
        count += 1
        if len(batch) == BATCH:
            connection.execute(table.insert(), batch)
            batch = []
    if batch:
        connection.execute(table.insert(), batch)
    for name, updates in later.items():
        if updates:
            condition = [k == bindparam(f"_{k.name}") for k in keys]
            statement = table.update().where(*condition).values({name: bindparam("_value")})
            connection.execute(statement, updates)
    return count


def reset_sequences(connection: Connection) -> None:
    """Let PostgreSQL's id sequences continue after the highest inserted id.

    Rows inserted with their ids leave the sequences at 1; the next row would collide.
    SQLite takes the next id from the table itself.
    """
    if connection.dialect.name != "postgresql":
        return
    for table in tables():
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer):
            continue
        sequence = connection.execute(
            text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": table.name, "column": keys[0].name},
        ).scalar()
        if sequence is None:
            continue
        highest = connection.execute(select(func.max(keys[0]))).scalar()
        # is_called=false: the next nextval() returns exactly this value.
        connection.execute(
            text("SELECT setval(:sequence, :next, false)"),
            {"sequence": sequence, "next": (highest or 0) + 1},
        )
