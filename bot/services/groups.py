"""A unit's Telegram group: registered by its Kasubbag, it also receives the Nota Dinas."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import select

from bot.domain.errors import NotAllowed
from bot.domain.roles import Role
from bot.messages import office as messages
from bot.services.audit import record_event
from bot.services.people import PersonView
from storage.db import Database
from storage.models import TelegramGroup
from storage.queries import unit_by_code


def register_group(
    *, db: Database, actor: PersonView, chat_id: int, title: str, now: datetime
) -> str:
    """Bind a group chat to the Kasubbag's unit; return the confirmation to post there."""
    if not actor.has_role(Role.KASUBBAG) or actor.unit_code is None:
        raise NotAllowed(messages.GROUP_KASUBBAG_ONLY)
    with db.session() as session:
        unit = unit_by_code(session, office_id=actor.office_id, code=actor.unit_code)
        assert unit is not None and unit.id is not None
        group = session.exec(select(TelegramGroup).where(TelegramGroup.chat_id == chat_id)).first()
        if group is not None and group.unit_id != unit.id:
            raise NotAllowed(messages.GROUP_OF_ANOTHER_UNIT)
        if group is None:
            group = TelegramGroup(
                office_id=actor.office_id,
                unit_id=unit.id,
                chat_id=chat_id,
                title=title[:255],
                registered_by_person_id=actor.id,
                registered_at=now,
            )
            session.add(group)
        else:
            group.title = title[:255]
        session.flush()
        record_event(
            session,
            now=now,
            actor=actor.name,
            actor_person_id=actor.id,
            action="group.registered",
            object_type="telegram_group",
            object_id=group.id,
            office_id=actor.office_id,
            details={"chat_id": chat_id, "unit": unit.code},
        )
        session.commit()
        return messages.group_registered(unit.name)
