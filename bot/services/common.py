"""Checks and look-ups most use cases share."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from bot.documents import convert_to_pdf, convert_with_indexes
from bot.domain.calendar import WorkingCalendar
from bot.domain.errors import NotAllowed, NotFound
from bot.domain.files import DOCX_MIME
from bot.domain.organisation import OfficeHoursSpec
from bot.domain.roles import Role
from bot.messages import common as texts
from bot.services.outbox import enqueue
from bot.services.people import PersonView
from storage.files import FileStore
from storage.models import Office, Person, PersonRole, StoredFile
from storage.queries import active_people_with_role, registered_people_with_role
from storage.upsert import insert_for

NOT_RENDATIN = texts.NOT_RENDATIN  # many services refuse with it; it is said in bot.messages


def require_role(person: PersonView, *roles: Role, message: str | None = None) -> None:
    """Raise NotAllowed unless ``person`` holds one of ``roles``."""
    if not person.has_role(*roles):
        raise NotAllowed(message or texts.NOT_ALLOWED)


def load_office(session: Session, office_id: int) -> Office:
    """Return the office (it always exists for a registered person)."""
    office = session.get(Office, office_id)
    if office is None:
        raise NotFound(texts.NO_OFFICE)
    return office


def office_calendar(office: Office, *, years: list[int]) -> WorkingCalendar:
    """Return the office's working calendar (its hours, national holidays, cuti bersama)."""
    hours = OfficeHoursSpec.model_validate(office.settings.get("office_hours", {}))
    return WorkingCalendar.for_office(hours, years)


def _kasubbag_and_staff() -> SelectOfScalar[Person]:
    """Active people holding kasubbag or staf, each once, in id order."""
    return (
        select(Person)
        .join(PersonRole, col(PersonRole.person_id) == col(Person.id))
        .where(col(Person.active))
        .where(col(PersonRole.role).in_((Role.KASUBBAG.value, Role.STAF.value)))
        .order_by(col(Person.id))
        .distinct()
    )


def unit_members(session: Session, *, unit_id: int) -> list[Person]:
    """Return the unit's active, registered Kasubbag and staff."""
    query = _kasubbag_and_staff().where(
        Person.unit_id == unit_id, col(Person.telegram_user_id).is_not(None)
    )
    return list(session.exec(query))


def unit_people(session: Session, *, office_id: int) -> dict[int, list[Person]]:
    """Return each unit's active Kasubbag and staff (registered or not), by id, in one query.

    It answers what :func:`unit_members` (with :func:`registered`) and
    :func:`responsible_names` answer for one unit, for every unit at once.
    """
    query = _kasubbag_and_staff().where(
        Person.office_id == office_id, col(Person.unit_id).is_not(None)
    )
    by_unit: dict[int, list[Person]] = {}
    for person in session.exec(query):
        assert person.unit_id is not None
        by_unit.setdefault(person.unit_id, []).append(person)
    return by_unit


def responsible_names(session: Session, *, unit_id: int) -> str:
    """Name the unit's active Kasubbag and staff, who answer for its indicators."""
    query = _kasubbag_and_staff().where(Person.unit_id == unit_id)
    return responsible_text(session.exec(query))


def responsible_text(people: Iterable[Person]) -> str:
    """Write who answers for a unit's indicators: their names, by name, as one line."""
    return ", ".join(sorted(person.name for person in people))[:500]


def registered(people: Iterable[Person]) -> list[Person]:
    """Keep the people who have bound a Telegram account (who can be sent anything)."""
    return [person for person in people if person.telegram_user_id is not None]


def people_with_role(session: Session, *, office_id: int, role: Role) -> list[Person]:
    """Return the office's active, registered people holding ``role``."""
    return registered_people_with_role(session, office_id=office_id, role=role.value)


def kasubbag_of(session: Session, *, unit_id: int) -> Person | None:
    """Return the unit's active Kasubbag, registered or not."""
    heads = active_people_with_role(session, role=Role.KASUBBAG.value, unit_id=unit_id)
    return heads[0] if heads else None


def unit_heads(session: Session, *, office_id: int) -> dict[int, Person]:
    """Return each unit's active Kasubbag (as :func:`kasubbag_of`), for every unit at once."""
    heads: dict[int, Person] = {}
    for person in active_people_with_role(session, role=Role.KASUBBAG.value, office_id=office_id):
        if person.unit_id is not None:
            heads.setdefault(person.unit_id, person)
    return heads


def team_lead(session: Session, *, office_id: int) -> Person | None:
    """Return the Ketua Tim: the Kasubbag who is also in the rendatin team."""
    kasubbag = select(PersonRole.person_id).where(PersonRole.role == Role.KASUBBAG.value)
    rendatin = select(PersonRole.person_id).where(PersonRole.role == Role.RENDATIN.value)
    query = (
        select(Person)
        .where(Person.office_id == office_id, col(Person.active))
        .where(col(Person.id).in_(kasubbag), col(Person.id).in_(rendatin))
        .order_by(col(Person.id))
    )
    return session.exec(query).first()


def sekretaris_of(session: Session, *, office_id: int) -> Person | None:
    """Return the office's active Sekretaris (the first, should the file name two)."""
    found = active_people_with_role(session, role=Role.SEKRETARIS.value, office_id=office_id)
    return found[0] if found else None


def store_bytes(
    session: Session, files: FileStore, data: bytes, *, mime_type: str, now: datetime
) -> StoredFile:
    """Write ``data`` to the file store, then return its row (created once per content)."""
    ((digest, _),) = _store(session, files, [(data, mime_type)], now=now)
    return session.exec(select(StoredFile).where(StoredFile.sha256 == digest)).one()


def store_many(
    session: Session, files: FileStore, blobs: list[tuple[bytes, str]], *, now: datetime
) -> list[str]:
    """Write several (data, MIME type) to the file store; return their paths, in order."""
    return [path for _, path in _store(session, files, blobs, now=now)]


def _store(
    session: Session, files: FileStore, blobs: list[tuple[bytes, str]], *, now: datetime
) -> list[tuple[str, str]]:
    """Write the files, then their rows in one statement; return each one's digest and path.

    A file already stored (or stored at this moment by someone else: two people sending the
    same file at once) keeps its one row, whose ``created_at`` becomes ``now``: the cleanup
    of unreferenced files (bot.services.file_limits) leaves files stored lately alone, and
    on PostgreSQL the update also holds the row until this transaction ends.
    """
    stored = [files.put(data) for data, _ in blobs]
    rows = {
        digest: {
            "sha256": digest,
            "size": len(data),
            "mime_type": mime_type,
            "path": path,
            "created_at": now,
        }
        for (digest, path), (data, mime_type) in zip(stored, blobs, strict=True)
    }
    if rows:
        statement = insert_for(session, StoredFile)
        statement = statement.on_conflict_do_update(
            index_elements=["sha256"], set_={"created_at": statement.excluded.created_at}
        )
        session.execute(statement, list(rows.values()))
    return stored


def store_document(
    session: Session,
    files: FileStore,
    docx: bytes,
    *,
    now: datetime,
    pdf_copies: bool,
    indexes: bool = False,
) -> tuple[StoredFile, StoredFile | None]:
    """Store a rendered .docx and, when PDF copies are on (and LibreOffice works), its PDF.

    ``indexes``: the document has a Daftar Isi (the LKjIP): the PDF is made with it updated.
    """
    stored = store_bytes(session, files, docx, mime_type=DOCX_MIME, now=now)
    pdf = None
    if pdf_copies:
        pdf = (convert_with_indexes(docx) if indexes else None) or convert_to_pdf(docx)
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
