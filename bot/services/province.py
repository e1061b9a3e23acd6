"""A province in one deployment: who receives a kabupaten/kota's report, and who may read it.

A kabupaten/kota names its KPU Provinsi (``office.parent_id``, the organisation file's
``induk``). The parent's ``provinsi`` people receive the child's report beside the child's
own, may press its Terima, and see its cycle in /pantau; nobody at the parent changes a
child's data. People are addressed by person row, never by Telegram account.
"""

from __future__ import annotations

from sqlmodel import Session

from bot.domain.roles import Role
from bot.services.common import people_with_role
from storage.models import Office, Person


def report_recipients(session: Session, office: Office) -> list[Person]:
    """Return the registered provinsi people who receive ``office``'s report.

    The office's own recipients come first, then its parent's; a person is listed once.
    """
    offices = [office.id or 0] + ([office.parent_id] if office.parent_id is not None else [])
    found: dict[int, Person] = {}
    for office_id in offices:
        for person in people_with_role(session, office_id=office_id, role=Role.PROVINSI):
            found.setdefault(person.id or 0, person)
    return list(found.values())


def reports_to(office: Office, *, reader_office_id: int) -> bool:
    """Tell whether someone of ``reader_office_id`` reads ``office`` as its own or its parent."""
    return office.id == reader_office_id or office.parent_id == reader_office_id
