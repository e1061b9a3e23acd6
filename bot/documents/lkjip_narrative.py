"""The LKjIP's generated sentences: what the numbers of the analysis say, in Indonesian.

The Kata Pengantar, the Ikhtisar Eksekutif and the Penutup (unless the office wrote its own),
one narrative per indicator, and the sentences under the sasaran and the budget. The report's
renderer (bot.documents.lkjip) puts them into the template; this module knows no .docx. The
small formatters at the end write a number as every part of the report does.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from bot.domain.analysis import Analysis, IndicatorResult, SasaranResult
from bot.domain.budget import budget_totals
from bot.domain.capaian import HUNDRED, Capaian, CapaianStatus
from bot.domain.checks import names_a_penghambat
from bot.domain.formatting import join_words
from bot.domain.measure import (
    category_counts,
    count_measured,
    count_reaching_target,
    efficiency,
    is_efficient,
    mean_capaian,
    mean_category,
)
from bot.domain.numbers import format_number, format_percent, format_rupiah
from bot.domain.performance import Polarity, Target

CODES_LISTED = 10  # below-target indicators named in the Penutup before "dan N lainnya"


def kata_pengantar(*, office: str, analysis: Analysis, written: str | None) -> list[str]:
    """The Kata Pengantar: what the office wrote for it, else the usual three paragraphs."""
    if written and written.strip():
        return paragraphs(written)
    return [
        "Puji syukur kami panjatkan ke hadirat Tuhan Yang Maha Esa, karena atas rahmat dan "
        f"karunia-Nya Laporan Kinerja Instansi Pemerintah (LKjIP) {office} Tahun "
        f"{analysis.year} dapat diselesaikan.",
        "Laporan ini disusun sebagai wujud pertanggungjawaban atas pelaksanaan tugas dan fungsi "
        f"serta penggunaan anggaran {office} selama Tahun {analysis.year}, sebagaimana "
        "diamanatkan Peraturan Presiden Nomor 29 Tahun 2014 tentang Sistem Akuntabilitas "
        "Kinerja Instansi Pemerintah dan Peraturan Menteri Pendayagunaan Aparatur Negara dan "
        "Reformasi Birokrasi Nomor 53 Tahun 2014. Laporan ini menyajikan capaian "
        f"{len(analysis.indicators)} indikator kinerja dari {len(analysis.sasaran)} sasaran "
        f"strategis dalam Perjanjian Kinerja Tahun {analysis.year}, beserta analisis "
        "keberhasilan, kendala, dan upaya perbaikannya.",
        "Kami menyampaikan terima kasih kepada semua pihak yang telah membantu penyusunan "
        "laporan ini. Semoga laporan ini bermanfaat sebagai bahan evaluasi dan perbaikan "
        f"kinerja {office} pada tahun-tahun berikutnya.",
    ]


def ikhtisar(*, office: str, analysis: Analysis) -> list[str]:
    """The Ikhtisar Eksekutif: the indicators counted and measured, the mean, the budget."""
    total = len(analysis.indicators)
    measured = count_measured(analysis)
    reached = count_reaching_target(analysis)
    paragraphs = [
        f"Laporan Kinerja {office} {analysis.period_label} "
        f"disusun berdasarkan Perjanjian Kinerja Tahun {analysis.year}, yang memuat "
        f"{len(analysis.sasaran)} sasaran strategis dengan {total} indikator kinerja."
    ]
    counted = (
        f"Dari {total} indikator kinerja, {measured} indikator dapat diukur capaiannya: "
        f"{reached} indikator mencapai atau melampaui target (capaian 100% atau lebih) dan "
        f"{measured - reached} indikator belum mencapai target."
    )
    if total > measured:
        counted += (
            f" Sebanyak {total - measured} indikator belum dapat diukur karena tidak ada data "
            "atau capaiannya tidak dapat dihitung."
        )
    paragraphs.append(counted)
    mean = mean_capaian(analysis)
    if mean is None:
        paragraphs.append(
            "Rata-rata capaian kinerja belum dapat dihitung karena belum ada indikator yang "
            "terukur."
        )
    else:
        label = mean_category(analysis)
        category = f", termasuk kategori {label}" if label else ""
        per_category = ", ".join(
            f"{name} {count} indikator"
            for name, count in category_counts(analysis).items()
            if count
        )
        paragraphs.append(
            f"Rata-rata capaian kinerja seluruh indikator adalah {format_percent(mean)}"
            f"{category}. Menurut kategori: {per_category}."
        )
    paragraphs.append(budget_sentence(analysis))
    if analysis.budget:
        paragraphs.append(efficiency_sentence(analysis))
    return paragraphs


def penutup(*, office: str, analysis: Analysis) -> list[str]:
    """Bab IV Penutup: the year in one sentence, what falls short, what comes next."""
    mean = mean_capaian(analysis)
    total = len(analysis.indicators)
    reached = count_reaching_target(analysis)
    if mean is None:
        opening = (
            f"Capaian kinerja {office} Tahun {analysis.year} belum dapat diukur karena belum ada "
            "indikator dengan data realisasi yang lengkap."
        )
    else:
        label = mean_category(analysis)
        category = f" dengan kategori {label}" if label else ""
        opening = (
            f"Secara umum, kinerja {office} Tahun {analysis.year} mencapai rata-rata capaian "
            f"{format_percent(mean)}{category}; {reached} dari {total} indikator kinerja "
            "mencapai atau melampaui target."
        )
    paragraphs = [opening]
    below = [
        result.code
        for result in analysis.indicators
        if result.capaian.status is CapaianStatus.OK
        and result.capaian.value is not None
        and result.capaian.value < HUNDRED
    ]
    if below:
        paragraphs.append(
            f"Indikator yang belum mencapai target, yaitu {_listed(below)}, menjadi perhatian "
            "pada tahun berikutnya melalui upaya tindak lanjut sebagaimana diuraikan pada "
            "Bab III."
        )
    unmeasured = [r.code for r in analysis.indicators if r.capaian.status is not CapaianStatus.OK]
    if unmeasured:
        paragraphs.append(
            f"Ketersediaan data untuk indikator {_listed(unmeasured)} perlu dipastikan sejak "
            "awal tahun agar seluruh indikator dapat diukur pada periode berikutnya."
        )
    if analysis.budget:
        paragraphs.append(efficiency_sentence(analysis))
    paragraphs.append(
        "Laporan kinerja ini diharapkan menjadi bahan evaluasi dan dasar perbaikan perencanaan "
        f"serta pelaksanaan program dan kegiatan {office} pada tahun berikutnya."
    )
    return paragraphs


def indicator_narrative(result: IndicatorResult, year: int) -> dict[str, Any]:
    """Explain one indicator: the measurement, comparisons, then what the unit wrote."""
    lines: list[tuple[str, str]] = []
    satuan = f" {result.satuan}" if result.satuan else ""
    target = f"{target_text(result.target)}{satuan}"
    capaian = result.capaian
    if result.no_data_reason:
        lines.append(("Tidak ada data: ", result.no_data_reason))
    elif capaian.status is CapaianStatus.NO_DATA:
        lines.append(("Tidak ada data: ", capaian.note or "realisasi belum disampaikan."))
    elif capaian.status is CapaianStatus.NOT_MEASURABLE:
        lines.append(
            (
                "",
                f"Target {target}, realisasi {number_text(result.realisasi)}{satuan}; {capaian.note}",
            )
        )
    else:
        lines.append(
            (
                "",
                f"Target {target}, realisasi {number_text(result.realisasi)}{satuan}, capaian "
                f"{capaian_text(capaian)} ({result.category or '-'}).",
            )
        )
    notes = []
    if result.polarity is Polarity.LOWER_IS_BETTER:
        notes.append(
            "indikator ini semakin rendah semakin baik, sehingga capaian dihitung "
            "(2 × target − realisasi) ÷ target × 100%."
        )
    if capaian.status is CapaianStatus.OK and capaian.note:
        notes.append(capaian.note)
    if notes:
        lines.append(("Catatan: ", " ".join(_sentence_case(note) for note in notes)))
    if comparison := _compared_with_last_year(result, year):
        lines.append(("Dibandingkan tahun sebelumnya: ", comparison))
    if result.renstra_target is not None:
        lines.append(("Terhadap target Renstra: ", _renstra_sentence(result, satuan)))
    if result.penjelasan and result.penjelasan.strip():
        lines.append(("Penjelasan: ", result.penjelasan.strip()))
    if result.realisasi is not None:
        # PermenPANRB 53/2014: the causes of success and of failure for every indicator, not
        # only those below target; a version sent before the question existed says so.
        reached = capaian.status is CapaianStatus.OK and (capaian.value or 0) >= HUNDRED
        lines.append(("Faktor pendukung: ", _written(result.pendukung) or NOT_WRITTEN))
        lines.append(
            (
                "Faktor penghambat: ",
                _written(result.kendala) or ("tidak ada." if reached else NOT_WRITTEN),
            )
        )
    if upaya := _written(result.upaya):
        lines.append(("Upaya/alternatif solusi: ", upaya))
    return {
        "title": f"{result.code} {result.name}",
        "lines": [{"label": label, "text": text} for label, text in lines],
    }


NOT_WRITTEN = "belum disampaikan oleh unit."


def _written(text: str | None) -> str | None:
    return text.strip() if text and text.strip() else None


def _compared_with_last_year(result: IndicatorResult, year: int) -> str | None:
    earlier = [y for y in result.history if y < year]
    if not earlier or result.realisasi is None:
        return None
    last = max(earlier)
    before, now = result.history[last], result.realisasi
    shown = (
        f"realisasi {year} sebesar {format_number(now)} dibandingkan {format_number(before)} "
        f"pada {last}"
    )
    if now == before:
        return f"{shown}; realisasi tetap."
    higher = now > before
    better = higher == (result.polarity is Polarity.HIGHER_IS_BETTER)
    direction = "naik" if higher else "turun"
    return f"{shown}; realisasi {direction}, sehingga kinerja {'membaik' if better else 'menurun'}."


def _renstra_sentence(result: IndicatorResult, satuan: str) -> str:
    target = f"target akhir Renstra {target_text(result.renstra_target)}{satuan}"
    renstra = result.renstra_capaian
    if renstra is None or renstra.status is not CapaianStatus.OK or renstra.value is None:
        return f"{target}; capaian terhadap target Renstra belum dapat dihitung."
    reached = "telah" if renstra.value >= HUNDRED else "belum"
    return (
        f"{target}; capaian terhadap target Renstra {format_percent(renstra.value)}, "
        f"{reached} mencapai target akhir periode."
    )


NO_SYNTHESIS = (
    "Sintesis penyebab keberhasilan dan kegagalan serta alternatif solusinya untuk sasaran ini "
    "belum ditulis oleh Tim Laporan Kinerja (/narasi)."
)


def mean_sentence(sasaran: SasaranResult) -> str:
    """Sum up a sasaran: its mean capaian and category, or why there is none."""
    if sasaran.mean is None:
        return (
            f"Rata-rata capaian sasaran {sasaran.code} belum dapat dihitung karena belum ada "
            "indikator yang terukur."
        )
    category = f" dengan kategori {sasaran.category}" if sasaran.category else ""
    sentence = (
        f"Rata-rata capaian sasaran {sasaran.code} adalah {format_percent(sasaran.mean)}{category}."
    )
    left_out = sasaran.left_out_of_mean
    if left_out:
        counted = len(sasaran.indicators) - len(left_out)
        sentence += (
            f" Rata-rata ini dihitung dari {counted} indikator yang terukur; {len(left_out)} "
            f"indikator ({_listed(result.code for result in left_out)}) tidak dihitung karena "
            "tidak ada data atau capaiannya tidak dapat dihitung."
        )
    return sentence


def budget_sentence(analysis: Analysis) -> str:
    """Say how much of the pagu was spent (chapter III.B)."""
    if not analysis.budget:
        return "Data anggaran belum tersedia."
    pagu, realisasi, absorption = budget_totals(analysis.budget)
    spent = (
        f"Pada Tahun {analysis.year}, pagu anggaran sebesar {format_rupiah(pagu)} terealisasi "
        f"{format_rupiah(realisasi)}"
    )
    if absorption is None:
        return f"{spent}; penyerapan anggaran tidak dapat dihitung karena pagunya Rp0."
    return f"{spent}, atau penyerapan anggaran sebesar {format_percent(absorption)}."


def efficiency_sentence(analysis: Analysis) -> str:
    """Compare budget absorption with the mean capaian, the efficiency view of PRODUCT.md §2."""
    if not analysis.budget:
        return "Data anggaran belum tersedia."
    verdict = is_efficient(analysis)
    mean = mean_capaian(analysis)
    absorption = budget_totals(analysis.budget)[2]
    if verdict is None or mean is None or absorption is None:
        return efficiency(analysis)  # says what is missing
    both = (
        f"Dengan penyerapan anggaran {format_percent(absorption)} dan rata-rata capaian "
        f"kinerja {format_percent(mean)}"
    )
    if verdict:
        return (
            f"{both}, capaian kinerja sebanding dengan atau melampaui penggunaan anggarannya, "
            "sehingga penggunaan anggaran dinilai efisien."
        )
    return (
        f"{both}, capaian kinerja lebih rendah daripada penyerapan anggarannya, sehingga "
        "efisiensi penggunaan anggaran perlu ditingkatkan."
    )


def _sentence_case(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] if text else text


def _listed(codes: Iterable[str]) -> str:
    codes = list(codes)
    if len(codes) > CODES_LISTED:
        rest = len(codes) - CODES_LISTED
        return join_words([*codes[:CODES_LISTED], f"{rest} indikator lainnya"])
    return join_words(codes)


def target_text(target: Target | None) -> str:
    """Show a target: "85,5", or a range as "80–90"; "-" when there is none."""
    if target is None:
        return "-"
    if target.is_range:
        return f"{format_number(target.low)}–{format_number(target.high)}"
    return format_number(target.low)


def number_text(value: Decimal | None) -> str:
    """Write a number the Indonesian way; "-" when there is none."""
    return format_number(value) if value is not None else "-"


def percent_text(value: Decimal | None) -> str:
    """Write a percentage the Indonesian way; "-" when there is none."""
    return format_percent(value) if value is not None else "-"


def capaian_text(capaian: Capaian | None) -> str:
    """Write a capaian as a percentage; "-" when it could not be measured."""
    if capaian is None or capaian.status is not CapaianStatus.OK or capaian.value is None:
        return "-"
    return format_percent(capaian.value)


def paragraphs(text: str) -> list[str]:
    """Split text the office wrote into its non-empty paragraphs."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def written_or(written: str | None, default: list[str]) -> list[str]:
    """The paragraphs the team wrote for a section, else ``default`` (from the data)."""
    if written and written.strip():
        return paragraphs(written)
    return default


