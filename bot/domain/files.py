"""Rules for uploaded files: which kinds are accepted, how big, what their bytes are, safe names."""

from __future__ import annotations

import io
import re
import struct
import unicodedata
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from bot.domain.numbers import format_number

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
"""What a bot may download from Telegram's cloud API: the default of MAX_UPLOAD_MB, which a
self-hosted Bot API server in local mode may raise (UploadLimits.file_bytes)."""

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
PDF_MIME = EVIDENCE_TYPES[".pdf"]


def is_png_or_jpeg(data: bytes) -> bool:
    """Tell whether ``data`` starts like a PNG or a JPEG image (what a .docx can hold)."""
    return data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff"))


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


def evidence_refusal(name: str, size: int | None, max_bytes: int = MAX_UPLOAD_BYTES) -> str | None:
    """Say why a file cannot be evidence (its kind, or more than ``max_bytes``), or None."""
    if extension_of(name) not in EVIDENCE_TYPES:
        return (
            f'Maaf, berkas "{name}" tidak dapat diterima sebagai bukti. Jenis yang diterima: '
            "pdf, docx, xlsx, jpg, png."
        )
    if size is not None and size > max_bytes:
        return (
            f'Maaf, berkas "{name}" lebih dari {_mb(max_bytes)}. Mohon perkecil atau pecah '
            "berkasnya."
        )
    return None


# ------------------------------------------------------------------ what the bytes really are

OLE2_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
"""Old Office files (.doc, .xls) and password-protected .docx/.xlsx are OLE2 compound files."""
ZIP_SIGNATURE = b"PK\x03\x04"

_JPEG = (b"\xff\xd8\xff",)
# The first bytes every file of an accepted kind starts with: a small table instead of
# libmagic, which would need a system library for six kinds.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": _JPEG,
    ".jpeg": _JPEG,
    ".docx": (ZIP_SIGNATURE,),
    ".xlsx": (ZIP_SIGNATURE,),
}
# An Office file is a zip; which program made it shows in its main part.
MAIN_PARTS = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}
_CONTENT_TYPES = "[Content_Types].xml"
KIND_NAMES = {
    ".pdf": "PDF",
    ".png": "gambar PNG",
    ".jpg": "gambar JPEG",
    ".jpeg": "gambar JPEG",
    ".docx": "dokumen Word (.docx)",
    ".xlsx": "buku kerja Excel (.xlsx)",
}
# What a file that is not what its name says most likely is, to say so in the refusal.
_LOOKALIKES: tuple[tuple[bytes, str], ...] = (
    (b"MZ", "sebuah program Windows (.exe)"),
    (b"\x7fELF", "sebuah program Linux"),
    (b"#!", "sebuah skrip program"),
    (b"%PDF-", "sebuah PDF"),
    (b"\x89PNG", "sebuah gambar PNG"),
    (b"\xff\xd8\xff", "sebuah gambar JPEG"),
    (b"GIF8", "sebuah gambar GIF"),
    (b"RIFF", "sebuah berkas media (gambar WebP, suara atau video)"),
    (OLE2_SIGNATURE, "dokumen Office lama (.doc/.xls) atau yang dilindungi kata sandi"),
    (b"Rar!", "sebuah arsip RAR"),
    (b"7z\xbc\xaf\x27\x1c", "sebuah arsip 7z"),
    (b"{\\rtf", "sebuah dokumen RTF"),
)
_ZIP_KINDS = (
    ("word/document.xml", "sebuah dokumen Word (.docx)"),
    ("xl/workbook.xml", "sebuah buku kerja Excel (.xlsx)"),
    ("ppt/presentation.xml", "sebuah presentasi PowerPoint (.pptx)"),
)
MAX_ZIP_DIRECTORY_BYTES = 1024 * 1024
"""The largest zip directory read to find an Office file's parts: zipfile holds all of it
(and an object per part) in memory; a .docx with 500 pictures has ~50 KB."""


def content_refusal(name: str, data: bytes) -> str | None:
    """Say why a file's bytes are not what its name says, or None when they are.

    Kinds this table does not know are left to ``evidence_refusal``.
    """
    extension = extension_of(name)
    signatures = SIGNATURES.get(extension)
    if signatures is None or _is_kind(extension, data, signatures):
        return None
    actual = describe_content(data)
    seems = f" (tampaknya {actual})" if actual else ""
    return (
        f'Maaf, berkas "{name}" tidak dapat diterima: namanya berakhiran {extension}, tetapi '
        f"isinya bukan {KIND_NAMES[extension]}{seems}. Mohon kirim berkas aslinya, misalnya "
        f"buka dokumennya lalu simpan atau ekspor ulang sebagai {extension}."
    )


def _is_kind(extension: str, data: bytes, signatures: tuple[bytes, ...]) -> bool:
    if not data.startswith(signatures):
        return False
    main_part = MAIN_PARTS.get(extension)
    if main_part is None:
        return True
    names = zip_names(data)
    return names is not None and {_CONTENT_TYPES, main_part} <= names


def photo_name(unique_id: str, data: bytes) -> tuple[str, str]:
    """Name a chat photo, and give its MIME type, by what its bytes are.

    Telegram sends photos as JPEG; should one come as PNG, it is named .png, not refused as a
    .jpg that is no JPEG.
    """
    if data.startswith(SIGNATURES[".png"]):
        return f"foto-{unique_id}.png", EVIDENCE_TYPES[".png"]
    return f"foto-{unique_id}.jpg", EVIDENCE_TYPES[".jpg"]


