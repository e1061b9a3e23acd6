"""argparse in Indonesian: the operator reads the CLI in the same language as the bot.

argparse passes every text it writes itself (usage, section titles, its errors) through
gettext; with no Indonesian catalogue installed, this table plays that catalogue's part.
"""

from __future__ import annotations

import argparse

INDONESIAN = {
    "usage: ": "penggunaan: ",
    "positional arguments": "argumen",
    "options": "opsi",
    "show this help message and exit": "tampilkan bantuan ini lalu keluar",
    "%(prog)s: error: %(message)s\n": "%(prog)s: galat: %(message)s\n",
    "the following arguments are required: %s": "argumen berikut wajib diisi: %s",
    "unrecognized arguments: %s": "argumen tidak dikenal: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "pilihan tidak dikenal: %(value)r (pilih dari %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "nilai %(type)s tidak sah: %(value)r",
    "argument %(argument_name)s: %(message)s": "argumen %(argument_name)s: %(message)s",
    "expected one argument": "perlu satu nilai",
    "ambiguous option: %(option)s could match %(matches)s": (
        "opsi %(option)s ambigu: bisa berarti %(matches)s"
    ),
}


def speak_indonesian() -> None:
    """Make argparse write its own texts in Indonesian (call before building a parser)."""
    argparse._ = lambda text: INDONESIAN.get(text, text)  # type: ignore[attr-defined]
