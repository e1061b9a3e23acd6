"""The append-only audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from storage.models import AuditEvent


def record_event(
    session: Session,
    *,
    now: datetime,
    actor: str,
    action: str,
    object_type: str,
    object_id: str | int | None = None,
    office_id: int | None = None,
    actor_person_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one audit event to the caller's transaction (committed with the change it records)."""
    event = AuditEvent(
        office_id=office_id,
        at=now,
        actor_person_id=actor_person_id,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        details=details or {},
    )
    session.add(event)
    return event


def events(session: Session, *, action: str | None = None) -> list[AuditEvent]:
    """Return audit events in the order they happened, optionally of one action."""
    query = select(AuditEvent).order_by(col(AuditEvent.id))
    if action is not None:
        query = query.where(AuditEvent.action == action)
    return list(session.exec(query))
