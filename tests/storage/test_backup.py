"""Backup and restore: every row and every stored file back byte for byte, on either database."""

from __future__ import annotations

import contextlib
import io
import shutil
import sqlite3
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import JSON, Text, cast, inspect, select, text
from sqlalchemy.engine import make_url
from sqlmodel import col

from bot import backup
from bot.cli import main
from bot.clock import utc_now
from bot.domain.organisation import OrganisationSpec
from bot.services import archive, outbox
from bot.services.people import list_people
from storage import portable
from storage.db import Database, make_engine
from storage.files import FileStore
from storage.models import OutboxMessage
from tests.backup_data import NOW, build_office, stored_files
from tests.conftest import (
    POSTGRES_ENV,
    create_postgres_database,
    drop_postgres_database,
    postgres_admin_url,
    postgres_url,
)


@dataclass
class Deployment:
    url: str
    data_dir: Path


EmptyDatabase = Callable[[str], str]


@pytest.fixture
def source(office_db: Database, example_spec: OrganisationSpec, tmp_path: Path) -> Deployment:
    """The example office part way through its report, with its files."""
    data_dir = tmp_path / "data"
    build_office(office_db, example_spec, data_dir)
    with office_db.session() as session:
        # SQL NULL in a JSON column (the bot itself writes the JSON value null there): the two
        # must stay apart.
        message = session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).first()
        assert message is not None
        session.execute(
            text("UPDATE outbox_message SET reply_markup = NULL WHERE id = :id"),
            {"id": message[0].id},
        )
        session.commit()
    return Deployment(office_db.url, data_dir)


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[EmptyDatabase]:
    """Give a function that creates an empty database (no schema) on the named backend."""
    created: list[tuple[str, str]] = []

    def make(kind: str) -> str:
        if kind == "sqlite":
            return f"sqlite:///{tmp_path / f'restored-{uuid.uuid4().hex[:8]}.sqlite3'}"
        admin_url = postgres_admin_url()
        if admin_url is None:
            pytest.skip(f"set {POSTGRES_ENV} to restore onto PostgreSQL")
        name = f"lapkin_restore_{uuid.uuid4().hex[:12]}"
        create_postgres_database(admin_url, name)
        created.append((admin_url, name))
        return postgres_url(admin_url, name)

    yield make
    for admin_url, name in created:
        drop_postgres_database(admin_url, name)


