"""The bot's own HTTP server: Telegram's webhook and ``GET /healthz``, on tornado.

PTB's built-in webhook server serves the webhook path only; its maintainers recommend a
custom webhook set-up for anything more (python-telegram-bot issue #1438). This is that set-up,
on tornado, which python-telegram-bot[webhooks] already brings: the webhook handler does what
PTB's does (check the secret, decode the update, put it in the application's update queue),
and the same server answers the health check.
"""

from __future__ import annotations

import hmac
import json
import logging
import socket
from http import HTTPStatus
from typing import Any

import tornado.web
from telegram import Update
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from bot import health
from bot.context import LapkinApplication, Services

log = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram's updates are small (a text is at most 4096 characters, files come as ids); a
# bigger body is not Telegram's.
MAX_BODY_BYTES = 1024 * 1024

Route = tuple[str, type[tornado.web.RequestHandler], dict[str, Any]]


class _TelegramUpdates(tornado.web.RequestHandler):
    """Takes one update from Telegram and queues it for the application."""

    SUPPORTED_METHODS = ("POST",)

    def initialize(self, bot_application: LapkinApplication, secret: str) -> None:
        """Receive the bot and the secret (tornado's way of passing arguments)."""
        # (tornado's own ``application`` is its web application, hence the other name)
        self._application = bot_application
        self._secret = secret

    async def post(self) -> None:
        """Queue the update when the request carries the secret; refuse it otherwise."""
        given = self.request.headers.get(SECRET_HEADER, "")
        # Compared in constant time: the time taken must not tell how much of a guess is right.
        if not hmac.compare_digest(given.encode(), self._secret.encode()):
            log.warning(
                "webhook: refused a request without the secret from %s", self.request.remote_ip
            )
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        try:
            update = Update.de_json(json.loads(self.request.body), self._application.bot)
        except (ValueError, TypeError, KeyError, AttributeError):
            log.warning("webhook: a request with the secret but no update in it was refused")
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST) from None
        self._application.bot.insert_callback_data(update)
        await self._application.update_queue.put(update)


class _Health(tornado.web.RequestHandler):
    """Answers the health check as JSON, with 200 or 503."""

    SUPPORTED_METHODS = ("GET",)

    def initialize(self, services: Services) -> None:
        """Receive the services (tornado's way of passing arguments)."""
        self._services = services

    async def get(self) -> None:
        """Check the database, the dispatcher and the outbox backlog."""
        services = self._services
        result = await health.check(
            db=services.db,
            dispatcher=services.dispatcher,
            watch=services.watch,
            clock=services.clock,
        )
        self.set_status(result.http_status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(result.as_json()))


def webhook_route(application: LapkinApplication, *, path: str, secret: str) -> Route:
    """Route Telegram's POSTs at ``path`` to the application."""
    return (path, _TelegramUpdates, {"bot_application": application, "secret": secret})


def health_route(services: Services) -> Route:
    """Route ``GET /healthz`` to the health check."""
    return (HEALTH_PATH, _Health, {"services": services})


def _no_access_log(handler: tornado.web.RequestHandler) -> None:
    """Log nothing per request: a monitor asking every few seconds would fill the log."""


class WebServer:
    """A tornado HTTP server on the bot's event loop.

    ``bind`` takes the port at once (a port in use fails before anything else starts);
    ``start`` serves on it from the running event loop.
    """

    def __init__(self, routes: list[Route]) -> None:
        app = tornado.web.Application(routes, log_function=_no_access_log)
        # xheaders: behind nginx, the address logged is the client's, not the proxy's.
        self._server = HTTPServer(app, xheaders=True, max_body_size=MAX_BODY_BYTES)
        self._sockets: list[socket.socket] = []
        self._serving = False

    def bind(self, *, listen: str, port: int) -> int:
        """Take ``listen``:``port`` (0: any free port); return the port."""
        self._sockets = bind_sockets(port, address=listen)
        return int(self._sockets[0].getsockname()[1])

    async def start(self) -> None:
        """Serve on the bound port."""
        self._server.add_sockets(self._sockets)
        self._serving = True

    async def stop(self) -> None:
        """Stop listening and close the open connections."""
        if self._serving:
            self._serving = False
            self._server.stop()
            await self._server.close_all_connections()
        else:
            for sock in self._sockets:
                sock.close()
        self._sockets = []


def serve_health_beside(application: LapkinApplication, *, listen: str, port: int) -> None:
    """Answer ``/healthz`` on ``listen``:``port`` while ``application.run_polling()`` runs.

    The port is taken now; run_polling offers no hook after start, so the server starts after
    the application's own post_init and stops before its own post_stop (while the services it
    checks still exist).
    """
    server = WebServer([health_route(application.bot_data.services)])
    server.bind(listen=listen, port=port)
    after_init = application.post_init
    before_stop = application.post_stop

    async def post_init(app: LapkinApplication) -> None:
        if after_init is not None:
            await after_init(app)
        await server.start()
        log.info("health check on http://%s:%d%s", listen, port, HEALTH_PATH)

    async def post_stop(app: LapkinApplication) -> None:
        await server.stop()
        if before_stop is not None:
            await before_stop(app)

    application.post_init = post_init
    application.post_stop = post_stop
