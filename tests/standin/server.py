"""A local stand-in for Telegram's Bot API that the real bot reaches over HTTP.

The server runs in the test's event loop. The bot under test talks to it through PTB's
``base_url``/``base_file_url``; the test plays users (``send_text``, ``tap`` ...) and reads what
they see (``messages``, ``wait_for_message`` ...). All state changes happen synchronously
inside one event loop, so a handler that does not ``await`` between its checks and its writes
is atomic even when the bot fires several requests at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import mimetypes
import random
import re
import time
import traceback
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from aiohttp import BodyPartReader, ClientError, ClientSession, ClientTimeout, web

from .markup import command_entities, image_size, render
from .model import (
    ApiCall,
    ApiError,
    CallbackAnswer,
    FakeChat,
    FakeUser,
    JSONDict,
    SentMessage,
    StoredFile,
    WebhookDelivery,
    bad_request,
)

_LOG = logging.getLogger(__name__)

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_DOWNLOAD_SIZE = 20 * 1024 * 1024  # getFile refuses bigger files
LOCAL_MAX_DOWNLOAD_SIZE = 2000 * 1024 * 1024  # ...unless the server runs with --local
MAX_UPLOAD_SIZE = 50 * 1024 * 1024  # bots may upload up to 50 MB

SEND_METHODS = frozenset({"sendMessage", "sendDocument", "sendPhoto", "sendMediaGroup"})
EDIT_METHODS = frozenset({"editMessageText", "editMessageCaption", "editMessageReplyMarkup"})
# Methods refused with 403 once the user blocked the bot.
CHAT_WRITE_METHODS = SEND_METHODS | EDIT_METHODS | {"sendChatAction"}
FAULT_KINDS = frozenset({"429", "500", "502", "timeout", "forbidden", "slow"})
CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
        "upload_document", "choose_sticker", "find_location", "record_video_note",
        "upload_video_note",
    }
)  # fmt: skip
INLINE_BUTTON_ACTIONS = (
    "callback_data", "url", "login_url", "switch_inline_query",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
    "callback_game", "pay", "web_app",
)  # fmt: skip
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
# Form fields that Telegram reads as strings even when they look like JSON ("123", "true").
_STRING_FIELDS = frozenset(
    {
        "text", "caption", "parse_mode", "callback_query_id", "inline_message_id", "description",
        "short_description", "name", "language_code", "action", "url", "secret_token",
        "ip_address", "file_id", "document", "photo", "video", "audio", "voice", "animation",
        "thumbnail", "business_connection_id", "message_effect_id", "emoji", "title",
    }
)  # fmt: skip
_BAD_GATEWAY_HTML = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n"
    "</body>\r\n</html>\r\n"
)
# What Telegram accepts as setWebhook's secret_token.
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# How long Telegram waits for the webhook to answer, and how long before it tries an update
# again after a failed delivery (both in Telegram's time: divided by ``speed``).
WEBHOOK_TIMEOUT = 60.0
WEBHOOK_RETRY_SECONDS = 2.0
_QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)

ChatRef = FakeChat | FakeUser | int
Handler = Callable[[JSONDict, "dict[str, Upload]"], Awaitable[Any]]


@dataclass
class Upload:
    """A file part of a multipart request."""

    filename: str | None
    content_type: str | None
    data: bytes


@dataclass
class _Fault:
    method: str | None  # canonical method name; None = any of SEND_METHODS
    kind: str
    remaining: int
    retry_after: int
    delay: float
    chat_id: int | None


@dataclass
class _RandomFaults:
    """Faults drawn at random for :meth:`BotApiStandin.fail_at_random`."""

    rate: float
    kinds: tuple[str, ...]
    methods: frozenset[str] | None  # canonical names; None = every method but the exempt ones
    retry_after: int
    delay: float
    rng: random.Random


# Never failed at random: the bot's start-up (getMe) and its polling (getUpdates), which
# python-telegram-bot retries on its own, outside any test's view.
RANDOM_FAULT_EXEMPT = frozenset({"getMe", "getUpdates"})


class BotApiStandin:
    """Serve a Telegram-like Bot API on 127.0.0.1 and simulate the users the bot talks to."""

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
        self._faults: list[_Fault] = []
        self._random_faults: _RandomFaults | None = None
        self._blocked: set[int] = set()
        self._removed_from: set[int] = set()  # groups the bot was removed from
        self._migrated: dict[int, int] = {}  # a basic group's id -> its supergroup's id
        self._chat_sends: dict[int, deque[float]] = {}
        self._global_sends: deque[float] = deque()

        self._inflight = 0  # requests other than getUpdates being handled
        self._last_activity = time.monotonic()

        self._handlers: dict[str, Handler] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "logOut": self._return_true,
            "close": self._return_true,
            "sendMessage": self._send_message,
            "sendDocument": self._send_document,
            "sendPhoto": self._send_photo,
            "sendMediaGroup": self._send_media_group,
            "getFile": self._get_file,
            "editMessageText": self._edit_message_text,
            "editMessageCaption": self._edit_message_caption,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "deleteMessages": self._delete_messages,
            "answerCallbackQuery": self._answer_callback_query,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "sendChatAction": self._send_chat_action,
            "getChat": self._get_chat,
            "getChatMember": self._get_chat_member,
            "setMyDescription": self._profile_setter("description", 512),
            "getMyDescription": self._profile_getter("description"),
            "setMyShortDescription": self._profile_setter("short_description", 120),
            "getMyShortDescription": self._profile_getter("short_description"),
            "setMyName": self._profile_setter("name", 64),
            "getMyName": self._profile_getter("name"),
        }
        self._method_names = {name.lower(): name for name in self._handlers}

    # ------------------------------------------------------------------ lifecycle

    async def start(self, port: int = 0) -> None:
        """Bind 127.0.0.1 on ``port`` (a free one by default) and start serving."""
        app = web.Application(client_max_size=MAX_UPLOAD_SIZE + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_route("GET", "/file/bot{token}/{file_path:.+}", self._handle_file)
        # handler_cancellation: a client that hangs up (read timeout) cancels its handler, so
        # an injected "timeout" never completes behind the bot's back.
        runner = web.AppRunner(
            app,
            access_log=None,
            handle_signals=False,
            shutdown_timeout=2.0,
            handler_cancellation=True,
        )
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", port)
        await site.start()
        host, port = runner.addresses[0][:2]
        self._runner = runner
        self._url = f"http://{host}:{port}"

    async def stop(self) -> None:
        """Release held requests (long polls, injected timeouts) and shut the server down."""
        self._closing.set()
        self._notify()
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()
        for task in self._webhook_tasks:
            task.cancel()
        await asyncio.gather(*self._webhook_tasks, return_exceptions=True)
        self._webhook_tasks.clear()
        if self._webhook_client is not None:
            client, self._webhook_client = self._webhook_client, None
            await client.close()

    async def __aenter__(self) -> BotApiStandin:
        """Start the server for an ``async with`` block."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the server at the end of an ``async with`` block."""
        await self.stop()

    @property
    def url(self) -> str:
        """Return the server root, e.g. ``http://127.0.0.1:PORT``."""
        if self._url is None:
            raise RuntimeError("BotApiStandin.start() has not been awaited")
        return self._url

    @property
    def base_url(self) -> str:
        """Return what PTB's ``base_url`` must be (PTB appends the token)."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """Return what PTB's ``base_file_url`` must be (PTB appends the token)."""
        return f"{self.url}/file/bot"

    # ------------------------------------------------------------------ cast

    def user(
        self,
        first_name: str,
        *,
        username: str | None = None,
        last_name: str | None = None,
        language_code: str | None = None,
    ) -> FakeUser:
        """Create a user with a fresh id; its private chat (same id) is known from now on."""
        user = FakeUser(
            id=self._next_user_id,
            first_name=first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
        )
        self._next_user_id += 1
        self._users[user.id] = user
        self._chats[user.id] = FakeChat(id=user.id, type="private", user=user)
        return user

    def group(self, title: str, *members: FakeUser, supergroup: bool = True) -> FakeChat:
        """Create a group with the bot and ``members`` in it.

        A supergroup (id -100...) by default; ``supergroup=False`` makes a basic group (a
        short negative id), which :meth:`upgrade_group` can turn into a supergroup.
        """
        if supergroup:
            chat_id, self._next_group_id = self._next_group_id, self._next_group_id - 1
        else:
            chat_id, self._next_basic_group_id = (
                self._next_basic_group_id,
                self._next_basic_group_id - 1,
            )
        chat = FakeChat(
            id=chat_id,
            type="supergroup" if supergroup else "group",
            title=title,
            members=list(members),
        )
        self._chats[chat.id] = chat
        return chat

    def block_bot(self, user: FakeUser, *, announce: bool = True) -> None:
        """Make ``user`` block the bot: sends to them now fail with 403, as in Telegram.

        Telegram tells the bot with a ``my_chat_member`` update (status "kicked");
        ``announce=False`` leaves it out, as when the bot stopped for longer than Telegram
        keeps updates, so only a refused send can tell.
        """
        if user.id in self._blocked:
            return
        self._blocked.add(user.id)
        if announce:
            self._enqueue("my_chat_member", self._member_change(user, "member", "kicked"))

    def unblock_bot(self, user: FakeUser) -> None:
        """Undo :meth:`block_bot` (sending anything to the bot also does this, like Restart)."""
        if user.id not in self._blocked:
            return
        self._blocked.discard(user.id)
        self._enqueue("my_chat_member", self._member_change(user, "kicked", "member"))

    def remove_bot(self, chat: FakeChat, by: FakeUser, *, announce: bool = True) -> None:
        """Have ``by`` remove the bot from a group: sends there fail with 403, it sees nothing.

        The bot is told with a ``my_chat_member`` update (unless ``announce=False``).
        """
        if chat.is_private:
            raise AssertionError("the bot is not removed from a private chat: use block_bot")
        if chat.id in self._removed_from:
            return
        self._removed_from.add(chat.id)
        if announce:
            self._enqueue("my_chat_member", self._member_change(by, "member", "kicked", chat))

    def add_bot(self, chat: FakeChat, by: FakeUser) -> None:
        """Have ``by`` add the bot back to a group it was removed from (a my_chat_member update)."""
        if chat.id not in self._removed_from:
            return
        self._removed_from.discard(chat.id)
        self._enqueue("my_chat_member", self._member_change(by, "kicked", "member", chat))

    def upgrade_group(self, chat: FakeChat, by: FakeUser, *, announce: bool = True) -> FakeChat:
        """Have ``by`` upgrade a basic group to a supergroup, which has a new id; return it.

        As in Telegram, the bot gets a service message in the old chat (``migrate_to_chat_id``)
        and one in the new (``migrate_from_chat_id``), unless ``announce=False``; a send to
        the old id is refused with 400 and ``parameters.migrate_to_chat_id`` (PTB raises
        ChatMigrated).
        """
        if chat.type != "group" or chat.id in self._migrated:
            raise AssertionError(f"chat {chat.id} is not a basic group that can be upgraded")
        new = self.group(chat.title or "", *chat.members)
        self._migrated[chat.id] = new.id
        if announce:
            for where, field, other in (
                (chat, "migrate_to_chat_id", new.id),
                (new, "migrate_from_chat_id", chat.id),
            ):
                self._enqueue("message", self._service_message(by, where, {field: other}))
        return new

    # ------------------------------------------------------------------ what users do

    async def send_text(
        self,
        user: FakeUser,
        text: str,
        *,
        chat: FakeChat | None = None,
        reply_to: SentMessage | None = None,
    ) -> JSONDict:
        """Have ``user`` send ``text`` (commands get bot_command entities); return the Message."""
        target = self._chat_for_user(user, chat)
        content: JSONDict = {"text": text}
        entities = command_entities(text)
        if entities:
            content["entities"] = entities
        return self._post_user_message(user, target, content, reply_to)

    async def edit_text(self, user: FakeUser, message: JSONDict, text: str) -> JSONDict:
        """Have ``user`` edit a text message they sent; the bot gets an ``edited_message``."""
        key = (message["chat"]["id"], message["message_id"])
        original = self._user_messages.get(key)
        if original is None or original.get("from", {}).get("id") != user.id:
            raise AssertionError(f"{user.first_name} did not send message {key}")
        edited: JSONDict = {**original, "text": text, "edit_date": int(time.time())}
        edited.pop("entities", None)
        entities = command_entities(text)
        if entities:
            edited["entities"] = entities
        self._user_messages[key] = edited
        self._enqueue("edited_message", edited)
        return edited

    async def send_document(
        self,
        user: FakeUser,
        filename: str,
        content: bytes,
        *,
        mime_type: str | None = None,
        caption: str | None = None,
        chat: FakeChat | None = None,
        reply_to: SentMessage | None = None,
        claimed_size: int | None = None,
        size_hidden: bool = False,
    ) -> JSONDict:
        """Have ``user`` upload a document; return the Message (its file_id is downloadable).

        ``claimed_size`` stands for a big file without holding its bytes (getFile refuses
        one over 20 MB, as Telegram does); ``size_hidden`` leaves ``file_size`` out.
        """
        target = self._chat_for_user(user, chat)
        mime = mime_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        stored = self._new_file(content, "documents", filename=filename, mime_type=mime)
        stored.claimed_size = claimed_size
        stored.size_hidden = size_hidden
        self._register_file(stored)
        body: JSONDict = {"document": stored.document_dict()}
        self._add_caption(body, caption)
        return self._post_user_message(user, target, body, reply_to)

    async def send_album(
        self,
        user: FakeUser,
        documents: list[tuple[str, bytes]],
        *,
        chat: FakeChat | None = None,
    ) -> list[JSONDict]:
        """Have ``user`` send several documents as one album, as Telegram delivers it.

        One message per document, all with the same ``media_group_id``, all pending at once
        (the bot's next getUpdates receives them together).
        """
        target = self._chat_for_user(user, chat)
        self._file_seq += 1
        group_id = f"13{self._file_seq:015d}"
        messages = []
        for filename, content in documents:
            mime = mimetypes.guess_type(filename)[0] or "application/octet-stream"
            stored = self._new_file(content, "documents", filename=filename, mime_type=mime)
            self._register_file(stored)
            body: JSONDict = {"document": stored.document_dict(), "media_group_id": group_id}
            messages.append(self._post_user_message(user, target, body, None))
        return messages

    async def send_photo(
        self,
        user: FakeUser,
        content: bytes,
        *,
        caption: str | None = None,
        chat: FakeChat | None = None,
        reply_to: SentMessage | None = None,
    ) -> JSONDict:
        """Have ``user`` send a photo; return the Message (non-images get a 640x480 size)."""
        target = self._chat_for_user(user, chat)
        width, height = image_size(content) or (640, 480)
        stored = self._new_file(content, "photos", width=width, height=height)
        self._register_file(stored)
        body: JSONDict = {"photo": stored.photo_sizes()}
        self._add_caption(body, caption)
        return self._post_user_message(user, target, body, reply_to)

    async def tap(self, user: FakeUser, message: SentMessage, button_text: str) -> JSONDict:
        """Press the inline button labelled ``button_text`` in the message's CURRENT keyboard."""
        current = self._current_message(message)
        button = current.find_button(button_text)
        data = button.get("callback_data")
        if not isinstance(data, str):
            raise AssertionError(
                f"button {button.get('text')!r} is not a callback button: {button!r}"
            )
        return await self.tap_data(user, current, data)

    async def tap_data(self, user: FakeUser, message: SentMessage, callback_data: str) -> JSONDict:
        """Send a callback query with arbitrary data (forged or stale) for ``message``."""
        current = self._current_message(message)
        chat = self._chats[current.chat_id]
        if not chat.has_member(user):
            raise AssertionError(f"{user.first_name} cannot see chat {chat.id}")
        self._query_seq += 1
        query_id = f"{self.bot_id}{self._query_seq:010d}"
        query: JSONDict = {
            "id": query_id,
            "from": user.to_dict(),
            "message": self._api_message(current),
            "chat_instance": self._chat_instance(chat.id),
            "data": callback_data,
        }
        self._queries[query_id] = user.id
        self._last_query[user.id] = query_id
        self._enqueue("callback_query", query)
        await asyncio.sleep(0)
        return query

    def post_update(self, kind: str, payload: JSONDict) -> JSONDict:
        """Queue a raw update of any ``kind`` (channel_post, poll, ...) exactly as given.

        For hostile-update tests: the payload is not checked, so it can be anything Telegram
        could send, including what this stand-in never produces on its own.
        """
        return self._enqueue(kind, payload)

    async def send_content(
        self, user: FakeUser, content: JSONDict, *, chat: FakeChat | None = None
    ) -> JSONDict:
        """Have ``user`` send a message with any ``content`` (a sticker, a location, ...)."""
        return self._post_user_message(user, self._chat_for_user(user, chat), content, None)

    async def tap_raw(
        self, user: FakeUser, callback_data: str | None, *, message: JSONDict | None = None
    ) -> JSONDict:
        """Send a callback query as given: any data (or none), any message (or none at all,
        as for a button under an inline-mode message); the query can be answered."""
        self._query_seq += 1
        query_id = f"{self.bot_id}{self._query_seq:010d}"
        query: JSONDict = {
            "id": query_id,
            "from": user.to_dict(),
            "chat_instance": self._chat_instance(user.id),
        }
        if callback_data is not None:
            query["data"] = callback_data
        if message is None:
            query["inline_message_id"] = f"AAAA{self._query_seq:08d}"
        else:
            query["message"] = message
        self._queries[query_id] = user.id
        self._last_query[user.id] = query_id
        self._enqueue("callback_query", query)
        return query

    def private_chat(self, user: FakeUser) -> JSONDict:
        """Render the user's private chat as a Bot API ``Chat`` object."""
        return self._chats[user.id].to_dict()

    # ------------------------------------------------------------------ what users see

    def messages(self, chat_or_user: ChatRef) -> list[SentMessage]:
        """Return everything the bot sent to the chat, in order (deleted ones flagged)."""
        return list(self._transcripts.get(self._chat_id(chat_or_user), []))

    def last_message(self, chat_or_user: ChatRef) -> SentMessage:
        """Return the bot's latest message in the chat; assert there is one."""
        sent = self.messages(chat_or_user)
        if not sent:
            raise AssertionError(f"the bot sent nothing to chat {self._chat_id(chat_or_user)}")
        return sent[-1]

    def transcript(self, chat_or_user: ChatRef) -> str:
        """Format the chat's messages for assertion messages."""
        lines = []
        for index, msg in enumerate(self.messages(chat_or_user)):
            states = (("edited", msg.edited), ("deleted", msg.deleted))
            flags = "".join(f" [{name}]" for name, on in states if on)
            kind = " [document]" if msg.document else " [photo]" if msg.photo else ""
            buttons = f" buttons={msg.buttons}" if msg.buttons else ""
            lines.append(f"  [{index}] #{msg.message_id}{kind}{flags} {msg.body!r}{buttons}")
        return "\n".join(lines) or "  (no messages)"

    async def wait_for_message(
        self,
        chat_or_user: ChatRef,
        *,
        contains: str | None = None,
        count: int = 1,
        timeout: float = 10.0,
        after: int = 0,
    ) -> SentMessage:
        """Wait for ``count`` matching messages at index >= ``after``; return the latest match."""
        chat_id = self._chat_id(chat_or_user)

        def matches() -> list[SentMessage]:
            found = self._transcripts.get(chat_id, [])[after:]
            return [m for m in found if contains is None or contains in m.body]

        if await self._wait_until(lambda: len(matches()) >= count, timeout):
            return matches()[-1]
        wanted = f"{count} message(s)" + (f" containing {contains!r}" if contains else "")
        raise AssertionError(
            f"timed out after {timeout}s waiting for {wanted} at index >= {after} in chat "
            f"{chat_id}; transcript:\n{self.transcript(chat_id)}"
        )

    async def wait_for_callback_answer(
        self,
        user: FakeUser,
        *,
        timeout: float = 10.0,
    ) -> CallbackAnswer:
        """Wait for the bot's answerCallbackQuery to the user's most recent tap."""
        query_id = self._last_query.get(user.id)
        if query_id is None:
            raise AssertionError(f"{user.first_name} has not tapped any button")
        if await self._wait_until(lambda: query_id in self._answers, timeout):
            return self._answers[query_id]
        raise AssertionError(f"the bot did not answer callback query {query_id} in {timeout}s")

    async def wait_until(
        self, predicate: Callable[[], bool], *, timeout: float = 10.0, what: str = "a condition"
    ) -> None:
        """Wait until ``predicate()`` holds; it is checked again whenever a request ends,
        a message is sent or an update is fetched (e.g. a count of :meth:`calls`)."""
        if not await self._wait_until(predicate, timeout):
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")

    async def wait_until_idle(
        self,
        *,
        quiet: float = 0.3,
        timeout: float = 10.0,
    ) -> None:
        """Wait until the bot fetched all updates and made no API call for ``quiet`` seconds.

        getUpdates polls do not count as activity; handing out an update does.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            busy = self._busy_reason()
            silent_for = time.monotonic() - self._last_activity
            if busy is None and silent_for >= quiet:
                return
            remaining = deadline - loop.time()
            if remaining <= 0:
                reason = busy or f"last API activity {silent_for:.2f}s ago"
                raise AssertionError(f"bot not idle after {timeout}s: {reason}")
            pause = remaining if busy else min(remaining, quiet - silent_for)
            await self._wait_changed(max(pause, 0.005))

    def commands_for(
        self,
        chat_or_user: ChatRef,
        *,
        user: FakeUser | None = None,
        language_code: str | None = None,
    ) -> list[JSONDict]:
        """Return the command menu a user sees in that chat, resolved by Telegram's rules.

        Private chat: chat scope, all_private_chats, default. Group: chat_member (``user``),
        chat, all_group_chats, default. Each scope is tried with the language first.
        """
        chat = self._chats.get(self._chat_id(chat_or_user))
        if chat is None:
            raise AssertionError(f"unknown chat {chat_or_user!r}")
        viewer = user or chat.user
        language = (
            language_code
            if language_code is not None
            else (viewer.language_code if viewer else None)
        )
        scopes: list[tuple[Any, ...]]
        if chat.is_private:
            scopes = [("chat", chat.id), ("all_private_chats",), ("default",)]
        else:
            scopes = [("chat", chat.id), ("all_group_chats",), ("default",)]
            if viewer is not None:
                scopes.insert(0, ("chat_member", chat.id, viewer.id))
        for scope in scopes:
            for lang in ([language] if language else []) + [""]:
                if (scope, lang) in self._commands:
                    return [dict(c) for c in self._commands[(scope, lang)]]
        return []

    def reply_keyboard(self, chat_or_user: ChatRef) -> JSONDict | None:
        """Return the reply keyboard the chat currently shows (None after remove_keyboard)."""
        return self._reply_keyboards.get(self._chat_id(chat_or_user))

    def chat_actions(self, chat_or_user: ChatRef) -> list[str]:
        """Return the sendChatAction actions sent to the chat, in order."""
        return list(self._chat_actions.get(self._chat_id(chat_or_user), []))

    def calls(self, method: str | None = None) -> list[ApiCall]:
        """Return every API request received (optionally of one method, case-insensitive)."""
        if method is None:
            return list(self._calls)
        return [c for c in self._calls if c.method.lower() == method.lower()]

    def download(self, file_id: str) -> bytes:
        """Return the bytes of a file the bot sent or a user uploaded."""
        stored = self._files.get(file_id)
        if stored is None:
            raise AssertionError(f"unknown file_id {file_id!r}")
        return stored.content

    # ------------------------------------------------------------------ faults

    def fail_next(
        self,
        method: str | None,
        kind: str,
        *,
        times: int = 1,
        retry_after: int = 1,
        delay: float = 3.0,
        chat_id: int | None = None,
    ) -> None:
        """Make the next ``times`` matching requests fail with ``kind``.

        ``method=None`` matches sendMessage/sendDocument/sendPhoto/sendMediaGroup. Kinds:
        "429" (with parameters.retry_after), "500", "502" (nginx HTML page), "forbidden"
        (403 blocked), "timeout" (hold ``delay`` s without performing, then answer 504),
        "slow" (perform the request, then hold its answer ``delay`` s: done, but not yet known).
        """
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; use one of {sorted(FAULT_KINDS)}")
        canonical = self._canonical(method) if method is not None else None
        self._faults.append(_Fault(canonical, kind, times, retry_after, delay, chat_id))

    def fail_at_random(
        self,
        rate: float,
        *,
        seed: int,
        kinds: Iterable[str] = ("429", "502", "timeout"),
        methods: Iterable[str] | None = None,
        retry_after: int = 1,
        delay: float = 3.0,
    ) -> None:
        """Make each later request fail with probability ``rate``, its kind drawn from ``kinds``.

        Seeded: the same sequence of requests meets the same faults. ``methods=None`` means
        every method but getMe and getUpdates; faults set with :meth:`fail_next` go first.
        ``rate=0`` turns it off. Kinds, ``retry_after`` and ``delay`` as for :meth:`fail_next`;
        each fault met is recorded in the call's ``fault``.
        """
        chosen = tuple(kinds)
        unknown = set(chosen) - FAULT_KINDS
        if unknown or not chosen:
            raise ValueError(f"unknown fault kinds {sorted(unknown)}; use {sorted(FAULT_KINDS)}")
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"rate must be between 0 and 1, not {rate}")
        canonical = None
        if methods is not None:
            canonical = frozenset(self._canonical(method) for method in methods)
        self._random_faults = (
            _RandomFaults(rate, chosen, canonical, retry_after, delay, random.Random(seed))
            if rate > 0
            else None
        )

    def _canonical(self, method: str) -> str:
        canonical = self._method_names.get(method.lower())
        if canonical is None:
            raise ValueError(f"the stand-in does not implement {method!r}")
        return canonical

    # ------------------------------------------------------------------ HTTP layer

    async def _handle_method(self, request: web.Request) -> web.StreamResponse:
        raw_method = request.match_info["method"]
        method = self._method_names.get(raw_method.lower(), raw_method)
        call = ApiCall(method=method, params={}, at=time.monotonic())
        self._calls.append(call)  # in arrival order; status stays 0 while in flight
        polling = method == "getUpdates"
        if not polling:
            self._inflight += 1
            self._touch()
        response: web.StreamResponse | None = None
        try:
            response = await self._dispatch(request, method, call)
            return response
        except asyncio.CancelledError:
            call.status = 499  # the client hung up before we answered
            raise
        finally:
            if response is not None:
                call.status = response.status
            if not polling:
                self._inflight -= 1
                self._touch()
            self._notify()

    async def _dispatch(self, request: web.Request, method: str, call: ApiCall) -> web.Response:
        try:
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            handler = self._handlers.get(method)
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            params, files = await self._read_params(request)
            call.params = params
            call.files = {name: upload.filename or "" for name, upload in files.items()}
            fault = self._take_fault(method, params) or self._draw_fault(method)
            if fault is not None:
                call.fault = fault.kind
                if fault.kind != "slow":
                    return await self._apply_fault(fault, call)
            result = await handler(params, files)
            if fault is not None:
                # Performed (the user sees it), but the answer is late: a client that hangs
                # up or stops now never learns that it went through.
                await self._hold(fault.delay)
        except ApiError as error:
            call.response = error.payload()
            return web.json_response(call.response, status=error.status)
        except Exception:
            # A stand-in bug must not look like a Telegram answer: record it for the tests.
            self.internal_errors.append(f"{method}: {traceback.format_exc()}")
            _LOG.exception("stand-in failed handling %s", method)
            call.response = {
                "ok": False,
                "error_code": 500,
                "description": "Internal Server Error (stand-in bug)",
            }
            return web.json_response(call.response, status=500)
        call.response = {"ok": True, "result": result}
        return web.json_response(call.response)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        stored = self._files_by_path.get(request.match_info["file_path"])
        if request.match_info["token"] != self.token or stored is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        return web.Response(body=stored.content, content_type="application/octet-stream")

    async def _read_params(self, request: web.Request) -> tuple[JSONDict, dict[str, Upload]]:
        """Decode query string, urlencoded, JSON or multipart bodies into typed parameters."""
        raw: dict[str, str] = dict(request.query)
        typed: JSONDict = {}
        files: dict[str, Upload] = {}
        if request.method == "POST" and request.can_read_body:
            if request.content_type == "application/json":
                try:
                    body = await request.json()
                except ValueError:
                    raise bad_request("can't parse JSON request body") from None
                if not isinstance(body, dict):
                    raise bad_request("request body must be a JSON object")
                typed.update(body)
            elif request.content_type.startswith("multipart/"):
                reader = await request.multipart()
                while (part := await reader.next()) is not None:
                    if not isinstance(part, BodyPartReader) or part.name is None:
                        continue
                    if part.filename is not None:
                        data = bytes(await part.read(decode=False))
                        files[part.name] = Upload(
                            part.filename, part.headers.get("Content-Type"), data
                        )
                    else:
                        raw[part.name] = await part.text()
            else:
                form = await request.post()
                raw.update({k: v for k, v in form.items() if isinstance(v, str)})
        params = {name: _decode_field(name, value) for name, value in raw.items()}
        params.update(typed)
        return params, files

    def _take_fault(self, method: str, params: JSONDict) -> _Fault | None:
        for fault in self._faults:
            if fault.method is None and method not in SEND_METHODS:
                continue
            if fault.method is not None and fault.method != method:
                continue
            if fault.chat_id is not None and _as_int(params.get("chat_id")) != fault.chat_id:
                continue
            fault.remaining -= 1
            if fault.remaining <= 0:
                self._faults.remove(fault)
            return fault
        return None

    def _draw_fault(self, method: str) -> _Fault | None:
        chance = self._random_faults
        if chance is None:
            return None
        if chance.methods is None and method in RANDOM_FAULT_EXEMPT:
            return None
        if chance.methods is not None and method not in chance.methods:
            return None
        if chance.rng.random() >= chance.rate:
            return None
        kind = chance.rng.choice(chance.kinds)
        return _Fault(method, kind, 1, chance.retry_after, chance.delay, None)

    async def _apply_fault(self, fault: _Fault, call: ApiCall) -> web.Response:
        if fault.kind == "429":
            raise ApiError(
                429,
                f"Too Many Requests: retry after {fault.retry_after}",
                {"retry_after": fault.retry_after},
            )
        if fault.kind == "forbidden":
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if fault.kind == "502":
            return web.Response(status=502, text=_BAD_GATEWAY_HTML, content_type="text/html")
        if fault.kind == "timeout":
            # Hold the request without performing it; a client with a shorter read timeout
            # hangs up first (handler cancelled, recorded as 499).
            await self._hold(fault.delay)
            call.response = {"ok": False, "error_code": 504, "description": "Gateway Timeout"}
            return web.json_response(call.response, status=504)
        call.response = {"ok": False, "error_code": 500, "description": "Internal Server Error"}
        return web.json_response(call.response, status=500)

    async def _hold(self, seconds: float) -> None:
        """Keep the request waiting ``seconds`` (less when the stand-in stops)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), seconds)

    # ------------------------------------------------------------------ bot identity & updates

    def _bot_user(self) -> JSONDict:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.profile.get("name") or self.bot_first_name,
            "username": self.bot_username,
        }

    async def _get_me(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        return self._bot_user() | {
            "can_join_groups": True,
            "can_read_all_group_messages": not self.group_privacy,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _return_true(self, p: JSONDict, files: dict[str, Upload]) -> bool:
        return True

    async def _get_updates(self, p: JSONDict, files: dict[str, Upload]) -> list[JSONDict]:
        if self._webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = _as_int(p.get("offset")) or 0
        limit = min(max(_as_int(p.get("limit")) or 100, 1), 100)
        timeout = max(float(p.get("timeout") or 0), 0.0)
        allowed = p.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = frozenset(map(str, allowed)) or DEFAULT_UPDATE_TYPES
        self._confirm_updates(offset)
        self._ever_polled = True
        # A newer getUpdates terminates an older one still waiting, as Telegram does.
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()

        def ready() -> bool:
            return (
                self._closing.is_set()
                or generation != self._poll_generation
                or bool(self._deliverable(limit))
            )

        await self._wait_until(ready, timeout)
        if generation != self._poll_generation and not self._closing.is_set():
            raise ApiError(
                409,
                "Conflict: terminated by other getUpdates request; make sure that only one "
                "bot instance is running",
            )
        batch = self._deliverable(limit)
        if batch:
            self._delivered_upto = max(self._delivered_upto, batch[-1]["update_id"])
            self._touch()
        return batch

    def _confirm_updates(self, offset: int) -> None:
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]

    def _deliverable(self, limit: int) -> list[JSONDict]:
        allowed = [u for u in self._updates if _update_type(u) in self._allowed_updates]
        return allowed[:limit]

    def _busy_reason(self) -> str | None:
        if self._inflight:
            return f"{self._inflight} API request(s) in flight"
        if self._webhook is not None:
            waiting = self._deliverable(len(self._updates))
            if waiting:
                return f"{len(waiting)} update(s) not yet delivered to the webhook"
            return None
        if self._ever_polled:
            pending = [u for u in self._deliverable(100) if u["update_id"] > self._delivered_upto]
            if pending:
                return f"{len(pending)} update(s) not yet fetched by the bot"
        return None

    async def _set_webhook(self, p: JSONDict, files: dict[str, Upload]) -> bool:
        url = p.get("url")
        if not url:
            return await self._delete_webhook(p, files)
        # Telegram wants https on port 443, 80, 88 or 8443; the stand-in also takes plain http
        # on any port, since the bot under test listens on 127.0.0.1.
        if not str(url).startswith(("https://", "http://")):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = p.get("secret_token")
        if secret is not None and not _SECRET_TOKEN.fullmatch(str(secret)):
            raise bad_request("secret token contains unallowed characters")
        connections = _as_int(p.get("max_connections")) or 40
        if not 1 <= connections <= 100:
            raise bad_request("bad webhook: max_connections must be between 1 and 100")
        allowed = p.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = frozenset(map(str, allowed)) or DEFAULT_UPDATE_TYPES
        if p.get("drop_pending_updates") is True:
            self._drop_pending()
        self._webhook = {k: v for k, v in p.items() if k != "certificate"}
        self._webhook["max_connections"] = connections
        self._start_webhook_delivery(connections)
        return True

    async def _delete_webhook(self, p: JSONDict, files: dict[str, Upload]) -> bool:
        self._webhook = None
        self._webhook_generation += 1  # the delivery workers stop
        if p.get("drop_pending_updates") is True:
            self._drop_pending()
        self._notify()
        return True

    def _drop_pending(self) -> None:
        self._updates.clear()
        self._delivered_upto = self._update_seq
        self._webhook_retry_at.clear()

    async def _get_webhook_info(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        info: JSONDict = {
            "url": (self._webhook or {}).get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self._webhook:
            info["max_connections"] = self._webhook["max_connections"]
            if isinstance(self._webhook.get("allowed_updates"), list):
                info["allowed_updates"] = self._webhook["allowed_updates"]
            if self._webhook_last_error is not None:
                info["last_error_date"], info["last_error_message"] = self._webhook_last_error
        return info

    # ------------------------------------------------------------------ webhook delivery

    @property
    def webhook(self) -> JSONDict | None:
        """Return what setWebhook was given (url, secret_token ...), None without a webhook."""
        return dict(self._webhook) if self._webhook is not None else None

    async def post_to_webhook(self, body: JSONDict, *, secret: str | None) -> int:
        """POST ``body`` to the bot's webhook as someone else than Telegram could; return the
        HTTP status the bot answered.

        ``secret`` is the X-Telegram-Bot-Api-Secret-Token header to send (None: none at all),
        to prove the bot refuses a request that lacks Telegram's secret.
        """
        if self._webhook is None:
            raise AssertionError("the bot has not set a webhook")
        status, _ = await self._post_webhook(body, secret)
        return status

    def _start_webhook_delivery(self, connections: int) -> None:
        """Deliver updates with up to ``connections`` requests at once, as Telegram does."""
        self._webhook_generation += 1
        self._webhook_tasks = [task for task in self._webhook_tasks if not task.done()]
        self._webhook_last_error = None
        for _ in range(connections):
            task = asyncio.create_task(self._webhook_worker(self._webhook_generation))
            self._webhook_tasks.append(task)
        self._notify()

    async def _webhook_worker(self, generation: int) -> None:
        loop = asyncio.get_running_loop()
        while generation == self._webhook_generation and not self._closing.is_set():
            update = self._next_for_webhook(loop.time())
            if update is None:
                await self._wait_changed(self._until_next_retry(loop.time()))
                continue
            await self._deliver_to_webhook(update)

    def _next_for_webhook(self, now: float) -> JSONDict | None:
        """Return the oldest update nobody is posting; None while it waits for its retry.

        Updates go out in order: a failed one is tried again before any later one starts.
        """
        for update in self._deliverable(len(self._updates)):
            update_id = update["update_id"]
            if update_id in self._webhook_inflight:
                continue
            if self._webhook_retry_at.get(update_id, 0.0) > now:
                return None
            return update
        return None

    def _until_next_retry(self, now: float) -> float:
        waiting = [at - now for at in self._webhook_retry_at.values() if at > now]
        return max(min(waiting, default=1.0), 0.001)

    async def _deliver_to_webhook(self, update: JSONDict) -> None:
        update_id = update["update_id"]
        self._webhook_inflight.add(update_id)
        self._inflight += 1
        self._touch()
        try:
            status, error = await self._post_webhook(
                update, (self._webhook or {}).get("secret_token")
            )
        finally:
            self._webhook_inflight.discard(update_id)
            self._inflight -= 1
            self._touch()
        self.webhook_deliveries.append(WebhookDelivery(update_id, status, error, time.monotonic()))
        if 200 <= status < 300:
            self._updates = [u for u in self._updates if u["update_id"] != update_id]
            self._delivered_upto = max(self._delivered_upto, update_id)
            self._webhook_retry_at.pop(update_id, None)
        else:
            self._webhook_last_error = (
                int(time.time()),
                error or f"Wrong response from the webhook: {status}",
            )
            retry = asyncio.get_running_loop().time() + WEBHOOK_RETRY_SECONDS / self.speed
            self._webhook_retry_at[update_id] = retry
        self._notify()

    async def _post_webhook(self, body: JSONDict, secret: str | None) -> tuple[int, str | None]:
        """POST ``body`` as JSON to the webhook; return the status (0: no answer) and error."""
        assert self._webhook is not None
        if self._webhook_client is None:
            self._webhook_client = ClientSession()
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers[SECRET_HEADER] = str(secret)
        try:
            async with self._webhook_client.post(
                str(self._webhook["url"]),
                data=json.dumps(body),
                headers=headers,
                timeout=ClientTimeout(total=WEBHOOK_TIMEOUT / self.speed),
            ) as response:
                await response.read()
                return response.status, None
        except ClientError as exc:
            return 0, f"Connection failed: {exc}"
        except TimeoutError:
            return 0, "Read timeout expired"

    def _enqueue(self, kind: str, payload: JSONDict) -> JSONDict:
        self._update_seq += 1
        update = {"update_id": self._update_seq, kind: payload}
        self._updates.append(update)
        self._touch()
        self._notify()
        return update

    # ------------------------------------------------------------------ sending

    async def _send_message(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        chat = self._writable_chat(p)
        text, entities = render(p.get("text"), p.get("parse_mode"), p.get("entities"))
        _check_text(text)
        markup = self._parse_markup(p.get("reply_markup"))
        reply_to = self._reply_target(chat, p)
        self._take_rate_slot(chat.id, per_chat=True)
        msg = self._commit_bot_message(
            chat,
            markup,
            text=text,
            entities=entities,
            raw=p.get("text"),
            parse_mode=p.get("parse_mode"),
            reply_to_message_id=reply_to,
        )
        return self._api_message(msg)

    async def _send_document(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        return self._send_media(p, files, "document")

    async def _send_photo(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        return self._send_media(p, files, "photo")

    def _send_media(self, p: JSONDict, files: dict[str, Upload], kind: str) -> JSONDict:
        chat = self._writable_chat(p)
        stored, is_new = self._input_file(p.get(kind), files, kind)
        caption, entities = self._caption(p)
        markup = self._parse_markup(p.get("reply_markup"))
        reply_to = self._reply_target(chat, p)
        self._take_rate_slot(chat.id, per_chat=True)
        if is_new:
            self._register_file(stored)
        msg = self._commit_bot_message(
            chat,
            markup,
            caption=caption,
            entities=entities,
            raw=p.get("caption"),
            parse_mode=p.get("parse_mode"),
            reply_to_message_id=reply_to,
            **_media_fields(stored, kind),
        )
        return self._api_message(msg)

    async def _send_media_group(self, p: JSONDict, files: dict[str, Upload]) -> list[JSONDict]:
        chat = self._writable_chat(p)
        media = p.get("media")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise bad_request("media group must contain 2-10 items")
        prepared = []
        for item in media:
            if not isinstance(item, dict) or item.get("type") not in ("photo", "document"):
                raise bad_request("the stand-in supports only photo and document media groups")
            kind = str(item["type"])
            reference = item.get("media")
            # Items name their uploads with attach://; a bare "photo" part belongs to no item.
            attached = isinstance(reference, str) and reference.startswith("attach://")
            stored, is_new = self._input_file(reference, files if attached else {}, kind)
            caption, entities = render(
                item.get("caption"), item.get("parse_mode"), item.get("caption_entities")
            )
            if len(caption) > MAX_CAPTION_LENGTH:
                raise bad_request("message caption is too long")
            prepared.append((item, kind, stored, is_new, caption, entities))
        reply_to = self._reply_target(chat, p)
        self._take_rate_slot(chat.id, per_chat=True)
        group_id = f"{self.bot_id}{self._update_seq}{len(self._calls)}"
        result = []
        for item, kind, stored, is_new, caption, entities in prepared:
            if is_new:
                self._register_file(stored)
            msg = self._commit_bot_message(
                chat,
                None,
                caption=caption or None,
                entities=entities,
                raw=item.get("caption"),
                parse_mode=item.get("parse_mode"),
                reply_to_message_id=reply_to,
                media_group_id=group_id,
                **_media_fields(stored, kind),
            )
            result.append(self._api_message(msg))
        return result

    def _caption(self, p: JSONDict) -> tuple[str | None, list[JSONDict]]:
        caption, entities = render(p.get("caption"), p.get("parse_mode"), p.get("caption_entities"))
        if len(caption) > MAX_CAPTION_LENGTH:
            raise bad_request("message caption is too long")
        return (caption or None), entities

    def _input_file(
        self, reference: Any, files: dict[str, Upload], kind: str
    ) -> tuple[StoredFile, bool]:
        """Resolve an upload, attach:// part or known file_id; return it and whether it is new."""
        if isinstance(reference, str) and reference.startswith("attach://"):
            upload = files.get(reference.removeprefix("attach://"))
            if upload is None:
                raise bad_request(f"can't find attached file {reference!r}")
        else:
            upload = files.get(kind)
        if upload is None:
            if isinstance(reference, str) and reference in self._files:
                return self._files[reference], False
            if isinstance(reference, str) and reference:
                raise bad_request("wrong file identifier/HTTP URL specified")
            raise bad_request(f"there is no {kind} in the request")
        if not upload.data:
            raise bad_request("file must be non-empty")
        if len(upload.data) > MAX_UPLOAD_SIZE:
            raise ApiError(413, "Request Entity Too Large")
        if kind == "photo":
            size = image_size(upload.data)
            if size is None:
                raise bad_request("IMAGE_PROCESS_FAILED")
            width, height = size
            if width + height > 10000 or max(width, height) > 20 * max(min(width, height), 1):
                raise bad_request("PHOTO_INVALID_DIMENSIONS")
            return self._new_file(upload.data, "photos", width=width, height=height), True
        mime = upload.content_type or mimetypes.guess_type(upload.filename or "")[0]
        stored = self._new_file(
            upload.data,
            "documents",
            filename=upload.filename,
            mime_type=mime or "application/octet-stream",
        )
        return stored, True

    def _commit_bot_message(
        self, chat: FakeChat, markup: JSONDict | None, **fields: Any
    ) -> SentMessage:
        msg = SentMessage(
            message_id=self._next_message_id(chat.id),
            chat_id=chat.id,
            date=int(time.time()),
            reply_markup=markup,
            **fields,
        )
        self._transcripts.setdefault(chat.id, []).append(msg)
        self._bot_messages[(chat.id, msg.message_id)] = msg
        if markup and "keyboard" in markup:
            self._reply_keyboards[chat.id] = markup
        elif markup and markup.get("remove_keyboard"):
            self._reply_keyboards.pop(chat.id, None)
        self._notify()
        return msg

    # ------------------------------------------------------------------ editing & deleting

    async def _edit_message_text(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        chat, msg = self._editable(p)
        if msg.text is None:
            raise bad_request("there is no text in the message to edit")
        text, entities = render(p.get("text"), p.get("parse_mode"), p.get("entities"))
        _check_text(text)
        markup = self._parse_markup(p.get("reply_markup"), inline_only=True)
        if text == msg.text and entities == msg.entities and markup == _inline(msg):
            raise bad_request(_NOT_MODIFIED)
        self._take_rate_slot(chat.id, per_chat=False)
        msg.text, msg.entities, msg.raw = text, entities, p.get("text")
        msg.parse_mode = p.get("parse_mode")
        return self._apply_edit(msg, markup)

    async def _edit_message_caption(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        chat, msg = self._editable(p)
        if msg.document is None and msg.photo is None:
            raise bad_request("there is no caption in the message to edit")
        caption, entities = self._caption(p)
        markup = self._parse_markup(p.get("reply_markup"), inline_only=True)
        if caption == msg.caption and entities == msg.entities and markup == _inline(msg):
            raise bad_request(_NOT_MODIFIED)
        self._take_rate_slot(chat.id, per_chat=False)
        msg.caption, msg.entities, msg.raw = caption, entities, p.get("caption")
        msg.parse_mode = p.get("parse_mode")
        return self._apply_edit(msg, markup)

    async def _edit_message_reply_markup(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        chat, msg = self._editable(p)
        markup = self._parse_markup(p.get("reply_markup"), inline_only=True)
        if markup == _inline(msg):
            raise bad_request(_NOT_MODIFIED)
        self._take_rate_slot(chat.id, per_chat=False)
        return self._apply_edit(msg, markup)

    def _apply_edit(self, msg: SentMessage, markup: JSONDict | None) -> JSONDict:
        # Telegram drops the inline keyboard when an edit does not repeat it.
        msg.reply_markup = markup
        msg.edited = True
        msg.edit_count += 1
        msg.edit_date = int(time.time())
        self._notify()
        return self._api_message(msg)

    def _editable(self, p: JSONDict) -> tuple[FakeChat, SentMessage]:
        if p.get("inline_message_id"):
            raise bad_request("inline messages are not supported by the stand-in")
        chat = self._writable_chat(p)
        message_id = _as_int(p.get("message_id"))
        if message_id is None:
            raise bad_request("message identifier is not specified")
        msg = self._bot_messages.get((chat.id, message_id))
        if msg is None and (chat.id, message_id) in self._user_messages:
            raise bad_request("message can't be edited")
        if msg is None or msg.deleted:
            raise bad_request("message to edit not found")
        return chat, msg

    async def _delete_message(self, p: JSONDict, files: dict[str, Upload]) -> bool:
        chat = self._known_chat(p)
        self._delete(chat, _as_int(p.get("message_id")))
        return True

    async def _delete_messages(self, p: JSONDict, files: dict[str, Upload]) -> bool:
        chat = self._known_chat(p)
        ids = p.get("message_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise bad_request("message_ids must contain 1-100 items")
        for message_id in ids:
            # deleteMessages skips messages that can't be found or deleted.
            with contextlib.suppress(ApiError):
                self._delete(chat, _as_int(message_id))
        return True

    def _delete(self, chat: FakeChat, message_id: int | None) -> None:
        key = (chat.id, message_id or 0)
        if key in self._user_messages:
            if not chat.is_private:
                raise bad_request("message can't be deleted")  # the bot is no group admin
            del self._user_messages[key]
            return
        msg = self._bot_messages.get(key)
        if msg is None or msg.deleted:
            raise bad_request("message to delete not found")
        msg.deleted = True
        self._notify()

    # ------------------------------------------------------------------ callbacks, commands, chats

    async def _answer_callback_query(self, p: JSONDict, files: dict[str, Upload]) -> bool:
        query_id = str(p.get("callback_query_id") or "")
        user_id = self._queries.get(query_id)
        if user_id is None:
            raise bad_request(_QUERY_INVALID)
        text = p.get("text")
        if isinstance(text, str) and len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            raise bad_request("MESSAGE_TOO_LONG")
        del self._queries[query_id]
        self._answers[query_id] = CallbackAnswer(
            query_id=query_id,
            user_id=user_id,
            text=text if isinstance(text, str) else None,
            show_alert=p.get("show_alert") is True,
            url=p.get("url"),
            cache_time=_as_int(p.get("cache_time")),
            at=time.monotonic(),
        )
        self._notify()
        return True

    def _scope_key(self, p: JSONDict) -> tuple[tuple[Any, ...], str]:
        scope = p.get("scope") or {"type": "default"}
        if not isinstance(scope, dict):
            raise bad_request("can't parse BotCommandScope JSON object")
        kind = scope.get("type")
        language = str(p.get("language_code") or "")
        if kind in ("default", "all_private_chats", "all_group_chats", "all_chat_administrators"):
            return (str(kind),), language
        if kind in ("chat", "chat_administrators", "chat_member"):
            chat = self._known_chat(scope)
            if kind == "chat_member":
                return (str(kind), chat.id, _as_int(scope.get("user_id"))), language
            return (str(kind), chat.id), language
        raise bad_request("wrong bot command scope type specified")

    async def _set_my_commands(self, p: JSONDict, files: dict[str, Upload]) -> bool:
        key = self._scope_key(p)
        commands = p.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("can't parse commands JSON object")
        cleaned = []
        for command in commands:
            if not isinstance(command, dict):
                raise bad_request("can't parse BotCommand JSON object")
            name = str(command.get("command", ""))
            description = str(command.get("description", "")).strip()
            if not 1 <= len(name) <= 32 or not all(c in _COMMAND_CHARS for c in name):
                raise bad_request("BOT_COMMAND_INVALID")
            if not description:
                raise bad_request("command description must be non-empty")
            if len(description) > 256:
                raise bad_request("command description is too long")
            cleaned.append({"command": name, "description": description})
        if cleaned:
            self._commands[key] = cleaned
        else:
            self._commands.pop(key, None)
        return True

    async def _get_my_commands(self, p: JSONDict, files: dict[str, Upload]) -> list[JSONDict]:
        return [dict(c) for c in self._commands.get(self._scope_key(p), [])]

    async def _delete_my_commands(self, p: JSONDict, files: dict[str, Upload]) -> bool:
        self._commands.pop(self._scope_key(p), None)
        return True

    async def _send_chat_action(self, p: JSONDict, files: dict[str, Upload]) -> bool:
        chat = self._writable_chat(p)
        action = p.get("action")
        if action not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        self._chat_actions.setdefault(chat.id, []).append(str(action))
        return True

    async def _get_chat(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        chat = self._known_chat(p)
        return chat.to_dict() | {
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    async def _get_chat_member(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        chat = self._known_chat(p)
        user_id = _as_int(p.get("user_id"))
        if user_id == self.bot_id:
            if chat.id in self._removed_from:
                return {"status": "kicked", "user": self._bot_user(), "until_date": 0}
            return {"status": "member", "user": self._bot_user()}
        user = self._users.get(user_id or 0)
        if user is None:
            raise bad_request("user not found")
        status = "member" if chat.has_member(user) else "left"
        if chat.is_private and user.id in self._blocked:
            status = "kicked"
        member: JSONDict = {"status": status, "user": user.to_dict()}
        if status == "kicked":
            member["until_date"] = 0
        return member

    def _profile_setter(self, key: str, limit: int) -> Handler:
        async def setter(p: JSONDict, files: dict[str, Upload]) -> bool:
            value = str(p.get(key) or "")
            if len(value) > limit:
                raise bad_request(f"{key} is too long")
            language = str(p.get("language_code") or "")
            self.profile[f"{key}:{language}" if language else key] = value
            return True

        return setter

    def _profile_getter(self, key: str) -> Handler:
        async def getter(p: JSONDict, files: dict[str, Upload]) -> JSONDict:
            language = str(p.get("language_code") or "")
            value = self.profile.get(f"{key}:{language}" if language else key)
            if value is None:
                value = self.bot_first_name if key == "name" else ""
            return {key: value}

        return getter

    async def _get_file(self, p: JSONDict, files: dict[str, Upload]) -> JSONDict:
        stored = self._files.get(str(p.get("file_id") or ""))
        if stored is None:
            raise bad_request("invalid file_id")
        limit = MAX_DOWNLOAD_SIZE if self.local_dir is None else LOCAL_MAX_DOWNLOAD_SIZE
        if stored.file_size > limit:
            raise bad_request("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
            "file_path": stored.file_path if self.local_dir is None else self._local_copy(stored),
        }

    def _local_copy(self, stored: StoredFile) -> str:
        """Put the file where a local-mode server keeps it: <dir>/<token>/<folder>/<name>."""
        assert self.local_dir is not None
        path = (self.local_dir / self.token / stored.file_path).resolve()
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(stored.content)
        return str(path)

    # ------------------------------------------------------------------ validation helpers

    def _known_chat(self, p: JSONDict) -> FakeChat:
        raw = p.get("chat_id")
        if raw is None or raw == "":
            raise bad_request("chat_id is empty")
        chat = self._chats.get(_as_int(raw) or 0)
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def _writable_chat(self, p: JSONDict) -> FakeChat:
        chat = self._known_chat(p)
        if chat.is_private and chat.id in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if chat.id in self._migrated:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": self._migrated[chat.id]},
            )
        if chat.id in self._removed_from:
            raise ApiError(403, f"Forbidden: bot was kicked from the {chat.type} chat")
        return chat

    def _parse_markup(self, raw: Any, *, inline_only: bool = False) -> JSONDict | None:
        if raw is None or raw == "":
            return None
        if isinstance(raw, str):
            try:
                raw = json.loads(raw)
            except ValueError:
                raise bad_request("can't parse reply keyboard markup JSON object") from None
        if not isinstance(raw, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in raw:
            _check_inline_keyboard(raw["inline_keyboard"])
            return raw if raw["inline_keyboard"] else None
        if inline_only:
            raise bad_request("inline keyboard expected")
        if "keyboard" in raw:
            rows = raw["keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise bad_request('can\'t parse keyboard: field "keyboard" must be an Array')
            return raw
        if raw.get("remove_keyboard") is True or raw.get("force_reply") is True:
            return raw
        raise bad_request("can't parse reply keyboard markup JSON object")

    def _reply_target(self, chat: FakeChat, p: JSONDict) -> int | None:
        params = p.get("reply_parameters")
        if isinstance(params, dict):
            message_id = _as_int(params.get("message_id"))
            lenient = params.get("allow_sending_without_reply") is True
            if params.get("chat_id") not in (None, chat.id):
                chat = self._known_chat(params)
        else:
            message_id = _as_int(p.get("reply_to_message_id"))
            lenient = p.get("allow_sending_without_reply") is True
        if message_id is None:
            return None
        key = (chat.id, message_id)
        exists = key in self._user_messages or (
            key in self._bot_messages and not self._bot_messages[key].deleted
        )
        if exists:
            return message_id
        if lenient:
            return None
        raise bad_request("message to be replied not found")

    def _take_rate_slot(self, chat_id: int, *, per_chat: bool) -> None:
        """Refuse with 429 when a window is full, else count this request in the windows."""
        now = time.monotonic()
        windows = [(self._global_sends, *self.global_rate_limit)]
        if per_chat:
            windows.append((self._chat_sends.setdefault(chat_id, deque()), *self.chat_rate_limit))
        waits = []
        for stamps, limit, period in windows:
            while stamps and stamps[0] <= now - period:
                stamps.popleft()
            if len(stamps) >= limit:
                waits.append(stamps[len(stamps) - limit] + period - now)
        if waits:
            retry_after = max(1, math.ceil(max(waits) * self.speed))
            raise ApiError(
                429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
            )
        for stamps, _, _ in windows:
            stamps.append(now)

    # ------------------------------------------------------------------ internals

    def _chat_id(self, ref: ChatRef) -> int:
        if isinstance(ref, FakeUser | FakeChat):
            return ref.id
        return int(ref)

    def _chat_for_user(self, user: FakeUser, chat: FakeChat | None) -> FakeChat:
        if user.id not in self._users:
            raise AssertionError(f"{user!r} was not created by this stand-in")
        target = chat or self._chats[user.id]
        if not target.has_member(user):
            raise AssertionError(f"{user.first_name} is not a member of chat {target.id}")
        if target.is_private and user.id in self._blocked:
            self.unblock_bot(user)  # a user must unblock the bot to write to it
        if target.id in self._migrated:
            raise AssertionError(f"chat {target.id} became chat {self._migrated[target.id]}")
        return target

    def _post_user_message(
        self, user: FakeUser, chat: FakeChat, content: JSONDict, reply_to: SentMessage | None
    ) -> JSONDict:
        message_id = self._next_message_id(chat.id)
        msg: JSONDict = {
            "message_id": message_id,
            "from": user.to_dict(),
            "chat": chat.to_dict(),
            "date": int(time.time()),
            **content,
        }
        if reply_to is not None:
            if reply_to.chat_id != chat.id:
                raise AssertionError(
                    f"cannot reply in chat {chat.id} to a message of chat {reply_to.chat_id}"
                )
            msg["reply_to_message"] = self._api_message(self._current_message(reply_to), False)
        self._user_messages[(chat.id, message_id)] = msg
        if self._bot_sees(chat, msg, reply_to):
            self._enqueue("message", msg)
        return msg

    def _bot_sees(self, chat: FakeChat, msg: JSONDict, reply_to: SentMessage | None) -> bool:
        """Apply privacy mode: in groups only commands meant for the bot and replies to it."""
        if chat.id in self._removed_from:
            return False
        if chat.is_private or not self.group_privacy or reply_to is not None:
            return True
        body = str(msg.get("text") or msg.get("caption") or "")
        for entity in msg.get("entities") or msg.get("caption_entities") or []:
            if entity["type"] != "bot_command":
                continue
            command = body.encode("utf-16-le")[
                entity["offset"] * 2 : (entity["offset"] + entity["length"]) * 2
            ].decode("utf-16-le")
            _, _, addressee = command.partition("@")
            if not addressee or addressee.lower() == self.bot_username.lower():
                return True
        return False

    def _add_caption(self, body: JSONDict, caption: str | None) -> None:
        if caption:
            body["caption"] = caption
            entities = command_entities(caption)
            if entities:
                body["caption_entities"] = entities

    def _current_message(self, message: SentMessage) -> SentMessage:
        current = self._bot_messages.get((message.chat_id, message.message_id))
        if current is None or current.deleted:
            raise AssertionError(
                f"message #{message.message_id} in chat {message.chat_id} does not exist (deleted?)"
            )
        return current

    def _api_message(self, msg: SentMessage, with_reply: bool = True) -> JSONDict:
        """Render a bot message as the Bot API ``Message`` Telegram would return."""
        data: JSONDict = {
            "message_id": msg.message_id,
            "from": self._bot_user(),
            "chat": self._chats[msg.chat_id].to_dict(),
            "date": msg.date,
        }
        if msg.edit_date is not None:
            data["edit_date"] = msg.edit_date
        if msg.media_group_id is not None:
            data["media_group_id"] = msg.media_group_id
        if msg.text is not None:
            data["text"] = msg.text
            if msg.entities:
                data["entities"] = msg.entities
        if msg.document is not None:
            data["document"] = msg.document
        if msg.photo is not None:
            data["photo"] = msg.photo
        if msg.caption is not None:
            data["caption"] = msg.caption
            if msg.entities:
                data["caption_entities"] = msg.entities
        inline = _inline(msg)
        if inline is not None:
            data["reply_markup"] = inline  # Telegram echoes only inline keyboards
        if with_reply and msg.reply_to_message_id is not None:
            key = (msg.chat_id, msg.reply_to_message_id)
            if key in self._bot_messages:
                data["reply_to_message"] = self._api_message(self._bot_messages[key], False)
            elif key in self._user_messages:
                replied = dict(self._user_messages[key])
                replied.pop("reply_to_message", None)
                data["reply_to_message"] = replied
        return data

    def _member_change(
        self, user: FakeUser, old: str, new: str, chat: FakeChat | None = None
    ) -> JSONDict:
        """Render the bot's ``ChatMemberUpdated`` in ``chat`` (the user's private chat)."""

        def member(status: str) -> JSONDict:
            data: JSONDict = {"user": self._bot_user(), "status": status}
            if status == "kicked":
                data["until_date"] = 0
            return data

        return {
            "chat": (chat or self._chats[user.id]).to_dict(),
            "from": user.to_dict(),
            "date": int(time.time()),
            "old_chat_member": member(old),
            "new_chat_member": member(new),
        }

    def _service_message(self, user: FakeUser, chat: FakeChat, content: JSONDict) -> JSONDict:
        """Render a service message (no text) that Telegram posts in ``chat`` for ``user``."""
        return {
            "message_id": self._next_message_id(chat.id),
            "from": user.to_dict(),
            "chat": chat.to_dict(),
            "date": int(time.time()),
            **content,
        }

    def _chat_instance(self, chat_id: int) -> str:
        if chat_id not in self._chat_instances:
            self._chat_instances[chat_id] = str(-(8_000_000_000_000_000_000 + abs(chat_id)))
        return self._chat_instances[chat_id]

    def _next_message_id(self, chat_id: int) -> int:
        self._message_seq[chat_id] = self._message_seq.get(chat_id, 0) + 1
        return self._message_seq[chat_id]

    def _new_file(
        self,
        content: bytes,
        folder: str,
        *,
        filename: str | None = None,
        mime_type: str | None = None,
        width: int | None = None,
        height: int | None = None,
    ) -> StoredFile:
        self._file_seq += 1
        prefix = "AgACAgIAAxk" if folder == "photos" else "BQACAgIAAxk"
        suffix = ".jpg" if folder == "photos" else _extension(filename)
        return StoredFile(
            file_id=f"{prefix}{self._file_seq:06d}{self.bot_id}",
            file_unique_id=f"AQAD{self._file_seq:06d}",
            content=content,
            file_path=f"{folder}/file_{self._file_seq}{suffix}",
            file_name=filename,
            mime_type=mime_type,
            width=width,
            height=height,
        )

    def _register_file(self, stored: StoredFile) -> None:
        self._files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored

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


_COMMAND_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


def _decode_field(name: str, value: str) -> Any:
    """Decode one form field: PTB JSON-encodes everything except plain strings."""
    if name in _STRING_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return int(value)
    return None


def _update_type(update: JSONDict) -> str:
    return next(key for key in update if key != "update_id")


def _check_text(text: str) -> None:
    if not text:
        raise bad_request("message text is empty")
    if len(text) > MAX_TEXT_LENGTH:
        raise bad_request("message is too long")


def _check_inline_keyboard(rows: Any) -> None:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('can\'t parse inline keyboard: field "inline_keyboard" must be an Array')
    buttons: Iterable[Any] = (button for row in rows for button in row)
    for button in buttons:
        if not isinstance(button, dict) or not isinstance(button.get("text"), str):
            raise bad_request('can\'t parse inline keyboard button: Field "text" must be a String')
        actions = [key for key in INLINE_BUTTON_ACTIONS if key in button]
        if not actions:
            raise bad_request("text buttons are unallowed in the inline keyboard")
        if len(actions) > 1:
            raise bad_request(
                f"can't parse inline keyboard button: exactly one of {actions} must be used"
            )
        if "callback_data" in button:
            data = button["callback_data"]
            size = len(data.encode("utf-8")) if isinstance(data, str) else 0
            if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
                raise bad_request("BUTTON_DATA_INVALID")
        if "url" in button:
            url = button["url"]
            if not isinstance(url, str) or not url.strip() or any(c.isspace() for c in url):
                raise bad_request(f"inline keyboard button URL {url!r} is invalid: Wrong HTTP URL")


def _inline(msg: SentMessage) -> JSONDict | None:
    if msg.reply_markup and msg.reply_markup.get("inline_keyboard"):
        return msg.reply_markup
    return None


def _media_fields(stored: StoredFile, kind: str) -> JSONDict:
    if kind == "photo":
        return {"photo": stored.photo_sizes()}
    return {"document": stored.document_dict()}


def _extension(filename: str | None) -> str:
    if filename and "." in filename:
        return "." + filename.rsplit(".", 1)[1][:10]
    return ""
