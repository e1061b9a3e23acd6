"""The LKjIP's sentences on the budget per sasaran: Bab III.A (6) and (7), and Bab III.B.

Generated from ``bot.domain.efficiency`` (whose docstring holds the rules); the report states
the rules once in III.B (``EFFICIENCY_RULE``) and each verdict carries its index. Numbers
are written the Indonesian way; kegiatan names are quoted, since many hold commas.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from bot.domain.budget import BudgetLine, budget_totals
from bot.domain.efficiency import (
    LOW_ABSORPTION,
    BudgetBySasaran,
    Contribution,
    KegiatanUse,
    SasaranEfficiency,
    Verdict,
)
from bot.domain.formatting import join_words
from bot.domain.numbers import format_number, format_percent, format_rupiah

_LOW = format_percent(LOW_ABSORPTION)

EFFICIENCY_RULE = [
    "Penggunaan sumber daya setiap sasaran strategis dinilai efisien bila capaian kinerja "
    "sasaran (rata-rata capaian indikatornya) sama dengan atau lebih tinggi daripada "
    "persentase penyerapan anggaran kegiatan yang mendukungnya; indeks efisiensi = capaian ÷ "
    "penyerapan, sehingga efisien bila indeksnya 1 atau lebih. Kegiatan yang mendukung lebih "
    "dari satu sasaran dihitung penuh (seluruh pagu dan realisasinya) pada setiap sasaran yang "
    "didukungnya, sehingga jumlah per sasaran dapat melebihi jumlah keseluruhan. Kegiatan "
    "tanpa sasaran adalah dukungan manajemen yang menunjang seluruh sasaran; kegiatan ini "
    "disajikan tersendiri dan tidak dihitung dalam efisiensi per sasaran.",
    f"Penyerapan anggaran suatu kegiatan di bawah {_LOW} dinilai rendah: pada sasaran yang "
    "belum mencapai target, penyerapan yang rendah dinilai turut menghambat; pada sasaran yang "
    "mencapai target, penyerapan yang rendah menandakan penghematan.",
]

NO_KEGIATAN = (
    "Belum ada kegiatan anggaran yang dipetakan ke sasaran ini, sehingga efisiensinya tidak "
    "dapat dinilai."
)
NO_BUDGET = (
    "Data anggaran belum tersedia, sehingga penggunaan sumber daya dan kegiatan pendukung "
    "sasaran ini belum dapat dinilai."
)
NOTHING_MAPPED = (
    "Belum ada kegiatan anggaran yang dipetakan ke sasaran strategis, sehingga seluruh kegiatan "
    "disajikan sebagai dukungan manajemen dan efisiensi per sasaran belum dapat dinilai."
)
NO_PROGRAMS = (
    "Belum ada kegiatan anggaran yang dipetakan ke sasaran ini, sehingga program dan kegiatan "
    "yang mendukung atau menghambatnya belum dapat diuraikan."
)


def efficiency_paragraphs(item: SasaranEfficiency | None) -> list[str]:
    """Analysis (6) for one sasaran: the verdict with its numbers, and kegiatan counted twice."""
    if item is None or item.verdict is Verdict.NO_KEGIATAN:
        return [NO_KEGIATAN]
    paragraphs = [efficiency_sentence(item)]
    shared = [use for use in item.kegiatan if use.also_serves]
    for use in shared:
        paragraphs.append(
            f"Kegiatan {_quoted(use.line.kegiatan)} juga mendukung "
            f"{join_words(list(use.also_serves))}; jumlahnya dihitung penuh pada setiap sasaran "
            "yang didukungnya."
        )
    return paragraphs


def efficiency_sentence(item: SasaranEfficiency) -> str:
    """The verdict on a sasaran's use of resources, with absorption, capaian and index."""
    code = item.sasaran.code
    if item.verdict is Verdict.NO_KEGIATAN:
        return NO_KEGIATAN
    if item.verdict is Verdict.NO_PAGU:
        return (
            f"Pagu kegiatan yang mendukung sasaran {code} berjumlah Rp0, sehingga penyerapan "
            "anggaran dan efisiensinya tidak dapat dinilai."
        )
    if item.verdict is Verdict.NO_SPENDING:
        return (
            f"Kegiatan yang mendukung sasaran {code} belum menyerap anggaran dari pagu "
            f"{format_rupiah(item.pagu)} (penyerapan 0%), sehingga efisiensinya belum dapat "
            "dinilai."
        )
    spent = (
        f"Kegiatan yang mendukung sasaran {code} menyerap {format_rupiah(item.realisasi)} dari "
        f"pagu {format_rupiah(item.pagu)} (penyerapan {_percent(item.absorption)})"
    )
    if item.verdict is Verdict.NO_MEAN or item.mean is None or item.index is None:
        return (
            f"{spent}, tetapi rata-rata capaian sasaran ini belum dapat dihitung karena belum ada "
            "indikator yang terukur, sehingga efisiensinya belum dapat dinilai."
        )
    both = (
        f"{spent}, dengan rata-rata capaian indikator {format_percent(item.mean)}. Indeks "
        f"efisiensi (capaian ÷ penyerapan) {index_text(item.index)}"
    )
    if item.verdict is Verdict.EFFICIENT:
        return (
            f"{both}, sama dengan atau lebih dari 1: capaian kinerja sebanding dengan atau "
            "melampaui penggunaan anggarannya, sehingga penggunaan sumber daya untuk sasaran ini "
            "dinilai efisien."
        )
    return (
        f"{both}, kurang dari 1: capaian kinerja lebih rendah daripada penyerapan anggarannya, "
        "sehingga efisiensi penggunaan sumber daya untuk sasaran ini perlu ditingkatkan."
    )


