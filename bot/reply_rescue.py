"""The last resort for a direct reply Telegram kept refusing: the durable outbox sends it.

The rate limiter tries a reply a few times (bot.retries). When it still fails, the reply is
written to the outbox like any notice and the dispatcher sends it once Telegram is back;
the handler carries on as if it had gone out. The service behind the step has committed
before the reply is made, so nothing the person did is undone, and the rest of the step (the
next reply, the pending question) still runs.

What each request becomes:

- sendMessage: the same text, parse mode and buttons.
- sendDocument, sendPhoto, sendMediaGroup: each file (its bytes put in the file store) with
  its caption, as a document (the outbox sends documents only; a chart stays a PNG).
- editMessageText, editMessageCaption: the new text and buttons as a new message, since the
  outbox edits only messages it sent itself.
- A button press's plain answer or toast, editMessageReplyMarkup (taking buttons away) and
  sendChatAction are dropped with a log line: they only tidy up, the press expires within
  seconds anyway, and the services refuse a stale button when it is pressed again.
- An answer shown as an alert is not handed over (a callback query names no chat): the
  caller gets the error and says it in the chat instead (handlers.common.alert).

The caller gets a stand-in for Telegram's answer: a Message with ``message_id`` 0 ("queued")
for sends, True for edits. No handler reads what a send returns; one that must know whether
its message reached the chat should not send it directly.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any

from telegram import InlineKeyboardMarkup, InputFile, InputMedia
from telegram._utils.types import JSONDict

from bot.clock import Clock
from bot.ratelimit import Result
from bot.retries import CALLBACK_ANSWER
from bot.services import outbox
from bot.services.outbox import RescuedReply
from storage.db import Database
from storage.files import FileStore

log = logging.getLogger(__name__)

# Requests that only tidy what the person already sees: dropped, never queued.
_TIDYING = frozenset({"editMessageReplyMarkup", "sendChatAction"})
_SEND_FILE = {"sendDocument": "document", "sendPhoto": "photo"}


@dataclass(frozen=True)
class _Piece:
    """One message to queue: text or caption, and the file it carries, if any."""

    text: str | None
    parse_mode: str | None
    reply_markup: JSONDict | None
    content: bytes | None = None
    filename: str | None = None


class ReplyRescue:
    """Queues a direct request the rate limiter gave up on (see the module's docstring)."""

    def __init__(
        self, *, db: Database, files: FileStore, clock: Clock, wake: Callable[[], None]
    ) -> None:
        self._db = db
        self._files = files
        self._clock = clock
        self._wake = wake

    async def __call__(self, endpoint: str, data: JSONDict) -> Result | None:
        """Queue the request's messages; return what its caller gets, or None: not handed over."""
        if endpoint in _TIDYING or (endpoint == CALLBACK_ANSWER and not data.get("show_alert")):
            log.info("dropped %s after its tries: it only tidies up", endpoint)
            return True
        chat_id = _chat_id(data.get("chat_id"))
        pieces = _pieces(endpoint, data)
        if (
            chat_id is None
            or not pieces
            or any(p.text is None and p.content is None for p in pieces)
        ):
            return None
        now = self._clock()
        replies = await asyncio.to_thread(self._store, chat_id, pieces)
        await asyncio.to_thread(outbox.enqueue_rescued, db=self._db, replies=replies, now=now)
        self._wake()
        log.warning("%s to chat %d handed to the outbox after its tries", endpoint, chat_id)
        return _accepted(endpoint, chat_id, len(replies), now)

    def _store(self, chat_id: int, pieces: list[_Piece]) -> list[RescuedReply]:
        replies = []
        for piece in pieces:
            path = None
            if piece.content is not None:
                _, path = self._files.put(piece.content)
            replies.append(
                RescuedReply(
                    chat_id=chat_id,
                    text=piece.text,
                    parse_mode=piece.parse_mode,
                    reply_markup=piece.reply_markup,
                    document_path=path,
                    document_name=piece.filename,
                )
            )
        return replies


def _pieces(endpoint: str, data: JSONDict) -> list[_Piece] | None:
    """Return the messages a request would have shown, or None when it cannot be queued."""
    parse_mode = _text_or_none(data.get("parse_mode"))
    markup = _markup(data.get("reply_markup"))
    if endpoint in ("sendMessage", "editMessageText"):
        return [_Piece(_text_or_none(data.get("text")), parse_mode, markup)]
    if endpoint == "editMessageCaption":
        return [_Piece(_text_or_none(data.get("caption")), parse_mode, markup)]
    if endpoint in _SEND_FILE:
        file = _file(data.get(_SEND_FILE[endpoint]))
        if file is None:
            return None
        caption = _text_or_none(data.get("caption"))
        return [_Piece(caption, parse_mode, markup, *file)]
    if endpoint == "sendMediaGroup":
        return _media_group(data.get("media"))
    return None


def _media_group(media: Any) -> list[_Piece] | None:
    if not isinstance(media, list | tuple):
        return None
    pieces = []
    for item in media:
        file = _file(item.media) if isinstance(item, InputMedia) else None
        if file is None:
            return None
        caption = _text_or_none(item.caption)
        pieces.append(_Piece(caption, _text_or_none(item.parse_mode), None, *file))
    return pieces


def _file(value: Any) -> tuple[bytes, str] | None:
    """Return an uploaded file's bytes and name; None for a file_id, a URL or a stream."""
    if not isinstance(value, InputFile) or not isinstance(value.input_file_content, bytes):
        return None
    content = value.input_file_content
    name = value.filename
    if not PurePosixPath(name).suffix or name == "application.octet-stream":
        # A chart sent as a photo from bytes carries no name.
        name = "gambar.png" if content.startswith(b"\x89PNG") else "gambar.jpg"
    return content, name


def _markup(value: Any) -> JSONDict | None:
    if isinstance(value, InlineKeyboardMarkup):
        return value.to_dict()
    if value is not None:
        log.warning("a rescued reply loses its %s (the outbox sends inline buttons only)", value)
    return None


def _chat_id(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None  # a channel's @username: not a person's chat


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _accepted(endpoint: str, chat_id: int, count: int, now: datetime) -> Result:
    """Return a stand-in for Telegram's answer: edits True, sends "queued" messages."""
    if endpoint.startswith("edit"):
        return True
    chat_type = "private" if chat_id > 0 else "supergroup"
    message: dict[str, Any] = {
        "message_id": 0,
        "date": int(now.timestamp()),
        "chat": {"id": chat_id, "type": chat_type},
    }
    if endpoint == "sendMediaGroup":
        return [dict(message) for _ in range(count)]
    return message
