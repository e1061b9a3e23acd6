"""Webhook mode: the stand-in posts the updates to the bot, which answers /healthz beside them."""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest

from bot.app import build_application
from bot.context import LapkinApplication
from bot.services import outbox
from bot.settings import Settings
from bot.webhook import running_webhook
from storage.db import Database
from tests.dbproxy import proxied
from tests.e2e.conftest import STAF_NIP, TEST_PACING, register
from tests.e2e.steps import free_port
from tests.standin import BotApiStandin, FakeUser

pytestmark = pytest.mark.e2e

SECRET = "webhook-secret_for-the-tests"
PATH = "/lapkin/telegram"


@dataclass
class WebhookBot:
    """The bot running in webhook mode, and where it listens."""

    application: LapkinApplication
    root: str  # http://127.0.0.1:PORT

    async def get(self, path: str) -> tuple[int, Any]:
        """GET ``path`` from the bot's server; return the status and the JSON body."""
        async with aiohttp.ClientSession() as client, client.get(self.root + path) as response:
            return response.status, await response.json(content_type=None)


@pytest.fixture
async def webhook_bot(settings: Settings, office_db: Database) -> AsyncIterator[WebhookBot]:
    """Run the real bot in webhook mode against the stand-in."""
    async with _webhook_bot(settings) as running:
        yield running


@contextlib.asynccontextmanager
async def _webhook_bot(settings: Settings) -> AsyncIterator[WebhookBot]:
    port = free_port()
    application = build_application(
        settings, db=Database(settings.effective_database_url), pacing=TEST_PACING
    )
    url = f"http://127.0.0.1:{port}{PATH}"
    async with running_webhook(application, url=url, listen="127.0.0.1", port=port, secret=SECRET):
        yield WebhookBot(application, f"http://127.0.0.1:{port}")


def _forged_help_request(user: FakeUser) -> dict[str, Any]:
    """Return an update that looks like the user sending /bantuan."""
    return {
        "update_id": 900_000_001,
        "message": {
            "message_id": 9001,
            "date": int(time.time()),
            "chat": {"id": user.id, "type": "private", "first_name": user.first_name},
            "from": user.to_dict(),
            "text": "/bantuan",
            "entities": [{"type": "bot_command", "offset": 0, "length": 8}],
        },
    }


async def test_registration_and_a_command_go_through_the_webhook(
    standin: BotApiStandin, office_db: Database, webhook_bot: WebhookBot
) -> None:
    dedi = await register(standin, office_db, STAF_NIP, "Dedi")
    before = len(standin.messages(dedi))
    await standin.send_text(dedi, "/bantuan")
    answer = await standin.wait_for_message(dedi, after=before)

    assert "Perintah yang dapat Anda gunakan" in answer.body and "/isi" in answer.body
    webhook = standin.webhook
    assert webhook is not None
    assert webhook["url"] == f"{webhook_bot.root}{PATH}" and webhook["secret_token"] == SECRET
    # One connection keeps a person's updates in Telegram's order (bot.update_order).
    assert webhook["max_connections"] == 1
    assert standin.calls("getUpdates") == []
    deliveries = standin.webhook_deliveries
    assert len(deliveries) == 2 and all(d.status == 200 for d in deliveries)


async def test_a_request_without_telegrams_secret_is_refused(
    standin: BotApiStandin, office_db: Database, webhook_bot: WebhookBot
) -> None:
    dedi = await register(standin, office_db, STAF_NIP, "Dedi")
    before = len(standin.messages(dedi))
    forged = _forged_help_request(dedi)

    assert await standin.post_to_webhook(forged, secret=None) == 403
    assert await standin.post_to_webhook(forged, secret="guessed") == 403
    assert await standin.post_to_webhook(forged, secret=SECRET[:-1]) == 403
    assert await standin.post_to_webhook({"not": "an update"}, secret=SECRET) == 400
    await standin.wait_until_idle()
    assert len(standin.messages(dedi)) == before, standin.transcript(dedi)

    # The same request with the secret is one the bot acts on: the refusals were the secret's.
    assert await standin.post_to_webhook(forged, secret=SECRET) == 200
    answer = await standin.wait_for_message(dedi, after=before)
    assert "Perintah yang dapat Anda gunakan" in answer.body


async def test_healthz_reports_the_database_the_dispatcher_and_the_backlog(
    standin: BotApiStandin, office_db: Database, webhook_bot: WebhookBot
) -> None:
    status, body = await webhook_bot.get("/healthz")
    assert (status, body) == (
        200,
        {
            "status": "ok",
            "database": {"ok": True},
            "dispatcher": {"alive": True},
            "outbox": {"pending": 0, "oldest_seconds": None},
        },
    )

    await webhook_bot.application.bot_data.services.dispatcher.stop()
    with office_db.session() as session:
        outbox.enqueue(session, chat_id=standin.user("Budi").id, now=datetime.now(UTC), text="x")
        session.commit()
    status, body = await webhook_bot.get("/healthz")

    assert status == 503 and body["status"] == "unavailable"
    assert body["dispatcher"] == {"alive": False} and body["database"] == {"ok": True}
    assert body["outbox"]["pending"] == 1 and body["outbox"]["oldest_seconds"] >= 0


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_healthz_answers_503_while_the_database_is_unreachable(
    standin: BotApiStandin, office_db: Database, settings: Settings
) -> None:
    assert settings.database_url is not None
    with proxied(settings.database_url) as proxy:
        through_proxy = settings.model_copy(update={"database_url": proxy.url})
        async with _webhook_bot(through_proxy) as bot:
            assert (await bot.get("/healthz"))[0] == 200
            proxy.cut()
            status, body = await bot.get("/healthz")
            assert (status, body["database"], body["outbox"]["pending"]) == (
                503,
                {"ok": False},
                None,
            )
            proxy.restore()
            status, body = await bot.get("/healthz")
            assert (status, body["status"]) == (200, "ok")
