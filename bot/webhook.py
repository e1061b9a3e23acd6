"""Webhook mode: Telegram posts each update to the bot's HTTPS address instead of being polled.

TLS is a reverse proxy's job (nginx or Caddy, see the README); the bot listens on plain
HTTP, by default on 127.0.0.1 only, and refuses any request without the secret token that
Telegram sends with each update. The same server answers ``GET /healthz``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import signal
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

from telegram import Update
from telegram.error import BadRequest

from bot.context import LapkinApplication
from bot.settings import WEBHOOK_SECRET_PATTERN, Settings
from bot.startup import CannotStart
from bot.webserver import HEALTH_PATH, WebServer, health_route, webhook_route

log = logging.getLogger(__name__)

SECRET_FILE = "webhook-secret"
# Telegram's connections to the webhook at once. One keeps updates in the order Telegram
# sent them (bot.update_order relies on arrival order); the handler only queues the update,
# so one connection still takes many updates a second.
MAX_CONNECTIONS = 1


class WebhookProblem(CannotStart):
    """The webhook cannot start as asked; the message says why, in one line."""


def webhook_secret(settings: Settings) -> str:
    """Return WEBHOOK_SECRET, or the secret generated once and kept under DATA_DIR.

    Generated rather than derived from the token, so that it can be changed on its own:
    delete the file (or set WEBHOOK_SECRET) and restart, and Telegram gets the new one.
    """
    if settings.webhook_secret is not None:
        return settings.webhook_secret.get_secret_value()
    path = settings.data_dir / SECRET_FILE
    try:
        kept = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        kept = ""
    if WEBHOOK_SECRET_PATTERN.match(kept):
        return kept
    secret = secrets.token_urlsafe(32)  # 256 random bits in A-Z a-z 0-9 _ -, as Telegram wants
    _write_private(path, secret)
    log.info("generated the webhook secret in %s", path)
    return secret


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` readable by the bot's user only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(text + "\n")


def webhook_path(url: str) -> str:
    """Return the path Telegram posts to: the path of the webhook URL."""
    parts = urlsplit(url)
    if parts.scheme not in {"https", "http"} or not parts.netloc:
        raise WebhookProblem(
            f"--webhook {url} bukan alamat web; contoh: https://bot.kantor.go.id/lapkin/telegram"
        )
    path = parts.path.rstrip("/") or "/"
    if path == HEALTH_PATH:
        raise WebhookProblem(
            f"--webhook tidak boleh berakhir dengan {HEALTH_PATH}; pilih jalur lain"
        )
    return path


@contextlib.asynccontextmanager
async def running_webhook(
    application: LapkinApplication, *, url: str, listen: str, port: int, secret: str
) -> AsyncIterator[int]:
    """Run the bot with a webhook at ``url`` inside the caller's event loop; give the port.

    The steps and their order are those of PTB's ``run_webhook`` (and bot.app.running):
    initialize, post_init, updates in, start ... stop updates, stop, post_stop, shutdown,
    post_shutdown. The port is taken before Telegram is told the address.
    """
    server = WebServer(
        [
            webhook_route(application, path=webhook_path(url), secret=secret),
            health_route(application.bot_data.services),
        ]
    )
    try:
        bound = server.bind(listen=listen, port=port)
    except OSError as exc:
        raise WebhookProblem(
            f"Tidak dapat mendengarkan di {listen}:{port} ({exc.strerror}); "
            "pilih --port lain atau hentikan program yang memakainya"
        ) from None
    initialized = False
    try:
        await application.initialize()
        if application.post_init:
            await application.post_init(application)
        initialized = True
        await server.start()
        try:
            await application.bot.set_webhook(
                url=url,
                secret_token=secret,
                allowed_updates=Update.ALL_TYPES,
                max_connections=MAX_CONNECTIONS,
            )
        except BadRequest as exc:
            raise WebhookProblem(f"Telegram menolak webhook {url}: {exc.message}") from None
        await application.start()
        log.info("webhook %s, listening on %s:%d (health: %s)", url, listen, bound, HEALTH_PATH)
        yield bound
    finally:
        await server.stop()
        if application.running:
            await application.stop()
        if initialized and application.post_stop:
            await application.post_stop(application)
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)


def run_webhook(
    application: LapkinApplication, *, url: str, listen: str, port: int, secret: str
) -> None:
    """Run the bot with a webhook until SIGINT or SIGTERM (as ``run_polling`` runs until them)."""

    async def serve() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        async with running_webhook(application, url=url, listen=listen, port=port, secret=secret):
            await stop.wait()
        log.info("stopped")

    asyncio.run(serve())
