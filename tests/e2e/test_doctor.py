"""``python -m bot doctor`` on a good set-up, and on one broken a different way each time.

The set-up is real: a migrated database with the example office, a DATA_DIR with one archived
file, the Bot API stand-in. Each broken case changes one thing and expects that check alone to
fail, the others to say what they said on the good set-up (or to be skipped when they depend on
what broke).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from pydantic import SecretStr
from sqlmodel import select
from telegram import Bot

from bot import doctor
from bot.doctor import Status
from bot.services import outbox
from bot.settings import Settings
from storage.db import Database
from storage.files import FileStore
from storage.migrate import alembic_config
from storage.models import ArchiveEntry, Cycle, Person, StoredFile
from tests.cli_process import clean_env, run_cli
from tests.e2e.conftest import TOKEN
from tests.standin import BotApiStandin

pytestmark = pytest.mark.e2e

NOW = datetime.now(UTC)
TODAY = date(2026, 11, 25)
HOOK = "https://lapkin.kpu.example/telegram"
CHECKS = (
    "Basis data",
    "DATA_DIR",
    "Salinan PDF",
    "Telegram",
    "Webhook",
    "Antrean pesan",
    "Arsip",
    "Kalender libur",
)


def known_holidays(year: int) -> Mapping[date, str]:
    """The holiday tables as a package that knows both years would give them."""
    return {date(year, 8, 17): "Hari Kemerdekaan Republik Indonesia"}


@pytest.fixture(autouse=True)
def holiday_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the holiday check off the installed package's data, which changes every year."""
    monkeypatch.setattr(doctor, "national_holidays", known_holidays)


@pytest.fixture
def soffice_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Put a program called soffice on PATH: the doctor checks LibreOffice is there."""
    folder = tmp_path / "bin"
    folder.mkdir()
    program = folder / "soffice"
    program.write_text("#!/bin/sh\nexit 0\n")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return program


@pytest.fixture
def good(settings: Settings, office_db: Database, soffice_on_path: Path) -> Settings:
    """Give the settings of a deployment in order: PDF copies on, one file archived."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    archive_one_file(office_db, FileStore(settings.data_dir))
    return settings.model_copy(update={"pdf_copies": True})


def archive_one_file(db: Database, files: FileStore) -> StoredFile:
    """Archive one signed report, as SOP step 6 leaves it."""
    data = b"%PDF-1.4 Laporan Kinerja 2026"
    digest, path = files.put(data)
    with db.session() as session:
        person = session.exec(select(Person)).first()
        assert person is not None and person.id is not None
        cycle = Cycle(
            office_id=person.office_id,
            year=2026,
            period="tahunan",
            status="closed",
            deadline=date(2027, 1, 15),
            created_by_person_id=person.id,
            created_at=NOW,
        )
        stored = StoredFile(
            sha256=digest, size=len(data), mime_type="application/pdf", path=path, created_at=NOW
        )
        session.add_all([cycle, stored])
        session.flush()
        assert cycle.id is not None and stored.id is not None
        session.add(
            ArchiveEntry(
                office_id=person.office_id,
                cycle_id=cycle.id,
                year=2026,
                kind="laporan",
                name="Laporan Kinerja 2026.pdf",
                file_id=stored.id,
                sha256=digest,
                size=len(data),
                created_at=NOW,
            )
        )
        session.commit()
        return stored


async def examine(
    settings: Settings, *, webhook_url: str | None = None
) -> dict[str, doctor.Result]:
    """Run the checkup in this process; give each result by the check's name.

    It runs in a thread, as in the command: it has an event loop of its own for Telegram, and
    this one must stay free to serve the stand-in.
    """
    results = await asyncio.to_thread(
        doctor.examine, settings, webhook_url=webhook_url, now=NOW, today=TODAY
    )
    by_name = {name: r for name in CHECKS for r in results if r.text.startswith(name)}
    assert list(by_name) == list(CHECKS) and len(results) == len(CHECKS), results
    assert all("\n" not in r.text for r in results)
    return by_name


def statuses(found: dict[str, doctor.Result]) -> dict[str, Status]:
    return {name: result.status for name, result in found.items()}


ALL_OK = dict.fromkeys(CHECKS, Status.OK)


