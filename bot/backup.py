"""One archive of a deployment (every row and every stored file) and its restore elsewhere.

The archive is a zip: members can be read one at a time without unpacking the rest (the
restore checks every member before it writes anything), documents that are compressed
already are stored as they are while the rows are deflated, and an office's IT staff can open
it with the tools of any operating system. Its members:

    manifest.json              format and Lapkin version, migration revision, row counts,
                               the SHA-256 and size of every other member
    database/<table>.jsonl     one JSON object per row (storage.portable's neutral form)
    files/ab/cd/<sha256>       each stored file the rows refer to, under its path in DATA_DIR

The rows are read in one snapshot first; the files after, which keeps the archive consistent
because a stored file never changes once written (its name is its SHA-256) and is on disk
before the row that refers to it is committed.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import re
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, Table
from sqlalchemy.exc import OperationalError, SQLAlchemyError

import bot
from bot.clock import utc_now
from bot.settings import Settings
from storage import portable
from storage.db import make_engine
from storage.migrate import upgrade

FORMAT = "lapkin-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE = "database"
FILES = "files"
CHUNK = 1 << 20

_DIGEST = re.compile(r"[0-9a-f]{64}")
_FILE_MEMBER = re.compile(r"files/([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})")
# Where rows name a file in the store: stored_file.path (relative to DATA_DIR) and the
# documents outbox messages carry. tests/storage/test_backup.py checks that no column ending
# in "path" is missing here.
FILE_COLUMNS = {"stored_file": "path", "outbox_message": "document_path"}


EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_REFUSED = 2


def command(args: argparse.Namespace, settings: Settings) -> int:
    """Run ``backup`` or ``restore`` for the CLI: one line of result, or one line of error."""
    try:
        if args.command == "backup":
            summary: BackupSummary | RestoreSummary = write_backup(
                database_url=settings.effective_database_url,
                data_dir=settings.data_dir,
                target=args.output,
                now=utc_now(),
            )
        else:
            summary = restore_backup(
                database_url=settings.effective_database_url,
                data_dir=settings.data_dir,
                archive_path=args.archive,
            )
    except BackupRefused as exc:
        print(exc, file=sys.stderr)
        return EXIT_REFUSED
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        print(
            f"Basis data tidak dapat dihubungi ({reason}); periksa DATABASE_URL dan bahwa "
            "server basis datanya berjalan.",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        print(f"Basis data menolak: {reason}; tidak ada baris yang diubah.", file=sys.stderr)
        return EXIT_FAILURE
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"Gagal membaca atau menulis berkas{where}: {exc.strerror or exc}.", file=sys.stderr)
        return EXIT_FAILURE
    print(summary.text())
    # Files the rows refer to are gone already: a timer's failed run is what gets noticed.
    return EXIT_FAILURE if isinstance(summary, BackupSummary) and summary.missing else EXIT_OK


class BackupRefused(Exception):
    """The backup or restore cannot be done as asked; the one-line message says what to do."""


@dataclass
class BackupSummary:
    """What one backup wrote."""

    path: Path
    tables: int = 0
    rows: int = 0
    files: int = 0
    file_bytes: int = 0
    missing: list[str] = field(default_factory=list)

    def text(self) -> str:
        """One Indonesian line for the operator."""
        line = (
            f"Cadangan ditulis ke {self.path}: {self.rows} baris dari {self.tables} tabel, "
            f"{self.files} berkas ({_size(self.file_bytes)})."
        )
        if self.missing:
            line += (
                f" PERHATIAN: {len(self.missing)} berkas yang dirujuk basis data tidak ada atau "
                f"rusak di DATA_DIR; arsip tetap ditulis tanpa berkas itu (daftarnya di "
                f"{MANIFEST}, bagian missing_files)."
            )
        return line


@dataclass
class RestoreSummary:
    """What one restore put back."""

    archive: Path
    data_dir: Path
    tables: int = 0
    rows: int = 0
    files: int = 0
    file_bytes: int = 0

    def text(self) -> str:
        """One Indonesian line for the operator."""
        return (
            f"Cadangan {self.archive} dipulihkan: {self.rows} baris ke {self.tables} tabel, "
            f"{self.files} berkas ({_size(self.file_bytes)}) ke {self.data_dir}."
        )


def _size(count: int) -> str:
    if count < 1024 * 1024:
        return f"{count / 1024:.1f} KB".replace(".", ",")
    return f"{count / 1024 / 1024:.1f} MB".replace(".", ",")


# ----------------------------------------------------------------------------- backup


def write_backup(
    *, database_url: str, data_dir: Path, target: Path, now: datetime
) -> BackupSummary:
    """Write one consistent archive of the database and its stored files to ``target``.

    ``target`` may be a folder: the archive is then named after ``now``. The archive appears
    under its name only once complete; an existing file is never overwritten.
    """
    if target.is_dir():
        target = target / f"lapkin-cadangan-{now:%Y%m%d-%H%M%S}.zip"
    if target.exists():
        raise BackupRefused(
            f"{target} sudah ada; pilih nama lain atau pindahkan berkas itu terlebih dahulu."
        )
    if not target.parent.is_dir():
        raise BackupRefused(
            f"Folder {target.parent} tidak ada; buat terlebih dahulu atau pilih folder lain."
        )
    data_dir = data_dir.resolve()
    summary = BackupSummary(path=target)
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    os.close(handle)
    try:
        with zipfile.ZipFile(temporary, "w") as archive:
            manifest = _write_archive(archive, database_url, data_dir, now, summary)
            archive.writestr(
                MANIFEST,
                json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                compress_type=zipfile.ZIP_DEFLATED,
            )
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        os.replace(temporary, target)
    finally:
        Path(temporary).unlink(missing_ok=True)
    return summary


def _write_archive(
    archive: zipfile.ZipFile,
    database_url: str,
    data_dir: Path,
    now: datetime,
    summary: BackupSummary,
) -> dict[str, Any]:
    members: dict[str, dict[str, Any]] = {}
    referenced: dict[str, list[str]] = {}  # member name -> where the rows keep it
    try:
        with portable.snapshot(database_url, scratch=summary.path.parent) as connection:
            revision = _revision_of(connection)
            tables = [
                _write_table(archive, connection, table, members, referenced)
                for table in portable.tables()
            ]
    except FileNotFoundError:
        raise BackupRefused(
            "Basis data SQLite belum ada; periksa DATABASE_URL dan DATA_DIR."
        ) from None
    summary.tables = len(tables)
    summary.rows = sum(table["rows"] for table in tables)
    # After the snapshot: a file the rows refer to was on disk before they were committed.
    for member in sorted(referenced):
        _write_file(archive, member, referenced[member], data_dir, members, summary)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "lapkin_version": bot.__version__,
        "created_at": now.isoformat(),
        "alembic_revision": revision,
        "source": {"database": portable.backend(database_url), "data_dir": str(data_dir)},
        "tables": tables,
        "files": {"count": summary.files, "bytes": summary.file_bytes},
        "missing_files": summary.missing,
        "members": members,
    }


def _revision_of(connection: Connection) -> str:
    revision = portable.current_revision(connection)
    head = portable.head_revision()
    if revision != head:
        raise BackupRefused(
            f"Basis data ada di revisi migrasi {revision or '(kosong)'}, Lapkin ini di {head}; "
            "jalankan `python -m bot migrate` dengan versi Lapkin yang sama, lalu ulangi."
        )
    return revision


def _write_table(
    archive: zipfile.ZipFile,
    connection: Connection,
    table: Table,
    members: dict[str, dict[str, Any]],
    referenced: dict[str, list[str]],
) -> dict[str, Any]:
    name = _table_member(table.name)
    file_column = FILE_COLUMNS.get(table.name)
    digest = hashlib.sha256()
    size = rows = 0
    with archive.open(_info(name, zipfile.ZIP_DEFLATED), "w", force_zip64=True) as member:
        for row in portable.read_rows(connection, table):
            line = (json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
            member.write(line)
            digest.update(line)
            size += len(line)
            rows += 1
            if file_column and row[file_column]:
                stored = _store_member(row[file_column])
                referenced.setdefault(stored or row[file_column], []).append(row[file_column])
    members[name] = {"sha256": digest.hexdigest(), "size": size}
    return {
        "name": table.name,
        "member": name,
        "rows": rows,
        "columns": portable.columns(table),
    }


def _table_member(table: str) -> str:
    return f"{DATABASE}/{table}.jsonl"


def _store_member(path: str) -> str | None:
    """Name a stored file's member by the SHA-256 its path ends in (None: not in the store)."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    if not _DIGEST.fullmatch(name):
        return None
    return f"{FILES}/{name[:2]}/{name[2:4]}/{name}"


