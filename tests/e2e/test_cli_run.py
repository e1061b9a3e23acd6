"""``python -m bot run`` as an operator starts it: webhook mode, the health port, one instance."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import stat
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import aiohttp
import pytest

from tests.cli_process import clean_env, run_cli
from tests.conftest import ROOT
from tests.e2e.conftest import TOKEN
from tests.e2e.steps import free_port
from tests.standin import BotApiStandin

pytestmark = pytest.mark.e2e


def _env(standin: BotApiStandin, database_url: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    return clean_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_BASE_URL=standin.base_url,
        TELEGRAM_BASE_FILE_URL=standin.base_file_url,
        DATABASE_URL=database_url,
        DATA_DIR=str(tmp_path / "data"),
        REMINDERS_ENABLED="false",
        PDF_COPIES="false",
        **extra,
    )


@contextlib.asynccontextmanager
async def _running(env: dict[str, str], *args: str) -> AsyncIterator[asyncio.subprocess.Process]:
    """Run ``python -m bot run ARGS``; stop it with SIGTERM at the end of the block."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        *args,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), 30)


async def _until(condition: Callable[[], bool], process: asyncio.subprocess.Process) -> None:
    """Wait until ``condition()`` holds; fail at once if the process ends first."""
    async with asyncio.timeout(30):
        while not condition():
            if process.returncode is not None:
                _, err = await process.communicate()
                raise AssertionError(f"the bot ended with {process.returncode}: {err.decode()}")
            await asyncio.sleep(0.02)


async def _get(url: str) -> tuple[int, dict[str, object]]:
    async with aiohttp.ClientSession() as client, client.get(url) as response:
        return response.status, await response.json(content_type=None)


async def test_run_with_a_webhook_remembers_its_secret_and_answers_healthz(
    standin: BotApiStandin, office_db: object, database_url: str, tmp_path: Path
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/lapkin/telegram"
    env = _env(standin, database_url, tmp_path)
    secret_file = tmp_path / "data" / "webhook-secret"

    async with _running(env, "--webhook", url, "--port", str(port)) as bot:
        await _until(lambda: standin.webhook is not None, bot)
        assert standin.webhook is not None and standin.webhook["url"] == url
        secret = standin.webhook["secret_token"]
        status, body = await _get(f"http://127.0.0.1:{port}/healthz")
        assert (status, body["status"]) == (200, "ok")
        assert await standin.post_to_webhook({"update_id": 1}, secret="guessed") == 403
        alice = standin.user("Alice")
        await standin.send_text(alice, "/start")
        await standin.wait_for_message(alice, contains="undangan")
    _, err = await bot.communicate()

    assert bot.returncode == 0, err.decode()
    assert secret_file.read_text().strip() == secret and len(secret) >= 40
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert secret not in err.decode() and "Traceback" not in err.decode()

    standin.webhook_deliveries.clear()
    async with _running(env, "--webhook", url, "--port", str(port)) as bot:
        await _until(lambda: standin.calls("setWebhook")[1:] != [], bot)
    assert standin.calls("setWebhook")[-1].params["secret_token"] == secret  # the same again


async def test_polling_answers_healthz_on_the_health_port(
    standin: BotApiStandin, office_db: object, database_url: str, tmp_path: Path
) -> None:
    port = free_port()
    env = _env(standin, database_url, tmp_path, HEALTH_PORT=str(port))

    async with _running(env) as bot:
        await _until(lambda: standin.calls("getUpdates") != [], bot)
        status, body = await _get(f"http://127.0.0.1:{port}/healthz")
    await bot.communicate()

    assert (status, body["database"], body["dispatcher"]) == (200, {"ok": True}, {"alive": True})
    assert bot.returncode == 0


async def test_a_second_run_is_refused_until_the_first_is_killed(
    standin: BotApiStandin, office_db: object, database_url: str, tmp_path: Path
) -> None:
    env = _env(standin, database_url, tmp_path)

    async with _running(env) as first:
        await _until(lambda: standin.calls("getUpdates") != [], first)
        # Another copy, even with a data directory of its own: the lock is the database's.
        other_env = {**env, "DATA_DIR": str(tmp_path / "other-data")}
        code, out, err = await run_cli(other_env, "run")
        assert (code, out) == (1, "")
        assert err.count("\n") == 1 and "Lapkin sudah berjalan untuk basis data ini" in err
        assert len(standin.calls("getMe")) == 1  # the refused copy never reached Telegram

        first.send_signal(signal.SIGKILL)  # no clean-up of any kind
        await first.wait()
        async with _running(env) as after_the_kill:
            await _until(lambda: len(standin.calls("getMe")) == 2, after_the_kill)
            await _until(
                lambda: standin.calls("getUpdates")[-1].at > standin.calls("getMe")[-1].at,
                after_the_kill,
            )
        _, err = await after_the_kill.communicate()
    assert after_the_kill.returncode == 0, err.decode()
