"""What the bot is waiting for from a person (stored, so a restart loses nothing)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from storage.db import Database
from storage.models import PendingInput
from storage.upsert import insert_for


def get_pending(session: Session, *, person_id: int) -> PendingInput | None:
    """Return what the bot waits for from the person, locking it until the caller commits.

    Services read it to change it (an answer, an added file): the row lock makes a second
    transaction for the same person wait instead of overwriting the first one's change.
    """
    return session.get(PendingInput, person_id, with_for_update=True)


def set_pending(
    session: Session, *, person_id: int, kind: str, payload: dict[str, Any], now: datetime
) -> None:
    """Record what the bot now waits for (replacing anything it waited for before).

    One statement that inserts or replaces, so two at once never collide on the person.
    """
    values = {"kind": kind, "payload": dict(payload), "updated_at": now}
    session.execute(
        insert_for(session, PendingInput)
        .values(person_id=person_id, **values)
        .on_conflict_do_update(index_elements=["person_id"], set_=values)
    )
    loaded = session.identity_map.get(session.identity_key(PendingInput, person_id))
    if loaded is not None:
        session.expire(loaded)  # read again when next asked, as the statement left it


def pending_kind(*, db: Database, person_id: int) -> str | None:
    """Return the kind of input the bot waits for from the person."""
    with db.session() as session:
        pending = session.get(PendingInput, person_id)
        return pending.kind if pending else None


def clear_pending(*, db: Database, person_id: int) -> str | None:
    """Forget what the bot waited for; return its kind (None when there was nothing)."""
    with db.session() as session:
        pending = get_pending(session, person_id=person_id)
        if pending is None:
            return None
        kind = pending.kind
        session.delete(pending)
        session.commit()
        return kind


def pending_payload(*, db: Database, person_id: int) -> tuple[str, dict[str, Any]] | None:
    """Return the kind and details of what the bot waits for from the person."""
    with db.session() as session:
        pending = session.get(PendingInput, person_id)
        return (pending.kind, dict(pending.payload)) if pending else None
