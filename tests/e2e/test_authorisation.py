"""The authorisation matrix: every command of bot.domain.roles.COMMANDS for every kind of person.

The table in bot/domain/roles.py is the one source: the menus, /bantuan, the README's table and
this test all read it. Each cell is tried in a private chat: an allowed person gets past the
role check; anyone else gets the refusal and nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from bot import callbacks
from bot.context import LapkinApplication
from bot.domain.organisation import OrganisationSpec, PersonSpec
from bot.domain.roles import COMMANDS, Command, Role, access_table
from bot.messages import common as texts
from bot.services.organisation import import_organisation
from handlers.permissions import button_refusal, refusal
from storage.db import Database
from storage.models import Cycle, CycleIndicator, Indicator, Submission, Unit
from storage.queries import office_by_code
from tests.cycle_data import accept_all
from tests.e2e.conftest import PEOPLE, count_errors, deactivate, register
from tests.e2e.steps import approve_cycle, import_second_office, start_cycle, submit_cycle
from tests.reliability.state import differences, snapshot
from tests.standin import BotApiStandin, FakeUser

pytestmark = pytest.mark.e2e

KOTA = "kpu-kota-bengkulu"
SELUMA = "kpu-kabupaten-seluma"  # a second office, for the presses across offices

RENDATIN_ONLY = PersonSpec(
    nip="199501012020011001",
    name="Rendi",
    jabatan="Analis",
    unit="RENDATIN",
    roles=(Role.RENDATIN,),
)
ADMIN_ONLY = PersonSpec(
    nip="199601012021011002", name="Adi", jabatan="Pranata Komputer", roles=(Role.ADMIN,)
)


@dataclass(frozen=True)
class Actor:
    label: str
    roles: frozenset[Role]  # empty for a stranger or a deactivated person
    nip: str | None
    first_name: str


ACTORS = (
    Actor("staf", frozenset({Role.STAF}), *PEOPLE["dedi"]),
    Actor("kasubbag", frozenset({Role.KASUBBAG}), *PEOPLE["rina"]),
    Actor("rendatin", frozenset({Role.RENDATIN}), RENDATIN_ONLY.nip, "Rendi"),
    Actor("sekretaris", frozenset({Role.SEKRETARIS}), *PEOPLE["hendra"]),
    Actor("pimpinan", frozenset({Role.PIMPINAN}), "197101011998031001", "Ahmad"),
    Actor("provinsi", frozenset({Role.PROVINSI}), "197603032002121002", "Suryadi"),
    Actor("admin", frozenset({Role.ADMIN}), ADMIN_ONLY.nip, "Adi"),
    Actor("deactivated", frozenset(), *PEOPLE["bima"]),
    Actor("stranger", frozenset(), None, "Asing"),
)


def _add_single_role_people(db: Database, spec: OrganisationSpec) -> None:
    """The example office, plus a person who is only rendatin and one who is only admin."""
    people = (*spec.people, RENDATIN_ONLY, ADMIN_ONLY)
    import_organisation(
        db=db,
        spec=spec.model_copy(update={"people": people}),
        now=datetime(2026, 1, 5, 2, 0, tzinfo=UTC),
    )


async def test_every_command_for_every_kind_of_person(
    standin: BotApiStandin,
    office_db: Database,
    example_spec: OrganisationSpec,
    bot: LapkinApplication,
) -> None:
    _add_single_role_people(office_db, example_spec)
    users = {actor.label: await _user_of(standin, office_db, actor) for actor in ACTORS}
    deactivate(office_db, PEOPLE["bima"][0])
    await standin.wait_until_idle()
    errors = count_errors(bot)
    cells = [(entry, actor) for entry in COMMANDS for actor in ACTORS]
    refused = [(entry, actor) for entry, actor in cells if not _allowed(entry, actor)]
    allowed = [(entry, actor) for entry, actor in cells if _allowed(entry, actor)]

    # Every refused cell first: none may change anything.
    before = snapshot(office_db)
    violations = [
        f"/{entry.name} by {actor.label}: {answer!r}"
        for entry, actor in refused
        if (answer := await _answer(standin, users[actor.label], entry)) != _refusal(entry, actor)
    ]
    assert differences(before, snapshot(office_db)) == {}
    # Then every allowed cell: past the gate (what follows is each command's own test).
    violations += [
        f"/{entry.name} by {actor.label} was refused"
        for entry, actor in allowed
        if await _answer(standin, users[actor.label], entry) == refusal(entry)
    ]

    assert violations == []
    assert errors == []
    assert len(cells) == len(COMMANDS) * len(ACTORS) and len(allowed) >= len(COMMANDS)


async def test_the_group_command_is_refused_in_the_group_to_all_but_its_roles(
    standin: BotApiStandin, office_db: Database, bot: LapkinApplication
) -> None:
    entry = next(entry for entry in COMMANDS if entry.in_group)
    people = {
        name: await register(standin, office_db, *PEOPLE[name])
        for name in ("dedi", "rina", "hendra", "fajar")
    }
    group = standin.group("Grup KUL", *people.values())
    await standin.wait_until_idle()  # the menus are set after each registration
    before = snapshot(office_db)
    for name in ("dedi", "hendra", "fajar"):
        seen = len(standin.messages(group))
        await standin.send_text(people[name], f"/{entry.name}", chat=group)
        assert (await standin.wait_for_message(group, after=seen)).body == refusal(entry)
    assert differences(before, snapshot(office_db)) == {}

    await standin.send_text(people["rina"], f"/{entry.name}", chat=group)
    await standin.wait_for_message(group, contains="terdaftar")
    assert differences(before, snapshot(office_db)).keys() >= {"telegram_group"}


def test_the_readme_shows_the_table_the_bot_enforces() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    assert access_table() in readme
    assert callbacks.buttons_table() in readme


def _allowed(entry: Command, actor: Actor) -> bool:
    return bool(actor.roles) and entry.allowed_for(actor.roles)


def _refusal(entry: Command, actor: Actor) -> str:
    if actor.label == "stranger":
        return texts.NOT_REGISTERED
    if actor.label == "deactivated":
        return texts.INACTIVE
    return refusal(entry)


async def _user_of(standin: BotApiStandin, db: Database, actor: Actor) -> FakeUser:
    if actor.nip is None:
        return standin.user(actor.first_name)
    return await register(standin, db, actor.nip, actor.first_name)


async def _answer(standin: BotApiStandin, user: FakeUser, entry: Command) -> str:
    seen = len(standin.messages(user))
    await standin.send_text(user, f"/{entry.name}")
    return (await standin.wait_for_message(user, after=seen)).body


async def test_every_button_for_every_kind_of_person(
    standin: BotApiStandin,
    pk_db: Database,
    example_spec: OrganisationSpec,
    bot: LapkinApplication,
) -> None:
    _add_single_role_people(pk_db, example_spec)
    users = {actor.label: await _user_of(standin, pk_db, actor) for actor in ACTORS}
    other_unit = {
        "staf of another unit": await register(standin, pk_db, *PEOPLE["siti"]),
        "kasubbag of another unit": await register(standin, pk_db, *PEOPLE["agus"]),
    }
    # Yulia, the Ketua Tim, signs the Nota Dinas Rendi prepares.
    await register(standin, pk_db, *PEOPLE["yulia"])
    await start_cycle(standin, users["rendatin"])
    accept_all(pk_db, person_id=1)
    ids = _object_ids(pk_db)
    await standin.wait_until_idle()
    errors = count_errors(bot)
    registered = [actor for actor in ACTORS if actor.roles]
    presses = [
        (rule, f"{rule.area}:{action}{ids.get(rule.area, '')}", actor)
        for rule in callbacks.BUTTON_RULES
        for action in sorted(rule.actions)
        for actor in registered
    ]

    # Presses outside the table's roles: refused with its message, and nothing changes.
    before = snapshot(pk_db)
    violations = [
        f"{data} by {actor.label}: {answer!r}"
        for rule, data, actor in presses
        if not rule.allowed_for(actor.roles)
        and (answer := await _press(standin, users[actor.label], data)) != button_refusal(rule)
    ]
    # Another unit's line: their role may enter data, but not this unit's.
    line = ids[callbacks.ENTRY]
    for label, user in other_unit.items():
        for data in (f"{callbacks.ENTRY}:s{line}", f"{callbacks.REVIEW}:v{ids[callbacks.REVIEW]}"):
            answer = await _press(standin, user, data)
            if "Maaf" not in answer:
                violations.append(f"{data} by {label}: {answer!r}")
    assert differences(before, snapshot(pk_db)) == {}
    # Presses within the roles pass the gate (each button's own tests cover what follows).
    violations += [
        f"{data} by {actor.label} was refused"
        for rule, data, actor in presses
        if rule.allowed_for(actor.roles)
        and await _press(standin, users[actor.label], data) == button_refusal(rule)
    ]

    assert violations == []
    assert errors == []


async def test_only_its_signer_decides_a_nota_dinas_awaiting_her(
    standin: BotApiStandin,
    pk_db: Database,
    example_spec: OrganisationSpec,
    bot: LapkinApplication,
) -> None:
    """Setujui / Kembalikan while the request stands: every kind of person but the Ketua Tim
    is refused and nothing changes; hers is obeyed."""
    _add_single_role_people(pk_db, example_spec)
    registered = [actor for actor in ACTORS if actor.roles]
    users = {actor.label: await _user_of(standin, pk_db, actor) for actor in registered}
    yulia = await register(standin, pk_db, *PEOPLE["yulia"])
    answer = await submit_cycle(standin, users["rendatin"])
    assert "menunggu persetujuan" in answer.body
    with pk_db.session() as session:
        cycle = session.exec(select(Cycle)).one()
        assert cycle.status == "awaiting_signer"
    await standin.wait_until_idle()
    errors = count_errors(bot)

    before = snapshot(pk_db)
    violations = [
        f"{data} by {actor.label}: {answer!r}"
        for action in (callbacks.CycleAction.APPROVE, callbacks.CycleAction.RETURN)
        for actor in registered
        if not (
            answer := await _press(
                standin,
                users[actor.label],
                data := callbacks.encode(callbacks.CYCLE, action, cycle.id or 0),
            )
        ).startswith("Maaf")
    ]
    assert differences(before, snapshot(pk_db)) == {}
    assert violations == []

    assert await approve_cycle(standin, yulia) == "1/ORT.06/1771/3/2026"
    assert errors == []


def _object_ids(db: Database, office_code: str = KOTA) -> dict[str, str]:
    """Real ids for the presses: KUL's first line and its submission, the cycle, KUL."""
    with db.session() as session:
        office = office_by_code(session, code=office_code)
        assert office is not None
        cycle = session.exec(select(Cycle).where(Cycle.office_id == office.id)).one()
        unit = session.exec(
            select(Unit).where(Unit.code == "KUL", Unit.office_id == office.id)
        ).one()
        line, submission = session.exec(
            select(CycleIndicator, Submission)
            .join(Indicator, col(Indicator.id) == col(CycleIndicator.indicator_id))
            .join(Submission, col(Submission.cycle_indicator_id) == col(CycleIndicator.id))
            .where(Indicator.unit_id == unit.id)
        ).first() or (None, None)
        assert line is not None and submission is not None
        return {
            callbacks.ENTRY: f":{line.id}",
            callbacks.REVIEW: f":{submission.id}",
            callbacks.CYCLE: f":{cycle.id}",
            callbacks.STATUS: f":{cycle.id}:{unit.id}:0",
            callbacks.MEETING: ":1",
            callbacks.APPROVAL: ":1:1",
            callbacks.DELIVERY: ":1",
            callbacks.ARCHIVE: ":2026",
            callbacks.REMINDER: f":{unit.id}",
            callbacks.OFFICE: f":{office.id}",
        }


