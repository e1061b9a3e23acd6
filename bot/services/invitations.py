"""Inviting people and binding their Telegram account when they follow the link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.domain.invitations import check_redeemable, hash_token, looks_like_token, new_token
from bot.messages import people as messages
from bot.services.audit import record_event
from bot.services.outbox import enqueue_to_admins
from bot.services.people import PersonView, person_view, resolve_office
from storage.db import Database
from storage.models import Invitation, Person
from storage.queries import people_by_telegram_id, person_by_nip, person_by_telegram_id

UNKNOWN_LINK = messages.UNKNOWN_LINK


@dataclass(frozen=True)
class NewInvitation:
    """A freshly made invitation; the token exists only here, the database keeps its hash."""

    token: str
    person_name: str
    nip: str
    expires_at: datetime


def create_invitation(
    *,
    db: Database,
    nip: str,
    now: datetime,
    valid_days: int,
    created_by: str,
    office_code: str | None = None,
    actor_person_id: int | None = None,
) -> NewInvitation:
    """Make a one-time invitation for the person with ``nip``; older unused links stop working."""
    nip = nip.replace(" ", "")
    with db.session() as session:
        office = resolve_office(session, office_code=office_code)
        assert office.id is not None
        person = person_by_nip(session, office_id=office.id, nip=nip)
        if person is None:
            raise NotFound(messages.no_such_nip(nip, office.name))
        if not person.active:
            raise NotAllowed(messages.no_longer_active(person.name))
        if person.telegram_user_id is not None:
            raise NotAllowed(messages.already_registered(person.name))
        # Only the newest link works: a link that was forwarded to the wrong chat can be
        # replaced by simply inviting again.
        session.execute(
            update(Invitation)
            .where(col(Invitation.person_id) == person.id, col(Invitation.used_at).is_(None))
            .values(expires_at=now)
        )
        token = new_token()
        expires_at = now + timedelta(days=valid_days)
        assert person.id is not None
        invitation = Invitation(
            office_id=office.id or 0,
            person_id=person.id,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=expires_at,
            created_by=created_by,
        )
        session.add(invitation)
        session.flush()
        record_event(
            session,
            now=now,
            actor=created_by,
            actor_person_id=actor_person_id,
            action="invitation.created",
            object_type="person",
            object_id=person.id,
            office_id=office.id,
            details={
                "nip": nip,
                "invitation_id": invitation.id,
                "expires_at": expires_at.isoformat(),
            },
        )
        session.commit()
        return NewInvitation(token=token, person_name=person.name, nip=nip, expires_at=expires_at)


def redeem_invitation(
    *,
    db: Database,
    token: str,
    telegram_user_id: int,
    telegram_username: str | None,
    now: datetime,
) -> PersonView:
    """Bind the Telegram account to the invited person; raise a DomainError saying why not."""
    if not looks_like_token(token):
        raise InvalidInput(UNKNOWN_LINK)
    with db.session() as session:
        invitation = session.exec(
            select(Invitation).where(Invitation.token_hash == hash_token(token))
        ).first()
        if invitation is None:
            raise NotFound(UNKNOWN_LINK)
        person = session.get(Person, invitation.person_id)
        assert person is not None
        # The account may be a person in other offices too, but only one in each.
        bound = person_by_telegram_id(
            session, telegram_user_id=telegram_user_id, office_id=person.office_id
        )
        if bound is not None and bound.id == person.id:
            raise NotAllowed(messages.registered_as_you(person.name))
        if bound is not None:
            raise NotAllowed(messages.account_of_another(bound.name))
        check_redeemable(used_at=invitation.used_at, expires_at=invitation.expires_at, now=now)
        if not person.active:
            raise NotAllowed(messages.INVITEE_INACTIVE)
        if person.telegram_user_id is not None:
            raise NotAllowed(messages.registered_elsewhere(person.name))
        # Claim the token with a conditional update so two simultaneous /start presses of
        # the same link cannot both succeed.
        claimed = session.execute(
            update(Invitation)
            .where(col(Invitation.id) == invitation.id, col(Invitation.used_at).is_(None))
            .values(used_at=now)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            session.rollback()
            check_redeemable(used_at=now, expires_at=invitation.expires_at, now=now)
        if people_by_telegram_id(session, telegram_user_id=telegram_user_id):
            # A person of other offices too: the office just joined is the current one
            # (someone who moved works there now; /kantor switches back).
            person.office_chosen_at = now
        person.telegram_user_id = telegram_user_id
        person.telegram_username = telegram_username
        person.registered_at = now
        record_event(
            session,
            now=now,
            actor=person.name,
            actor_person_id=person.id,
            action="person.registered",
            object_type="person",
            object_id=person.id,
            office_id=person.office_id,
            details={"invitation_id": invitation.id, "telegram_user_id": telegram_user_id},
        )
        view = person_view(session, person)
        roles = ", ".join(sorted(role.value for role in view.roles))
        enqueue_to_admins(
            session,
            office_id=person.office_id,
            now=now,
            text=messages.newly_registered(person.name, roles),
            except_person_id=person.id,
        )
        try:
            session.commit()
        except IntegrityError:
            # The same Telegram account registered for someone else of the office at the
            # same moment.
            session.rollback()
            raise NotAllowed(messages.ACCOUNT_JUST_TAKEN) from None
        return view
