"""CPU per update and idle memory: Lapkin against a bare python-telegram-bot echo bot.

    .venv/bin/python bench/bench_update.py                 # 1,000 people, 300 updates
    .venv/bin/python bench/bench_update.py --people 1000 --updates 600

Both bots run as their own processes (``python -m bot run`` and bench/echo_bot.py) against
the same local Bot API stand-in, which runs here. Each gets the same updates: a text message
from a different registered person each time ("halo", which Lapkin answers with its hint for
unexpected text, the echo bot with the text), each 40 ms after the answer to the one before,
after 50 such updates that are not counted (the first ones pay one-time costs: SQL compiled
and cached, modules loaded). Figures:
the process's CPU time (user + system, from /proc) per update, its p95 answer latency, and its
resident memory once started and idle (VmRSS), with the database holding N registered people.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_startup import TOKEN, _populate  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from tests.standin import BotApiStandin, FakeUser  # noqa: E402

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# Below Telegram's 30 messages a second, so neither bot's rate limiter is what is measured.
PAUSE = 0.04
WARM_UP = 50


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _wait_polling(
    standin: BotApiStandin, process: asyncio.subprocess.Process, polls_before: int
) -> None:
    async with asyncio.timeout(120):
        while len(standin.calls("getUpdates")) <= polls_before:
            if process.returncode is not None:
                raise RuntimeError(f"the bot exited with {process.returncode}")
            await asyncio.sleep(0.05)
    await standin.wait_until_idle(quiet=1.0, timeout=120)


async def _ask(standin: BotApiStandin, users: list[FakeUser]) -> list[float]:
    """Send "halo" from each user in turn; return each answer's latency in ms."""
    latencies = []
    for user in users:
        before = len(standin.messages(user))
        started = time.perf_counter()
        await standin.send_text(user, "halo")
        await standin.wait_for_message(user, after=before, timeout=30)
        latencies.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(PAUSE)
    return latencies


async def _measure(
    standin: BotApiStandin, command: list[str], env: dict[str, str], users: list[FakeUser]
) -> dict[str, float]:
    polls_before = len(standin.calls("getUpdates"))
    process = await asyncio.create_subprocess_exec(
        *command, cwd=ROOT, env=env, stderr=asyncio.subprocess.DEVNULL
    )
    try:
        await _wait_polling(standin, process, polls_before)
        rss = _rss_mb(process.pid)
        # First updates pay one-time costs (SQL compiled and cached, lazy imports): not counted.
        await _ask(standin, users[:WARM_UP])
        await standin.wait_until_idle(quiet=0.5, timeout=60)
        cpu_before = _cpu_seconds(process.pid)
        latencies = await _ask(standin, users)
        await standin.wait_until_idle(quiet=0.5, timeout=60)
        cpu = _cpu_seconds(process.pid) - cpu_before
        busy_rss = _rss_mb(process.pid)
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 60)
    return {
        "cpu_ms": cpu / len(users) * 1000,
        "p95_ms": statistics.quantiles(latencies, n=20)[-1],
        "rss_mb": rss,
        "busy_rss_mb": busy_rss,
    }


async def measure(people: int, updates: int) -> tuple[dict[str, float], dict[str, float]]:
    """Return the echo bot's figures and Lapkin's, measured against one stand-in."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite3"
        upgrade(url)
        db = Database(url)
        async with BotApiStandin(token=TOKEN) as standin:
            users = [standin.user(f"P{n}") for n in range(people)]
            _populate(db, [user.id for user in users], menus_set=True)
            db.dispose()
            env = os.environ | {
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "TELEGRAM_BASE_URL": standin.base_url,
                "TELEGRAM_BASE_FILE_URL": standin.base_file_url,
                "DATABASE_URL": url,
                "DATA_DIR": f"{tmp}/data",
                "REMINDERS_ENABLED": "false",
                "PDF_COPIES": "false",
                "LOG_LEVEL": "WARNING",
            }
            # Different people each time: Telegram's one message a second per chat is not
            # what is measured here.
            asked = [users[n % people] for n in range(updates)]
            echo = await _measure(
                standin, [sys.executable, "bench/echo_bot.py", standin.base_url], env, asked
            )
            lapkin = await _measure(standin, [sys.executable, "-m", "bot", "run"], env, asked)
    return echo, lapkin


async def main(people: int, updates: int) -> None:
    echo, lapkin = await measure(people, updates)
    print(f"| {updates} updates, {people:,} people | echo bot | Lapkin | ratio |")
    print("|---|---:|---:|---:|")
    for key, label in (
        ("cpu_ms", "CPU ms per update"),
        ("p95_ms", "p95 answer latency, ms"),
        ("rss_mb", "idle RSS after start, MB"),
        ("busy_rss_mb", "RSS after the updates, MB"),
    ):
        print(f"| {label} | {echo[key]:.2f} | {lapkin[key]:.2f} | {lapkin[key] / echo[key]:.2f} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--updates", type=int, default=300)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.people, arguments.updates))
