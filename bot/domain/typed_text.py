"""What a person typed, made safe to store: control characters out, line breaks kept."""

from __future__ import annotations

import re

# C0 controls but tab and line feed, and DEL. NUL in particular: PostgreSQL refuses it in
# text, so one pasted NUL in a penjelasan would make every later Kirim of that entry fail.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_typed_text(text: str) -> str:
    """Return ``text`` without control characters (CR LF and lone CR become LF)."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
