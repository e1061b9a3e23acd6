"""Play Telegram users by hand against the stand-in: for newcomers trying Lapkin offline.

Each line typed is one action of the current user; the bot's answers are printed as they
arrive. See ``python -m tests.standin --help`` and README "Trying Lapkin without Telegram".
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from .model import FakeUser, SentMessage
from .server import BotApiStandin

HELP = """\
Perintah konsol (selain itu, baris yang diketik dikirim sebagai pesan pengguna aktif):
  :user NAMA          buat (atau pilih) pengguna NAMA dan jadikan aktif
  :tap TEKS           tekan tombol yang memuat TEKS pada pesan bot terakhir yang bertombol
  :file BERKAS        kirim BERKAS (path di komputer ini) sebagai dokumen
  :show [N]           tampilkan N pesan terakhir di obrolan pengguna aktif (bawaan 5)
  :help               tampilkan bantuan ini
  :quit               keluar"""


class Console:
    """Turn typed lines into user actions on the stand-in, and print what the bot sends."""

    def __init__(self, standin: BotApiStandin, write: Callable[[str], None]) -> None:
        self.standin = standin
        self.write = write
        self.users: dict[str, FakeUser] = {}
        self.current: FakeUser | None = None
        self._printed: dict[int, int] = {}

    async def handle(self, line: str) -> bool:
        """Carry out one typed line; False when the console should end."""
        line = line.rstrip("\n")
        command, _, rest = line.partition(" ")
        if command == ":quit":
            return False
        if command == ":help" or not line.strip():
            self.write(HELP)
        elif command == ":user":
            self._choose_user(rest.strip() or "Tamu")
        elif self.current is None:
            self.write("Pilih pengguna dulu: :user NAMA")
        elif command == ":tap":
            await self._tap(self.current, rest.strip())
        elif command == ":file":
            await self._send_file(self.current, rest.strip())
        elif command == ":show":
            count = int(rest) if rest.strip().isascii() and rest.strip().isdigit() else 5
            for message in self.standin.messages(self.current)[-count:]:
                self.write(_render(self.current, message))
        else:
            await self.standin.send_text(self.current, line)
        return True

    def print_new_messages(self) -> None:
        """Print what the bot sent to any of the console's users since last time."""
        for user in self.users.values():
            messages = self.standin.messages(user)
            for message in messages[self._printed.get(user.id, 0) :]:
                self.write(_render(user, message))
            self._printed[user.id] = len(messages)

    def _choose_user(self, name: str) -> None:
        if name not in self.users:
            self.users[name] = self.standin.user(name)
            self.write(f"Pengguna baru {name} (id {self.users[name].id}).")
        self.current = self.users[name]

    async def _send_file(self, user: FakeUser, name: str) -> None:
        path = Path(name)
        try:
            content = await asyncio.to_thread(_read, path)
        except OSError:
            self.write(f"Berkas {path} tidak dapat dibaca.")
            return
        await self.standin.send_document(user, path.name, content)

    async def _tap(self, user: FakeUser, label: str) -> None:
        with_buttons = [m for m in self.standin.messages(user) if m.buttons and not m.deleted]
        if not with_buttons:
            self.write("Belum ada pesan bertombol.")
            return
        message = with_buttons[-1]
        matches = [text for row in message.buttons for text in row if label.lower() in text.lower()]
        if not matches:
            self.write(f"Tidak ada tombol yang memuat {label!r}: {message.buttons}")
            return
        await self.standin.tap(user, message, matches[0])


def _read(path: Path) -> bytes:
    return path.expanduser().read_bytes()


def _render(user: FakeUser, message: SentMessage) -> str:
    lines = [f"── bot → {user.first_name} ──"]
    if message.document is not None:
        lines.append(f"[berkas: {message.document.get('file_name', '')}]")
    if message.body:
        lines.append(message.body)
    for row in message.buttons:
        lines.append("  ".join(f"[{text}]" for text in row))
    return "\n".join(lines)