def all_rows(url: str, *, raw: bool) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table in primary-key order.

    raw: the values as the database driver gives them (SQLite's text datetimes, its numbers),
    for comparing two databases of one kind byte for byte; otherwise as the models read them.
    JSON columns as their text either way, so that SQL NULL and the JSON value null differ.
    """
    engine = make_engine(url)
    found = {}
    try:
        with engine.connect() as connection:
            for table in portable.tables():
                if raw:
                    names = [
                        f"CAST({c.name} AS TEXT)" if isinstance(c.type, JSON) else c.name
                        for c in table.columns
                    ]
                    order = ", ".join(c.name for c in table.primary_key.columns)
                    query: Any = text(
                        f"SELECT {', '.join(names)} FROM {table.name} ORDER BY {order}"
                    )
                else:
                    query = select(
                        *[cast(c, Text) if isinstance(c.type, JSON) else c for c in table.columns]
                    ).order_by(*table.primary_key.columns)
                found[table.name] = [tuple(row) for row in connection.execute(query)]
    finally:
        engine.dispose()
    return found


def relocated(
    rows: dict[str, list[tuple[Any, ...]]], old: Path, new: Path
) -> dict[str, list[tuple[Any, ...]]]:
    """The rows with the outbox's absolute document paths moved from ``old`` to ``new``."""
    index = list(OutboxMessage.__table__.columns.keys()).index("document_path")  # type: ignore[attr-defined]
    moved = []
    for row in rows["outbox_message"]:
        path = row[index]
        if path is not None and path.startswith(f"{old.resolve()}/"):
            path = f"{new.resolve()}/{path[len(str(old.resolve())) + 1 :]}"
        moved.append((*row[:index], path, *row[index + 1 :]))
    return {**rows, "outbox_message": moved}


def take_backup(deployment: Deployment, folder: Path) -> Path:
    target = folder / "cadangan.zip"
    backup.write_backup(
        database_url=deployment.url, data_dir=deployment.data_dir, target=target, now=utc_now()
    )
    return target


def test_the_example_office_fills_every_kind_of_table(source: Deployment) -> None:
    # Guards the other tests: a round trip of empty tables would prove little.
    rows = all_rows(source.url, raw=False)
    for table in (
        "office", "person", "indicator", "budget_item", "cycle", "cycle_indicator",
        "submission", "evidence", "stored_file", "draft", "approval", "outbox_message",
        "audit_event", "pending_input", "letter_sequence", "archive_entry",
    ):  # fmt: skip
        assert rows[table], table
    assert any(row[-1] is not None for row in rows["outbox_message"])  # an edit of a message
    assert len(stored_files(source.data_dir)) >= 8


def test_a_backup_restores_every_row_and_every_file_byte_for_byte(
    source: Deployment, database_url: str, empty_database: EmptyDatabase, tmp_path: Path
) -> None:
    kind = portable.backend(database_url)
    archive_path = take_backup(source, tmp_path)
    target = Deployment(empty_database(kind), tmp_path / "elsewhere" / "data")

    summary = backup.restore_backup(
        database_url=target.url, data_dir=target.data_dir, archive_path=archive_path
    )

    expected = relocated(all_rows(source.url, raw=True), source.data_dir, target.data_dir)
    assert all_rows(target.url, raw=True) == expected
    assert stored_files(target.data_dir) == stored_files(source.data_dir)
    assert summary.rows == sum(len(rows) for rows in expected.values())
    assert summary.files == len(stored_files(source.data_dir))
    _works_as_before(source, target)


@pytest.mark.parametrize(
    ("database_url", "target_kind"),
    [("sqlite", "postgresql"), ("postgresql", "sqlite")],
    indirect=["database_url"],
)
def test_a_backup_moves_between_sqlite_and_postgresql(
    source: Deployment, target_kind: str, empty_database: EmptyDatabase, tmp_path: Path
) -> None:
    # SQLite -> PostgreSQL is the way from the embedded default to production.
    archive_path = take_backup(source, tmp_path)
    target = Deployment(empty_database(target_kind), tmp_path / "production" / "data")

    backup.restore_backup(
        database_url=target.url, data_dir=target.data_dir, archive_path=archive_path
    )

    expected = relocated(all_rows(source.url, raw=False), source.data_dir, target.data_dir)
    assert all_rows(target.url, raw=False) == expected
    assert stored_files(target.data_dir) == stored_files(source.data_dir)
    _works_as_before(source, target)


def _works_as_before(source: Deployment, target: Deployment) -> None:
    """The restored deployment shows the same people and archive, and adds rows after the last."""
    before, after = Database(source.url), Database(target.url)
    try:
        assert list_people(db=after, office_id=1) == list_people(db=before, office_id=1)
        checked, problems = archive.verify(db=after, files=FileStore(target.data_dir))
        assert checked > 0 and problems == []
        with after.session() as session:
            documents = session.exec(
                select(OutboxMessage.document_path).where(
                    col(OutboxMessage.document_path).is_not(None)
                )
            ).all()
            highest = max(m.id or 0 for m in session.exec(select(OutboxMessage)).scalars())
            # PostgreSQL's sequences continue after the restored ids.
            added = outbox.enqueue(session, chat_id=1, now=NOW, text="setelah pemulihan")
            session.commit()
        # Relative to DATA_DIR (older rows: absolute paths, pointed at the new DATA_DIR).
        assert documents and all((target.data_dir / path).is_file() for (path,) in documents)
        assert added is not None and added.id == highest + 1
    finally:
        before.dispose()
        after.dispose()


def test_restoring_into_a_database_with_rows_is_refused_and_changes_nothing(
    source: Deployment, tmp_path: Path
) -> None:
    archive_path = take_backup(source, tmp_path)
    before = all_rows(source.url, raw=True)
    fresh_data = tmp_path / "fresh"

    with pytest.raises(backup.BackupRefused, match="sudah berisi data"):
        backup.restore_backup(
            database_url=source.url, data_dir=fresh_data, archive_path=archive_path
        )

    assert all_rows(source.url, raw=True) == before
    assert not fresh_data.exists()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_tampered_archive_is_refused_before_anything_is_written(
    source: Deployment, empty_database: EmptyDatabase, tmp_path: Path
) -> None:
    archive_path = take_backup(source, tmp_path)
    target = Deployment(empty_database("sqlite"), tmp_path / "restored")

    # One byte changed inside a stored file's bytes: zip's CRC and the SHA-256 both differ.
    tampered = tmp_path / "tampered.zip"
    data = bytearray(archive_path.read_bytes())
    with zipfile.ZipFile(archive_path) as original:
        member = next(i for i in original.infolist() if i.filename.startswith("files/"))
    start = member.header_offset + 30 + len(member.filename.encode()) + len(member.extra)
    data[start + member.compress_size // 2] ^= 0x01
    tampered.write_bytes(bytes(data))
    # A member swapped for another with a valid zip CRC: only the manifest's SHA-256 sees it.
    swapped = tmp_path / "swapped.zip"
    with zipfile.ZipFile(archive_path) as original, zipfile.ZipFile(swapped, "w") as copy:
        for info in original.infolist():
            content = original.read(info)
            if info.filename == "database/person.jsonl":
                content = content.replace(b"Dedi", b"Dodi", 1)
            copy.writestr(info, content)

    for bad in (tampered, swapped):
        with pytest.raises(backup.BackupRefused, match="rusak atau telah diubah"):
            backup.restore_backup(
                database_url=target.url, data_dir=target.data_dir, archive_path=bad
            )

    assert not target.data_dir.exists()
    engine = make_engine(target.url)
    try:
        with engine.connect() as connection:
            assert inspect(connection).get_table_names() == []
    finally:
        engine.dispose()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_cli_prints_one_line_and_refuses_politely(
    source: Deployment,
    empty_database: EmptyDatabase,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", source.url)
    monkeypatch.setenv("DATA_DIR", str(source.data_dir))
    archive_path = tmp_path / "malam.zip"

    assert main(["backup", "-o", str(archive_path)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"Cadangan ditulis ke {archive_path}: ") and out.count("\n") == 1
    assert "berkas" in out and err == ""

    assert main(["backup", "-o", str(archive_path)]) == 2  # never overwrites
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "sudah ada" in err

    assert main(["restore", str(archive_path)]) == 2  # into the very deployment it came from
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "sudah berisi data" in err

    monkeypatch.setenv("DATABASE_URL", empty_database("sqlite"))
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "baru"))
    assert main(["restore", str(archive_path)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"Cadangan {archive_path} dipulihkan: ") and out.count("\n") == 1
    assert f"ke {(tmp_path / 'baru').resolve()}." in out and err == ""


def test_the_archive_lists_what_it_holds(source: Deployment, tmp_path: Path) -> None:
    archive_path = take_backup(source, tmp_path)

    with zipfile.ZipFile(archive_path) as bundle:
        manifest = backup.verify_archive(bundle, archive_path)
        jsonl = bundle.read("database/person.jsonl").decode()
    assert manifest["format"] == "lapkin-backup" and manifest["format_version"] == 1
    assert manifest["alembic_revision"] == portable.head_revision()
    counts = {table["name"]: table["rows"] for table in manifest["tables"]}
    assert counts == {name: len(rows) for name, rows in all_rows(source.url, raw=False).items()}
    files = {name for name in manifest["members"] if name.startswith("files/")}
    assert files == set(stored_files(source.data_dir))
    assert manifest["missing_files"] == []
    assert len(io.StringIO(jsonl).readlines()) == counts["person"]


def test_every_column_has_a_neutral_form_and_every_path_column_is_backed_up() -> None:
    for table in portable.tables():
        portable.columns(table)  # raises on a type the backup cannot carry
        for column in table.columns:
            if column.name.endswith("path"):
                assert backup.FILE_COLUMNS.get(table.name) == column.name


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_sqlite_rows_still_in_the_write_ahead_log_are_backed_up(
    source: Deployment, tmp_path: Path
) -> None:
    database = make_url(source.url).database
    assert database is not None
    # A connection that keeps the log from being folded into the database file, as a busy
    # bot does between checkpoints.
    with contextlib.closing(sqlite3.connect(database)) as live:
        live.execute("PRAGMA wal_autocheckpoint=0")
        live.execute(
            "UPDATE person SET name = 'Dedi Kurniawan (baru)' WHERE nip = '199001052015031002'"
        )
        live.commit()
        copied = tmp_path / "copied.sqlite3"
        shutil.copyfile(database, copied)  # what the operator did
        with contextlib.closing(sqlite3.connect(copied)) as copy:
            assert not copy.execute("SELECT 1 FROM person WHERE name LIKE '%(baru)'").fetchall()

        archive_path = take_backup(source, tmp_path)

    with zipfile.ZipFile(archive_path) as bundle:
        assert "Dedi Kurniawan (baru)" in bundle.read("database/person.jsonl").decode()


def test_a_file_missing_from_data_dir_is_named_and_the_rest_restores(
    source: Deployment,
    database_url: str,
    empty_database: EmptyDatabase,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    lost = sorted(stored_files(source.data_dir))[0]
    (source.data_dir / lost).unlink()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", source.url)
    monkeypatch.setenv("DATA_DIR", str(source.data_dir))
    archive_path = tmp_path / "cadangan.zip"

    # Written all the same, but a nightly timer's run fails so that someone looks.
    assert main(["backup", "-o", str(archive_path)]) == 1
    out, _ = capsys.readouterr()
    assert out.count("\n") == 1 and "PERHATIAN: 1 berkas yang dirujuk" in out
    with zipfile.ZipFile(archive_path) as bundle:
        assert backup.verify_archive(bundle, archive_path)["missing_files"] == [lost]
    target = Deployment(empty_database(portable.backend(database_url)), tmp_path / "restored")
    backup.restore_backup(
        database_url=target.url, data_dir=target.data_dir, archive_path=archive_path
    )
    assert stored_files(target.data_dir) == stored_files(source.data_dir)
