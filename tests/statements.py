"""Counting the SQL statements a block sends, for the statement-count tests and bench/."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from sqlalchemy import event

from storage.db import Database


@contextlib.contextmanager
def counting(db: Database) -> Iterator[list[str]]:
    """Collect every SQL statement the database is sent inside the block."""
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
