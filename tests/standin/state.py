"""The stand-in's state: its users, chats, messages, files, updates and faults, and the
signal that wakes whoever waits for a change. The other parts build on it in layers: the Bot
API (api.py), faults over it (faults.py), HTTP over both (transport.py), and the user driver
on top (driver.py)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiohttp import ClientSession, web

from .model import (
    ApiCall,
    CallbackAnswer,
    FakeChat,
    FakeUser,
    Fault,
    Handler,
    JSONDict,
    RandomFaults,
    SentMessage,
    StoredFile,
    WebhookDelivery,
)

# Update types delivered when allowed_updates is unset or empty (as documented by Telegram).
DEFAULT_UPDATE_TYPES = frozenset(
    {
        "message", "edited_message", "channel_post", "edited_channel_post", "inline_query",
        "chosen_inline_result", "callback_query", "shipping_query", "pre_checkout_query",
        "poll", "poll_answer", "my_chat_member", "chat_join_request", "business_connection",
        "business_message", "edited_business_message", "deleted_business_messages",
        "purchased_paid_media", "removed_chat_boost", "chat_boost",
    }
)  # fmt: skip


class StandinState:
    """Everything the stand-in knows, kept in one event loop (see server.py)."""

    def __init__(
        self,
        *,
        token: str = "123456:TEST-TOKEN",
        bot_username: str = "lapkin_test_bot",
        chat_rate_limit: tuple[int, float] = (1, 1.0),
        global_rate_limit: tuple[int, float] = (30, 1.0),
        bot_first_name: str = "Lapkin",
        group_privacy: bool = True,
        speed: float = 1.0,
        local_dir: Path | None = None,
    ) -> None:
        """Configure the stand-in; nothing listens until :meth:`start`.

        ``speed`` runs the rate-limit windows that much faster than Telegram (the bot under
        test gets the same :class:`bot.ratelimit.Pacing`); retry_after stays whole seconds of
        Telegram's time, as the real API gives it.

        ``group_privacy`` mirrors a bot's privacy mode (Telegram's default): in groups the bot
        only receives commands (unaddressed or addressed to it) and replies to its messages.

        ``local_dir`` makes it answer as a telegram-bot-api server started with ``--local``
        and ``--dir=local_dir``: getFile writes the file there and answers with its absolute
        path (the bot reads it from disk, nothing is downloaded), up to 2000 MB.
        """
        self.token = token
        self.local_dir = local_dir
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.chat_rate_limit = (chat_rate_limit[0], chat_rate_limit[1] / speed)
        self.global_rate_limit = (global_rate_limit[0], global_rate_limit[1] / speed)
        self.speed = speed
        self.group_privacy = group_privacy
        self.internal_errors: list[str] = []  # tracebacks of stand-in bugs (answered with 500)
        self.profile: dict[str, str] = {}  # setMyDescription / setMyShortDescription / setMyName

        self._url: str | None = None
        self._runner: web.AppRunner | None = None
        self._closing = asyncio.Event()
        self._changed = asyncio.Event()

        self._users: dict[int, FakeUser] = {}
        self._chats: dict[int, FakeChat] = {}
        self._next_user_id = 700_000_001
        self._next_group_id = -1_001_000_000_001
        self._next_basic_group_id = -4_000_000_001
        self._message_seq: dict[int, int] = {}
        self._transcripts: dict[int, list[SentMessage]] = {}
        self._bot_messages: dict[tuple[int, int], SentMessage] = {}
        self._user_messages: dict[tuple[int, int], JSONDict] = {}
        self._reply_keyboards: dict[int, JSONDict] = {}
        self._chat_actions: dict[int, list[str]] = {}

        self._updates: list[JSONDict] = []
        self._update_seq = 500_000_000
        self._delivered_upto = 0
        self._poll_generation = 0
        self._ever_polled = False
        self._allowed_updates: frozenset[str] = DEFAULT_UPDATE_TYPES
        self._webhook: JSONDict | None = None
        # Webhook delivery: a generation per setWebhook (workers of an older one stop), the
        # updates being posted, and when a failed one may go again (loop time).
        self._webhook_generation = 0
        self._webhook_inflight: set[int] = set()
        self._webhook_retry_at: dict[int, float] = {}
        self._webhook_tasks: list[asyncio.Task[None]] = []
        self._webhook_client: ClientSession | None = None
        self._webhook_last_error: tuple[int, str] | None = None
        self.webhook_deliveries: list[WebhookDelivery] = []  # every POST to the webhook

        self._queries: dict[str, int] = {}  # unanswered callback query id -> user id
        self._query_seq = 0
        self._last_query: dict[int, str] = {}
        self._answers: dict[str, CallbackAnswer] = {}
        self._chat_instances: dict[int, str] = {}

        self._files: dict[str, StoredFile] = {}
        self._files_by_path: dict[str, StoredFile] = {}
        self._file_seq = 0

        self._commands: dict[tuple[tuple[Any, ...], str], list[JSONDict]] = {}
        self._calls: list[ApiCall] = []
        self._faults: list[Fault] = []
        self._random_faults: RandomFaults | None = None
        self._blocked: set[int] = set()
        self._removed_from: set[int] = set()  # groups the bot was removed from
        self._migrated: dict[int, int] = {}  # a basic group's id -> its supergroup's id
        self._chat_sends: dict[int, deque[float]] = {}
        self._global_sends: deque[float] = deque()

        self._inflight = 0  # requests other than getUpdates being handled
        self._last_activity = time.monotonic()

        self._handlers: dict[str, Handler] = self._method_table()
        self._method_names = {name.lower(): name for name in self._handlers}

    def _method_table(self) -> dict[str, Handler]:
        """Return the Bot API methods by name (the transport routes requests with it)."""
        raise NotImplementedError

    def _start_webhook_delivery(self, connections: int) -> None:
        """Start posting updates to the webhook (the transport does)."""
        raise NotImplementedError

    def _touch(self) -> None:
        self._last_activity = time.monotonic()

    def _notify(self) -> None:
        """Wake every waiter; they re-check their condition (no lost wake-ups: single loop)."""
        event, self._changed = self._changed, asyncio.Event()
        event.set()

    async def _wait_changed(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), seconds)

    async def _wait_until(self, predicate: Callable[[], bool], seconds: float) -> bool:
        """Wait until ``predicate()`` holds or ``seconds`` pass; return its last value."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            await self._wait_changed(remaining)
        return True
