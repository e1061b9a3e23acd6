"""INSERT ... ON CONFLICT for the two databases Lapkin runs on.

Reading a row and inserting it when it is missing races: two people (or two taps) that do it
at once both find nothing, and the second insert fails on the unique key. The database's own
conflict handling settles it instead.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session


def insert_for(session: Session, model: Any) -> Any:
    """Return an INSERT for ``model`` that knows ``on_conflict_do_nothing/do_update``."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(model)
    if dialect == "sqlite":
        return sqlite.insert(model)
    raise NotImplementedError(f"no upsert for the {dialect} database")
