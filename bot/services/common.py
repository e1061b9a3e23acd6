"""Checks and look-ups most use cases share."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from bot.documents import convert_to_pdf
from bot.domain.errors import NotAllowed, NotFound
from bot.domain.files import DOCX_MIME
from bot.domain.roles import Role
from bot.services.outbox import enqueue
from bot.services.people import PersonView
from storage.files import FileStore
from storage.models import Office, Person, PersonRole, StoredFile, Unit
from storage.queries import registered_people_with_role, roles_of

NOT_RENDATIN = "Maaf, hanya Tim Laporan Kinerja (Rendatin) yang dapat melakukan ini."


def require_role(person: PersonView, *roles: Role, message: str | None = None) -> None:
    """Raise NotAllowed unless ``person`` holds one of ``roles``."""
    if not person.has_role(*roles):
        raise NotAllowed(message or "Maaf, Anda tidak berwenang melakukan ini.")


def load_office(session: Session, office_id: int) -> Office:
    """Return the office (it always exists for a registered person)."""
    office = session.get(Office, office_id)
    if office is None:
        raise NotFound("Kantor tidak ditemukan.")
    return office


def unit_members(session: Session, *, unit_id: int) -> list[Person]:
    """Return the unit's active, registered Kasubbag and staff."""
    query = (
        select(Person)
        .join(PersonRole, col(PersonRole.person_id) == col(Person.id))
        .where(Person.unit_id == unit_id, col(Person.active))
        .where(col(Person.telegram_user_id).is_not(None))
        .where(col(PersonRole.role).in_((Role.KASUBBAG.value, Role.STAF.value)))
        .order_by(col(Person.id))
        .distinct()
    )
    return list(session.exec(query))


def people_with_role(session: Session, *, office_id: int, role: Role) -> list[Person]:
    """Return the office's active, registered people holding ``role``."""
    return registered_people_with_role(session, office_id=office_id, role=role.value)


def kasubbag_of(session: Session, *, unit_id: int) -> Person | None:
    """Return the unit's active Kasubbag, registered or not."""
    query = (
        select(Person)
        .join(PersonRole, col(PersonRole.person_id) == col(Person.id))
        .where(Person.unit_id == unit_id, col(Person.active), PersonRole.role == "kasubbag")
        .order_by(col(Person.id))
    )
    return session.exec(query).first()


def team_lead(session: Session, *, office_id: int) -> Person | None:
    """Return the Ketua Tim: the Kasubbag who is also in the rendatin team."""
    query = select(Person).where(Person.office_id == office_id, col(Person.active))
    for person in session.exec(query.order_by(col(Person.id))):
        assert person.id is not None
        roles = set(roles_of(session, person_id=person.id))
        if {"kasubbag", "rendatin"} <= roles:
            return person
    return None


def initial_reviewers(session: Session, *, office: Office) -> list[Person]:
    """Return the Kasubbag who initial the draft: of the org file's ``pemaraf`` units, or all."""
    codes = set(office.settings.get("pemaraf") or ())
    query = select(Unit).where(Unit.office_id == office.id, col(Unit.active))
    reviewers: dict[int, Person] = {}
    for unit in session.exec(query.order_by(col(Unit.number))):
        if codes and unit.code not in codes:
            continue
        assert unit.id is not None
        head = kasubbag_of(session, unit_id=unit.id)
        if head is not None and head.id is not None:
            reviewers.setdefault(head.id, head)
    return list(reviewers.values())


def sekretaris_of(session: Session, *, office_id: int) -> Person | None:
    """Return the office's active Sekretaris."""
    query = (
        select(Person)
        .join(PersonRole, col(PersonRole.person_id) == col(Person.id))
        .where(Person.office_id == office_id, col(Person.active), PersonRole.role == "sekretaris")
    )
    return session.exec(query).first()


def store_bytes(
    session: Session, files: FileStore, data: bytes, *, mime_type: str, now: datetime
) -> StoredFile:
    """Write ``data`` to the file store, then return its row (created once per content)."""
    digest, relative = files.put(data)
    existing = session.exec(select(StoredFile).where(StoredFile.sha256 == digest)).first()
    if existing is not None:
        return existing
    stored = StoredFile(
        sha256=digest, size=len(data), mime_type=mime_type, path=relative, created_at=now
    )
    session.add(stored)
    session.flush()
    return stored


def store_document(
    session: Session, files: FileStore, docx: bytes, *, now: datetime, pdf_copies: bool
) -> tuple[StoredFile, StoredFile | None]:
    """Store a rendered .docx and, when PDF copies are on (and LibreOffice works), its PDF."""
    stored = store_bytes(session, files, docx, mime_type=DOCX_MIME, now=now)
    pdf = convert_to_pdf(docx) if pdf_copies else None
    stored_pdf = (
        store_bytes(session, files, pdf, mime_type="application/pdf", now=now) if pdf else None
    )
    return stored, stored_pdf


def tell(session: Session, people: list[Person], text: str, *, now: datetime) -> None:
    """Queue one text for each of ``people``; those without a chat (unregistered or
    deactivated) are skipped."""
    for person in people:
        if person.telegram_user_id is None or not person.active:
            continue
        enqueue(
            session,
            chat_id=person.telegram_user_id,
            now=now,
            text=text,
            person_id=person.id,
            office_id=person.office_id,
        )
