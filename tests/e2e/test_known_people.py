"""The access guard's memory of people: a change made by another process is heeded in time."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.context import LapkinApplication
from bot.orgfile import dump_organisation, load_organisation
from bot.services.known_people import NotHeld
from bot.services.people import Account
from bot.settings import Settings
from storage.db import Database
from tests.cli_process import clean_env, run_cli
from tests.conftest import EXAMPLE_ORG
from tests.e2e.conftest import STAF_NIP, register
from tests.standin import BotApiStandin

pytestmark = pytest.mark.e2e


async def test_someone_deactivated_by_org_import_elsewhere_is_refused_after_one_check(
    standin: BotApiStandin,
    office_db: Database,
    bot: LapkinApplication,
    settings: Settings,
    database_url: str,
    tmp_path: Path,
) -> None:
    known_people = bot.bot_data.services.known_people
    dedi = await register(standin, office_db, STAF_NIP, "Dedi")
    await known_people.next_check()
    await known_people.next_check()
    held = known_people.lookup(dedi.id)
    assert isinstance(held, Account) and held.current.active  # served from memory, not read
    spec = load_organisation(EXAMPLE_ORG)
    without_dedi = spec.model_copy(
        update={"people": tuple(p for p in spec.people if p.nip != STAF_NIP)}
    )
    org_file = tmp_path / "without-dedi.yaml"
    org_file.write_text(dump_organisation(without_dedi), encoding="utf-8")

    env = clean_env(DATABASE_URL=database_url, DATA_DIR=str(tmp_path / "cli-data"))
    code, out, err = await run_cli(env, "org", "import", str(org_file), cwd=tmp_path)
    assert code == 0, err
    assert "nonaktif" in out.lower() or STAF_NIP in out or "Dedi" in out

    # Another process's change reaches the bot only through the database's counter, which
    # the bot reads once every outbox poll: the check under way may have begun before the
    # import's commit, the one after it has not. That is the bound README states.
    await known_people.next_check()
    await known_people.next_check()
    assert settings.outbox_poll_seconds == 0.2
    assert not isinstance(known_people.lookup(dedi.id), NotHeld)

    await standin.send_text(dedi, "/bantuan")
    refusal = await standin.wait_for_message(dedi, contains="sudah tidak aktif")
    assert "/batal" not in refusal.body
