"""Everything the bot says, as pure functions: Indonesian, polite, short."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.domain.formatting import format_datetime
from bot.domain.roles import ROLE_LABELS, Role, commands_for

NOT_REGISTERED = (
    "Mohon maaf, Lapkin hanya dapat digunakan oleh pegawai yang telah diundang.\n\n"
    "Jika Anda pegawai di kantor ini, mintalah tautan undangan kepada admin Lapkin, lalu "
    "buka tautan tersebut dari akun Telegram Anda."
)
NOT_REGISTERED_SHORT = "Maaf, Anda belum terdaftar di Lapkin."
INACTIVE = (
    "Mohon maaf, data Anda sudah tidak aktif di Lapkin. Jika ini keliru, silakan hubungi "
    "admin Lapkin."
)
PRIVATE_ONLY = "Silakan gunakan perintah ini di percakapan pribadi dengan saya."
CANCELLED = "Dibatalkan. Data yang sudah Anda kirim sebelumnya tetap tersimpan."
NOTHING_TO_CANCEL = "Tidak ada isian yang sedang berjalan. Ketik /bantuan untuk daftar perintah."
UNKNOWN_COMMAND = "Maaf, perintah itu tidak saya kenal. Ketik /bantuan untuk daftar perintah."
UNEXPECTED_TEXT = (
    "Maaf, saya belum dapat memahami pesan itu. Gunakan tombol pada pesan saya, atau ketik "
    "/bantuan untuk daftar perintah."
)
STALE_BUTTON = "Tombol ini sudah tidak berlaku."
EDIT_NOT_READ = (
    "✏️ Pesan yang diubah tidak dibaca oleh Lapkin; isian Anda tetap seperti yang terkirim "
    "sebelumnya. Untuk mengganti jawaban, kirim pesan baru saat ditanya, tekan Ubah pada "
    "ringkasan isian, atau ketik /batal untuk membatalkan isian."
)
ERROR = (
    "Mohon maaf, terjadi kesalahan di sistem. Kesalahan ini sudah dicatat dan dilaporkan "
    "kepada admin. Silakan coba lagi beberapa saat lagi."
)
# When the report itself could not be queued (the database is what failed).
ERROR_NOT_REPORTED = (
    "Mohon maaf, terjadi kesalahan di sistem. Silakan coba lagi beberapa saat lagi; bila "
    "masih gagal, beri tahu admin Lapkin."
)
ADMIN_ONLY = "Maaf, perintah ini hanya untuk admin Lapkin."
NOT_RENDATIN = "Maaf, hanya Tim Laporan Kinerja (Rendatin) yang dapat melakukan ini."
NOT_ALLOWED = "Maaf, Anda tidak berwenang melakukan ini."
NO_OFFICE = "Kantor tidak ditemukan."
# The command menu of someone the bot does not know yet: (command, description).
STRANGER_MENU = (("start", "Mulai / daftar dengan tautan undangan"), ("bantuan", "Bantuan"))
INVITE_USAGE = "Cara memakai: /undang <NIP>, misalnya /undang 199001052015031002."


def role_labels(roles: Iterable[Role]) -> str:
    """Name the roles in the office's words, in a stable order."""
    ordered = [role for role in Role if role in set(roles)]
    return ", ".join(ROLE_LABELS[role] for role in ordered)


class ListedPerson(Protocol):
    """What /pegawai shows of a person (bot.services.people.PersonView has it all)."""

    @property
    def name(self) -> str: ...
    @property
    def nip(self) -> str: ...
    @property
    def unit_code(self) -> str | None: ...
    @property
    def roles(self) -> frozenset[Role]: ...
    @property
    def active(self) -> bool: ...
    @property
    def registered(self) -> bool: ...
    @property
    def registered_at(self) -> datetime | None: ...
    @property
    def blocked_at(self) -> datetime | None: ...


def help_text(roles: frozenset[Role]) -> str:
    """List the commands that ``roles`` allow."""
    lines = ["Perintah yang dapat Anda gunakan:"]
    lines += [f"/{command.name} — {command.description}" for command in commands_for(roles)]
    return "\n".join(lines)