def tugas_fungsi(*, office_full_name: str) -> list[str]:
    """Bab I.B: the secretariat's task and functions (PKPU 14/2020), unless the team wrote it."""
    return [
        "Berdasarkan Peraturan Komisi Pemilihan Umum Nomor 14 Tahun 2020 tentang Tugas, Fungsi, "
        "Susunan Organisasi, dan Tata Kerja Sekretariat Jenderal Komisi Pemilihan Umum, "
        "Sekretariat Komisi Pemilihan Umum Provinsi, dan Sekretariat Komisi Pemilihan Umum "
        f"Kabupaten/Kota, {office_full_name} mempunyai tugas memberikan dukungan teknis dan "
        "administratif dalam penyelenggaraan Pemilihan Umum dan Pemilihan.",
        "Fungsi yang diselenggarakan meliputi perencanaan program dan anggaran, pengelolaan "
        "data dan informasi, serta pelaporan kinerja; pengelolaan keuangan, urusan umum, dan "
        "logistik; dukungan teknis penyelenggaraan pemilu, partisipasi masyarakat, dan hubungan "
        "masyarakat; serta pelayanan hukum dan pengelolaan sumber daya manusia.",
    ]


def isu_strategis(analysis: Analysis) -> list[str]:
    """Bab I.E: what the data shows needs attention, unless the team wrote it."""
    below = _below_target(analysis)
    unmeasured = [r.code for r in analysis.indicators if r.capaian.status is not CapaianStatus.OK]
    issues = []
    if below:
        issues.append(
            f"Capaian indikator {_listed(below)} yang belum mencapai target Tahun {analysis.year}."
        )
    if unmeasured:
        issues.append(f"Ketersediaan data realisasi untuk indikator {_listed(unmeasured)}.")
    if not issues:
        issues.append(
            f"Mempertahankan capaian seluruh indikator kinerja yang telah mencapai target pada "
            f"Tahun {analysis.year}."
        )
    return ["Isu strategis yang dihadapi pada periode ini:", *issues]


