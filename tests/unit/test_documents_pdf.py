"""PDF copies: none without LibreOffice, and the conversion's failures never escape."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest

from bot.documents import convert_to_pdf, image_to_pdf, render_nota_dinas
from bot.documents.pdf import find_soffice
from tests.nota_dinas_data import CONTENT

FAKE_SOFFICE = """#!/bin/sh
# Stands in for LibreOffice: writes <name>.pdf into --outdir, as soffice --convert-to does.
while [ $# -gt 0 ]; do
  case "$1" in
    --outdir) shift; out="$1" ;;
    *) source="$1" ;;
  esac
  shift
done
{body}
"""


def install_fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> None:
    folder = tmp_path / "bin"
    folder.mkdir()
    program = folder / "soffice"
    program.write_text(FAKE_SOFFICE.format(body=body))
    program.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")


def test_without_libreoffice_there_is_no_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.documents.pdf.shutil.which", lambda name: None)

    assert convert_to_pdf(b"docx") is None


def test_the_converted_file_is_returned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_fake(
        tmp_path,
        monkeypatch,
        'printf "%%PDF-1.4 from " > "$out/$(basename "$source" .docx).pdf"; cat "$source" >> "$out/$(basename "$source" .docx).pdf"',
    )

    assert convert_to_pdf(b"isi") == b"%PDF-1.4 from isi"


def test_a_failed_conversion_gives_no_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_fake(tmp_path, monkeypatch, 'echo "rusak" >&2; exit 1')

    assert convert_to_pdf(b"isi") is None


def test_a_hung_conversion_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_fake(tmp_path, monkeypatch, "sleep 30")
    started = time.monotonic()

    assert convert_to_pdf(b"isi", timeout=0.5) is None
    assert time.monotonic() - started < 10


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_the_nota_dinas() -> None:
    pdf = convert_to_pdf(render_nota_dinas(CONTENT), timeout=120)

    assert pdf is not None and pdf.startswith(b"%PDF")


def test_a_scanned_photo_becomes_a_one_page_pdf() -> None:
    from PIL import Image

    photo = io.BytesIO()
    Image.new("RGB", (300, 420), "white").save(photo, format="JPEG")

    pdf = image_to_pdf(photo.getvalue())

    assert pdf is not None and pdf.startswith(b"%PDF")
    assert b"/Type /Page" in pdf


def test_what_is_no_image_gives_no_pdf() -> None:
    assert image_to_pdf(b"PK\x03\x04 a docx, not a scan") is None
