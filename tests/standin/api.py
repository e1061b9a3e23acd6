"""The Bot API's semantics: chats and messages, files, callbacks, commands, updates and the
limits Telegram enforces (text lengths, callback data, rate limits)."""

from __future__ import annotations

import contextlib
import json
import math
import mimetypes
import re
import time
from collections import deque
from collections.abc import Iterable
from typing import Any

from .markup import image_size, render
from .model import (
    ApiError,
    CallbackAnswer,
    FakeChat,
    Handler,
    JSONDict,
    SentMessage,
    StoredFile,
    Upload,
    bad_request,
)
from .state import DEFAULT_UPDATE_TYPES, StandinState

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
# What Telegram accepts as setWebhook's secret_token.
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
_QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)


class BotApi(StandinState):
    """Answer Bot API methods as Telegram does, over the stand-in's state.

    A layer of :class:`~tests.standin.server.BotApiStandin` (see state.py).
    """

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
        offset = as_int(p.get("offset")) or 0
        limit = min(max(as_int(p.get("limit")) or 100, 1), 100)
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
        connections = as_int(p.get("max_connections")) or 40
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
        message_id = as_int(p.get("message_id"))
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
        self._delete(chat, as_int(p.get("message_id")))
        return True

    async def _delete_messages(self, p: JSONDict, files: dict[str, Upload]) -> bool:
        chat = self._known_chat(p)
        ids = p.get("message_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise bad_request("message_ids must contain 1-100 items")
        for message_id in ids:
            # deleteMessages skips messages that can't be found or deleted.
            with contextlib.suppress(ApiError):
                self._delete(chat, as_int(message_id))
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
            cache_time=as_int(p.get("cache_time")),
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
                return (str(kind), chat.id, as_int(scope.get("user_id"))), language
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
        user_id = as_int(p.get("user_id"))
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
        chat = self._chats.get(as_int(raw) or 0)
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
            message_id = as_int(params.get("message_id"))
            lenient = params.get("allow_sending_without_reply") is True
            if params.get("chat_id") not in (None, chat.id):
                chat = self._known_chat(params)
        else:
            message_id = as_int(p.get("reply_to_message_id"))
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


_COMMAND_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


def as_int(value: Any) -> int | None:
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