def ikhtisar_tujuan(analysis: Analysis) -> list[str]:
    """The Ikhtisar's goals: the sasaran strategis of the Perjanjian Kinerja."""
    names = [f"{s.code} {s.name}" for s in analysis.sasaran]
    return [
        f"Perjanjian Kinerja Tahun {analysis.year} menetapkan {len(names)} sasaran strategis: "
        f"{'; '.join(names) or '-'}."
    ]


def ikhtisar_kendala(analysis: Analysis) -> list[str]:
    """The main obstacles: what the units wrote for indicators below target."""
    written = [
        f"{r.code}: {r.kendala.strip()}"
        for r in analysis.indicators
        if r.code in set(_below_target(analysis)) and r.kendala and names_a_penghambat(r.kendala)
    ]
    if written:
        return written
    if _below_target(analysis):
        return [
            f"Indikator {_listed(_below_target(analysis))} belum mencapai target; kendalanya "
            "diuraikan pada Bab III."
        ]
    return ["Tidak ada kendala yang menghambat pencapaian target indikator kinerja."]


def ikhtisar_langkah(analysis: Analysis) -> list[str]:
    """The steps taken: the units' upaya, or a plain sentence when none was written."""
    written = [
        f"{r.code}: {r.upaya.strip()}" for r in analysis.indicators if r.upaya and r.upaya.strip()
    ]
    return written or [
        "Langkah yang ditempuh adalah pemantauan capaian indikator kinerja secara berkala "
        "oleh setiap Sub Bagian."
    ]


def langkah_ke_depan(analysis: Analysis) -> list[str]:
    """Bab IV's next steps: one per indicator below target, else keeping the level."""
    below = _below_target(analysis)
    if not below:
        return [
            f"Mempertahankan capaian seluruh indikator pada Tahun {analysis.year + 1} dan "
            "menetapkan target yang lebih menantang dalam Perjanjian Kinerja berikutnya."
        ]
    return [
        f"Menyusun rencana aksi perbaikan untuk indikator {_listed(below)} pada awal Tahun "
        f"{analysis.year + 1}, dengan pemantauan triwulanan oleh Sub Bagian Perencanaan, "
        "Data dan Informasi."
    ]


def _below_target(analysis: Analysis) -> list[str]:
    return [
        result.code
        for result in analysis.indicators
        if result.capaian.status is CapaianStatus.OK
        and result.capaian.value is not None
        and result.capaian.value < HUNDRED
    ]
