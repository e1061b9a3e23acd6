"""The user driver: what a test calls to act as a person (write, send files, tap buttons,
block the bot, join groups) and to read what that person sees."""

from __future__ import annotations

import asyncio
import mimetypes
import time
from collections.abc import Callable
from typing import Any

from .markup import command_entities, image_size
from .model import (
    ApiCall,
    CallbackAnswer,
    ChatRef,
    FakeChat,
    FakeUser,
    JSONDict,
    SentMessage,
)
from .transport import Transport


class UserDriver(Transport):
    """Play the users the bot talks to, and read their chats.

    A layer of :class:`~tests.standin.server.BotApiStandin` (see state.py).
    """

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

    def user_named(self, first_name: str) -> FakeUser:
        """Return the one user created with ``first_name``; assert there is exactly one."""
        found = [user for user in self._users.values() if user.first_name == first_name]
        assert len(found) == 1, f"{len(found)} users named {first_name!r}"
        return found[0]

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
