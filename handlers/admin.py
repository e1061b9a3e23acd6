"""Admin commands in chat: /undang (invite) and /pegawai (people)."""

from __future__ import annotations

from telegram import Update

from bot.context import LapkinContext
from bot.domain.errors import NotAllowed
from bot.domain.invitations import deep_link
from bot.domain.roles import Role
from bot.messages import common as texts
from bot.services.invitations import create_invitation
from bot.services.people import PersonView, list_people
from handlers.common import call_service, domain_errors_as_replies, is_private, office_tz, reply


def _require_admin(context: LapkinContext) -> PersonView:
    person = context.registered_person
    if not person.has_role(Role.ADMIN):
        raise NotAllowed(texts.ADMIN_ONLY)
    return person


@domain_errors_as_replies
async def invite(update: Update, context: LapkinContext) -> None:
    """Creates an invitation link for the NIP given, in a private chat with an admin."""
    admin = _require_admin(context)
    if not is_private(update):
        # The link is a secret: it must not be posted where others can tap it.
        await reply(update, texts.PRIVATE_ONLY)
        return
    services = context.services
    if not context.args:
        people = await call_service(list_people, db=services.db, office_id=admin.office_id)
        await reply(update, texts.unregistered_hint(people))
        return
    invitation = await call_service(
        create_invitation,
        db=services.db,
        nip="".join(context.args),
        now=services.clock(),
        valid_days=services.settings.invitation_valid_days,
        created_by=admin.name,
        office_code=admin.office_code,
        actor_person_id=admin.id,
    )
    await reply(
        update,
        texts.invitation_created(
            name=invitation.person_name,
            nip=invitation.nip,
            link=deep_link(context.bot.username, invitation.token),
            expires_at=invitation.expires_at,
            tz=office_tz(context),
        ),
    )


@domain_errors_as_replies
async def people(update: Update, context: LapkinContext) -> None:
    """Lists the admin's office: everyone with roles and registration status."""
    admin = _require_admin(context)
    services = context.services
    everyone = await call_service(list_people, db=services.db, office_id=admin.office_id)
    await reply(update, texts.people_list(everyone, office_tz(context)))
