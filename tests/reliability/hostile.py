"""A seeded generator of hostile updates: what a careless, curious or malicious person sends.

Every update is one Telegram could really deliver (the stand-in carries it over HTTP): odd
text and command arguments, forged and garbled button data, files that lie about their
type or size, messages the bot has no use for, and update kinds it never asked about. None
of them may reach the error handler or change what the bot holds.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.domain.roles import COMMANDS
from tests.standin import BotApiStandin, FakeChat, FakeUser

JSONDict = dict[str, Any]

TEXTS = (
    " ",
    "\t\n ",
    "\u200b",
    "\u00a0\u2003",
    "a\x00b",
    "\x00",
    "96,5\x00",
    '=HYPERLINK("http://x";"klik")',
    "+1",
    "-0",
    "1e309",
    "NaN",
    "inf",
    "９５",
    "٩٥",
    "²",
    "96,5,3",
    "1.000.000,5",
    "99999999999999999999999999999999",
    "-99999999999999999999",
    "0x1F",
    "'; DROP TABLE person; --",
    "%s%s%s%n",
    "{0}{1}",
    "<b>tebal</b>",
    "*tebal* _miring_ `kode` [tautan](http://x)",
    "\u202eRTL override",
    "👍" * 50,
    "x" * 4096,
    "ya",
    "Batal",
    "/",
    "//isi",
    "@lapkin_test_bot",
)

ODD_ARGUMENTS = (
    "²",
    "-1",
    "0",
    "9" * 30,
    str(2**63),
    "2026 2027",
    "20٢6",
    "0x7E8",
    "'; DROP TABLE person; --",
    "\x00",
    "🙂",
    "../../etc/passwd",
    "%n%n",
    "a" * 300,
    "199001052015031002 199001052015031002",
    "KUL",
    "@lapkin_test_bot",
)

AREAS = ("e", "cy", "rv", "st", "ap", "mt", "dl", "rm", "ar", "kp", "x", "")
ACTIONS = ("s", "p", "d", "k", "x", "ok", "r", "g", "y", "f", "v", "mn", "", "zz")
ODD_IDS = (
    "-1",
    "0",
    "1",
    "2",
    str(2**63),
    str(2**64 + 1),
    "9" * 40,
    "1e3",
    "²",
    "١",
    " 1",
    "",
    "0x10",
    "NaN",
)

FILE_NAMES = (
    "laporan.pdf",
    "bukti.xlsx",
    "bukti.docx",
    "foto.jpg",
    "setup.exe",
    "../../etc/passwd",
    "..",
    "con.pdf",
    "a" * 250 + ".pdf",
    "nama\x00palsu.pdf",
    "tanpa_ekstensi",
    ".xlsx",
    "laporan.PDF",
    "ÅÄÖ 💾.pdf",
)

RAW_KINDS = (
    "channel_post",
    "edited_channel_post",
    "inline_query",
    "chat_join_request",
    "message_reaction",
    "my_chat_member_group",
    "chosen_inline_result",
)

OTHER_CONTENT: tuple[JSONDict, ...] = (
    {
        "sticker": {
            "file_id": "CAAC1",
            "file_unique_id": "s1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
    },
    {"location": {"latitude": -3.8, "longitude": 102.26}},
    {"contact": {"phone_number": "+62811", "first_name": "Palsu"}},
    {"dice": {"emoji": "🎲", "value": 6}},
    {"voice": {"file_id": "AwAC1", "file_unique_id": "v1", "duration": 3}},
    {"video_note": {"file_id": "DQAC1", "file_unique_id": "n1", "length": 240, "duration": 2}},
    {
        "animation": {
            "file_id": "CgAC1",
            "file_unique_id": "a1",
            "width": 1,
            "height": 1,
            "duration": 1,
        }
    },
    {"venue": {"location": {"latitude": 0, "longitude": 0}, "title": "x", "address": "y"}},
    {"new_chat_title": "Judul baru"},
    {"pinned_message": {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}}},
)


@dataclass(frozen=True)
class Sender:
    """Someone the generator sends as, with where they can write."""

    user: FakeUser
    label: str  # e.g. "staf", "stranger", "deactivated"


class HostileUpdates:
    """Send ``count`` hostile updates, chosen by a seeded random generator."""

    def __init__(
        self,
        standin: BotApiStandin,
        senders: Sequence[Sender],
        group: FakeChat,
        *,
        seed: int,
    ) -> None:
        self.standin = standin
        self.senders = list(senders)
        self.group = group
        self.rng = random.Random(seed)
        self.sent: dict[str, int] = {}
        self._texts_sent: list[tuple[FakeUser, JSONDict]] = []
        self._moves: list[tuple[int, Callable[[Sender], Any]]] = [
            (20, self._odd_text),
            (20, self._odd_command),
            (20, self._forged_button),
            (6, self._button_without_message),
            (8, self._lying_file),
            (3, self._oversized_file_without_size),
            (3, self._odd_photo),
            (6, self._other_content),
            (6, self._group_message),
            (4, self._edit),
            (4, self._raw_update),
        ]

    async def send(self, count: int) -> None:
        """Send ``count`` updates."""
        weights = [weight for weight, _ in self._moves]
        for _ in range(count):
            sender = self.rng.choice(self.senders)
            _, move = self.rng.choices(self._moves, weights=weights)[0]
            await move(sender)

    def _count(self, kind: str) -> None:
        self.sent[kind] = self.sent.get(kind, 0) + 1

    # ------------------------------------------------------------------ the moves

    async def _odd_text(self, sender: Sender) -> None:
        text = self.rng.choice(TEXTS) if self.rng.random() < 0.7 else self._random_text()
        message = await self.standin.send_text(sender.user, text)
        self._texts_sent.append((sender.user, message))
        self._count("text")

    async def _odd_command(self, sender: Sender) -> None:
        names = [command.name for command in COMMANDS] + ["start", "help", "tidakada"]
        name = self.rng.choice(names)
        suffix = self.rng.choice(("", "", "@lapkin_test_bot", "@bot_lain"))
        argument = self.rng.choice(ODD_ARGUMENTS)
        await self.standin.send_text(sender.user, f"/{name}{suffix} {argument}")
        self._count("command")

    async def _forged_button(self, sender: Sender) -> None:
        data = self._forged_data()
        message = self._some_bot_message(sender.user)
        if message is None:
            await self.standin.tap_raw(sender.user, data, message=self._fake_message(sender))
        else:
            await self.standin.tap_data(sender.user, message, data)
        self._count("button")

    async def _button_without_message(self, sender: Sender) -> None:
        data = self._forged_data() if self.rng.random() < 0.8 else None
        message = None if self.rng.random() < 0.5 else self._fake_message(sender)
        await self.standin.tap_raw(sender.user, data, message=message)
        self._count("button-no-message")

    async def _lying_file(self, sender: Sender) -> None:
        name = self.rng.choice(FILE_NAMES)
        content = self.rng.choice(
            (
                b"MZ\x90\x00" + self.rng.randbytes(200),  # a Windows executable
                b"",
                b"%PDF-",  # a PDF that ends before it begins
                b"PK\x03\x04" + self.rng.randbytes(100),  # a broken zip
                self.rng.randbytes(self.rng.randint(1, 2000)),
            )
        )
        mime = self.rng.choice((None, "application/pdf", "application/x-msdownload", ""))
        await self.standin.send_document(
            sender.user, name, content, mime_type=mime, caption=self.rng.choice((None, "²", " "))
        )
        self._count("file")

    async def _oversized_file_without_size(self, sender: Sender) -> None:
        await self.standin.send_document(
            sender.user,
            self.rng.choice(("besar.pdf", "besar.xlsx")),
            b"%PDF-1.7\n",
            claimed_size=self.rng.choice((21 * 1024 * 1024, 2 * 1024**3)),
            size_hidden=self.rng.random() < 0.7,
        )
        self._count("file-oversized")

    async def _odd_photo(self, sender: Sender) -> None:
        await self.standin.send_photo(sender.user, self.rng.randbytes(64), caption="95")
        self._count("photo")

    async def _other_content(self, sender: Sender) -> None:
        await self.standin.send_content(sender.user, dict(self.rng.choice(OTHER_CONTENT)))
        self._count("other-content")

    async def _group_message(self, sender: Sender) -> None:
        if not self.group.has_member(sender.user):
            return await self._odd_text(sender)
        if self.rng.random() < 0.6:
            names = [command.name for command in COMMANDS] + ["start", "tidakada"]
            if sender.label == "kasubbag":
                # Her /daftarkan_grup here is no attack: it registers her unit's group.
                names.remove("daftarkan_grup")
            text = f"/{self.rng.choice(names)}@lapkin_test_bot {self.rng.choice(ODD_ARGUMENTS)}"
            await self.standin.send_text(sender.user, text, chat=self.group)
        else:
            content = self.rng.choice(
                (
                    {"new_chat_members": [self.standin.user("Tamu").to_dict()]},
                    {"left_chat_member": sender.user.to_dict()},
                    {"group_chat_created": True},
                    {
                        "text": "/isi@lapkin_test_bot",
                        "entities": [{"type": "bot_command", "offset": 0, "length": 20}],
                    },
                )
            )
            await self.standin.send_content(sender.user, dict(content), chat=self.group)
        self._count("group")

    async def _edit(self, sender: Sender) -> None:
        own = [message for user, message in self._texts_sent if user.id == sender.user.id]
        if not own:
            return await self._odd_text(sender)
        message = self.rng.choice(own)
        await self.standin.edit_text(sender.user, message, self.rng.choice(TEXTS))
        self._count("edit")

    async def _raw_update(self, sender: Sender) -> None:
        kind = self.rng.choice(RAW_KINDS)
        user = sender.user.to_dict()
        channel = {"id": -1001234567890, "type": "channel", "title": "Kanal"}
        group = self.group.to_dict()
        payloads: dict[str, tuple[str, JSONDict]] = {
            "channel_post": (
                "channel_post",
                {"message_id": 1, "date": 0, "chat": channel, "text": "/isi"},
            ),
            "edited_channel_post": (
                "edited_channel_post",
                {"message_id": 1, "date": 0, "edit_date": 1, "chat": channel, "text": "95"},
            ),
            "inline_query": (
                "inline_query",
                {"id": "77", "from": user, "query": "isi", "offset": ""},
            ),
            "chat_join_request": (
                "chat_join_request",
                {"chat": group, "from": user, "user_chat_id": sender.user.id, "date": 0},
            ),
            "message_reaction": (
                "message_reaction",
                {
                    "chat": group,
                    "message_id": 1,
                    "user": user,
                    "date": 0,
                    "old_reaction": [],
                    "new_reaction": [{"type": "emoji", "emoji": "👍"}],
                },
            ),
            "my_chat_member_group": (
                "my_chat_member",
                {
                    "chat": group,
                    "from": user,
                    "date": 0,
                    "old_chat_member": {"user": user, "status": "member"},
                    "new_chat_member": {
                        "user": user,
                        "status": "administrator",
                        "can_be_edited": False,
                        "is_anonymous": False,
                        "can_manage_chat": True,
                        "can_delete_messages": True,
                        "can_manage_video_chats": False,
                        "can_restrict_members": False,
                        "can_promote_members": False,
                        "can_change_info": False,
                        "can_invite_users": True,
                        "can_post_stories": False,
                        "can_edit_stories": False,
                        "can_delete_stories": False,
                    },
                },
            ),
            "chosen_inline_result": (
                "chosen_inline_result",
                {"result_id": "1", "from": user, "query": "x"},
            ),
        }
        update_kind, payload = payloads[kind]
        self.standin.post_update(update_kind, payload)
        self._count(f"raw-{kind}")

    # ------------------------------------------------------------------ ingredients

    def _random_text(self) -> str:
        alphabet = string.printable + "²³¹١٢٣۴\u200b\u202e\x00éß漢字🙂"
        return "".join(self.rng.choice(alphabet) for _ in range(self.rng.randint(1, 60)))

    def _forged_data(self) -> str:
        choice = self.rng.random()
        if choice < 0.15:
            return "".join(
                self.rng.choice(string.printable) for _ in range(self.rng.randint(0, 64))
            )
        parts = [self.rng.choice(AREAS), self.rng.choice(ACTIONS)]
        parts += [self.rng.choice(ODD_IDS) for _ in range(self.rng.randint(0, 4))]
        return ":".join(parts)[:64]

    def _some_bot_message(self, user: FakeUser) -> Any:
        messages = [m for m in self.standin.messages(user) if not m.deleted]
        return self.rng.choice(messages) if messages else None

    def _fake_message(self, sender: Sender) -> JSONDict:
        """A message the bot never sent (or long deleted), in the sender's chat or a group."""
        chat = self.standin.private_chat(sender.user)
        if self.rng.random() < 0.3:
            chat = self.group.to_dict()
        return {
            "message_id": self.rng.choice((1, 999_999, 2**31 - 1)),
            "date": 0,
            "chat": chat,
            "text": "lama",
        }
