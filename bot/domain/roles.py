"""The roles of PRODUCT.md §1 and the commands each role may use."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


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
    """A bot command shown in /bantuan and in the person's command menu."""

    name: str
    description: str
    roles: frozenset[Role] | None = None  # None: every registered person

    def allowed_for(self, roles: Iterable[Role]) -> bool:
        """Tell whether someone holding ``roles`` may use this command."""
        return self.roles is None or bool(self.roles & set(roles))


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
    Command("ajukan", "Ajukan konsep terbaru untuk paraf Kasubbag", frozenset({Role.RENDATIN})),
    # A Plh./Plt. outside these roles can still type it; the menu stays short for the rest.
    Command(
        "persetujuan",
        "Konsep laporan yang menunggu paraf atau tanda tangan",
        frozenset({Role.KASUBBAG, Role.SEKRETARIS, Role.RENDATIN, Role.ADMIN}),
    ),
    Command(
        "kepatuhan",
        "Kepatuhan waktu SOP per langkah (grafik dan Excel)",
        frozenset({Role.RENDATIN, Role.SEKRETARIS, Role.PIMPINAN, Role.ADMIN}),
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
        "daftarkan_grup", "Daftarkan grup Telegram unit (di dalam grup)", frozenset({Role.KASUBBAG})
    ),
    Command("batal", "Batalkan isian yang sedang berjalan"),
    Command("undang", "Buat tautan undangan untuk pegawai (NIP)", frozenset({Role.ADMIN})),
    Command("pegawai", "Daftar pegawai dan status pendaftarannya", frozenset({Role.ADMIN})),
    Command(
        "delegasi", "Tunjuk Plh./Plt. untuk pemeriksa yang berhalangan", frozenset({Role.ADMIN})
    ),
)


def commands_for(roles: Iterable[Role]) -> list[Command]:
    """Return the commands a person with ``roles`` may use, in menu order."""
    held = set(roles)
    return [command for command in COMMANDS if command.allowed_for(held)]


def parse_role(value: str) -> Role:
    """Read a role name as written in the organisation file, or raise ValueError."""
    try:
        return Role(value.strip().lower())
    except ValueError:
        allowed = ", ".join(role.value for role in Role)
        raise ValueError(f"peran '{value}' tidak dikenal (pilihan: {allowed})") from None
