"""The budget per sasaran: efficiency (analysis 6), the kegiatan behind it (7), their words."""

from __future__ import annotations

from decimal import Decimal

from bot.documents.lkjip_budget import (
    NO_KEGIATAN,
    NO_PROGRAMS,
    efficiency_paragraphs,
    efficiency_sentence,
    program_paragraphs,
)
from bot.domain.analysis import Analysis, SasaranResult
from bot.domain.budget import BudgetLine
from bot.domain.efficiency import Contribution, Verdict, budget_by_sasaran
from bot.domain.performance import Target
from tests.lkjip_data import SCALE, indicator, sasaran

D = Decimal
DM = "Program Dukungan Manajemen"
PP = "Program Penyelenggaraan Pemilu"


def achieved(code: str, realisasi: str | None) -> SasaranResult:
    """A sasaran of one indicator with target 100: its mean capaian is ``realisasi``."""
    number = code.split()[1]
    result = indicator(f"IK {number}.1", realisasi=realisasi, target=Target.exactly(D(100)))
    return sasaran(code, f"Sasaran {number}", result)


def analysis(*lines: BudgetLine, ss1: str | None = "90", ss2: str | None = "100") -> Analysis:
    return Analysis(
        office_name="KPU Kota Bengkulu",
        year=2026,
        period_label="Tahun 2026",
        sasaran=(achieved("SS 1", ss1), achieved("SS 2", ss2)),
        budget=lines,
        scale=SCALE,
    )


def line(kegiatan: str, pagu: int, realisasi: int, *codes: str, program: str = DM) -> BudgetLine:
    return BudgetLine(program, kegiatan, D(pagu), D(realisasi), codes)


K1 = line("Perencanaan", 1000, 800, "SS 1")  # 80%
K2 = line("Sosialisasi", 1000, 950, "SS 2", program=PP)  # 95%
K3 = line("Layanan perkantoran", 500, 500)  # dukungan manajemen


def test_each_sasaran_gets_its_kegiatan_totals_mean_index_and_verdict() -> None:
    by = budget_by_sasaran(analysis(K1, K2, K3))

    ss1, ss2 = by.sasaran
    assert [use.line for use in ss1.kegiatan] == [K1]
    assert (ss1.pagu, ss1.realisasi, ss1.absorption, ss1.mean) == (
        D(1000),
        D(800),
        D("80.00"),
        D("90.00"),
    )
    assert ss1.index == D("1.12")  # 90 ÷ 80 = 1,125, rounded down
    assert ss1.verdict is Verdict.EFFICIENT
    assert ss1.kegiatan[0].contribution is Contribution.HINDERED  # below target, 80% < 90%
    assert (ss2.absorption, ss2.index, ss2.verdict) == (D("95.00"), D("1.05"), Verdict.EFFICIENT)
    assert ss2.kegiatan[0].contribution is Contribution.SUPPORTED  # target reached
    assert by.support == (K3,) and by.unknown == () and by.mapped


def test_a_kegiatan_serving_several_sasaran_counts_in_full_for_each() -> None:
    shared = line("Pengelolaan data", 1000, 1000, "SS 1", "SS 2")

    ss1, ss2 = budget_by_sasaran(analysis(K1, K2, shared)).sasaran

    assert (ss1.pagu, ss1.realisasi, ss1.absorption) == (D(2000), D(1800), D("90.00"))
    assert (ss2.pagu, ss2.realisasi, ss2.absorption) == (D(2000), D(1950), D("97.50"))
    # Capaian equal to absorption is efficient: index exactly 1.
    assert (ss1.index, ss1.verdict) == (D("1.00"), Verdict.EFFICIENT)
    assert [use.also_serves for use in ss1.kegiatan] == [(), ("SS 2",)]
    assert [use.also_serves for use in ss2.kegiatan] == [(), ("SS 1",)]
    assert efficiency_paragraphs(ss1)[1] == (
        "Kegiatan “Pengelolaan data” juga mendukung SS 2; jumlahnya dihitung penuh pada setiap "
        "sasaran yang didukungnya."
    )


def test_without_a_mapped_kegiatan_no_sasaran_is_judged_and_all_is_support() -> None:
    plain = (line("Layanan", 1000, 900), line("Sosialisasi", 500, 400, program=PP))

    by = budget_by_sasaran(analysis(*plain))

    assert [item.verdict for item in by.sasaran] == [Verdict.NO_KEGIATAN] * 2
    assert all(item.index is None and item.absorption is None for item in by.sasaran)
    assert by.support == plain and not by.mapped
    assert efficiency_paragraphs(by.sasaran[0]) == [
        "Belum ada kegiatan anggaran yang dipetakan ke sasaran ini, sehingga efisiensinya "
        "tidak dapat dinilai."
    ]
    assert program_paragraphs(by.sasaran[0]) == [NO_PROGRAMS]
    assert efficiency_sentence(by.sasaran[1]) == NO_KEGIATAN


