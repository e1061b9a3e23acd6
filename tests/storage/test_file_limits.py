"""Upload quotas, the disk reserve, and the cleanup of files nothing refers to any more."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from hashlib import sha256
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.domain.errors import InvalidInput
from bot.domain.files import MB, UploadLimits
from bot.domain.organisation import PersonSpec
from bot.domain.periods import Period
from bot.domain.roles import Role
from bot.services import entry
from bot.services.common import store_bytes
from bot.services.cycles import draft_cycle, send_cycle
from bot.services.file_limits import remove_unreferenced_files
from bot.services.organisation import import_organisation
from bot.services.people import PersonView, find_by_telegram_id
from bot.services.perjanjian import import_perjanjian_kinerja
from storage.db import Database
from storage.files import FileStore
from storage.models import Evidence, OutboxMessage, Person, StoredFile
from tests.office_data import RENDATIN, office_spec, perjanjian_kinerja

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
GRACE = timedelta(hours=24)
STAF = PersonSpec(
    nip="199001012020011002", name="Staf Satu", jabatan="Staf", unit="U01", roles=(Role.STAF,)
)
ADMIN = PersonSpec(
    nip="198001012010011003", name="Admin", jabatan="Pranata", unit=None, roles=(Role.ADMIN,)
)
ADMIN_CHAT = 700_000_003


class SmallDisk(FileStore):
    """A file store on a disk with only ``free`` bytes left."""

    def __init__(self, root: Path, free: int) -> None:
        super().__init__(root)
        self.free = free

    def free_bytes(self) -> int:
        return self.free


@dataclass
class Office:
    db: Database
    files: FileStore
    staf: PersonView
    lines: list[int]


@pytest.fixture
def office(db: Database, tmp_path: Path) -> Office:
    """One unit, three indicators, the Nota Dinas sent: the staf may start entering."""
    spec = office_spec(1, people=(RENDATIN, STAF, ADMIN))
    import_organisation(db=db, spec=spec, now=NOW)
    pk = perjanjian_kinerja(2026, units=1, per_unit=3)
    import_perjanjian_kinerja(db=db, office_id=1, pk=pk, now=NOW, actor="test")
    with db.session() as session:
        for person in session.exec(select(Person)):
            assert person.id is not None
            person.telegram_user_id = 700_000_000 + person.id
            person.registered_at = NOW
            session.add(person)
        session.commit()
    rendatin = find_by_telegram_id(db=db, telegram_user_id=700_000_001)
    staf = find_by_telegram_id(db=db, telegram_user_id=700_000_002)
    assert rendatin is not None and staf is not None
    files = FileStore(tmp_path / "data")
    cycle = draft_cycle(
        db=db,
        actor=rendatin,
        year=2026,
        period=Period.TAHUNAN,
        deadline=date(2026, 12, 4),
        now=NOW,
        tz=WIB,
    )
    send_cycle(
        db=db,
        files=files,
        actor=rendatin,
        cycle_id=cycle.cycle_id,
        now=NOW,
        tz=WIB,
        bot_username="lapkin_test_bot",
        pdf_copies=False,
    )
    return Office(db, files, staf, lines=[1, 2, 3])


def pdf(size: int, seed: int = 0) -> bytes:
    """A file that passes for a PDF, ``size`` bytes long, different for each seed."""
    return (b"%PDF-1.4 " + str(seed).encode() + b" ").ljust(size, b"x")


def to_evidence_step(office: Office, line: int, *, now: datetime = NOW) -> None:
    """Start entering a line and answer up to the evidence question."""
    entry.begin_entry(db=office.db, actor=office.staf, line_id=line, now=now)
    for answer in ("100", "Sesuai rencana.", "Koordinasi rutin.", "Tidak ada."):
        entry.handle_entry_text(db=office.db, actor=office.staf, text=answer, now=now)


def upload(
    office: Office,
    data: bytes,
    name: str = "bukti.pdf",
    *,
    limits: UploadLimits = UploadLimits(),  # noqa: B008
    files: FileStore | None = None,
    now: datetime = NOW,
) -> str:
    return entry.add_evidence(
        db=office.db,
        files=files or office.files,
        actor=office.staf,
        data=data,
        filename=name,
        mime_type="application/pdf",
        now=now,
        limits=limits,
        admin_chat_id=None,
    ).text


def admin_alerts(db: Database) -> list[str]:
    with db.session() as session:
        rows = session.exec(select(OutboxMessage).where(OutboxMessage.chat_id == ADMIN_CHAT))
        return [row.text or "" for row in rows]


def stored_files(db: Database) -> dict[int, StoredFile]:
    with db.session() as session:
        return {row.id: row for row in session.exec(select(StoredFile)) if row.id is not None}


# --------------------------------------------------------------------------- quotas


def test_a_person_over_their_quota_is_refused_and_the_admins_told_once(office: Office) -> None:
    limits = UploadLimits(person_cycle_bytes=1 * MB)
    to_evidence_step(office, 1)
    assert "diterima (1 berkas)" in upload(office, pdf(600_000, 1), limits=limits)
    stored = len(stored_files(office.db))

    for attempt in (2, 3):
        with pytest.raises(InvalidInput) as refused:
            upload(office, pdf(600_000, attempt), f"bukti {attempt}.pdf", limits=limits)
        message = refused.value.message
        assert f'berkas "bukti {attempt}.pdf" (0,6 MB) melebihi kuota unggah Anda' in message
        assert "sudah terpakai 0,6 MB dari 1 MB" in message

    assert len(stored_files(office.db)) == stored  # nothing of the refused uploads is kept
    (alert,) = admin_alerts(office.db)
    assert "Kuota unggah Staf Satu (Sub Bagian 1) untuk Tahun 2026 tercapai" in alert
    # The same file again is no new upload: attached once, whatever the quota.
    assert "sudah terlampir (1 berkas)" in upload(office, pdf(600_000, 1), limits=limits)


def test_what_a_cancelled_entry_uploaded_still_counts(office: Office) -> None:
    limits = UploadLimits(person_cycle_bytes=1 * MB)
    to_evidence_step(office, 1)
    upload(office, pdf(600_000, 1), limits=limits)
    entry.cancel_entry(db=office.db, actor=office.staf)

    to_evidence_step(office, 2)
    with pytest.raises(InvalidInput, match="melebihi kuota unggah Anda"):
        upload(office, pdf(600_000, 2), limits=limits)


def test_the_cycle_quota_counts_everyone_and_alerts_once(office: Office) -> None:
    limits = UploadLimits(cycle_bytes=1 * MB)
    to_evidence_step(office, 1)
    upload(office, pdf(700_000, 1), limits=limits)
    for attempt in (2, 3):
        with pytest.raises(InvalidInput, match="kuota unggah seluruh kantor untuk Tahun 2026"):
            upload(office, pdf(700_000, attempt), limits=limits)

    (alert,) = admin_alerts(office.db)
    assert "Kuota unggah kantor untuk Tahun 2026 tercapai: 0,7 MB dari 1 MB" in alert


def test_a_nearly_full_disk_refuses_uploads_and_tells_the_admins_once_a_day(
    office: Office,
) -> None:
    disk = SmallDisk(office.files.root, free=1 * MB + 100_000)
    limits = UploadLimits(disk_reserve_bytes=1 * MB)
    to_evidence_step(office, 1)
    stored = len(stored_files(office.db))
    files_on_disk = len(list(office.files.stored_paths()))

    for attempt in (1, 2):
        with pytest.raises(InvalidInput, match="ruang penyimpanan server Lapkin hampir penuh"):
            upload(office, pdf(200_000, attempt), files=disk, limits=limits)
    assert len(stored_files(office.db)) == stored
    assert len(list(office.files.stored_paths())) == files_on_disk
    (alert,) = admin_alerts(office.db)
    assert "Ruang penyimpanan Lapkin hampir penuh: tersisa 1,1 MB" in alert

    with pytest.raises(InvalidInput):
        upload(office, pdf(200_000, 3), files=disk, limits=limits, now=NOW + timedelta(days=1))
    assert len(admin_alerts(office.db)) == 2  # the next day, once more

    disk.free = 10 * MB
    assert "diterima (1 berkas)" in upload(office, pdf(200_000, 4), files=disk, limits=limits)


# --------------------------------------------------------------------------- the cleanup


def test_a_cancelled_upload_is_removed_after_the_grace_and_referenced_files_never(
    office: Office,
) -> None:
    # Kirim'd: its evidence refers to it.
    to_evidence_step(office, 1)
    upload(office, pdf(1000, 1), "dikirim.pdf")
    entry.evidence_done(db=office.db, actor=office.staf, now=NOW)
    entry.confirm_entry(db=office.db, actor=office.staf, now=NOW)
    # Cancelled: nothing refers to it any more.
    to_evidence_step(office, 2)
    upload(office, pdf(1000, 2), "dibatalkan.pdf")
    entry.cancel_entry(db=office.db, actor=office.staf)
    # Replaced: Ubah starts the entry again without its files.
    to_evidence_step(office, 3)
    upload(office, pdf(1000, 3), "diganti.pdf")
    entry.restart_entry(db=office.db, actor=office.staf, now=NOW)
    # Still in progress, for longer than the grace: its pending entry refers to it.
    entry.handle_entry_text(db=office.db, actor=office.staf, text="90", now=NOW)
    entry.handle_entry_text(db=office.db, actor=office.staf, text="Hampir.", now=NOW)
    entry.handle_entry_text(db=office.db, actor=office.staf, text="Pendukung.", now=NOW)
    entry.handle_entry_text(db=office.db, actor=office.staf, text="Kendala.", now=NOW)
    entry.handle_entry_text(db=office.db, actor=office.staf, text="Upaya.", now=NOW)
    upload(office, pdf(1000, 4), "masih diisi.pdf")

    before = {row.sha256: row for row in stored_files(office.db).values()}
    gone = {sha256(pdf(1000, 2)).hexdigest(), sha256(pdf(1000, 3)).hexdigest()}
    assert gone <= before.keys()

    # Within the grace period nothing goes.
    assert (
        remove_unreferenced_files(db=office.db, files=office.files, now=NOW + GRACE / 2).rows == 0
    )

    report = remove_unreferenced_files(db=office.db, files=office.files, now=NOW + GRACE * 2)
    after = stored_files(office.db)
    assert report.rows == 2 and report.bytes_freed == 2000
    assert {row.sha256 for row in after.values()} == before.keys() - gone
    for digest in gone:
        assert not office.files.path(before[digest].path).exists()
    for row in after.values():  # the evidence, the pending entry's, the Nota Dinas, templates
        assert office.files.path(row.path).exists()
    with office.db.session() as session:
        assert len(session.exec(select(Evidence)).all()) == 1

    # Years later, what is referred to is still there.
    later = remove_unreferenced_files(
        db=office.db, files=office.files, now=NOW + timedelta(days=3650)
    )
    assert later.rows == 0 and stored_files(office.db).keys() == after.keys()


def test_a_file_stored_again_is_fresh_for_the_cleanup(office: Office) -> None:
    with office.db.session() as session:
        old = store_bytes(session, office.files, pdf(500, 9), mime_type="application/pdf", now=NOW)
        session.commit()
    later = NOW + GRACE * 3
    with office.db.session() as session:
        again = store_bytes(
            session, office.files, pdf(500, 9), mime_type="application/pdf", now=later
        )
        session.commit()
    assert again.id == old.id

    assert (
        remove_unreferenced_files(db=office.db, files=office.files, now=later + GRACE / 2).rows == 0
    )
    assert (
        remove_unreferenced_files(db=office.db, files=office.files, now=later + GRACE * 2).rows == 1
    )


def test_files_without_a_row_and_half_written_ones_are_removed_once_old(office: Office) -> None:
    _, orphan = office.files.put(b"written, then the transaction failed")
    half = office.files.path(orphan).with_name(".incoming-abc123")
    half.write_bytes(b"a crash while writing")
    _, fresh = office.files.put(b"written a moment ago")
    old = (datetime.now(UTC) - GRACE * 2).timestamp()
    for path in (office.files.path(orphan), half):
        os.utime(path, (old, old))

    # The files' times are the real clock's.
    report = remove_unreferenced_files(db=office.db, files=office.files, now=datetime.now(UTC))

    assert report.orphans == 2
    assert not office.files.path(orphan).exists() and not half.exists()
    assert office.files.path(fresh).exists()
