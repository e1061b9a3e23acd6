"""What the bot is waiting for from a person (stored, so a restart loses nothing).

Services ask and read it typed (``wait_for``, ``read_pending``: bot/domain/pending.py says
the kinds and their payloads); ``get_pending`` and ``set_pending`` are the row underneath.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from sqlmodel import Session

from bot.domain.pending import Pending, PendingKind
from storage.db import Database
from storage.models import PendingInput
from storage.upsert import insert_for

P = TypeVar("P", bound=Pending)
KNOWN_KINDS = frozenset(kind.value for kind in PendingKind)


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


def wait_for(session: Session, *, person_id: int, payload: Pending, now: datetime) -> None:
    """Record that the bot now waits for ``payload``'s kind of answer (caller commits)."""
    set_pending(
        session, person_id=person_id, kind=payload.kind.value, payload=payload.to_json(), now=now
    )


def read_pending(
    session: Session, *, person_id: int, expected: type[P]
) -> tuple[PendingInput, P] | None:
    """Return the row and the payload when the bot waits for ``expected`` from the person
    (locked until the caller commits, as ``get_pending``); None when it waits for nothing
    or for something else."""
    pending = get_pending(session, person_id=person_id)
    if pending is None or pending.kind != expected.kind:
        return None
    return pending, expected.from_json(pending.payload)


def awaited_kind(*, db: Database, person_id: int) -> PendingKind | None:
    """Return the kind of input the bot waits for from the person (None: nothing it knows)."""
    with db.session() as session:
        pending = session.get(PendingInput, person_id)
        return known_kind(pending.kind) if pending is not None else None


def known_kind(stored: str) -> PendingKind | None:
    """Return the kind a stored pending input names (None: one this version does not know)."""
    return PendingKind(stored) if stored in KNOWN_KINDS else None


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