def test_a_zero_pagu_or_nothing_spent_gives_no_index() -> None:
    zero = line("Perencanaan", 0, 0, "SS 1")
    unspent = line("Sosialisasi", 1000, 0, "SS 2")

    ss1, ss2 = budget_by_sasaran(analysis(zero, unspent)).sasaran

    assert (ss1.verdict, ss1.absorption, ss1.index) == (Verdict.NO_PAGU, None, None)
    assert ss1.kegiatan[0].contribution is Contribution.UNKNOWN
    assert efficiency_sentence(ss1) == (
        "Pagu kegiatan yang mendukung sasaran SS 1 berjumlah Rp0, sehingga penyerapan anggaran "
        "dan efisiensinya tidak dapat dinilai."
    )
    assert (ss2.verdict, ss2.absorption, ss2.index) == (Verdict.NO_SPENDING, D("0.00"), None)
    assert efficiency_sentence(ss2) == (
        "Kegiatan yang mendukung sasaran SS 2 belum menyerap anggaran dari pagu Rp1.000 "
        "(penyerapan 0%), sehingga efisiensinya belum dapat dinilai."
    )


def test_a_missing_mean_leaves_the_efficiency_and_the_kegiatans_part_unjudged() -> None:
    (ss1, _) = budget_by_sasaran(analysis(K1, ss1=None)).sasaran

    assert (ss1.verdict, ss1.mean, ss1.index) == (Verdict.NO_MEAN, None, None)
    assert ss1.absorption == D("80.00")
    assert ss1.kegiatan[0].contribution is Contribution.UNKNOWN
    assert efficiency_sentence(ss1) == (
        "Kegiatan yang mendukung sasaran SS 1 menyerap Rp800 dari pagu Rp1.000 (penyerapan "
        "80%), tetapi rata-rata capaian sasaran ini belum dapat dihitung karena belum ada "
        "indikator yang terukur, sehingga efisiensinya belum dapat dinilai."
    )
    assert program_paragraphs(ss1) == [
        f"Sasaran SS 1 didukung oleh {DM} melalui kegiatan “Perencanaan” (penyerapan 80%).",
        "Peran kegiatan tersebut terhadap keberhasilan atau kegagalan sasaran ini belum dapat "
        "dinilai karena rata-rata capaiannya belum dapat dihitung.",
    ]


def test_the_index_is_rounded_down_so_that_it_never_shows_1_for_a_shortfall() -> None:
    close = line("Perencanaan", 10000, 9501, "SS 1")  # 95,01%

    (ss1, _) = budget_by_sasaran(analysis(close, ss1="95")).sasaran

    assert (ss1.index, ss1.verdict) == (D("0.99"), Verdict.NOT_EFFICIENT)  # 0,9998…
    assert efficiency_sentence(ss1) == (
        "Kegiatan yang mendukung sasaran SS 1 menyerap Rp9.501 dari pagu Rp10.000 (penyerapan "
        "95,01%), dengan rata-rata capaian indikator 95%. Indeks efisiensi (capaian ÷ "
        "penyerapan) 0,99, kurang dari 1: capaian kinerja lebih rendah daripada penyerapan "
        "anggarannya, sehingga efisiensi penggunaan sumber daya untuk sasaran ini perlu "
        "ditingkatkan."
    )


def test_codes_are_matched_leniently_and_unknown_ones_are_reported() -> None:
    loose = line("Perencanaan", 1000, 800, "ss1", "SS 9")
    stray = line("Hukum", 100, 90, "SS 7")

    by = budget_by_sasaran(analysis(loose, stray))

    assert [use.line for use in by.sasaran[0].kegiatan] == [loose]
    assert by.support == (stray,)  # none of its codes is a sasaran: dukungan manajemen
    assert by.unknown == ((loose, ("SS 9",)), (stray, ("SS 7",)))


def test_the_programs_sentences_say_who_supported_and_who_hindered() -> None:
    fine = line("Pemutakhiran data", 1000, 950, "SS 1", program=PP)  # 95%
    low = line("Perencanaan, data dan informasi", 1000, 850, "SS 1")  # 85%
    saved = line("Sosialisasi", 1000, 800, "SS 2", program=PP)  # 80%, target reached

    ss1, ss2 = budget_by_sasaran(analysis(fine, low, saved, ss1="80")).sasaran

    assert program_paragraphs(ss1) == [
        f"Sasaran SS 1 didukung oleh {PP} melalui kegiatan “Pemutakhiran data” (penyerapan 95%) "
        f"dan {DM} melalui kegiatan “Perencanaan, data dan informasi” (penyerapan 85%).",
        "Sasaran ini belum mencapai target (rata-rata capaian 80%).",
        "Penyerapan rendah pada kegiatan “Perencanaan, data dan informasi” (85%), di bawah 90%, "
        "turut menghambat pencapaian target sasaran ini.",
        "Kegiatan “Pemutakhiran data” (penyerapan 95%) telah terserap dengan baik dan mendukung "
        "capaian yang ada, tetapi belum cukup untuk mencapai target; penyebab lainnya diuraikan "
        "pada analisis per indikator di atas.",
    ]
    assert program_paragraphs(ss2) == [
        f"Sasaran SS 2 didukung oleh {PP} melalui kegiatan “Sosialisasi” (penyerapan 80%).",
        "Sasaran ini mencapai target (rata-rata capaian 100%), sehingga kegiatan tersebut "
        "mendukung keberhasilannya.",
        "Penyerapan kegiatan “Sosialisasi” (80%) di bawah 90% tanpa menghambat pencapaian "
        "target, menandakan adanya penghematan anggaran.",
    ]
