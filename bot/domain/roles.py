"""The roles of PRODUCT.md §1 and the commands each role may use."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.formatting import join_words


class Role(StrEnum):
    """A role a person holds in the office; a person may hold several."""

    STAF = "staf"
    KASUBBAG = "kasubbag"
    RENDATIN = "rendatin"
    SEKRETARIS = "sekretaris"
    PIMPINAN = "pimpinan"
    PROVINSI = "provinsi"
    ADMIN = "admin"


ROLE_LABELS: dict[Role, str] = {
    Role.STAF: "Staf Sub Bagian",
    Role.KASUBBAG: "Kepala Sub Bagian",
    Role.RENDATIN: "Tim Laporan Kinerja (Rendatin)",
    Role.SEKRETARIS: "Sekretaris",
    Role.PIMPINAN: "Pimpinan (Ketua/Anggota)",
    Role.PROVINSI: "Penerima di KPU Provinsi",
    Role.ADMIN: "Admin",
}


@dataclass(frozen=True)
class Command:
    """A bot command: who may use it, where, and how /bantuan and the menus show it.

    This table is the one source of the authorisation matrix: the handlers refuse anyone
    outside ``roles`` before a command runs (handlers/permissions.py), the menus and /bantuan
    list it, README.md shows it (``access_table``), and tests/e2e/test_authorisation.py
    tries every cell. The services check again (a button press has no command to gate).
    """

    name: str
    description: str
    roles: frozenset[Role] | None = None  # None: every registered person
    in_group: bool = False  # used inside a unit's group chat; every other command is private
    menu_roles: frozenset[Role] | None = None  # shown to fewer than may use it (default: roles)

    def allowed_for(self, roles: Iterable[Role]) -> bool:
        """Tell whether someone holding ``roles`` may use this command."""
        return self.roles is None or bool(self.roles & set(roles))

    def shown_to(self, roles: Iterable[Role]) -> bool:
        """Tell whether the command belongs in the menu of someone holding ``roles``."""
        if self.menu_roles is None:
            return self.allowed_for(roles)
        return bool(self.menu_roles & set(roles))


# Only commands that exist are listed: a menu entry that answers "not yet" would be a lie.
COMMANDS: tuple[Command, ...] = (
    Command("bantuan", "Daftar perintah yang dapat Anda gunakan"),
    Command("isi", "Isi data capaian kinerja unit Anda", frozenset({Role.STAF, Role.KASUBBAG})),
    Command("siklus", "Mulai pengumpulan data (Nota Dinas)", frozenset({Role.RENDATIN})),
    Command(
        "status",
        "Kemajuan pengumpulan data per unit",
        frozenset({Role.RENDATIN, Role.PIMPINAN, Role.SEKRETARIS}),
    ),
    Command("pk", "Template dan impor Perjanjian Kinerja", frozenset({Role.RENDATIN})),
    Command(
        "analisis",
        "Ringkasan dan grafik capaian kinerja",
        frozenset({Role.RENDATIN, Role.PIMPINAN, Role.SEKRETARIS}),
    ),
    Command("rapat", "Jadwalkan atau lihat rapat reviu", frozenset({Role.RENDATIN})),
    Command("anggaran", "Template dan impor data anggaran", frozenset({Role.RENDATIN})),
    Command("konsep", "Susun konsep Laporan Kinerja (LKjIP)", frozenset({Role.RENDATIN})),
    Command("narasi", "Baca dan ganti narasi Laporan Kinerja", frozenset({Role.RENDATIN})),
    Command("ajukan", "Ajukan konsep terbaru untuk paraf Kasubbag", frozenset({Role.RENDATIN})),
    # Anyone may be appointed Plh./Plt. of a reviewer, so anyone may ask what awaits them;
    # the menu stays short for the rest.
    Command(
        "persetujuan",
        "Konsep laporan yang menunggu paraf atau tanda tangan",
        menu_roles=frozenset({Role.KASUBBAG, Role.SEKRETARIS, Role.RENDATIN, Role.ADMIN}),
    ),
    Command(
        "kepatuhan",
        "Kepatuhan waktu SOP per langkah (grafik dan Excel)",
        frozenset({Role.RENDATIN, Role.SEKRETARIS, Role.PIMPINAN, Role.ADMIN}),
    ),
    Command(
        "pantau",
        "Pantau laporan kabupaten/kota (KPU Provinsi)",
        frozenset({Role.PROVINSI, Role.RENDATIN, Role.SEKRETARIS, Role.PIMPINAN}),
        menu_roles=frozenset({Role.PROVINSI}),
    ),
    Command("kirim", "Kirim laporan bertanda tangan ke KPU Provinsi", frozenset({Role.RENDATIN})),
    Command("arsipkan", "Arsipkan siklus setelah laporan dikirim", frozenset({Role.RENDATIN})),
    Command(
        "arsip",
        "Arsip laporan: per tahun, cari berkas, unduh zip",
        frozenset({Role.RENDATIN, Role.SEKRETARIS, Role.PIMPINAN, Role.ADMIN}),
    ),
    Command("pengingat", "Jeda atau lanjutkan pengingat sebuah unit", frozenset({Role.RENDATIN})),
    Command(
        "ringkasan",
        "Aktifkan atau matikan ringkasan pagi",
        frozenset({Role.RENDATIN, Role.SEKRETARIS}),
    ),
    Command(
        "daftarkan_grup",
        "Daftarkan grup Telegram unit (di dalam grup)",
        frozenset({Role.KASUBBAG}),
        in_group=True,
    ),
    Command("batal", "Batalkan isian yang sedang berjalan"),
    Command("kantor", "Pilih kantor tempat Anda bekerja (bila lebih dari satu)"),
    Command("undang", "Buat tautan undangan untuk pegawai (NIP)", frozenset({Role.ADMIN})),
    Command("pegawai", "Daftar pegawai dan status pendaftarannya", frozenset({Role.ADMIN})),
    Command(
        "delegasi", "Tunjuk Plh./Plt. untuk pemeriksa yang berhalangan", frozenset({Role.ADMIN})
    ),
)


COMMAND_BY_NAME: dict[str, Command] = {command.name: command for command in COMMANDS}


def commands_for(roles: Iterable[Role]) -> list[Command]:
    """Return the commands for the menu of a person with ``roles``, in menu order."""
    held = set(roles)
    return [command for command in COMMANDS if command.shown_to(held)]


def who_holds(roles: frozenset[Role] | None) -> str:
    """Name ``roles`` in Indonesian ("A, B, dan C"); None is every registered person."""
    if roles is None:
        return "semua pegawai terdaftar"
    labels = [ROLE_LABELS[role] for role in Role if role in roles]
    return join_words(labels)


def access_table() -> str:
    """The authorisation matrix as a Markdown table (README.md shows exactly this)."""
    roles = list(Role)
    header = "| perintah | " + " | ".join(role.value for role in roles) + " |"
    rows = [header, "|---|" + "---|" * len(roles)]
    for command in COMMANDS:
        cells = ["✓" if command.allowed_for([role]) else "—" for role in roles]
        where = " (di grup)" if command.in_group else ""
        rows.append(f"| `/{command.name}`{where} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def parse_role(value: str) -> Role:
    """Read a role name as written in the organisation file, or raise ValueError."""
    try:
        return Role(value.strip().lower())
    except ValueError:
        allowed = ", ".join(role.value for role in Role)
        raise ValueError(f"peran '{value}' tidak dikenal (pilihan: {allowed})") from None