def describe_content(data: bytes) -> str | None:
    """Name what ``data`` most likely is, from its first bytes, or None when unknown."""
    if data.startswith(ZIP_SIGNATURE):
        names = zip_names(data) or set()
        return next((kind for part, kind in _ZIP_KINDS if part in names), "sebuah arsip zip")
    head = data[:64].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "sebuah halaman web (HTML)"
    return next((kind for magic, kind in _LOOKALIKES if data.startswith(magic)), None)


def zip_directory(data: bytes) -> tuple[int, int] | None:
    """Return a zip's (number of parts, directory bytes) from its end record, or None.

    Read before zipfile reads the directory itself, which it does whole.
    """
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - (22 + 65_535)))
    if end < 0 or end + 22 > len(data):
        return None
    parts, directory_bytes = struct.unpack_from("<HI", data, end + 10)
    return parts, directory_bytes


def zip_names(data: bytes) -> set[str] | None:
    """Return the names of a zip's parts (nothing is unpacked), or None if it is no zip."""
    directory = zip_directory(data)
    if directory is None or directory[1] > MAX_ZIP_DIRECTORY_BYTES:
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return set(archive.namelist())
    except Exception:  # a damaged zip breaks zipfile in many ways; all mean "not a zip"
        return None


# ------------------------------------------------------------------ how much may be stored

MB = 1024 * 1024


@dataclass(frozen=True)
class UploadLimits:
    """How much may be uploaded in a cycle, how much disk must stay free, and the largest file
    (bot.settings)."""

    person_cycle_bytes: int = 500 * MB
    cycle_bytes: int = 5 * 1024 * MB
    disk_reserve_bytes: int = 1024 * MB
    file_bytes: int = MAX_UPLOAD_BYTES


DEFAULT_UPLOAD_LIMITS = UploadLimits()


class LimitKind(StrEnum):
    """Which limit an upload met."""

    DISK = "disk"
    PERSON = "person"
    CYCLE = "cycle"


@dataclass(frozen=True)
class UploadUsage:
    """What is already stored: by the person and by everyone in the cycle, and what is free.

    ``person_adds`` and ``cycle_adds`` are what the new file adds to each (0 when the same
    content was already uploaded and counted).
    """

    person_used: int
    person_adds: int
    cycle_used: int
    cycle_adds: int
    free_bytes: int


@dataclass(frozen=True)
class UploadRefusal:
    """Why an upload is not stored: for the person who sent it, and for the admins."""

    kind: LimitKind
    message: str
    alert: str


def upload_refusal(
    *,
    name: str,
    size: int,
    usage: UploadUsage,
    limits: UploadLimits,
    person: str,
    period: str,
) -> UploadRefusal | None:
    """Say why a file of ``size`` bytes may not be stored now, or None when it may."""
    if usage.free_bytes - size < limits.disk_reserve_bytes:
        return UploadRefusal(
            LimitKind.DISK,
            f'Maaf, berkas "{name}" belum dapat disimpan karena ruang penyimpanan server '
            "Lapkin hampir penuh. Isian yang sudah tersimpan tetap aman. Mohon coba kirim lagi "
            "nanti, atau hubungi admin Lapkin.",
            f"⚠️ Ruang penyimpanan Lapkin hampir penuh: tersisa {_mb(usage.free_bytes)} di "
            f"DATA_DIR, di bawah cadangan {_mb(limits.disk_reserve_bytes)} (DISK_RESERVE_MB). "
            "Berkas yang dikirim ditolak sampai ruangnya dikosongkan atau ditambah. Pesan ini "
            "dikirim sekali sehari selama masalahnya ada.",
        )
    if usage.person_adds and usage.person_used + usage.person_adds > limits.person_cycle_bytes:
        return UploadRefusal(
            LimitKind.PERSON,
            f'Maaf, berkas "{name}" ({_mb(size)}) melebihi kuota unggah Anda untuk {period}: '
            f"sudah terpakai {_mb(usage.person_used)} dari {_mb(limits.person_cycle_bytes)}. "
            "Mohon perkecil berkasnya (misalnya simpan ulang PDF dengan kualitas lebih rendah), "
            "atau hubungi admin Lapkin bila memang perlu lebih.",
            f"⚠️ Kuota unggah {person} untuk {period} tercapai: {_mb(usage.person_used)} dari "
            f"{_mb(limits.person_cycle_bytes)} (UPLOAD_QUOTA_PERSON_MB). Berkas berikutnya "
            f"dari {person} ditolak; naikkan batasnya bila memang perlu.",
        )
    if usage.cycle_adds and usage.cycle_used + usage.cycle_adds > limits.cycle_bytes:
        return UploadRefusal(
            LimitKind.CYCLE,
            f'Maaf, berkas "{name}" ({_mb(size)}) belum dapat disimpan: kuota unggah seluruh '
            f"kantor untuk {period} sudah terpakai {_mb(usage.cycle_used)} dari "
            f"{_mb(limits.cycle_bytes)}. Mohon hubungi admin Lapkin.",
            f"⚠️ Kuota unggah kantor untuk {period} tercapai: {_mb(usage.cycle_used)} dari "
            f"{_mb(limits.cycle_bytes)} (UPLOAD_QUOTA_CYCLE_MB). Berkas bukti berikutnya "
            "ditolak; naikkan batasnya bila memang perlu.",
        )
    return None


def _mb(size: int) -> str:
    return f"{format_number(Decimal(size) / MB, max_decimals=1)} MB"
