"""/pengingat (rendatin pauses and resumes a unit's reminders) and /ringkasan (morning digest).

Both change only what the sweep (bot/services/reminder_sweep.py) reads: a paused unit is
left out of its reminders, a digest choice decides who gets the morning digest.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.domain.reminders import DIGEST_ROLES
from bot.domain.roles import Role
from bot.messages import Reply
from bot.messages import reminders as messages
from bot.services.audit import record_event
from bot.services.common import NOT_RENDATIN, require_role
from bot.services.people import PersonView
from bot.services.reminder_sweep import active_pauses, reminder_spec
from storage.db import Database
from storage.models import Office, ReminderPause, ReminderPreference, Unit
from storage.queries import units_of_office

# --------------------------------------------------------------------------- /pengingat


def _unit_by_code(session: Session, *, office_id: int, code: str) -> Unit:
    for unit in units_of_office(session, office_id=office_id):
        if unit.active and unit.code.casefold() == code.strip().casefold():
            return unit
    codes = [u.code for u in units_of_office(session, office_id=office_id) if u.active]
    raise NotFound(messages.unknown_unit(code, codes))


def pause_overview(*, db: Database, actor: PersonView) -> Reply:
    """Show each unit's reminder state, with a button to resume the paused ones."""
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    with db.session() as session:
        paused = active_pauses(session, office_id=actor.office_id)
        units = [
            messages.UnitReminders(
                unit_id=unit.id,
                code=unit.code,
                name=unit.name,
                pause_reason=paused[unit.id].reason if unit.id in paused else None,
            )
            for unit in units_of_office(session, office_id=actor.office_id)
            if unit.active and unit.id is not None
        ]
        return messages.pause_overview(units)


def pause_unit(
    *, db: Database, actor: PersonView, unit_code: str, reason: str, now: datetime
) -> Reply:
    """Stop a unit's reminders (not rendatin's digest of it) until they are resumed."""
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    reason = " ".join(reason.split())
    if len(reason) < 3:
        raise InvalidInput(messages.PAUSE_REASON_MISSING)
    with db.session() as session:
        unit = _unit_by_code(session, office_id=actor.office_id, code=unit_code)
        assert unit.id is not None
        if unit.id in active_pauses(session, office_id=actor.office_id):
            raise NotAllowed(messages.already_paused(unit.name))
        session.add(
            ReminderPause(
                office_id=actor.office_id,
                unit_id=unit.id,
                reason=reason[:500],
                paused_by_person_id=actor.id,
                paused_at=now,
            )
        )
        record_event(
            session,
            now=now,
            actor=actor.name,
            actor_person_id=actor.id,
            action="reminders.paused",
            object_type="unit",
            object_id=unit.id,
            office_id=actor.office_id,
            details={"reason": reason},
        )
        session.commit()
        return messages.paused(unit_id=unit.id, code=unit.code, name=unit.name, reason=reason)


def resume_unit(
    *,
    db: Database,
    actor: PersonView,
    now: datetime,
    unit_code: str | None = None,
    unit_id: int | None = None,
) -> Reply:
    """Resume a paused unit's reminders (the next due one goes out at its usual time)."""
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    with db.session() as session:
        if unit_id is not None:
            unit = session.get(Unit, unit_id)
            if unit is None or unit.office_id != actor.office_id:
                raise NotFound(messages.UNIT_NOT_FOUND)
        else:
            unit = _unit_by_code(session, office_id=actor.office_id, code=unit_code or "")
        assert unit.id is not None
        pause = active_pauses(session, office_id=actor.office_id).get(unit.id)
        if pause is None:
            raise NotAllowed(messages.not_paused(unit.name))
        pause.resumed_at = now
        pause.resumed_by_person_id = actor.id
        record_event(
            session,
            now=now,
            actor=actor.name,
            actor_person_id=actor.id,
            action="reminders.resumed",
            object_type="unit",
            object_id=unit.id,
            office_id=actor.office_id,
        )
        session.commit()
        return messages.resumed(unit.name)


# --------------------------------------------------------------------------- /ringkasan


def digest_setting(*, db: Database, actor: PersonView) -> Reply:
    """Show whether the person receives the morning digest, with a button to change it."""
    require_role(actor, *DIGEST_ROLES, message=messages.DIGEST_ONLY)
    with db.session() as session:
        preference = session.get(ReminderPreference, actor.id)
        enabled = preference is not None and preference.morning_digest
        office = session.get(Office, actor.office_id)
        assert office is not None
        at = reminder_spec(office).digest_time
    return messages.digest_setting(enabled=enabled, at=at)


def set_digest(*, db: Database, actor: PersonView, enabled: bool, now: datetime) -> Reply:
    """Turn the person's morning digest on or off."""
    require_role(actor, *DIGEST_ROLES, message=messages.DIGEST_ONLY)
    with db.session() as session:
        preference = session.get(ReminderPreference, actor.id)
        if preference is None:
            preference = ReminderPreference(person_id=actor.id, updated_at=now)
            session.add(preference)
        preference.morning_digest = enabled
        preference.updated_at = now
        session.commit()
    return messages.digest_set(enabled=enabled)