def _write_file(
    archive: zipfile.ZipFile,
    member: str,
    paths: list[str],
    data_dir: Path,
    members: dict[str, dict[str, Any]],
    summary: BackupSummary,
) -> None:
    source = _source_of(member, paths, data_dir)
    expected = member.rsplit("/", 1)[-1]
    if source is None or _file_digest(source) != expected:
        summary.missing.append(member if _FILE_MEMBER.fullmatch(member) else paths[0])
        return
    digest = hashlib.sha256()
    size = 0
    # Stored as they are: documents and photos are compressed already.
    with (
        source.open("rb") as stream,
        archive.open(_info(member, zipfile.ZIP_STORED), "w", force_zip64=True) as out,
    ):
        for block in iter(lambda: stream.read(CHUNK), b""):
            out.write(block)
            digest.update(block)
            size += len(block)
    if digest.hexdigest() != expected:  # changed while being copied: never for a stored file
        raise BackupRefused(f"Berkas {source} berubah saat disalin; ulangi pencadangan.")
    members[member] = {"sha256": expected, "size": size}
    summary.files += 1
    summary.file_bytes += size


def _source_of(member: str, paths: list[str], data_dir: Path) -> Path | None:
    """Find the bytes of a member: in DATA_DIR, or where an older row's absolute path says."""
    if not _FILE_MEMBER.fullmatch(member):
        return None
    candidates = [data_dir / member] + [Path(p) for p in paths if Path(p).is_absolute()]
    return next((path for path in candidates if path.is_file()), None)


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _info(name: str, compression: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=datetime.now().timetuple()[:6])
    info.compress_type = compression
    info.external_attr = 0o640 << 16
    return info


