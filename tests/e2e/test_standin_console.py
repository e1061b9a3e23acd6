"""The stand-in on its own, and its console for playing users by hand (README: trying Lapkin
without Telegram)."""

from __future__ import annotations

import asyncio
import socket
import sys

import aiohttp
import pytest

from bot.context import LapkinApplication
from storage.db import Database
from tests.conftest import ROOT
from tests.e2e.conftest import ADMIN_NIP, invite
from tests.standin import BotApiStandin
from tests.standin.console import Console

pytestmark = pytest.mark.e2e


async def test_the_console_registers_a_user_and_taps_the_bot_s_buttons(
    standin: BotApiStandin, office_db: Database, bot: LapkinApplication
) -> None:
    shown: list[str] = []
    console = Console(standin, shown.append)

    await console.handle(":user Fajar")
    await console.handle(f"/start {invite(office_db, ADMIN_NIP)}")
    await standin.wait_for_message(console.users["Fajar"], contains="Selamat datang")
    await console.handle("/siklus")
    await standin.wait_for_message(console.users["Fajar"], contains="periode apa")
    await console.handle(":tap Tahun 2026")
    await standin.wait_for_message(console.users["Fajar"], contains="Batas waktu")
    console.print_new_messages()

    printed = "\n".join(shown)
    assert "Pengguna baru Fajar" in printed and "Selamat datang, Fajar" in printed
    assert "[Tahun 2026]" in printed and "Batas waktu" in printed
    assert await console.handle(":quit") is False


async def test_python_m_tests_standin_serves_the_bot_api_until_quit() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.standin",
        "--port",
        str(port),
        cwd=ROOT,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdin is not None and process.stdout is not None
    settings = {}
    async with asyncio.timeout(30):
        while len(settings) < 4:
            line = (await process.stdout.readline()).decode().strip()
            name, equals, value = line.partition("=")
            if equals and name.isupper():
                settings[name] = value
    async with aiohttp.ClientSession() as session:
        url = f"{settings['TELEGRAM_BASE_URL']}{settings['TELEGRAM_BOT_TOKEN']}/getMe"
        async with session.get(url) as response:
            me = await response.json()
    process.stdin.write(b":quit\n")
    await process.stdin.drain()

    assert me["ok"] and me["result"]["username"] == settings["BOT_USERNAME"]
    assert await asyncio.wait_for(process.wait(), 30) == 0