async def test_a_good_set_up_passes_every_check(good: Settings) -> None:
    found = await examine(good)

    assert statuses(found) == ALL_OK, found
    assert "terhubung, skema terbaru" in found["Basis data"].text
    assert str(good.data_dir.resolve()) in found["DATA_DIR"].text
    assert "soffice" in found["Salinan PDF"].text
    assert "@lapkin_test_bot, token berlaku" in found["Telegram"].text
    assert "sesuai untuk polling" in found["Webhook"].text
    assert "tidak ada yang tertunda" in found["Antrean pesan"].text
    assert found["Arsip"].text == "Arsip: 1 berkas, semua checksum SHA-256 cocok."
    assert "2026 dan 2027 lengkap" in found["Kalender libur"].text
    assert doctor.report(list(found.values()))[1]


async def test_an_unreachable_database_fails_and_skips_what_needs_it(good: Settings) -> None:
    broken = good.model_copy(
        update={"database_url": "postgresql://lapkin:rahasia@127.0.0.1:9/lapkin"}
    )

    found = await examine(broken)

    assert statuses(found) == ALL_OK | {
        "Basis data": Status.FAIL,
        "Antrean pesan": Status.SKIPPED,
        "Arsip": Status.SKIPPED,
    }
    text = found["Basis data"].text
    assert "postgresql://lapkin:***@127.0.0.1:9/lapkin tidak dapat dihubungi" in text
    assert "rahasia" not in text and "Periksa DATABASE_URL" in text


async def test_a_database_behind_the_newest_migration_fails(
    good: Settings, database_url: str
) -> None:
    script = ScriptDirectory.from_config(alembic_config(database_url))
    head = script.get_revision(script.get_current_head())
    assert head is not None and isinstance(head.down_revision, str)
    command.stamp(alembic_config(database_url), head.down_revision)  # as before an upgrade

    found = await examine(good)

    assert statuses(found) == ALL_OK | {
        "Basis data": Status.FAIL,
        "Antrean pesan": Status.SKIPPED,
        "Arsip": Status.SKIPPED,
    }
    assert (
        f"skema tertinggal (revisi {head.down_revision}, terbaru {head.revision})"
        in found["Basis data"].text
    )


async def test_an_empty_database_is_told_to_migrate(settings: Settings, database_url: str) -> None:
    # An empty PostgreSQL database, or a SQLite file that is not there yet.
    found = await examine(settings)

    assert found["Basis data"].status is Status.FAIL
    assert "python -m bot migrate" in found["Basis data"].text
    if database_url.startswith("sqlite"):
        assert "belum ada" in found["Basis data"].text
        sqlite_file = Path(database_url.removeprefix("sqlite:///"))
        assert not await asyncio.to_thread(sqlite_file.exists)  # the doctor created none
    else:
        assert "belum berisi tabel Lapkin" in found["Basis data"].text