async def _press(standin: BotApiStandin, user: FakeUser, data: str) -> str:
    """Press ``data`` under the user's last message; return the alert, or the next message."""
    seen = len(standin.messages(user))
    await standin.tap_data(user, standin.messages(user)[-1], data)
    answer = await standin.wait_for_callback_answer(user)
    if answer.text:
        return answer.text
    await standin.wait_until_idle()
    later = standin.messages(user)[seen:]
    return later[0].body if later else ""


async def test_every_button_of_another_office_is_refused_to_every_kind_of_person(
    standin: BotApiStandin,
    pk_db: Database,
    example_spec: OrganisationSpec,
    bot: LapkinApplication,
) -> None:
    """Offices as well as roles: Seluma's objects, pressed by each person of Kota Bengkulu."""
    _add_single_role_people(pk_db, example_spec)
    import_second_office(
        pk_db,
        example_spec,
        code=SELUMA,
        name="KPU Kabupaten Seluma",
        more_people=(RENDATIN_ONLY, ADMIN_ONLY),
    )
    registered = [actor for actor in ACTORS if actor.roles]
    users = {
        actor.label: await register(
            standin, pk_db, actor.nip or "", actor.first_name, office_code=KOTA
        )
        for actor in registered
    }
    # Seluma's own rendatin (another account) starts Seluma's cycle; its data is accepted.
    seluma_rendatin = await register(
        standin, pk_db, RENDATIN_ONLY.nip, "Rendi Seluma", office_code=SELUMA
    )
    seluma_signer = await register(
        standin, pk_db, PEOPLE["yulia"][0], "Yulia Seluma", office_code=SELUMA
    )
    await start_cycle(standin, seluma_rendatin, signer=seluma_signer)
    accept_all(pk_db, person_id=1)
    ids = _object_ids(pk_db, SELUMA)
    await standin.wait_until_idle()
    errors = count_errors(bot)
    presses = [
        (f"{rule.area}:{action}{ids.get(rule.area, '')}", actor)
        for rule in callbacks.BUTTON_RULES
        for action in sorted(rule.actions)
        if (rule.area, action) in callbacks.BUTTON_SUBJECTS
        for actor in registered
    ]

    before = snapshot(pk_db)
    violations = [
        f"{data} by {actor.label}"
        for data, actor in presses
        if not _refused(await _press(standin, users[actor.label], data))
    ]
    assert differences(before, snapshot(pk_db)) == {}
    assert violations == []
    assert errors == []


def _refused(answer: str) -> bool:
    """A refusal: the office's (or the role's) "Maaf, …", or an object no office has (the ids
    of meetings, drafts, deliveries and archive files that the test never made)."""
    return answer.startswith("Maaf") or answer.endswith("tidak ditemukan.")
