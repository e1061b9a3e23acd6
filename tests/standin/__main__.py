"""Run the Bot API stand-in on its own and play users from the keyboard.

    python -m tests.standin --port 8081

It prints the four settings that point the bot at it; start the bot with them (in another
terminal: ``make run``), then type as a user. Nothing reaches Telegram.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from .console import HELP, Console
from .server import BotApiStandin

TOKEN = "123456789:AAH-local-standin-token-for-trying-lapkin"


async def _main(port: int, speed: float) -> None:
    standin = BotApiStandin(token=TOKEN, bot_username="lapkin_lokal_bot", speed=speed)
    await standin.start(port)
    base = standin.url
    print(
        "Stand-in Bot API berjalan. Pakai pengaturan ini untuk bot (di .env atau lingkungan):\n"
        f"  TELEGRAM_BOT_TOKEN={TOKEN}\n"
        f"  TELEGRAM_BASE_URL={base}/bot\n"
        f"  TELEGRAM_BASE_FILE_URL={base}/file/bot\n"
        "  BOT_USERNAME=lapkin_lokal_bot\n",
        flush=True,
    )
    print(HELP, flush=True)
    console = Console(standin, lambda text: print(text, flush=True))
    printer = asyncio.create_task(_print_forever(console))
    loop = asyncio.get_running_loop()
    try:
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line or not await console.handle(line):
                break
    finally:
        printer.cancel()
        await standin.stop()


async def _print_forever(console: Console) -> None:
    while True:
        console.print_new_messages()
        await asyncio.sleep(0.2)  # a person reading a terminal: five looks a second is plenty


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tests.standin", description="Bot API tiruan untuk mencoba Lapkin"
    )
    parser.add_argument("--port", type=int, default=8081, help="port di 127.0.0.1")
    parser.add_argument(
        "--speed", type=float, default=1.0, help="berapa kali lebih cepat dari batas Telegram"
    )
    args = parser.parse_args()
    asyncio.run(_main(args.port, args.speed))


if __name__ == "__main__":
    main()
