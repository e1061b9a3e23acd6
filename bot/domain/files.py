"""Rules for uploaded files: which kinds are accepted, how big, and safe names."""

from __future__ import annotations

import re
import unicodedata

MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # what a bot may download from Telegram's cloud API

EVIDENCE_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
XLSX_MIME = EVIDENCE_TYPES[".xlsx"]
DOCX_MIME = EVIDENCE_TYPES[".docx"]


def sanitize_filename(name: str, *, fallback: str = "berkas") -> str:
    """Return ``name`` without path parts or characters that upset file systems or chats."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f<>:\"|?*]", "_", name).strip(" .")
    if len(name) > 120:
        stem, dot, extension = name.rpartition(".")
        name = (stem[: 120 - len(extension) - 1] + dot + extension) if dot else name[:120]
    return name or fallback


def extension_of(name: str) -> str:
    """Return the lower-case extension with its dot ('' when there is none)."""
    _, dot, extension = name.rpartition(".")
    return f".{extension.lower()}" if dot else ""


def evidence_refusal(name: str, size: int | None) -> str | None:
    """Say why a file cannot be evidence, or None when it can."""
    if extension_of(name) not in EVIDENCE_TYPES:
        return (
            f'Maaf, berkas "{name}" tidak dapat diterima sebagai bukti. Jenis yang diterima: '
            "pdf, docx, xlsx, jpg, png."
        )
    if size is not None and size > MAX_UPLOAD_BYTES:
        return f'Maaf, berkas "{name}" lebih dari 20 MB. Mohon perkecil atau pecah berkasnya.'
    return None
