"""How long the bot takes to start with thousands of registered people, against a bare bot.

    .venv/bin/python bench/bench_startup.py                # 14,000 people
    .venv/bin/python bench/bench_startup.py --people 1000

Against the local Bot API stand-in (real time, no network): the floor is a bare
python-telegram-bot application (no handlers, no database) going through the same
initialize / start-polling / start steps. Lapkin is started three times on one SQLite
database: first (every menu must be set), again (nothing changed), and after the roles of
1 % of the people changed (only theirs are set). Each figure is the wall time until the bot
polls for updates, and how many setMyCommands calls it made for people's chats.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402
from telegram.ext import ApplicationBuilder  # noqa: E402

from bot.app import build_application, running  # noqa: E402
from bot.domain.roles import Role  # noqa: E402
from bot.orgfile import load_organisation  # noqa: E402
from bot.ratelimit import Pacing  # noqa: E402
from bot.services.organisation import import_organisation  # noqa: E402
from bot.settings import Settings  # noqa: E402
from handlers.menus import menu_digest  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Person, PersonRole  # noqa: E402
from tests.standin import BotApiStandin  # noqa: E402

TOKEN = "123456789:AAH-bench-token-for-the-local-standin"
EXAMPLE_ORG = ROOT / "examples" / "kpu-kota-bengkulu.yaml"


def _populate(db: Database, user_ids: list[int], *, menus_set: bool = False) -> None:
    """The example office plus a registered staf per Telegram user, inserted in bulk.

    ``menus_set``: as if an earlier start had already given everyone their command menu.
    """
    digest = menu_digest(frozenset({Role.STAF})) if menus_set else None
    now = datetime.now(UTC)
    import_organisation(db=db, spec=load_organisation(EXAMPLE_ORG), now=now)
    with db.session() as session:
        office_id = session.exec(Person.__table__.select()).first().office_id  # type: ignore[attr-defined]
        rows = [
            {
                "office_id": office_id,
                "nip": f"{n:018d}",
                "name": f"Pegawai {n}",
                "jabatan": "Staf",
                "telegram_user_id": user_id,
                "registered_at": now,
                "active": True,
                "menu_digest": digest,
            }
            for n, user_id in enumerate(user_ids)
        ]
        session.execute(insert(Person), rows)
        ids = session.exec(
            Person.__table__.select().where(Person.telegram_user_id.is_not(None))  # type: ignore[attr-defined]
        ).all()
        session.execute(insert(PersonRole), [{"person_id": row.id, "role": "staf"} for row in ids])
        session.commit()


def _promote(db: Database, share: float) -> int:
    """Make every 1/share-th bench person rendatin too; return how many."""
    with db.session() as session:
        ids = [
            row.id
            for row in session.exec(
                Person.__table__.select().where(Person.telegram_user_id.is_not(None))  # type: ignore[attr-defined]
            ).all()
        ]
        chosen = ids[:: int(1 / share)]
        session.execute(
            insert(PersonRole), [{"person_id": pid, "role": "rendatin"} for pid in chosen]
        )
        session.commit()
    return len(chosen)


def _menu_calls(standin: BotApiStandin) -> int:
    return sum(
        1
        for call in standin.calls("setMyCommands")
        if call.params.get("scope", {}).get("type") == "chat"
    )


async def _time_bare(standin: BotApiStandin) -> float:
    application: Any = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(standin.base_url)
        .base_file_url(standin.base_file_url)
        .build()
    )
    started = time.perf_counter()
    await application.initialize()
    await application.updater.start_polling(poll_interval=0.0, timeout=1)
    await application.start()
    seconds = time.perf_counter() - started
    await application.updater.stop()
    await application.stop()
    await application.shutdown()
    return seconds


async def _time_lapkin(standin: BotApiStandin, settings: Settings) -> tuple[float, float, int]:
    """Return seconds until the bot polls, until every menu is set, and how many were set."""
    before = _menu_calls(standin)
    application = build_application(settings, pacing=Pacing())
    started = time.perf_counter()
    async with running(application):
        seconds = time.perf_counter() - started
        menu_sync = application.bot_data.menu_sync
        assert menu_sync is not None
        await menu_sync
        menus_seconds = time.perf_counter() - started
    return seconds, menus_seconds, _menu_calls(standin) - before


Row = tuple[str, tuple[float, float, int]]  # label, (seconds to polling, to every menu, menus set)


async def measure(people: int) -> tuple[float, list[Row]]:
    """Return the bare PTB floor and one row per start: first, unchanged, some roles changed."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite3"
        upgrade(url)
        db = Database(url)
        async with BotApiStandin(token=TOKEN) as standin:
            _populate(db, [standin.user(f"P{n}").id for n in range(people)])
            settings = Settings(
                _env_file=None,  # type: ignore[call-arg]
                telegram_bot_token=TOKEN,  # type: ignore[arg-type]
                telegram_base_url=standin.base_url,
                telegram_base_file_url=standin.base_file_url,
                database_url=url,
                data_dir=Path(tmp) / "data",
                reminders_enabled=False,
                pdf_copies=False,
            )
            floor = min([await _time_bare(standin) for _ in range(3)])
            rows: list[Row] = [("bare PTB application", (floor, floor, 0))]
            rows.append(("Lapkin, first start", await _time_lapkin(standin, settings)))
            rows.append(("Lapkin, nothing changed", await _time_lapkin(standin, settings)))
            promoted = _promote(db, 0.01)
            label = f"Lapkin, {promoted} people's roles changed"
            rows.append((label, await _time_lapkin(standin, settings)))
        db.dispose()
    return floor, rows


async def main(people: int) -> None:
    floor, rows = await measure(people)
    print(
        f"| start-up with {people:,} registered people | seconds to polling | ratio to bare "
        "| seconds until every menu is set (beside the running bot) | menus set |"
    )
    print("|---|---:|---:|---:|---:|")
    for label, (seconds, menus_seconds, calls) in rows:
        print(
            f"| {label} | {seconds:.3f} | {seconds / floor:.1f} | {menus_seconds:.2f} | {calls} |"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=14_000)
    asyncio.run(main(parser.parse_args().people))
