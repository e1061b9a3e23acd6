"""A backup taken from the command line while the bot runs and writes is one consistent moment."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import col, select

from bot import backup
from bot.clock import utc_now
from bot.context import LapkinApplication
from bot.services import outbox
from bot.services.common import store_bytes
from bot.settings import Settings
from storage import portable
from storage.db import Database
from storage.files import FileStore
from storage.models import AuditEvent, OutboxMessage, StoredFile
from tests.cli_process import clean_env, run_cli
from tests.conftest import (
    POSTGRES_ENV,
    ROOT,
    create_postgres_database,
    drop_postgres_database,
    postgres_admin_url,
    postgres_url,
)
from tests.e2e.conftest import register_people
from tests.standin import BotApiStandin

pytestmark = pytest.mark.e2e

MARK = "tanda"


@pytest.fixture
def empty_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty database (no schema) of the same kind as the bot's."""
    if portable.backend(database_url) == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    admin_url = postgres_admin_url()
    assert admin_url is not None, POSTGRES_ENV
    name = f"lapkin_restore_{uuid.uuid4().hex[:12]}"
    create_postgres_database(admin_url, name)
    try:
        yield postgres_url(admin_url, name)
    finally:
        drop_postgres_database(admin_url, name)


class Writer(threading.Thread):
    """Writes, until stopped, transactions that each add a file, a message carrying it and an
    audit event, all three numbered alike: a torn read would show one without the others."""

    def __init__(self, settings: Settings, chat_id: int) -> None:
        super().__init__(daemon=True)
        self.db = Database(settings.effective_database_url)
        self.files = FileStore(settings.data_dir)
        self.chat_id = chat_id
        self.stop = threading.Event()
        self.written = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                self._write(self.written + 1)
                self.written += 1
        except BaseException as error:
            self.error = error
        finally:
            self.db.dispose()

    def _write(self, number: int) -> None:
        now = utc_now()
        with self.db.session() as session:
            stored = store_bytes(
                session, self.files, f"{MARK} {number}".encode(), mime_type="text/plain", now=now
            )
            outbox.enqueue(
                session,
                chat_id=self.chat_id,
                now=now,
                text=f"{MARK} {number}",
                document_path=str(self.files.path(stored.path)),
                document_name=f"{MARK}-{number}.txt",
            )
            session.add(
                AuditEvent(
                    at=now,
                    actor="uji",
                    action="uji.tanda",
                    object_type="uji",
                    object_id=str(number),
                    details={"n": number},
                )
            )
            session.commit()


async def _backup_command(settings: Settings, target: Path, cwd: Path) -> tuple[int, str, str]:
    env = clean_env(
        DATABASE_URL=settings.effective_database_url,
        DATA_DIR=str(settings.data_dir),
        PYTHONPATH=str(ROOT),
    )
    return await run_cli(env, "backup", "-o", str(target), cwd=cwd, wait_seconds=120)


async def test_a_backup_while_the_bot_sends_and_writes_is_consistent(
    bot: LapkinApplication,
    standin: BotApiStandin,
    settings: Settings,
    office_db: Database,
    empty_url: str,
    tmp_path: Path,
) -> None:
    users = await register_people(standin, office_db, "fajar")
    writer = Writer(settings, users["fajar"].id)
    writer.start()
    # The dispatcher is sending the writer's messages before the backup starts.
    await standin.wait_for_message(users["fajar"], contains=MARK, count=20)
    before = writer.written

    code, out, err = await _backup_command(settings, tmp_path / "cadangan.zip", tmp_path)
    during = writer.written - before
    writer.stop.set()
    await asyncio.to_thread(writer.join)

    assert writer.error is None, writer.error
    assert (code, err) == (0, ""), err
    assert out.startswith(f"Cadangan ditulis ke {tmp_path / 'cadangan.zip'}: ")
    assert during > 0  # the writer kept writing while the backup ran

    restored_data = tmp_path / "elsewhere"
    backup.restore_backup(
        database_url=empty_url, data_dir=restored_data, archive_path=tmp_path / "cadangan.zip"
    )
    restored = Database(empty_url)
    try:
        with restored.session() as session:
            events = {
                int(event.object_id or 0)
                for event in session.exec(
                    select(AuditEvent).where(AuditEvent.action == "uji.tanda")
                )
            }
            messages = session.exec(
                select(OutboxMessage).where(col(OutboxMessage.text).startswith(MARK))
            ).all()
            contents = {
                (restored_data / stored.path).read_bytes()
                for stored in session.exec(
                    select(StoredFile).where(StoredFile.mime_type == "text/plain")
                )
            }
    finally:
        restored.dispose()
    numbers = {int((m.text or "").split()[1]) for m in messages}
    # Each transaction whole or not at all, and every message's document restored with it.
    assert events == numbers == set(range(1, len(numbers) + 1))
    assert contents == {f"{MARK} {n}".encode() for n in numbers}
    documents = {m.text: Path(m.document_path or "") for m in messages}
    assert all(path.read_bytes() == text.encode() for text, path in documents.items())
    assert before <= len(numbers) <= writer.written
    # Some had been sent by then, and the archive keeps that.
    assert any(m.status == "sent" and m.telegram_message_id for m in messages)
