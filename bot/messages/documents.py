"""What the bot says when a document cannot be made: pure functions."""

from __future__ import annotations


def template_problem(detail: str) -> str:
    """Explain a broken template to the rendatin member who tried to use it."""
    return (
        f"Dokumen tidak dapat dibuat karena templatenya bermasalah: {detail}\n"
        "Perbaiki template itu (daftar variabelnya ada di templates/*.md) atau hapus dari "
        "folder TEMPLATES_DIR agar template bawaan dipakai. Tidak ada yang dikirim."
    )
