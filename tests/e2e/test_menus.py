"""Command menus: set when a person registers, and at start-up only where they changed."""

from __future__ import annotations

import pytest
from sqlmodel import select

from storage.db import Database
from storage.models import Person, PersonRole
from tests.e2e.conftest import PEOPLE, BotRunner, register_people
from tests.standin import BotApiStandin

pytestmark = pytest.mark.e2e


def _chat_menu_calls(standin: BotApiStandin) -> list[int]:
    """Return the chats whose own menu the bot set or cleared, in order."""
    return [
        call.params["scope"]["chat_id"]
        for call in standin.calls()
        if call.method in ("setMyCommands", "deleteMyCommands")
        and call.params.get("scope", {}).get("type") == "chat"
    ]


def _person(db: Database, name: str) -> Person:
    with db.session() as session:
        person = session.exec(select(Person).where(Person.nip == PEOPLE[name][0])).one()
        session.expunge(person)
        return person


async def test_a_restart_sets_only_the_menus_that_changed(
    standin: BotApiStandin, office_db: Database, start_bot: BotRunner
) -> None:
    async with start_bot():
        people = await register_people(standin, office_db, "fajar", "dedi", "bima")
        await standin.wait_until_idle()
    assert sorted(_chat_menu_calls(standin)) == sorted(u.id for u in people.values())

    # Nothing changed: a restart sets no person's menu again.
    before = len(_chat_menu_calls(standin))
    async with start_bot():
        await standin.wait_until_idle()
    assert _chat_menu_calls(standin)[before:] == []

    # While the bot was down, Dedi became rendatin and Bima left the organisation file.
    dedi, bima = _person(office_db, "dedi"), _person(office_db, "bima")
    with office_db.session() as session:
        session.add(PersonRole(person_id=dedi.id, role="rendatin"))
        stored = session.get(Person, bima.id)
        assert stored is not None
        stored.active = False
        session.add(stored)
        session.commit()
    async with start_bot():
        await standin.wait_until_idle()
    assert sorted(_chat_menu_calls(standin)[before:]) == sorted(
        [people["dedi"].id, people["bima"].id]
    )
    assert "status" in [c["command"] for c in standin.commands_for(people["dedi"])]
    assert [c["command"] for c in standin.commands_for(people["bima"])] == ["start", "bantuan"]

    # And the next start has nothing left to do.
    settled = len(_chat_menu_calls(standin))
    async with start_bot():
        await standin.wait_until_idle()
    assert _chat_menu_calls(standin)[settled:] == []
