"""Offices in one deployment: the office a press acts in, each office's own time zone and admin
chat, and one account's person in each office."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from sqlmodel import col, select

from bot.callbacks import Subject
from bot.domain.errors import NotAllowed
from bot.domain.organisation import OrganisationSpec
from bot.domain.roles import Role
from bot.services.offices import choose_office, offices_of
from bot.services.organisation import import_organisation
from bot.services.outbox import enqueue_to_admins
from bot.services.people import current_of, find_account, menu_owners
from bot.services.reminder_sweep import sweep
from storage.models import Cycle, CycleIndicator, OutboxMessage, Person, Unit
from storage.models import Office as OfficeRow
from tests.reminder_data import chat_of, wib
from tests.services.steps import AT_TARGET, PROVINSI, PROVINSI_CHAT, WIB, Office, enter, start_cycle

NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)


def _set_office(office: Office, **settings: object) -> int:
    with office.db.session() as session:
        row = session.exec(select(OfficeRow)).one()
        row.settings = {**row.settings, **settings}
        session.add(row)
        session.commit()
        assert row.id is not None
        return row.id


def test_the_sweep_keeps_each_office_s_own_hours(office: Office) -> None:
    start_cycle(office)
    enter(office, "dedi", "IK 3.1", "96,5", "Penyerapan sesuai rencana kas.", *AT_TARGET)
    office.outbox.clear()
    early = wib(date(2026, 11, 30), 7)  # before 07.30 in WIB; 09.00 in WIT

    assert sweep(db=office.db, now=early, tz=WIB) == 0  # the deployment's zone: too early
    _set_office(office, timezone="WIT")
    assert sweep(db=office.db, now=early, tz=WIB) > 0  # the office's own: its day has begun
    office.outbox.assert_sent_to("dedi", containing="masih perlu melengkapi")


def test_an_office_s_own_admin_chat_replaces_the_deployment_s(office: Office) -> None:
    office_id = _set_office(office, admin_chat_id=-1009)
    with office.db.session() as session:
        enqueue_to_admins(session, office_id=office_id, now=NOW, text="x", extra_chat_id=-1001)
        session.commit()
        chats = set(session.exec(select(OutboxMessage.chat_id)))
    assert -1009 in chats and -1001 not in chats


def test_a_press_acts_in_the_office_of_its_object(office: Office) -> None:
    start_cycle(office)
    with office.db.session() as session:
        office_id, cycle_id = session.exec(select(Cycle.office_id, Cycle.id)).one()
        line = session.exec(select(CycleIndicator.id)).first()
        unit = session.exec(select(Unit.id)).first()
    assert cycle_id is not None and line is not None and unit is not None

    for subject, object_id in (
        (Subject.CYCLE, cycle_id),
        (Subject.LINE, line),
        (Subject.UNIT, unit),
        (Subject.OFFICE, office_id),
    ):
        assert offices_of(db=office.db, subject=subject, object_id=object_id) == (office_id,)
    assert offices_of(db=office.db, subject=Subject.DRAFT, object_id=999) == ()


def test_choosing_an_office_the_account_is_no_person_of_is_refused(office: Office) -> None:
    account = find_account(db=office.db, telegram_user_id=chat_of("dedi"))
    assert account is not None and not account.several
    with pytest.raises(NotAllowed):
        choose_office(db=office.db, account=account, office_id=999, now=NOW)
    assert (
        choose_office(db=office.db, account=account, office_id=account.current.office_id, now=NOW)
        == account.current.office_name
    )


def test_an_account_in_two_offices_acts_and_sees_the_menu_of_the_one_chosen(
    office: Office, example_spec: OrganisationSpec
) -> None:
    """Suryadi is provinsi in Kota Bengkulu and, in a second office, its admin too."""
    other = example_spec.office.model_copy(update={"code": "kpu-kabupaten-seluma"})
    people = tuple(
        p.model_copy(update={"roles": (Role.PROVINSI, Role.ADMIN)}) if p.nip == PROVINSI else p
        for p in example_spec.people
    )
    import_organisation(
        db=office.db,
        spec=example_spec.model_copy(update={"office": other, "people": people}),
        now=NOW,
    )
    with office.db.session() as session:
        seluma = session.exec(
            select(Person).where(Person.nip == PROVINSI, col(Person.telegram_user_id).is_(None))
        ).one()
        seluma.telegram_user_id = PROVINSI_CHAT
        seluma.registered_at = NOW
        session.add(seluma)
        session.commit()
        assert seluma.id is not None
        seluma_office, seluma_person = seluma.office_id, seluma.id

    account = find_account(db=office.db, telegram_user_id=PROVINSI_CHAT)
    assert account is not None and account.several
    assert account.current.roles == {Role.PROVINSI}  # the first registered, Kota Bengkulu
    assert account.in_office(seluma_office) is not None

    choose_office(db=office.db, account=account, office_id=seluma_office, now=NOW)
    account = find_account(db=office.db, telegram_user_id=PROVINSI_CHAT)
    assert account is not None and account.current.office_id == seluma_office
    menus = [owner for owner in menu_owners(db=office.db) if owner.chat_id == PROVINSI_CHAT]
    assert [(m.person_id, m.roles) for m in menus] == [
        (seluma_person, frozenset({Role.PROVINSI, Role.ADMIN}))
    ]


@dataclass(frozen=True)
class _Row:
    id: int
    active: bool = True
    registered_at: datetime | None = None
    office_chosen_at: datetime | None = None


def test_the_current_office_is_the_last_chosen_else_the_first_registered() -> None:
    first = _Row(1, registered_at=datetime(2026, 1, 1, tzinfo=UTC))
    second = _Row(2, registered_at=datetime(2026, 2, 1, tzinfo=UTC))
    assert current_of([second, first]) == first
    chosen = _Row(2, registered_at=second.registered_at, office_chosen_at=NOW)
    assert current_of([first, chosen]) == chosen
    # Someone who moved: the old office deactivated them, the new one is current.
    moved_from = _Row(1, active=False, registered_at=first.registered_at, office_chosen_at=NOW)
    assert current_of([moved_from, second]) == second
