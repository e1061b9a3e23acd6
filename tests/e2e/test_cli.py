"""The command line, run as an operator would, as a separate process."""

from __future__ import annotations

import asyncio
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.bot_identity import remember_username
from bot.orgfile import dump_organisation
from bot.services import outbox
from storage.db import Database
from tests.cli_process import clean_env, database_env, run_cli
from tests.conftest import EXAMPLE_ORG, ROOT
from tests.e2e.conftest import STAF_NIP, TOKEN, token_from_link
from tests.province_data import PARENT_CODE, child_code, child_spec, province
from tests.standin import BotApiStandin

pytestmark = pytest.mark.e2e


async def _cli(env: dict[str, str], *args: str, cwd: Path) -> tuple[int, str, str]:
    return await run_cli(env, *args, cwd=cwd)


async def test_run_without_a_token_explains_botfather_and_exits_2(tmp_path: Path) -> None:
    env = database_env(f"sqlite:///{tmp_path / 'x.sqlite3'}", tmp_path)

    code, out, err = await _cli(env, "run", cwd=tmp_path)  # no .env in tmp_path

    assert code == 2
    assert "@BotFather" in err and "TELEGRAM_BOT_TOKEN" in err and ".env" in err
    assert len(err.strip().splitlines()) == 1  # one line saying what to do
    assert "Traceback" not in err and out == ""


async def test_org_import_is_idempotent_and_bad_files_name_line_and_field(
    database_url: str, tmp_path: Path
) -> None:
    env = database_env(database_url, tmp_path)

    code, out, _ = await _cli(env, "org", "import", str(EXAMPLE_ORG), cwd=tmp_path)
    assert code == 0 and "kpu-kota-bengkulu: dibuat." in out
    assert "Indikator baru (13)" in out
    code, out, _ = await _cli(env, "org", "import", str(EXAMPLE_ORG), cwd=tmp_path)
    assert (code, out.strip()) == (
        0,
        "kpu-kota-bengkulu: tidak ada perubahan.\nPerjanjian Kinerja 2026: tidak ada perubahan.\n"
        "Anggaran 2026: tidak ada perubahan.",
    )

    code, exported, _ = await _cli(env, "org", "export", cwd=tmp_path)
    assert code == 0
    (tmp_path / "exported.yaml").write_text(exported, encoding="utf-8")
    code, out, _ = await _cli(env, "org", "import", str(tmp_path / "exported.yaml"), cwd=tmp_path)
    assert (code, out.strip()) == (0, "kpu-kota-bengkulu: tidak ada perubahan.")

    bad = tmp_path / "bad.yaml"
    bad.write_text(EXAMPLE_ORG.read_text().replace("    number: 3\n", "    number: tiga\n"))
    code, out, err = await _cli(env, "org", "import", str(bad), cwd=tmp_path)
    assert code == 2
    line = bad.read_text().splitlines().index("    number: tiga") + 1
    assert f"{bad}:{line}: units[2].number: Input should be a valid integer" in err
    assert "Traceback" not in err


async def test_org_import_of_a_folder_imports_a_province_parents_first(
    database_url: str, tmp_path: Path
) -> None:
    env = database_env(database_url, tmp_path)
    folder = tmp_path / "provinsi"
    folder.mkdir()
    # File names put the kabupaten before their KPU Provinsi.
    for spec in province(2):
        (folder / f"{spec.office.code.replace('provinsi', 'z-provinsi')}.yaml").write_text(
            dump_organisation(spec), encoding="utf-8"
        )
    orphan = tmp_path / "orphan.yaml"
    orphan.write_text(
        dump_organisation(child_spec(3)).replace(PARENT_CODE, "kpu-provinsi-lain"),
        encoding="utf-8",
    )

    code, out, err = await _cli(env, "org", "import", str(orphan), cwd=tmp_path)
    assert code == 2 and out == ""
    assert f"{orphan}: office.induk: parent office 'kpu-provinsi-lain' is neither" in err

    code, out, err = await _cli(env, "org", "import", str(folder), cwd=tmp_path)
    assert code == 0, err
    assert f"{child_code(1)}: dibuat." in out and f"{PARENT_CODE}: dibuat." in out
    code, exported, _ = await _cli(env, "org", "export", "--office", child_code(2), cwd=tmp_path)
    assert f"induk: {PARENT_CODE}" in exported


async def test_invite_prints_a_link_that_registers_the_person(
    standin: BotApiStandin, database_url: str, tmp_path: Path, bot: object
) -> None:
    env = database_env(
        database_url,
        tmp_path,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_BASE_URL=standin.base_url,
        TELEGRAM_BASE_FILE_URL=standin.base_file_url,
    )

    code, out, err = await _cli(env, "invite", STAF_NIP, cwd=tmp_path)
    assert code == 0, err
    assert "Undangan untuk Dedi Kurniawan, S.Kom." in out and "WIB" in out

    dedi = standin.user("Dedi")
    await standin.send_text(dedi, f"/start {token_from_link(out)}")
    await standin.wait_for_message(dedi, contains="Selamat datang, Dedi Kurniawan")

    code, out, _ = await _cli(env, "people", cwd=tmp_path)
    assert code == 0
    dedi_line = next(line for line in out.splitlines() if line.startswith(STAF_NIP))
    assert "KUL" in dedi_line and "terdaftar" in dedi_line and "belum terdaftar" not in dedi_line

    code, _, err = await _cli(env, "invite", "123", cwd=tmp_path)
    assert code == 2 and "Tidak ada pegawai dengan NIP 123" in err


