"""What the bot is waiting for from a person (stored, so a restart loses nothing)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from storage.db import Database
from storage.models import PendingInput


def get_pending(session: Session, *, person_id: int) -> PendingInput | None:
    """Return what the bot waits for from the person, if anything."""
    return session.get(PendingInput, person_id)


def set_pending(
    session: Session, *, person_id: int, kind: str, payload: dict[str, Any], now: datetime
) -> None:
    """Record what the bot now waits for (replacing anything it waited for before)."""
    pending = session.get(PendingInput, person_id)
    if pending is None:
        session.add(PendingInput(person_id=person_id, kind=kind, payload=payload, updated_at=now))
    else:
        pending.kind = kind
        # A new dict, so SQLAlchemy sees the JSON column change.
        pending.payload = dict(payload)
        pending.updated_at = now


def pending_kind(*, db: Database, person_id: int) -> str | None:
    """Return the kind of input the bot waits for from the person."""
    with db.session() as session:
        pending = get_pending(session, person_id=person_id)
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
        pending = get_pending(session, person_id=person_id)
        return (pending.kind, dict(pending.payload)) if pending else None
