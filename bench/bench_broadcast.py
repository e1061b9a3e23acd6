"""A broadcast at Telegram's limit: how close to the floor, how many 429s, how quick the replies.

    .venv/bin/python bench/bench_broadcast.py                 # 300 recipients, real time
    .venv/bin/python bench/bench_broadcast.py --recipients 1000
    .venv/bin/python bench/bench_broadcast.py --speed 10      # ten times faster, same ratios

The workload is the Nota Dinas morning: three messages to each of N recipients (the letter,
the .docx, the PDF) and three to the team, sent as the outbox dispatcher sends them (one
message at a time per chat, all chats at once, marked as queued), against the local Bot API
stand-in, whose sliding windows refuse what Telegram refuses (30 a second overall, one a second
per chat). The broadcast runs twice: alone, for its time against the floor (Telegram's:
messages / 30 per second), then while five people type, one message a second each, for their
replies' latency beside the same replies' latency with nothing else going on (their messages
share the 30 a second, so that run is slower by design). Two limiters run in the same process:
PTB's AIORateLimiter with a per-chat leaky bucket (what Lapkin used before) and
bot.ratelimit.TelegramRateLimiter. The old one cannot be sped up (it sleeps retry_after in
real seconds), so it runs only at --speed 1.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aiolimiter import AsyncLimiter  # noqa: E402
from telegram._utils.types import JSONDict  # noqa: E402
from telegram.ext import AIORateLimiter, BaseRateLimiter, ExtBot  # noqa: E402

from bot.ratelimit import Pacing, TelegramRateLimiter, queued_sends  # noqa: E402
from tests.standin import BotApiStandin  # noqa: E402

OVERALL_PER_SECOND = 30
MESSAGES_PER_RECIPIENT = 3
TEAM_MESSAGES = 3
TYPISTS = 5


class LeakyBucketLimiter(BaseRateLimiter[int]):
    """The limiter Lapkin had before: PTB's AIORateLimiter plus one leaky bucket per chat."""

    def __init__(self) -> None:
        self._inner = AIORateLimiter(max_retries=3)
        self._chats: dict[int, AsyncLimiter] = {}

    async def initialize(self) -> None:
        await self._inner.initialize()

    async def shutdown(self) -> None:
        await self._inner.shutdown()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        chat_id = data.get("chat_id")
        if endpoint.startswith("send") and isinstance(chat_id, int):
            limiter = self._chats.setdefault(chat_id, AsyncLimiter(1, 1.1))
            async with limiter:
                return await self._inner.process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
        return await self._inner.process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )


async def _typist(bot: ExtBot[Any], chat_id: int, stop: asyncio.Event, pause: float) -> list[float]:
    """Send a reply every ``pause`` seconds until ``stop``; return each one's latency in ms."""
    latencies = []
    while not stop.is_set():
        started = time.perf_counter()
        await bot.send_message(chat_id, "Nilai realisasi tersimpan.")
        latencies.append((time.perf_counter() - started) * 1000)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), pause)
    return latencies


async def _broadcast(bot: ExtBot[Any], chats: list[int]) -> None:
    async def one_chat(chat_id: int, count: int) -> None:
        for n in range(count):
            await bot.send_message(chat_id, f"Nota Dinas, bagian {n + 1}")

    with queued_sends():
        await asyncio.gather(
            *(one_chat(chat_id, MESSAGES_PER_RECIPIENT) for chat_id in chats[1:]),
            one_chat(chats[0], TEAM_MESSAGES),
        )


def _p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=20)[-1]


async def run(limiter_name: str, recipients: int, speed: float) -> dict[str, float]:
    """Broadcast once with one limiter; return the figures of the table row."""
    pacing = Pacing(speed=speed)
    limiter: BaseRateLimiter[int] = (
        LeakyBucketLimiter() if limiter_name == "before" else TelegramRateLimiter(pacing=pacing)
    )
    async with BotApiStandin(speed=speed) as standin:
        team = standin.user("Tim")
        people = [team.id] + [standin.user(f"P{n}").id for n in range(recipients)]
        typists = [standin.user(f"T{n}").id for n in range(TYPISTS)]
        bot: ExtBot[Any] = ExtBot(standin.token, base_url=standin.base_url, rate_limiter=limiter)
        await bot.initialize()
        try:
            started = time.perf_counter()
            await _broadcast(bot, people)
            seconds = time.perf_counter() - started

            idle_stop = asyncio.Event()
            idle = asyncio.gather(*(_typist(bot, t, idle_stop, 1 / speed) for t in typists))
            await asyncio.sleep(3 / speed)
            idle_stop.set()
            idle_latencies = [x for one in await idle for x in one]

            busy_stop = asyncio.Event()
            busy = asyncio.gather(*(_typist(bot, t, busy_stop, 1 / speed) for t in typists))
            await _broadcast(bot, people)
            busy_stop.set()
            busy_latencies = [x for one in await busy for x in one]
        finally:
            await bot.shutdown()
        refused = sum(1 for call in standin.calls() if call.status == 429)
    messages = recipients * MESSAGES_PER_RECIPIENT + TEAM_MESSAGES
    floor = pacing.seconds(messages / OVERALL_PER_SECOND)
    return {
        "messages": messages,
        "seconds": seconds,
        "floor": floor,
        "ratio": seconds / floor,
        "refused": refused,
        "idle_p95": _p95(idle_latencies),
        "busy_p95": _p95(busy_latencies),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recipients", type=int, default=300)
    parser.add_argument("--speed", type=float, default=1.0, help="Telegram's time, sped up")
    parser.add_argument("--only-new", action="store_true", help="skip the old limiter")
    args = parser.parse_args()
    names = ["after"] if args.only_new or args.speed != 1.0 else ["before", "after"]
    print(
        f"| limiter | messages | floor s | seconds | ratio | 429s (both runs) | reply p95 ms idle "
        f"| reply p95 ms in broadcast |  (speed {args.speed:g})"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name in names:
        row = asyncio.run(run(name, args.recipients, args.speed))
        label = "AIORateLimiter + per-chat bucket" if name == "before" else "TelegramRateLimiter"
        print(
            f"| {label} | {row['messages']:.0f} | {row['floor']:.1f} | {row['seconds']:.1f} "
            f"| {row['ratio']:.2f} | {row['refused']:.0f} | {row['idle_p95']:.0f} "
            f"| {row['busy_p95']:.0f} |"
        )


if __name__ == "__main__":
    main()