def program_paragraphs(item: SasaranEfficiency | None) -> list[str]:
    """Analysis (7) for one sasaran: its programs and kegiatan, and which supported or hindered."""
    if item is None or not item.kegiatan:
        return [NO_PROGRAMS]
    paragraphs = [f"Sasaran {item.sasaran.code} didukung oleh {_programs(item.kegiatan)}."]
    mean = item.mean
    if mean is None:
        paragraphs.append(
            "Peran kegiatan tersebut terhadap keberhasilan atau kegagalan sasaran ini belum dapat "
            "dinilai karena rata-rata capaiannya belum dapat dihitung."
        )
        return paragraphs
    roles = _by_contribution(item.kegiatan)
    if item.reached:
        paragraphs.append(
            f"Sasaran ini mencapai target (rata-rata capaian {format_percent(mean)}), sehingga "
            "kegiatan tersebut mendukung keberhasilannya."
        )
        if roles[Contribution.SAVED]:
            paragraphs.append(
                f"Penyerapan {_with_absorption(roles[Contribution.SAVED], label=False)} di bawah {_LOW} "
                "tanpa menghambat pencapaian target, menandakan adanya penghematan anggaran."
            )
    else:
        paragraphs.append(
            f"Sasaran ini belum mencapai target (rata-rata capaian {format_percent(mean)})."
        )
        if roles[Contribution.HINDERED]:
            paragraphs.append(
                "Penyerapan rendah pada "
                f"{_with_absorption(roles[Contribution.HINDERED], label=False)}, di bawah {_LOW}, turut "
                "menghambat pencapaian target sasaran ini."
            )
        if roles[Contribution.SUPPORTED_SHORT]:
            paragraphs.append(
                f"{_capitalised(_with_absorption(roles[Contribution.SUPPORTED_SHORT], label=True))} telah "
                "terserap dengan baik dan mendukung capaian yang ada, tetapi belum cukup untuk "
                "mencapai target; penyebab lainnya diuraikan pada analisis per indikator di atas."
            )
    if roles[Contribution.UNKNOWN]:
        names = join_words([_quoted(use.line.kegiatan) for use in roles[Contribution.UNKNOWN]])
        paragraphs.append(
            f"Kegiatan {names} berpagu Rp0, sehingga perannya tidak dapat dinilai dari penyerapan "
            "anggaran."
        )
    return paragraphs


def support_paragraphs(lines: Sequence[BudgetLine]) -> list[str]:
    """III.B's sentence under the dukungan manajemen table."""
    pagu, realisasi, absorption = budget_totals(lines)
    amounts = (
        f"menyerap {format_rupiah(realisasi)} dari pagu {format_rupiah(pagu)} (penyerapan "
        f"{format_percent(absorption)})"
        if absorption is not None
        else "berpagu Rp0"
    )
    return [
        "Kegiatan dukungan manajemen menunjang seluruh sasaran strategis dan tidak dihitung "
        f"dalam efisiensi per sasaran; kegiatan ini {amounts}."
    ]


def unknown_notes(by_sasaran: BudgetBySasaran, year: int) -> list[str]:
    """III.B's notes on lines naming sasaran the year's Perjanjian Kinerja does not have."""
    notes = []
    for line, codes in by_sasaran.unknown:
        counted = (
            ", sehingga kegiatan ini dihitung sebagai dukungan manajemen"
            if line in by_sasaran.support
            else ""
        )
        notes.append(
            f"Kegiatan {_quoted(line.kegiatan)} ({line.program}) dipetakan ke "
            f"{join_words(list(codes))}, yang tidak ada dalam Perjanjian Kinerja Tahun {year}; "
            f"kode tersebut diabaikan{counted}. Perbaiki pemetaannya pada data anggaran."
        )
    return notes


SHARED_NOTE = (
    "Kegiatan yang mendukung lebih dari satu sasaran dihitung pada setiap sasaran tersebut, "
    "sehingga jumlah per baris dapat melebihi baris Jumlah, yang menghitung setiap kegiatan "
    "satu kali."
)


def index_text(index: Decimal) -> str:
    """Write an efficiency index with two decimals: 1,07; 1,00."""
    text = format_number(index)
    whole, _, decimals = text.partition(",")
    return f"{whole},{decimals.ljust(2, '0')}"


def _programs(uses: Sequence[KegiatanUse]) -> str:
    programs: dict[str, list[KegiatanUse]] = {}
    for use in uses:
        programs.setdefault(use.line.program, []).append(use)
    return join_words(
        [
            f"{program} melalui {_with_absorption(items, label=True)}"
            for program, items in programs.items()
        ]
    )


def _with_absorption(uses: Sequence[KegiatanUse], *, label: bool) -> str:
    """Name kegiatan with their absorption: kegiatan “A” (penyerapan 93,25%) dan “B” (…)."""
    word = "penyerapan " if label else ""
    parts = []
    for use in uses:
        absorption = use.line.absorption
        shown = f"{word}{format_percent(absorption)}" if absorption is not None else "pagu Rp0"
        parts.append(f"{_quoted(use.line.kegiatan)} ({shown})")
    return f"kegiatan {join_words(parts)}"


def _by_contribution(uses: Sequence[KegiatanUse]) -> dict[Contribution, list[KegiatanUse]]:
    roles: dict[Contribution, list[KegiatanUse]] = {kind: [] for kind in Contribution}
    for use in uses:
        roles[use.contribution].append(use)
    return roles


def _quoted(name: str) -> str:
    return f"“{name}”"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _percent(value: Decimal | None) -> str:
    return format_percent(value) if value is not None else "-"
