"""The office a press or a command acts in, for an account that is a person in several.

A command acts in the account's current office (``Account.current``, chosen with /kantor);
a button acts in the office of the object it names (``offices_of``), whatever is current.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from bot.callbacks import Subject
from bot.domain.errors import NotAllowed
from bot.messages import Reply
from bot.messages import offices as messages
from bot.services.people import Account
from storage.db import Database
from storage.models import (
    Approval,
    ArchiveEntry,
    Cycle,
    CycleIndicator,
    Draft,
    Meeting,
    Office,
    Person,
    ReportDelivery,
    Submission,
    Unit,
)

# Each kind of object, by its table's office column (a line and a submission: their cycle's).
_TABLES: dict[Subject, Any] = {
    Subject.CYCLE: Cycle,
    Subject.MEETING: Meeting,
    Subject.DRAFT: Draft,
    Subject.APPROVAL: Approval,
    Subject.DELIVERY: ReportDelivery,
    Subject.ARCHIVE_ENTRY: ArchiveEntry,
    Subject.UNIT: Unit,
}


def _office_query(subject: Subject, object_id: int) -> SelectOfScalar[Any]:
    if subject is Subject.OFFICE:
        return select(Office.id).where(Office.id == object_id)
    if subject in (Subject.LINE, Subject.SUBMISSION):
        query = select(Cycle.office_id).join(
            CycleIndicator, col(CycleIndicator.cycle_id) == Cycle.id
        )
        if subject is Subject.LINE:
            return query.where(CycleIndicator.id == object_id)
        return query.join(
            Submission, col(Submission.cycle_indicator_id) == CycleIndicator.id
        ).where(Submission.id == object_id)
    table = _TABLES[subject]
    return select(table.office_id).where(table.id == object_id)


def offices_of(*, db: Database, subject: Subject, object_id: int) -> tuple[int, ...]:
    """Return the offices whose people may press a button naming the object, its own first.

    Empty: there is no such object. A report delivery (Terima) also names the KPU Provinsi
    its office reports to in this deployment: the parent's provinsi people receive it.
    One statement, or two for a delivery, on the press of an account in several offices.
    """
    with db.session() as session:
        found = session.exec(_office_query(subject, object_id)).first()
        if found is None:
            return ()
        office_id = int(found)
        if subject is Subject.DELIVERY:
            parent = session.exec(select(Office.parent_id).where(Office.id == office_id)).first()
            if parent is not None:
                return (office_id, int(parent))
        return (office_id,)


def office_menu(*, account: Account) -> Reply:
    """/kantor: the account's offices (as registered), the current one marked."""
    offices = [(person.office_id, person.office_name) for person in account.people]
    return messages.office_choice(offices, current=account.current.office_id)


def choose_office(*, db: Database, account: Account, office_id: int, now: datetime) -> str:
    """Make ``office_id`` the account's current office; return the office's name.

    Raises NotAllowed when the account is no person there, or no longer an active one.
    """
    person = account.in_office(office_id)
    if person is None:
        raise NotAllowed(messages.NOT_YOUR_OFFICE)
    if not person.active:
        raise NotAllowed(messages.NO_LONGER_ACTIVE_THERE)
    with db.session() as session:
        session.execute(
            update(Person).where(col(Person.id) == person.id).values(office_chosen_at=now)
        )
        session.commit()
    return person.office_name
