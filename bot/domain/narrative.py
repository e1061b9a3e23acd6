"""The LKjIP's narrative sections the team may write itself (the rest comes from the data).

Each section has a key (stored with every version of its text) and the name people see. A
section nobody wrote is filled with sentences generated from the data
(bot.documents.lkjip_narrative), never left empty. The per-sasaran synthesis of Bab III.A is
keyed ``sintesis:<kode sasaran>``.
"""

from __future__ import annotations

from typing import Final

SECTIONS: Final[dict[str, str]] = {
    "kata_pengantar": "Kata Pengantar",
    "ikhtisar_tujuan": "Ikhtisar Eksekutif: tujuan dan sasaran",
    "ikhtisar_kendala": "Ikhtisar Eksekutif: kendala utama",
    "ikhtisar_langkah": "Ikhtisar Eksekutif: langkah yang telah ditempuh",
    "tugas_fungsi": "Bab I: tugas dan fungsi",
    "isu_strategis": "Bab I: isu strategis",
    "langkah_ke_depan": "Bab IV: langkah ke depan",
}
SYNTHESIS_PREFIX: Final = "sintesis:"


def section_label(key: str) -> str:
    """The name of section ``key`` as people read it."""
    if key.startswith(SYNTHESIS_PREFIX):
        return f"Bab III.A: sintesis sasaran {key.removeprefix(SYNTHESIS_PREFIX)}"
    return SECTIONS[key]
