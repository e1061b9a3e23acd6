"""Plain data types of the Bot API stand-in: simulated users and chats, and what was recorded."""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

JSONDict = dict[str, Any]


class ApiError(Exception):
    """Carry a Telegram-style error answer (HTTP status = error_code) out of a method handler."""

    def __init__(self, status: int, description: str, parameters: JSONDict | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def payload(self) -> JSONDict:
        """Build the JSON body Telegram sends for this error."""
        body: JSONDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(detail: str) -> ApiError:
    """Build a 400 error whose description starts with "Bad Request: " like Telegram's."""
    return ApiError(400, f"Bad Request: {detail}")


@dataclass
class FakeUser:
    """A simulated Telegram user; its private chat with the bot has the same id."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None

    @property
    def chat_id(self) -> int:
        """Return the id of the user's private chat with the bot (equal to the user id)."""
        return self.id

    def to_dict(self) -> JSONDict:
        """Render the user as a Bot API ``User`` object."""
        data: JSONDict = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name is not None:
            data["last_name"] = self.last_name
        if self.username is not None:
            data["username"] = self.username
        if self.language_code is not None:
            data["language_code"] = self.language_code
        return data


@dataclass
class FakeChat:
    """A chat known to the stand-in: a user's private chat or a group the bot is in."""

    id: int
    type: str  # "private" or "supergroup"
    title: str | None = None
    user: FakeUser | None = None  # the other party of a private chat
    members: list[FakeUser] = field(default_factory=list)

    @property
    def is_private(self) -> bool:
        """Tell whether this is a one-to-one chat with a user."""
        return self.type == "private"

    def has_member(self, user: FakeUser) -> bool:
        """Tell whether ``user`` may post in (and see) this chat."""
        if self.user is not None:
            return self.user.id == user.id
        return any(member.id == user.id for member in self.members)

    def to_dict(self) -> JSONDict:
        """Render the chat as a Bot API ``Chat`` object."""
        if self.user is not None:
            data = self.user.to_dict()
            data.pop("is_bot")
            data.pop("language_code", None)
            data["type"] = "private"
            return data
        return {"id": self.id, "type": self.type, "title": self.title or ""}


@dataclass
class StoredFile:
    """A file held by the stand-in, uploaded by a user or by the bot."""

    file_id: str
    file_unique_id: str
    content: bytes
    file_path: str
    file_name: str | None = None
    mime_type: str | None = None
    width: int | None = None
    height: int | None = None
    claimed_size: int | None = None  # a size Telegram reports without the bytes being here
    size_hidden: bool = False  # Telegram may leave file_size out of a Document

    @property
    def file_size(self) -> int:
        """Return the size in bytes."""
        return len(self.content) if self.claimed_size is None else self.claimed_size

    def document_dict(self) -> JSONDict:
        """Render the file as a Bot API ``Document`` object."""
        data: JSONDict = {"file_id": self.file_id, "file_unique_id": self.file_unique_id}
        if not self.size_hidden:
            data["file_size"] = self.file_size
        if self.file_name is not None:
            data["file_name"] = self.file_name
        if self.mime_type is not None:
            data["mime_type"] = self.mime_type
        return data

    def photo_sizes(self) -> list[JSONDict]:
        """Render the file as the ``photo`` array (one size: the original) of a Message."""
        return [
            {
                "file_id": self.file_id,
                "file_unique_id": self.file_unique_id,
                "file_size": self.file_size,
                "width": self.width or 0,
                "height": self.height or 0,
            }
        ]


@dataclass
class SentMessage:
    """One message the bot sent, as its chat sees it now (edits are applied in place).

    ``text``/``caption`` hold what the user sees: markup of ``parse_mode`` removed and
    surrounding whitespace stripped, like Telegram does; ``raw`` keeps the string as the bot
    sent it and ``entities`` the formatting Telegram would report.
    """

    message_id: int
    chat_id: int
    text: str | None = None
    caption: str | None = None
    reply_markup: JSONDict | None = None
    document: JSONDict | None = None
    photo: list[JSONDict] | None = None
    date: int = 0
    edited: bool = False
    deleted: bool = False
    entities: list[JSONDict] = field(default_factory=list)
    parse_mode: str | None = None
    raw: str | None = None
    reply_to_message_id: int | None = None
    media_group_id: str | None = None
    edit_date: int | None = None
    edit_count: int = 0

    @property
    def body(self) -> str:
        """Return the text, else the caption, else an empty string."""
        return self.text if self.text is not None else (self.caption or "")

    @property
    def inline_keyboard(self) -> list[list[JSONDict]]:
        """Return the rows of inline buttons currently attached (empty when none)."""
        if not self.reply_markup:
            return []
        rows = self.reply_markup.get("inline_keyboard")
        return rows if isinstance(rows, list) else []

    @property
    def buttons(self) -> list[list[str]]:
        """Return the texts of the inline buttons (or, failing that, reply-keyboard buttons)."""
        if not self.reply_markup:
            return []
        if "inline_keyboard" in self.reply_markup:
            return [[str(b.get("text", "")) for b in row] for row in self.inline_keyboard]
        rows = self.reply_markup.get("keyboard")
        if isinstance(rows, list):
            return [
                [b if isinstance(b, str) else str(b.get("text", "")) for b in row] for row in rows
            ]
        return []

    def find_button(self, text: str) -> JSONDict:
        """Find an inline button by exact text, else by unique substring; assert otherwise."""
        flat = [button for row in self.inline_keyboard for button in row]
        exact = [b for b in flat if b.get("text") == text]
        if exact:
            return exact[0]
        partial = [b for b in flat if text in str(b.get("text", ""))]
        if len(partial) == 1:
            return partial[0]
        problem = "is ambiguous" if partial else "not found"
        raise AssertionError(
            f"button {text!r} {problem} in message #{self.message_id} "
            f"(chat {self.chat_id}); available buttons: {self.buttons!r}"
        )

    def button_data(self, text: str) -> str:
        """Return the callback_data of the inline button found like :meth:`find_button`."""
        data = self.find_button(text).get("callback_data")
        if not isinstance(data, str):
            raise AssertionError(f"button {text!r} has no callback_data")
        return data


@dataclass
class ApiCall:
    """One HTTP request the bot made, with its decoded parameters and the answer's status.

    ``status`` is the HTTP status sent back (0 while still in flight); 499 means the client hung up before the answer
    (e.g. its read timeout fired during an injected "timeout" fault). ``at`` is
    ``time.monotonic()`` when the request arrived.
    """

    method: str
    params: JSONDict
    status: int = 0
    at: float = 0.0
    files: dict[str, str] = field(default_factory=dict)  # form field -> uploaded file name
    response: JSONDict | None = None
    fault: str | None = None  # the injected fault it met ("429", "timeout" ...), if any


@dataclass
class CallbackAnswer:
    """What the bot answered (answerCallbackQuery) to one button press."""

    query_id: str
    user_id: int
    text: str | None = None
    show_alert: bool = False
    url: str | None = None
    cache_time: int | None = None
    at: float = 0.0


@dataclass
class WebhookDelivery:
    """One POST of an update to the bot's webhook, and how the bot answered it.

    ``status`` is the HTTP status the bot answered with, 0 when no answer came (refused
    connection, time-out); ``error`` then says what happened.
    """

    update_id: int
    status: int
    error: str | None = None
    at: float = 0.0


@dataclass
class Upload:
    """A file part of a multipart request."""

    filename: str | None
    content_type: str | None
    data: bytes


ChatRef = FakeChat | FakeUser | int
# A Bot API method: its parameters and uploaded files in, its result out.
Handler = Callable[[JSONDict, dict[str, Upload]], Awaitable[Any]]


@dataclass
class Fault:
    """A fault waiting for the next calls of ``method`` (to ``chat_id`` when given)."""

    method: str | None  # canonical method name; None = any of SEND_METHODS
    kind: str
    remaining: int
    retry_after: int
    delay: float
    chat_id: int | None


@dataclass
class RandomFaults:
    """Faults drawn at random for :meth:`BotApiStandin.fail_at_random`."""

    rate: float
    kinds: tuple[str, ...]
    methods: frozenset[str] | None  # canonical names; None = every method but the exempt ones
    retry_after: int
    delay: float
    rng: random.Random
