"""PDF copies of generated documents, made by LibreOffice when the server has it."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)


def find_soffice() -> str | None:
    """Return the path of LibreOffice's command-line program, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(docx: bytes, *, timeout: float = 60) -> bytes | None:
    """Convert .docx bytes to PDF; None when LibreOffice is missing, fails or takes too long."""
    program = find_soffice()
    if program is None:
        return None
    with tempfile.TemporaryDirectory(prefix="lapkin-pdf-") as folder:
        work = Path(folder)
        source = work / "dokumen.docx"
        source.write_bytes(docx)
        command = [
            program,
            "--headless",
            "--norestore",
            "--nolockcheck",
            # A profile of its own, so a conversion never waits on (or corrupts) another one.
            f"-env:UserInstallation={(work / 'profil').as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ]
        try:
            # A session of its own: soffice starts soffice.bin, and a timeout must stop both.
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
        except OSError as exc:
            logger.warning("LibreOffice tidak dapat dijalankan: %s", exc)
            return None
        try:
            _, errors = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _stop(process)
            logger.warning("Konversi PDF dihentikan setelah %s detik", timeout)
            return None
        target = work / "dokumen.pdf"
        if process.returncode != 0 or not target.is_file():
            logger.warning(
                "Konversi PDF gagal (kode %s): %s",
                process.returncode,
                errors.decode("utf-8", "replace").strip()[-500:],
            )
            return None
        return target.read_bytes()


def image_to_pdf(image: bytes) -> bytes | None:
    """Turn a scanned page (PNG, JPEG, …) into a one-page PDF; None when it is no image."""
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(image)) as picture:
            picture.load()
            page = picture.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    out = io.BytesIO()
    # A scan's usual resolution, so the page prints at its real size.
    page.save(out, format="PDF", resolution=150.0)
    return out.getvalue()


def _stop(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):  # it may have ended by itself meanwhile
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()