# ----------------------------------------------------------------------------- restore


def restore_backup(*, database_url: str, data_dir: Path, archive_path: Path) -> RestoreSummary:
    """Fill an empty deployment from an archive, after checking every member of it.

    Nothing is written unless the whole archive checks out and the database holds no rows.
    The rows go in in one transaction; the files first, as the bot itself writes them.
    """
    data_dir = data_dir.resolve()
    summary = RestoreSummary(archive=archive_path, data_dir=data_dir)
    if not archive_path.is_file():
        raise BackupRefused(f"{archive_path} tidak ada; periksa nama berkasnya.")
    try:
        with zipfile.ZipFile(archive_path) as archive:
            manifest = verify_archive(archive, archive_path)
            _require_empty(database_url)
            upgrade(database_url)
            engine = make_engine(database_url)
            try:
                with engine.begin() as connection:
                    # Again inside the transaction: nothing may have arrived meanwhile.
                    if portable.first_occupied_table(connection) is not None:
                        raise BackupRefused(_NOT_EMPTY)
                    _restore_files(archive, manifest, data_dir, summary)
                    _restore_rows(archive, manifest, connection, data_dir, summary)
                    portable.reset_sequences(connection)
            finally:
                engine.dispose()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError):
        raise BackupRefused(
            _DAMAGED.format(path=archive_path, detail="bukan zip yang utuh")
        ) from None
    except (KeyError, TypeError, ValueError) as exc:
        # A manifest or row that does not say what it should (hand-edited, or truncated).
        raise BackupRefused(
            _DAMAGED.format(path=archive_path, detail=f"isinya tidak lengkap: {exc!r}")
        ) from None
    return summary


_NOT_EMPTY = (
    "Basis data tujuan sudah berisi data; pemulihan hanya mengisi deployment baru yang kosong "
    "(DATABASE_URL baru, atau hapus berkas SQLite-nya terlebih dahulu)."
)
_DAMAGED = "{path} rusak atau telah diubah ({detail}); pulihkan dari salinan cadangan lain."