async def test_the_running_process_killed_mid_queue_resumes_without_loss_or_repeat(
    standin: BotApiStandin, office_db: Database, database_url: str, tmp_path: Path
) -> None:
    budi = standin.user("Budi")
    with office_db.session() as session:
        for number in range(1, 5):
            outbox.enqueue(session, chat_id=budi.id, now=datetime.now(UTC), text=f"notice {number}")
        session.commit()
    env = database_env(
        database_url,
        tmp_path,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_BASE_URL=standin.base_url,
        TELEGRAM_BASE_FILE_URL=standin.base_file_url,
        OUTBOX_POLL_SECONDS="0.2",
    )

    async def start() -> asyncio.subprocess.Process:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=ROOT,
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )

    first = await start()
    await standin.wait_for_message(budi, contains="notice 2", timeout=30)
    async with asyncio.timeout(10):
        while len(outbox.messages(db=office_db, status=outbox.SENT)) < 2:  # noqa: ASYNC110
            await asyncio.sleep(0.02)
    # Messages to one chat go out about a second apart, so this kill lands between two
    # sends. (A kill in the milliseconds between Telegram's answer and the database update
    # would repeat that one message: Telegram offers no idempotency key; see README.)
    first.send_signal(signal.SIGKILL)
    await first.wait()

    second = await start()
    try:
        await standin.wait_for_message(budi, contains="notice 4", timeout=30)
    finally:
        second.send_signal(signal.SIGTERM)
        await asyncio.wait_for(second.wait(), 30)

    assert [m.body for m in standin.messages(budi)] == [f"notice {n}" for n in range(1, 5)]
    assert second.returncode == 0


async def test_the_env_file_and_data_dir_do_not_depend_on_where_the_command_runs(
    tmp_path: Path,
) -> None:
    office = tmp_path / "kantor"
    office.mkdir()
    (office / "lapkin.env").write_text("DATA_DIR=data\nLOG_LEVEL=WARNING\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # A .env where one happens to stand is never read.
    (elsewhere / ".env").write_text(f"DATABASE_URL=sqlite:///{elsewhere}/wrong.sqlite3\n")
    env = clean_env()
    env.pop("LAPKIN_ENV_FILE")  # what a .env in the current folder could do is the point here
    env.pop("DATA_DIR", None)

    code, _, err = await _cli(
        env, "--env-file", str(office / "lapkin.env"), "migrate", cwd=elsewhere
    )

    assert code == 0, err
    assert (office / "data" / "lapkin.sqlite3").is_file()  # DATA_DIR beside the .env file
    assert not (elsewhere / "data").exists() and not (elsewhere / "wrong.sqlite3").exists()


async def test_a_missing_env_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    env = database_env(f"sqlite:///{tmp_path / 'x.sqlite3'}", tmp_path)

    code, out, err = await _cli(
        env, "--env-file", str(tmp_path / "nope.env"), "migrate", cwd=tmp_path
    )

    assert code == 2 and out == ""
    assert err.strip() == f"Berkas pengaturan {tmp_path / 'nope.env'} tidak ditemukan."


async def test_invite_works_without_telegram(
    office_db: Database, database_url: str, tmp_path: Path
) -> None:
    unreachable = "http://127.0.0.1:9/bot"  # the discard port: nothing answers there
    env = database_env(
        database_url, tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=unreachable
    )

    code, out, err = await _cli(env, "invite", STAF_NIP, cwd=tmp_path)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "BOT_USERNAME" in err

    # Named in the settings ...
    code, out, err = await _cli(
        {**env, "BOT_USERNAME": "kpu_lapkin_bot"}, "invite", STAF_NIP, cwd=tmp_path
    )
    assert code == 0, err
    assert "https://t.me/kpu_lapkin_bot?start=" in out
    # ... or remembered from the bot's last start.
    remember_username(tmp_path / "data", "lapkin_test_bot")
    code, out, err = await _cli(env, "invite", STAF_NIP, cwd=tmp_path)
    assert code == 0, err
    assert "https://t.me/lapkin_test_bot?start=" in out


async def test_run_with_telegram_unreachable_says_so_in_one_line(tmp_path: Path) -> None:
    env = database_env(
        f"sqlite:///{tmp_path / 'x.sqlite3'}",
        tmp_path,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_BASE_URL="http://127.0.0.1:9/bot",  # the discard port: nothing answers there
    )

    code, _, err = await _cli(env, "run", cwd=tmp_path)

    assert code == 1 and "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("Telegram tidak dapat dihubungi")
    assert len([line for line in err.splitlines() if "Telegram" in line]) == 1
