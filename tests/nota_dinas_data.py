"""A Nota Dinas built by hand, and reading a rendered .docx back (for the document tests)."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

from bot.documents import NotaDinasContent, NotaDinasIndicator

INDICATORS = [
    NotaDinasIndicator(
        "Sub Bagian Keuangan, Umum dan Logistik",
        "IK 2.1",
        "Persentase realisasi anggaran",
        "persen",
        "95",
    ),
    NotaDinasIndicator(
        "Sub Bagian Perencanaan, Data dan Informasi",
        "IK 1.1",
        "Persentase dokumen perencanaan dan pelaporan kinerja yang tepat waktu",
        "persen",
        "80–90",
    ),
    NotaDinasIndicator(
        "Sub Bagian Keuangan, Umum dan Logistik",
        "IK 2.2",
        "Jumlah temuan hasil pemeriksaan keuangan",
        "temuan",
        "0",
    ),
]


CONTENT = NotaDinasContent(
    office_name="KPU Kota Bengkulu",
    office_address="Jl. WR. Supratman No. 08 Kel. Bentiring Permai Bengkulu",
    city="Bengkulu",
    nomor="12/PR.01-ND/1771/3/2026",
    kepada=[
        "Kepala Sub Bagian Keuangan, Umum & Logistik",
        "Kepala Sub Bagian Teknis Penyelenggaraan Pemilu, Partisipasi dan Hubungan Masyarakat",
        "Kepala Sub Bagian Hukum dan Sumber Daya Manusia",
    ],
    dari="Kepala Sub Bagian Perencanaan, Data dan Informasi",
    tembusan=["Sekretaris KPU Kota Bengkulu"],
    tanggal=date(2026, 11, 25),
    sifat="Segera",
    lampiran="1 (satu) berkas",
    hal="Permintaan Data Capaian Kinerja Tahun 2026",
    period_label="Tahun 2026",
    deadline=date(2026, 11, 30),
    indicators=INDICATORS,
    signer_jabatan="Kepala Sub Bagian Perencanaan, Data dan Informasi",
    signer_name="Yulia Fitriani, S.T., M.M.",
    signer_nip="198011302006042002",
)


def paragraphs(data: bytes) -> list[str]:
    """Return the text of every paragraph, tables included, in document order."""
    body = Document(BytesIO(data)).element.body
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))]


def make_template(path: Path, *lines: str) -> Path:
    """Save a Word file of plain ``lines`` at ``path`` (a custom template); return the path."""
    document = Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))
    return path
