"""A PDF of a .docx whose Daftar Isi, Tabel and Gambar are brought up to date first.

A plain ``soffice --convert-to pdf`` prints the fields' cached text: a report's table of
contents would show the template's placeholder, not the chapters with their pages. Here
LibreOffice runs a small Basic macro, installed in a profile of its own for the conversion,
that opens the document, updates every index (``getDocumentIndexes()``, each ``update()``),
refreshes the fields and exports the PDF. LibreOffice Basic needs no Python UNO bridge, which
the server's Python may not have.
"""

from __future__ import annotations

import logging
import subprocess
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from bot.documents.pdf import find_soffice

logger = logging.getLogger(__name__)

_MACRO = """
Sub UpdateAndExport(source As String, target As String)
    Dim options(0) As New com.sun.star.beans.PropertyValue
    options(0).Name = "Hidden"
    options(0).Value = True
    document = StarDesktop.loadComponentFromURL(ConvertToURL(source), "_blank", 0, options())
    document.getTextFields().refresh()
    indexes = document.getDocumentIndexes()
    ' Twice: filling the lists moves the pages after them, so their numbers change once.
    For pass = 1 To 2
        For i = 0 To indexes.getCount() - 1
            indexes.getByIndex(i).update()
        Next i
    Next pass
    document.getTextFields().refresh()
    Dim export(0) As New com.sun.star.beans.PropertyValue
    export(0).Name = "FilterName"
    export(0).Value = "writer_pdf_Export"
    document.storeToURL(ConvertToURL(target), export())
    document.close(True)
End Sub
"""

_MODULE = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" '
    '"module.dtd">\n'
    '<script:module xmlns:script="http://openoffice.org/2000/script" '
    'script:name="Lapkin" script:language="StarBasic">{code}</script:module>\n'
)
_LIBRARY = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE library:library PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" '
    '"library.dtd">\n'
    '<library:library xmlns:library="http://openoffice.org/2000/library" '
    'library:name="Standard" library:readonly="false" library:passwordprotected="false">\n'
    ' <library:element library:name="Lapkin"/>\n'
    "</library:library>\n"
)
_CONTAINER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE library:libraries PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" '
    '"libraries.dtd">\n'
    '<library:libraries xmlns:library="http://openoffice.org/2000/library" '
    'xmlns:xlink="http://www.w3.org/1999/xlink">\n'
    ' <library:library library:name="Standard" '
    'xlink:href="$(USER)/basic/Standard/script.xlb/" xlink:type="simple" '
    'library:link="false"/>\n'
    "</library:libraries>\n"
)


def _install_macro(profile: Path) -> None:
    basic = profile / "user" / "basic"
    (basic / "Standard").mkdir(parents=True, exist_ok=True)
    (basic / "Standard" / "Lapkin.xba").write_text(
        _MODULE.format(code=escape(_MACRO)), encoding="utf-8"
    )
    (basic / "Standard" / "script.xlb").write_text(_LIBRARY, encoding="utf-8")
    (basic / "script.xlc").write_text(_CONTAINER, encoding="utf-8")


def _run(command: list[str], *, timeout: float) -> None:
    subprocess.run(
        command,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=timeout,
        check=False,
        start_new_session=True,
    )


def convert_with_indexes(docx: bytes, *, timeout: float = 120) -> bytes | None:
    """Return the PDF of ``docx`` with its indexes updated; None without LibreOffice."""
    program = find_soffice()
    if program is None:
        return None
    with tempfile.TemporaryDirectory(prefix="lapkin-pdf-") as folder:
        work = Path(folder)
        profile = work / "profil"
        source, target = work / "dokumen.docx", work / "dokumen.pdf"
        source.write_bytes(docx)
        base = [
            program,
            "--headless",
            "--norestore",
            "--nolockcheck",
            f"-env:UserInstallation={profile.as_uri()}",
        ]
        macro = f'macro:///Standard.Lapkin.UpdateAndExport("{source}","{target}")'
        try:
            # A new profile is written on the first start, over any macro put there before.
            _run([*base, "--terminate_after_init"], timeout=timeout)
            _install_macro(profile)
            _run([*base, macro], timeout=timeout)
        except (OSError, subprocess.TimeoutExpired) as exc:
            logger.warning("Konversi PDF dengan daftar isi gagal: %s", exc)
            return None
        return target.read_bytes() if target.is_file() else None