def verify_archive(archive: zipfile.ZipFile, path: Path) -> dict[str, Any]:
    """Check the manifest and the SHA-256 and size of every member; return the manifest."""
    manifest = _manifest(archive, path)
    listed: dict[str, dict[str, Any]] = manifest["members"]
    present = set(archive.namelist()) - {MANIFEST}
    if present != set(listed):
        extra = sorted(present ^ set(listed))
        raise BackupRefused(_DAMAGED.format(path=path, detail=f"anggota tidak cocok: {extra[0]}"))
    expected_tables = {
        table.name: (_table_member(table.name), portable.columns(table))
        for table in portable.tables()
    }
    found_tables = {
        table["name"]: (table["member"], table["columns"]) for table in manifest["tables"]
    }
    if found_tables != expected_tables:
        raise BackupRefused(_DAMAGED.format(path=path, detail="daftar tabel tidak cocok"))
    table_members = {member for member, _ in expected_tables.values()}
    for name, expected in listed.items():
        match = _FILE_MEMBER.fullmatch(name)
        if not match and name not in table_members:
            raise BackupRefused(_DAMAGED.format(path=path, detail=f"anggota asing {name}"))
        if match and (
            expected["sha256"] != match.group(3)
            or match.group(3)[:4] != match.group(1) + match.group(2)
        ):
            raise BackupRefused(_DAMAGED.format(path=path, detail=f"{name} tidak cocok"))
        digest, size = _member_digest(archive, name)
        if digest != expected["sha256"] or size != expected["size"]:
            raise BackupRefused(_DAMAGED.format(path=path, detail=f"SHA-256 {name} berbeda"))
    return manifest


def _manifest(archive: zipfile.ZipFile, path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise BackupRefused(f"{path} bukan arsip cadangan Lapkin (tidak ada {MANIFEST}).") from None
    except (ValueError, UnicodeDecodeError):
        raise BackupRefused(
            _DAMAGED.format(path=path, detail=f"{MANIFEST} tidak terbaca")
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupRefused(f"{path} bukan arsip cadangan Lapkin.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupRefused(
            f"{path} memakai format cadangan versi {manifest.get('format_version')}, Lapkin ini "
            f"membaca versi {FORMAT_VERSION}; pulihkan dengan versi Lapkin yang membuatnya."
        )
    head = portable.head_revision()
    if manifest.get("alembic_revision") != head:
        raise BackupRefused(
            f"{path} dibuat pada revisi basis data {manifest.get('alembic_revision')} "
            f"(Lapkin {manifest.get('lapkin_version')}), Lapkin ini di revisi {head}; pulihkan "
            "dengan versi Lapkin yang membuatnya, lalu pasang versi baru (migrasi berjalan sendiri)."
        )
    return manifest


def _member_digest(archive: zipfile.ZipFile, name: str) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with archive.open(name) as stream:  # a damaged member also fails zip's own CRC check
        for block in iter(lambda: stream.read(CHUNK), b""):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def _require_empty(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            occupied = portable.first_occupied_table(connection)
    finally:
        engine.dispose()
    if occupied is not None:
        raise BackupRefused(_NOT_EMPTY)


def _restore_files(
    archive: zipfile.ZipFile, manifest: dict[str, Any], data_dir: Path, summary: RestoreSummary
) -> None:
    for name, expected in manifest["members"].items():
        if not _FILE_MEMBER.fullmatch(name):
            continue
        with archive.open(name) as stream:
            _write_atomically(stream, data_dir / name)
        summary.files += 1
        summary.file_bytes += expected["size"]


def _write_atomically(stream: IO[bytes], target: Path) -> None:
    """Write a file under a temporary name and rename it, as storage.files.FileStore does."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(handle, "wb") as out:
            for block in iter(lambda: stream.read(CHUNK), b""):
                out.write(block)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _restore_rows(
    archive: zipfile.ZipFile,
    manifest: dict[str, Any],
    connection: Connection,
    data_dir: Path,
    summary: RestoreSummary,
) -> None:
    listed = {table["name"]: table for table in manifest["tables"]}
    for table in portable.tables():
        entry = listed[table.name]
        with archive.open(entry["member"]) as stream:
            rows = _rows(io.TextIOWrapper(stream, encoding="utf-8"), table.name, data_dir)
            count = portable.insert_rows(connection, table, rows)
        if count != entry["rows"]:
            raise BackupRefused(
                _DAMAGED.format(path=summary.archive, detail=f"jumlah baris {table.name} berbeda")
            )
        summary.rows += count
    summary.tables = len(listed)


def _rows(lines: IO[str], table: str, data_dir: Path) -> Iterator[dict[str, Any]]:
    relocate = table == "outbox_message"
    for line in lines:
        row = json.loads(line)
        if relocate:
            row["document_path"] = _relocated(row["document_path"], data_dir)
        yield row


def _relocated(path: str | None, data_dir: Path) -> str | None:
    """Point an absolute document path of the old DATA_DIR at the same file in the new one.

    Paths relative to DATA_DIR stay as they are.
    """
    if path is None or not Path(path).is_absolute():
        return path
    member = _store_member(path)
    return str(data_dir / member) if member else path
