"""How much the uploads may take: quotas per person and per cycle, free disk, and the cleanup
of stored files that nothing refers to any more.

Each stored upload is counted in the audit trail (``file.uploaded``, on its cycle), so a file
sent and then cancelled (/batal, or replaced before Kirim) still counts against its sender's
quota for that cycle: uploading and cancelling in a loop cannot fill the disk. The files
themselves go once nothing has referred to them for a grace period
(``remove_unreferenced_files``, run by the periodic job in bot/file_cleanup.py).

When a limit is met, the person gets a polite refusal and the admins one alert: per person
and cycle, per cycle, or per day while the disk stays nearly full — never one per refusal.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NoReturn

from sqlalchemy import Column, delete, exists, literal
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, SQLModel, col, select

from bot.domain.errors import InvalidInput
from bot.domain.files import LimitKind, UploadLimits, UploadRefusal, UploadUsage, upload_refusal
from bot.services.audit import record_event
from bot.services.outbox import enqueue_to_admins
from bot.services.people import PersonView
from storage.db import Database
from storage.files import INCOMING, FileStore
from storage.models import AuditEvent, OutboxMessage, PendingInput, StoredFile

log = logging.getLogger(__name__)

UPLOADED = "file.uploaded"
CLEANUP_GRACE = timedelta(hours=24)
_DIGEST = re.compile(r"^[0-9a-f]{64}$")


# --------------------------------------------------------------------------- quotas


def check_upload(
    session: Session,
    *,
    files: FileStore,
    actor: PersonView,
    cycle_id: int,
    period_label: str,
    name: str,
    data: bytes,
    limits: UploadLimits,
) -> UploadRefusal | None:
    """Say why ``data`` may not be stored for ``actor`` in the cycle now, or None."""
    usage = _usage(
        session,
        office_id=actor.office_id,
        cycle_id=cycle_id,
        person_id=actor.id,
        digest=hashlib.sha256(data).hexdigest(),
        size=len(data),
        free_bytes=files.free_bytes(),
    )
    person = f"{actor.name} ({actor.unit_name})" if actor.unit_name else actor.name
    return upload_refusal(
        name=name, size=len(data), usage=usage, limits=limits, person=person, period=period_label
    )


def _usage(
    session: Session,
    *,
    office_id: int,
    cycle_id: int,
    person_id: int,
    digest: str,
    size: int,
    free_bytes: int,
) -> UploadUsage:
    """Add up the distinct contents uploaded in the cycle, by the person and by everyone."""
    query = select(AuditEvent.actor_person_id, AuditEvent.details).where(
        AuditEvent.office_id == office_id,
        AuditEvent.action == UPLOADED,
        AuditEvent.object_type == "cycle",
        AuditEvent.object_id == str(cycle_id),
    )
    everyone: dict[str, int] = {}
    own: dict[str, int] = {}
    for uploader, details in session.exec(query):
        everyone[details["sha256"]] = int(details["size"])
        if uploader == person_id:
            own[details["sha256"]] = int(details["size"])
    return UploadUsage(
        person_used=sum(own.values()),
        person_adds=0 if digest in own else size,
        cycle_used=sum(everyone.values()),
        cycle_adds=0 if digest in everyone else size,
        free_bytes=free_bytes,
    )


def refuse_upload(
    session: Session,
    refusal: UploadRefusal,
    *,
    actor: PersonView,
    cycle_id: int,
    now: datetime,
    admin_chat_id: int | None,
) -> NoReturn:
    """Tell the admins of the limit once, then refuse the upload with the person's message.

    Whatever the caller's transaction held is given up first: nothing of the upload stays.
    """
    session.rollback()
    key = {
        LimitKind.DISK: f"alert:disk-full:{now.date().isoformat()}",
        LimitKind.PERSON: f"alert:quota-person:{cycle_id}:{actor.id}",
        LimitKind.CYCLE: f"alert:quota-cycle:{cycle_id}",
    }[refusal.kind]
    try:
        enqueue_to_admins(
            session,
            office_id=actor.office_id,
            now=now,
            text=refusal.alert,
            extra_chat_id=admin_chat_id,
            dedupe_key=key,
        )
        session.commit()
    except IntegrityError:
        session.rollback()  # another refusal queued the same alert this very moment
    log.warning("upload refused (%s limit) for person %s", refusal.kind, actor.id)
    raise InvalidInput(refusal.message)


def record_upload(
    session: Session,
    *,
    actor: PersonView,
    cycle_id: int,
    stored: StoredFile,
    name: str,
    now: datetime,
) -> None:
    """Count a stored upload against its sender's and its cycle's quota (caller commits)."""
    record_event(
        session,
        now=now,
        actor=actor.name,
        actor_person_id=actor.id,
        action=UPLOADED,
        object_type="cycle",
        object_id=cycle_id,
        office_id=actor.office_id,
        details={"file_id": stored.id, "sha256": stored.sha256, "size": stored.size, "name": name},
    )


# --------------------------------------------------------------------------- the cleanup


@dataclass
class Cleanup:
    """What one cleanup removed."""

    rows: int = 0  # stored files nothing referred to: row and file
    orphans: int = 0  # files without a row (a crash between writing one and its row)
    bytes_freed: int = 0


def remove_unreferenced_files(
    *, db: Database, files: FileStore, now: datetime, grace: timedelta = CLEANUP_GRACE
) -> Cleanup:
    """Remove stored files nothing has referred to for ``grace``, rows and bytes.

    A file is referred to by any column with a foreign key to stored_file (evidence, drafts,
    the archive, cycles, meetings, deliveries, and any added later), by an entry still in
    progress (its pending input), or by a queued or sent message's document. Files stored or
    stored again within ``grace`` are left alone, so a file cannot go between being stored
    and being referred to.
    """
    cutoff = now - grace
    report = Cleanup()
    with db.session() as session:
        # Read before the candidates: a file moves from a pending entry to its evidence in one
        # transaction, so it is seen in one or the other.
        pending_ids = _pending_file_ids(session)
        sent_digests = _document_digests(session)
        candidates = session.exec(
            select(StoredFile).where(col(StoredFile.created_at) < cutoff, *_unreferenced())
        ).all()
        known = set(session.exec(select(StoredFile.sha256)))
    for stored in candidates:
        if stored.id in pending_ids or stored.sha256 in sent_digests:
            continue
        if _delete_row(db, stored, cutoff):
            report.rows += 1
            report.bytes_freed += files.remove(stored.path)
    for relative, modified in files.stored_paths():
        name = relative.rsplit("/", 1)[-1]
        if modified >= cutoff.timestamp() or name in known:
            continue
        if name.startswith(INCOMING) or not _row_exists(db, name):
            report.orphans += 1
            report.bytes_freed += files.remove(relative)
    if report.rows or report.orphans:
        log.info(
            "removed %d unreferenced stored file(s) and %d orphan file(s), %d bytes",
            report.rows,
            report.orphans,
            report.bytes_freed,
        )
    return report


def _references() -> list[Column[Any]]:
    """Every column with a foreign key to stored_file.id, in every table."""
    return [
        column
        for table in SQLModel.metadata.sorted_tables
        for column in table.columns
        if any(key.column.table.name == StoredFile.__tablename__ for key in column.foreign_keys)
    ]


def _unreferenced() -> list[ColumnElement[bool]]:
    """Conditions that no row of any table refers to the stored file (correlated)."""
    return [
        ~exists(select(literal(1)).where(column == col(StoredFile.id))) for column in _references()
    ]


def _pending_file_ids(session: Session) -> set[int]:
    """The stored files entries in progress hold (their payloads' "file" values)."""
    ids: set[int] = set()
    for payload in session.exec(select(PendingInput.payload)):
        ids.update(_file_values(payload))
    return ids


def _file_values(value: object) -> Iterator[int]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "file" and isinstance(item, int):
                yield item
            else:
                yield from _file_values(item)
    elif isinstance(value, list):
        for item in value:
            yield from _file_values(item)


def _document_digests(session: Session) -> set[str]:
    """The stored files that outbox messages carry (by path, which ends in the SHA-256)."""
    paths = session.exec(
        select(OutboxMessage.document_path)
        .where(col(OutboxMessage.document_path).is_not(None))
        .distinct()
    )
    names = {path.replace("\\", "/").rsplit("/", 1)[-1] for path in paths if path}
    return {name for name in names if _DIGEST.match(name)}


def _delete_row(db: Database, stored: StoredFile, cutoff: datetime) -> bool:
    """Delete a stored file's row if it is still unreferenced and old; tell whether it was."""
    with db.session() as session:
        try:
            result = session.execute(
                delete(StoredFile).where(
                    col(StoredFile.id) == stored.id,
                    col(StoredFile.created_at) < cutoff,
                    *_unreferenced(),
                )
            )
            session.commit()
        except (IntegrityError, OperationalError):
            # Referred to, or stored again, at this very moment: the next run looks again.
            session.rollback()
            return False
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def _row_exists(db: Database, digest: str) -> bool:
    with db.session() as session:
        found = session.exec(select(StoredFile.id).where(StoredFile.sha256 == digest)).first()
        return found is not None