async def test_a_read_only_data_dir_fails(good: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root, whom file modes do not stop: refuse as a read-only mount does.
    def read_only(folder: Path) -> None:
        raise PermissionError(30, "Read-only file system")

    monkeypatch.setattr(doctor, "probe_write", read_only)

    found = await examine(good)

    assert statuses(found) == ALL_OK | {"DATA_DIR": Status.FAIL}
    assert "tidak dapat ditulisi (Read-only file system)" in found["DATA_DIR"].text


async def test_pdf_copies_without_libreoffice_fail(
    good: Settings, soffice_on_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await asyncio.to_thread(soffice_on_path.unlink)
    monkeypatch.setattr("shutil.which", lambda name: None)  # nor one installed on this machine

    found = await examine(good)

    assert statuses(found) == ALL_OK | {"Salinan PDF": Status.FAIL}
    assert "LibreOffice (soffice) tidak ditemukan" in found["Salinan PDF"].text
    without_pdf = await examine(good.model_copy(update={"pdf_copies": False}))
    assert without_pdf["Salinan PDF"].status is Status.OK


async def test_a_token_telegram_rejects_fails(good: Settings) -> None:
    revoked = good.model_copy(
        update={
            "telegram_bot_token": SecretStr("123456789:AAH-this-token-was-revoked-by-botfather")
        }
    )

    found = await examine(revoked)

    assert statuses(found) == ALL_OK | {"Telegram": Status.FAIL, "Webhook": Status.SKIPPED}
    assert "menolak TELEGRAM_BOT_TOKEN" in found["Telegram"].text
    assert "revoked" not in found["Telegram"].text


async def _set_webhook(standin: BotApiStandin, url: str) -> None:
    async with Bot(TOKEN, base_url=standin.base_url) as bot:
        await bot.set_webhook(url)


async def test_a_webhook_that_does_not_match_the_mode_fails(
    good: Settings, standin: BotApiStandin
) -> None:
    found = await examine(good, webhook_url=HOOK)  # expected, but none is set
    assert statuses(found) == ALL_OK | {"Webhook": Status.FAIL}
    assert f"belum terpasang, padahal bot dijalankan dengan --webhook {HOOK}" in (
        found["Webhook"].text
    )

    await _set_webhook(standin, HOOK)
    found = await examine(good)  # polling, but a webhook is set
    assert statuses(found) == ALL_OK | {"Webhook": Status.FAIL}
    assert f"terpasang ke {HOOK}, padahal bot berjalan dengan polling" in found["Webhook"].text
    assert statuses(await examine(good, webhook_url=HOOK)) == ALL_OK


async def test_a_backlog_in_the_outbox_fails(good: Settings, office_db: Database) -> None:
    with office_db.session() as session:
        outbox.enqueue(session, chat_id=700_000_001, now=NOW - timedelta(hours=1), text="Halo")
        outbox.enqueue(session, chat_id=700_000_002, now=NOW, text="baru saja")  # not late yet
        session.commit()

    found = await examine(good)

    assert statuses(found) == ALL_OK | {"Antrean pesan": Status.FAIL}
    assert "1 pesan jatuh tempo lebih dari 10 menit lalu" in found["Antrean pesan"].text


async def test_a_changed_archive_file_fails(good: Settings, office_db: Database) -> None:
    with office_db.session() as session:
        stored = session.exec(select(StoredFile)).one()
    FileStore(good.data_dir).path(stored.path).write_bytes(b"%PDF-1.4 diubah")

    found = await examine(good)

    assert statuses(found) == ALL_OK | {"Arsip": Status.FAIL}
    assert (
        "Arsip: 1 dari 1 berkas bermasalah (misalnya 2026 Laporan Kinerja 2026.pdf: berubah)"
        in (found["Arsip"].text)
    )


async def test_holidays_missing_next_year_fail(
    good: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        doctor, "national_holidays", lambda year: {} if year == 2027 else known_holidays(year)
    )

    found = await examine(good)

    assert statuses(found) == ALL_OK | {"Kalender libur": Status.FAIL}
    assert "tidak mengenal libur nasional 2027" in found["Kalender libur"].text


# ------------------------------------------------------------------ the command, as an operator runs it


def _env(settings: Settings, **extra: str) -> dict[str, str]:
    return clean_env(
        DATABASE_URL=settings.effective_database_url,
        DATA_DIR=str(settings.data_dir),
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_BASE_URL=settings.telegram_base_url,
        TELEGRAM_BASE_FILE_URL=settings.telegram_base_file_url,
        PDF_COPIES="true",
        **extra,
    )


async def _doctor(env: dict[str, str], cwd: Path, *args: str) -> tuple[int, str, str]:
    return await run_cli(env, "doctor", *args, cwd=cwd)


async def test_the_command_exits_0_on_a_good_set_up(good: Settings, tmp_path: Path) -> None:
    code, out, err = await _doctor(_env(good), tmp_path)

    assert code == 0, out + err
    lines = out.splitlines()
    assert len(lines) == len(CHECKS) + 1 and err == ""
    # The holiday tables are the installed package's here, which may still estimate a date.
    assert all(line.startswith(("OK ", "PERINGATAN ")) for line in lines[:-1]), out
    assert lines[-1] in {
        "Semua pemeriksaan lulus.",
        "Tidak ada yang gagal; 1 peringatan perlu dilihat.",
    }


async def test_the_command_reports_a_database_behind_and_leaves_it_so(
    good: Settings, database_url: str, tmp_path: Path
) -> None:
    script = ScriptDirectory.from_config(alembic_config(database_url))
    head = script.get_revision(script.get_current_head())
    assert head is not None and isinstance(head.down_revision, str)
    command.stamp(alembic_config(database_url), head.down_revision)  # as before an upgrade

    code, out, err = await _doctor(_env(good), tmp_path)

    assert code == 1 and "Traceback" not in out + err
    failed = [line for line in out.splitlines() if line.startswith("GAGAL")]
    assert len(failed) == 1 and "skema tertinggal" in failed[0], out
    assert "1 pemeriksaan gagal" in out.splitlines()[-1]
    # The doctor looks and does not fix: unlike every other command, it did not migrate.
    found = await examine(good)
    assert found["Basis data"].status is Status.FAIL