class Newcomer(Protocol):
    """What the welcome says of a person who just registered (PersonView has it all)."""

    @property
    def name(self) -> str: ...
    @property
    def office_name(self) -> str: ...
    @property
    def jabatan(self) -> str: ...
    @property
    def unit_name(self) -> str | None: ...
    @property
    def roles(self) -> frozenset[Role]: ...


def welcome(person: Newcomer) -> str:
    """Greet a person who has just registered."""
    unit = f"\nUnit: {person.unit_name}" if person.unit_name else ""
    return (
        f"Selamat datang, {person.name}!\n"
        f"Anda kini terdaftar di Lapkin — {person.office_name}.\n"
        f"Jabatan: {person.jabatan}{unit}\n"
        f"Peran: {role_labels(person.roles)}\n\n"
        f"{help_text(person.roles)}"
    )


def joined_another_office(office_name: str) -> str:
    """Tell an account already in other offices that its commands now act in this one."""
    return (
        f"Akun Telegram Anda kini terdaftar di lebih dari satu kantor. Perintah Anda berlaku "
        f"untuk {office_name}; pilih kantor lain dengan /kantor. Tombol pada pesan selalu "
        "berlaku untuk kantor pesan itu."
    )


def greeting(*, name: str, roles: frozenset[Role]) -> str:
    """Greet a registered person who sends /start again."""
    return f"Selamat datang kembali, {name}!\n\n{help_text(roles)}"


def invitation_created(
    *, name: str, nip: str, link: str, expires_at: datetime, tz: ZoneInfo
) -> str:
    """Tell the admin the link to pass on."""
    return (
        f"Tautan undangan untuk {name} (NIP {nip}):\n{link}\n\n"
        f"Berlaku sampai {format_datetime(expires_at, tz)} dan hanya dapat dipakai sekali. "
        "Teruskan tautan ini hanya kepada yang bersangkutan."
    )


def people_list(people: Sequence[ListedPerson], tz: ZoneInfo) -> str:
    """List everyone with roles and registration status, for /pegawai."""
    lines = [f"Daftar pegawai ({len(people)} orang):"]
    for person in people:
        if not person.active:
            status = "⛔ tidak aktif"
        elif person.registered_at is not None:
            status = f"✅ terdaftar {format_datetime(person.registered_at, tz)}"
        else:
            status = "⏳ belum terdaftar"
        if person.blocked_at is not None:
            status += f"\n{blocked_since(person.blocked_at, tz)}"
        roles = ", ".join(role.value for role in Role if role in person.roles)
        unit = f" · {person.unit_code}" if person.unit_code else ""
        lines.append(f"\n{person.name}{unit}\nNIP {person.nip} · {roles}\n{status}")
    return "\n".join(lines)


def unregistered_hint(people: Sequence[ListedPerson]) -> str:
    """Show the admin who still needs an invitation."""
    waiting = [p for p in people if p.active and not p.registered]
    if not waiting:
        return INVITE_USAGE + "\n\nSemua pegawai aktif sudah terdaftar."
    lines = [INVITE_USAGE, "", "Belum terdaftar:"]
    lines += [f"• {person.nip} — {person.name}" for person in waiting]
    return "\n".join(lines)


# --- Blocked people and the bot's chats (bot.services.reachability, handlers.membership).


def blocked_since(blocked_at: datetime, tz: ZoneInfo) -> str:
    """Say in /pegawai that someone's messages are held because they blocked the bot."""
    return f"⛔ memblokir bot sejak {format_datetime(blocked_at, tz)} (pesan untuknya ditahan)"


def welcome_back(held: int) -> str:
    """Tell a person who unblocked the bot that what was held for them follows."""
    return (
        f"Selamat datang kembali. Selama bot diblokir, {held} pesan Lapkin untuk Anda "
        "tertahan; pesan-pesan itu menyusul sekarang sesuai urutannya. Isinya mungkin sudah "
        "tidak terbaru: tombol yang sudah tidak berlaku akan diberi tahu saat ditekan."
    )


GROUP_ADDED = (
    "Terima kasih telah menambahkan Lapkin. Kepala Sub Bagian dapat mendaftarkan grup ini "
    "sebagai grup unitnya dengan /daftarkan_grup; Nota Dinas akan dikirim juga ke sini. "
    "Pengisian data tetap di percakapan pribadi dengan bot."
)
