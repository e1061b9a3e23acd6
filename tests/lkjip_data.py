"""A small analysed year built by hand, measured the way the domain does (LKjIP and charts)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from bot.documents import LkjipContent, LkjipInitial, LkjipInput, LkjipMeeting, LkjipSignature
from bot.domain.analysis import Analysis, IndicatorResult, SasaranResult
from bot.domain.budget import BudgetLine
from bot.domain.capaian import Capaian, CapaianStatus, category, compute_capaian, sasaran_mean
from bot.domain.category_scale import CategoryBand
from bot.domain.measure import earlier_years
from bot.domain.performance import NationalStandard, Polarity, Target
from bot.domain.renstra import Renstra, RenstraIndicator, RenstraSasaran

if TYPE_CHECKING:
    from bot.documents import LkjipContent

SCALE = (
    CategoryBand(min=91, label="Sangat Baik"),
    CategoryBand(min=76, label="Baik"),
    CategoryBand(min=66, label="Cukup"),
    CategoryBand(min=51, label="Kurang"),
    CategoryBand(min=0, label="Sangat Kurang"),
)
NO_DATA_REASON = "Survei kepuasan belum dirilis BPS."
YEAR = 2026  # the year the small analysis reports on
RENSTRA_END = 2029  # the last year of its Renstra (2025–2029)


def indicator(
    code: str,
    *,
    realisasi: str | None,
    target: Target,
    polarity: Polarity = Polarity.HIGHER_IS_BETTER,
    satuan: str = "persen",
    history: dict[int, str] | None = None,
    history_targets: dict[int, Target] | None = None,
    renstra: Target | None = None,
    renstra_targets: dict[int, Target] | None = None,
    national: NationalStandard | None = None,
    no_data_reason: str | None = None,
    **notes: str,
) -> IndicatorResult:
    """Measure one indicator the way the domain does, so the tests read real capaian."""
    value = Decimal(realisasi) if realisasi is not None else None
    earlier = {year: Decimal(amount) for year, amount in (history or {}).items()}
    if no_data_reason:
        capaian = Capaian(None, CapaianStatus.NO_DATA, f"Ditandai tidak ada data: {no_data_reason}")
    else:
        capaian = compute_capaian(realisasi=value, target=target, polarity=polarity)
    renstra_capaian = (
        compute_capaian(realisasi=value, target=renstra, polarity=polarity) if renstra else None
    )
    return IndicatorResult(
        code=code,
        name=f"Indikator {code}",
        satuan=satuan,
        sasaran_code=f"SS {code.split()[1].split('.')[0]}",
        unit_name="Sub Bagian Perencanaan, Data dan Informasi",
        polarity=polarity,
        target=target,
        realisasi=value,
        capaian=capaian,
        category=category(capaian.value, SCALE) if capaian.value is not None else None,
        renstra_target=renstra,
        renstra_capaian=renstra_capaian,
        history=earlier,
        earlier=earlier_years(
            history=earlier, targets=history_targets or {}, polarity=polarity, year=YEAR
        ),
        renstra_targets=dict(renstra_targets or {}),
        renstra_end_year=RENSTRA_END if renstra_targets else None,
        national_standard=national,
        national_capaian=(
            compute_capaian(realisasi=value, target=national.value, polarity=polarity)
            if national is not None and value is not None
            else None
        ),
        no_data_reason=no_data_reason,
        penjelasan=notes.get("penjelasan"),
        pendukung=notes.get("pendukung"),
        kendala=notes.get("kendala"),
        upaya=notes.get("upaya"),
    )


def sasaran(code: str, name: str, *indicators: IndicatorResult) -> SasaranResult:
    """Group indicators under a sasaran with their mean and its category."""
    mean = sasaran_mean(result.capaian for result in indicators)
    return SasaranResult(
        code=code,
        name=name,
        indicators=indicators,
        mean=mean,
        category=category(mean, SCALE) if mean is not None else None,
    )


def _targets(**by_year: str) -> dict[int, Target]:
    return {int(year[1:]): Target.exactly(Decimal(value)) for year, value in by_year.items()}


IK_11 = indicator(
    "IK 1.1",
    realisasi="81.264",
    target=Target.exactly(Decimal(80)),
    history={2024: "70", 2025: "75.5"},
    history_targets=_targets(y2024="75", y2025="80"),
    renstra=Target.exactly(Decimal(90)),
    renstra_targets=_targets(y2025="78", y2026="80", y2027="84", y2028="87", y2029="90"),
    national=NationalStandard(Target.exactly(Decimal(85)), "Peraturan KPU Nomor 1 Tahun 2025"),
    penjelasan="Seluruh dokumen perencanaan disusun tepat waktu.",
    pendukung="Jadwal penyusunan dokumen ditetapkan sejak Januari dan dipantau tiap bulan.",
    kendala="Data dari satker lain terlambat.",
    upaya="Jadwal penyampaian data dimajukan.",
)


IK_12 = indicator(
    "IK 1.2",
    realisasi="95",
    target=Target(Decimal(80), Decimal(90)),
    history={2025: "88"},
    penjelasan="Seluruh kegiatan pemutakhiran data terlaksana.",
    pendukung="Koordinasi rutin dengan Disdukcapil dan PPS dalam rapat pleno bulanan.",
    kendala="Tidak ada.",
)


IK_13 = indicator(
    "IK 1.3", realisasi=None, target=Target.exactly(Decimal(85)), no_data_reason=NO_DATA_REASON
)


IK_21 = indicator(
    "IK 2.1",
    realisasi="1",
    target=Target.exactly(Decimal(2)),
    polarity=Polarity.LOWER_IS_BETTER,
    satuan="temuan",
    history={2023: "4", 2024: "3", 2025: "3"},
)


IK_22 = indicator(
    "IK 2.2",
    realisasi="45",
    target=Target.exactly(Decimal(100)),
    penjelasan="Sebagian kegiatan sosialisasi tertunda ke tahun berikutnya.",
    pendukung="Kerja sama dengan sekolah dan kampus untuk kegiatan yang terlaksana.",
    kendala="Anggaran sosialisasi dipotong pada revisi DIPA.",
    upaya="Sosialisasi dialihkan ke media sosial dan siaran radio.",
)


# Penyusunan laporan kinerja serves SS 1, Pengelolaan data both sasaran (counted in full for
# each), Sosialisasi none: dukungan manajemen.
BUDGET = (
    BudgetLine(
        "Program Dukungan Manajemen",
        "Penyusunan laporan kinerja",
        Decimal(1234567),
        Decimal(1000000),
        ("SS 1",),
    ),
    BudgetLine(
        "Program Dukungan Manajemen",
        "Pengelolaan data",
        Decimal(2000000),
        Decimal(2000000),
        ("SS 1", "SS 2"),
    ),
    BudgetLine("Program Penyelenggaraan Pemilu", "Sosialisasi", Decimal(500000), Decimal(250000)),
)


RENSTRA = Renstra(
    start_year=2025,
    end_year=RENSTRA_END,
    visi="Menjadi penyelenggara pemilu yang mandiri dan berintegritas",
    misi=("Meningkatkan kualitas perencanaan", "Meningkatkan akuntabilitas keuangan"),
    tujuan=("Terwujudnya tata kelola yang akuntabel",),
    sasaran=(
        RenstraSasaran(
            "SS 1",
            "Meningkatnya kualitas perencanaan",
            (RenstraIndicator("IK 1.1", "Indikator IK 1.1", "persen", IK_11.renstra_targets),),
        ),
    ),
)


def small_analysis(*, budget: tuple[BudgetLine, ...] = BUDGET) -> Analysis:
    """Return 2 sasaran, 5 indicators (range, lower-is-better, no data, history, Renstra)."""
    return Analysis(
        renstra=RENSTRA,
        office_name="KPU Kota Bengkulu",
        year=2026,
        period_label="Tahun 2026",
        sasaran=(
            sasaran("SS 1", "Meningkatnya kualitas perencanaan", IK_11, IK_12, IK_13),
            sasaran("SS 2", "Meningkatnya akuntabilitas keuangan", IK_21, IK_22),
        ),
        budget=budget,
        scale=SCALE,
    )


def many_indicators(count: int) -> Analysis:
    """Return one sasaran of ``count`` measured indicators, each with two earlier years."""
    results = tuple(
        indicator(
            f"IK 1.{number}",
            realisasi=str(60 + number % 50),
            target=Target.exactly(Decimal(90)),
            history={2024: str(50 + number % 40), 2025: str(55 + number % 40)},
        )
        for number in range(1, count + 1)
    )
    return Analysis(
        office_name="KPU Kota Bengkulu",
        year=2026,
        period_label="Tahun 2026",
        sasaran=(sasaran("SS 1", "Meningkatnya kualitas perencanaan", *results),),
        budget=(),
        scale=SCALE,
    )


# A whole report of the small analysis: a review meeting, three Kasubbag (one Plh.), unsigned.
MEETING = LkjipMeeting(
    held_on=date(2027, 1, 14),
    place="Ruang Rapat KPU Kota Bengkulu",
    attendees=["Budi Santoso", "Sari Dewi"],
    inputs=[
        LkjipInput("Budi Santoso", "IK 2.1", "Jelaskan penurunan jumlah temuan."),
        LkjipInput("Sari Dewi", None, "Tambahkan foto kegiatan pada lampiran."),
    ],
    minutes="Rapat dibuka oleh Ketua Tim.\nSeluruh masukan diterima.",
)
SIGNATURE = LkjipSignature(
    name="Zahyochi, S.Sos.",
    nip="197001011990031001",
    jabatan="Sekretaris KPU Kota Bengkulu",
    city="Bengkulu",
    signed_on=None,
)
CONTENT = LkjipContent(
    analysis=small_analysis(),
    office_name="KPU Kota Bengkulu",
    office_address="Jl. WR. Supratman No. 08 Kel. Bentiring Permai Bengkulu",
    city="Bengkulu",
    parent_office="KPU Provinsi Bengkulu",
    version=3,
    konsep=True,
    kata_pengantar=None,
    meeting=MEETING,
    initials=[
        LkjipInitial(
            "Budi Santoso",
            "Kepala Sub Bagian Keuangan, Umum dan Logistik",
            datetime(2027, 1, 15, 2, 30, tzinfo=UTC),  # 09.30 WIB
        ),
        LkjipInitial("Sari Dewi", "Kepala Sub Bagian Hukum dan SDM", None),
        LkjipInitial(
            "Rina Putri",
            "Kepala Sub Bagian Teknis Penyelenggaraan Pemilu",
            datetime(2027, 1, 15, 7, 5, tzinfo=UTC),
            note="Plh.",
        ),
    ],
    signature=SIGNATURE,
    generated_on=date(2027, 1, 10),
)


def office_report(*, signed_on: date | None = None) -> LkjipContent:
    """The small year's LKjIP for an office with its full name, two units and six people."""
    from bot.documents import LkjipContent, LkjipSignature, LkjipUnit

    return LkjipContent(
        analysis=small_analysis(),
        office_name="KPU Kota Bengkulu",
        office_address="Jl. WR. Supratman No. 08 Kel. Bentiring Permai Bengkulu",
        city="Bengkulu",
        parent_office="KPU Provinsi Bengkulu",
        version=1,
        konsep=True,
        kata_pengantar=None,
        meeting=None,
        initials=[],
        signature=LkjipSignature(
            name="Zahyochi, S.Sos.",
            nip="197001011990031001",
            jabatan="Sekretaris KPU Kota Bengkulu",
            city="Bengkulu",
            signed_on=signed_on,
        ),
        generated_on=date(2027, 1, 10),
        office_full_name="Sekretariat Komisi Pemilihan Umum Kota Bengkulu",
        units=(
            LkjipUnit("Sub Bagian Keuangan, Umum dan Logistik", "Rina Marlina, S.E.", 3),
            LkjipUnit("Sub Bagian Hukum dan Sumber Daya Manusia", "", 2),
        ),
        people_outside_units=1,
    )
