"""A province's morning: every kabupaten/kota starts its annual cycle at once.

    .venv/bin/python bench/bench_province.py                  # 1 + 10 offices, real time
    .venv/bin/python bench/bench_province.py --children 10 --speed 10

The deployment holds a KPU Provinsi and N kabupaten/kota (about 25 people and 15 indicators
each: 3 units of 5 indicators, a Kasubbag and 7 staf per unit, a Sekretaris). Every child's
rendatin drafts and sends the Nota Dinas of Tahunan 2026 the same morning, through the
services as /siklus does; then the real outbox dispatcher, with Lapkin's rate limiter,
delivers everything to the local Bot API stand-in, whose sliding windows refuse what
Telegram refuses (30 messages a second per bot token, one a second per chat). Figures: the
time to queue the cycles, the time until the outbox is empty against the floor (messages /
30 per second) as a ratio, the 429s, the messages of the busiest chat (one a second: its
own floor), and the SQL statements /pantau makes for a province of
2 offices with 3 indicators per unit and for one of N offices with 5 (equal: constant).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlmodel import select  # noqa: E402
from telegram.ext import ExtBot  # noqa: E402

from bot.dispatcher import OutboxDispatcher  # noqa: E402
from bot.outage import DatabaseWatch  # noqa: E402
from bot.ratelimit import Pacing, TelegramRateLimiter  # noqa: E402
from bot.services import outbox, pantau  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.files import FileStore  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Person  # noqa: E402
from tests.province_data import import_province, parent_person, start_cycles  # noqa: E402
from tests.standin import BotApiStandin  # noqa: E402
from tests.statements import counting  # noqa: E402

OVERALL_PER_SECOND = 30
WIB = ZoneInfo("Asia/Jakarta")
MORNING = datetime(2026, 11, 23, 1, 30, tzinfo=UTC)  # Monday 08.30 WIB
DEADLINE = date(2026, 12, 4)
UNITS, PER_UNIT, STAFF_PER_UNIT = 3, 5, 7  # 15 indicators and 25 people per office


def _database(folder: Path, name: str) -> Database:
    url = f"sqlite:///{folder / name}.sqlite3"
    upgrade(url)
    return Database(url)


async def morning(children: int, speed: float, folder: Path) -> dict[str, float]:
    """Start every child's cycle, then deliver the outbox to the stand-in; return the figures."""
    pacing = Pacing(speed=speed)
    db = _database(folder, "morning")
    files = FileStore(folder / "files")
    import_province(
        db,
        children=children,
        units=UNITS,
        staff_per_unit=STAFF_PER_UNIT,
        per_unit=PER_UNIT,
        now=MORNING,
    )
    async with BotApiStandin(speed=speed) as standin:
        with db.session() as session:  # each person's account is a chat the stand-in knows
            people = list(session.exec(select(Person)))
            for person in people:
                person.telegram_user_id = standin.user(person.name[:30]).id
                session.add(person)
            session.commit()
        started = time.perf_counter()
        start_cycles(db, files, children=children, now=MORNING, tz=WIB, deadline=DEADLINE)
        queue_seconds = time.perf_counter() - started
        messages = outbox.backlog(db=db).pending
        per_chat = Counter(row.chat_id for row in outbox.messages(db=db))
        bot: ExtBot[Any] = ExtBot(
            standin.token,
            base_url=standin.base_url,
            rate_limiter=TelegramRateLimiter(pacing=pacing),
        )
        await bot.initialize()
        dispatcher = OutboxDispatcher(
            bot=bot,
            db=db,
            files=files,
            clock=lambda: datetime.now(UTC),
            pacing=pacing,
            admin_chat_id=None,
            poll_seconds=0.2,
            max_attempts=5,
            answer_timeout=30.0,
            watch=DatabaseWatch(db=db, admin_chat_id=None, tz=WIB),
        )
        started = time.perf_counter()
        await dispatcher.start()
        try:
            # The outbox lives in the database: there is no event to wait on, only its rows.
            while outbox.backlog(db=db).pending:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
            seconds = time.perf_counter() - started
        finally:
            await dispatcher.stop()
            await bot.shutdown()
        refused = sum(1 for call in standin.calls() if call.status == 429)
    db.dispose()
    floor = pacing.seconds(messages / OVERALL_PER_SECOND)
    return {
        "people": len(people),
        "messages": messages,
        "queue": queue_seconds,
        "seconds": seconds,
        "floor": floor,
        "ratio": seconds / floor,
        "refused": refused,
        "busiest": max(per_chat.values()),
    }


def pantau_statements(children: int, per_unit: int, folder: Path) -> int:
    """Count the statements /pantau makes for a province of ``children`` started cycles."""
    db = _database(folder, f"pantau-{children}-{per_unit}")
    import_province(db, children=children, units=UNITS, per_unit=per_unit, now=MORNING)
    start_cycles(
        db,
        FileStore(folder / f"files-{children}"),
        children=children,
        now=MORNING,
        tz=WIB,
        deadline=DEADLINE,
    )
    viewer = parent_person(db)
    with counting(db) as statements:
        pantau.pantau(db=db, actor=viewer, year=2026, now=MORNING, tz=WIB)
    db.dispose()
    return len(statements)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--children", type=int, default=10, help="kabupaten/kota offices")
    parser.add_argument("--speed", type=float, default=1.0, help="Telegram's time, sped up")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        row = asyncio.run(morning(args.children, args.speed, folder))
        small = pantau_statements(2, 3, folder)
        large = pantau_statements(args.children, PER_UNIT, folder)
    print(
        f"(speed {args.speed:g}: Telegram's seconds shown, the run took 1/{args.speed:g} of them)"
    )
    print(
        "| offices | people | messages | queued in s | delivered in s | floor s | ratio | 429s "
        "| busiest chat | /pantau statements (2 offices × 9 indicators / N × 15) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    print(
        f"| 1 + {args.children} | {row['people']:.0f} | {row['messages']:.0f} "
        f"| {row['queue']:.1f} | {row['seconds'] * args.speed:.1f} "
        f"| {row['floor'] * args.speed:.1f} | {row['ratio']:.2f} | {row['refused']:.0f} "
        f"| {row['busiest']:.0f} | {small} / {large} |"
    )


if __name__ == "__main__":
    main()
