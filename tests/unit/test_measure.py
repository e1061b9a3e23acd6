"""Measuring a period: capaian per indicator, sasaran means, ordering, counts and summaries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.analysis import Analysis
from bot.domain.budget import BudgetLine
from bot.domain.capaian import CapaianStatus
from bot.domain.category_scale import CategoryBand
from bot.domain.measure import (
    NO_DATA_LABEL,
    IndicatorInput,
    analyse,
    category_counts,
    count_measured,
    count_reaching_target,
    efficiency,
    is_efficient,
    lowest,
    mean_capaian,
    mean_category,
    natural_key,
    summary_lines,
)
from bot.domain.performance import IndicatorSpec, Polarity, Target

D = Decimal
HIGHER = Polarity.HIGHER_IS_BETTER
LOWER = Polarity.LOWER_IS_BETTER
SCALE = (
    CategoryBand(min=91, label="Sangat Baik"),
    CategoryBand(min=76, label="Baik"),
    CategoryBand(min=66, label="Cukup"),
    CategoryBand(min=51, label="Kurang"),
    CategoryBand(min=0, label="Sangat Kurang"),
)


def spec(
    code: str,
    *,
    sasaran: str = "SS 1",
    target: Target | str = "100",
    polarity: Polarity = HIGHER,
    renstra: Target | str | None = None,
    history: dict[int, Decimal] | None = None,
) -> IndicatorSpec:
    return IndicatorSpec(
        code=code,
        sasaran_code=sasaran,
        sasaran_name=f"Sasaran {sasaran}",
        name=f"Indikator {code}",
        satuan="persen",
        polarity=polarity,
        target=target if isinstance(target, Target) else Target.exactly(D(target)),
        unit_code="KUL",
        renstra_target=Target.exactly(D(renstra)) if isinstance(renstra, str) else renstra,
        history=history or {},
    )


def item(
    indicator: IndicatorSpec, realisasi: str | Decimal | None, **texts: str | None
) -> IndicatorInput:
    value = D(realisasi) if isinstance(realisasi, str) else realisasi
    return IndicatorInput(spec=indicator, unit_name="Sub Bagian KUL", realisasi=value, **texts)


def measure(
    items: Sequence[IndicatorInput],
    budget: Sequence[BudgetLine] = (),
    scale: Sequence[CategoryBand] = SCALE,
) -> Analysis:
    return analyse(
        office_name="KPU Kota Bengkulu",
        year=2026,
        period_label="Triwulan II Tahun 2026",
        indicators=items,
        budget=budget,
        scale=scale,
    )


def line(pagu: str, realisasi: str, kegiatan: str = "Layanan perkantoran") -> BudgetLine:
    return BudgetLine("Program Dukungan Manajemen", kegiatan, D(pagu), D(realisasi))


def capaian_of(values: Sequence[str | None]) -> Analysis:
    """Indicators with target 100, so each realisasi is its own capaian."""
    return measure([item(spec(f"IK 1.{n}"), value) for n, value in enumerate(values, start=1)])


def test_each_indicator_carries_its_capaian_category_renstra_history_and_texts() -> None:
    indicator = spec("IK 1.1", target="80", renstra="90", history={2025: D("70")})

    analysis = measure(
        [item(indicator, "72", penjelasan="Sesuai rencana", kendala="Cuaca", upaya="Lembur")]
    )

    (result,) = analysis.indicators
    assert result.capaian.value == D("90.00") and result.capaian.status is CapaianStatus.OK
    assert result.category == "Baik"
    assert result.renstra_target == Target.exactly(D("90"))
    assert result.renstra_capaian is not None and result.renstra_capaian.value == D("80.00")
    assert result.history == {2025: D("70")}
    assert (result.penjelasan, result.kendala, result.upaya) == (
        "Sesuai rencana",
        "Cuaca",
        "Lembur",
    )
    assert (result.unit_name, result.satuan, result.realisasi) == (
        "Sub Bagian KUL",
        "persen",
        D(72),
    )
    assert analysis.period_label == "Triwulan II Tahun 2026" and analysis.scale == SCALE


def test_without_a_renstra_target_there_is_no_renstra_capaian() -> None:
    (result,) = measure([item(spec("IK 1.1"), "50")]).indicators

    assert result.renstra_target is None and result.renstra_capaian is None


@pytest.mark.parametrize(
    ("realisasi", "target", "status"),
    [
        (None, Target.exactly(D(100)), CapaianStatus.NO_DATA),
        (D("NaN"), Target.exactly(D(100)), CapaianStatus.NOT_MEASURABLE),
        (D(5), Target.exactly(D(-1)), CapaianStatus.NOT_MEASURABLE),
        (D(5), Target(D(9), D(1)), CapaianStatus.NOT_MEASURABLE),
    ],
)
def test_an_indicator_without_a_capaian_has_no_category(
    realisasi: Decimal | None, target: Target, status: CapaianStatus
) -> None:
    analysis = measure([item(spec("IK 1.1", target=target), realisasi)])

    (result,) = analysis.indicators
    assert result.capaian.status is status and result.category is None
    assert analysis.sasaran[0].mean is None and analysis.sasaran[0].category is None


def test_the_no_data_mark_wins_over_a_realisasi_sent_with_it() -> None:
    marked = item(spec("IK 1.1"), "95", no_data_reason="Survei tidak dilaksanakan")

    (result,) = measure([marked]).indicators

    assert result.realisasi is None and result.category is None
    assert result.capaian.status is CapaianStatus.NO_DATA
    assert result.capaian.note == "Ditandai tidak ada data: Survei tidak dilaksanakan"
    assert result.no_data_reason == "Survei tidak dilaksanakan"


def test_sasaran_and_indicators_are_ordered_as_people_count() -> None:
    items = [
        item(spec("IK 10.1", sasaran="SS 10"), "100"),
        item(spec("IK 2.10", sasaran="SS 2"), "100"),
        item(spec("IK 2.2", sasaran="SS 2"), "100"),
        item(spec("IK 1.1", sasaran="SS 1"), "100"),
        item(spec("IK 2.1", sasaran="SS 2"), "100"),
    ]

    analysis = measure(items)

    assert [s.code for s in analysis.sasaran] == ["SS 1", "SS 2", "SS 10"]
    assert [r.code for r in analysis.sasaran[1].indicators] == ["IK 2.1", "IK 2.2", "IK 2.10"]
    assert [r.code for r in analysis.indicators][-1] == "IK 10.1"


def test_a_sasaran_is_named_by_its_first_indicator_and_equal_codes_keep_their_order() -> None:
    first = spec("IK 1.1", sasaran="ss 1")
    renamed = replace(first, code="IK 1.2", sasaran_name="Other")
    twin = spec("IK 9.1", sasaran="SS  1")  # compares equal to "ss 1", a different group

    analysis = measure([item(first, "1"), item(twin, "1"), item(renamed, "1")])

    assert [(s.code, s.name) for s in analysis.sasaran] == [
        ("ss 1", "Sasaran ss 1"),
        ("SS  1", "Sasaran SS  1"),
    ]
    assert [r.code for r in analysis.sasaran[0].indicators] == ["IK 1.1", "IK 1.2"]


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (["IK 1.10", "IK 1.2", "IK 1.1"], ["IK 1.1", "IK 1.2", "IK 1.10"]),
        (["SS 10", "SS 2", "SS 1"], ["SS 1", "SS 2", "SS 10"]),
        (["ik 2", "IK 10", "Ik 1"], ["Ik 1", "ik 2", "IK 10"]),  # case does not matter
        (["IK  3", "IK 2"], ["IK 2", "IK  3"]),  # nor doubled spaces
        (["B", "A 1", "1"], ["1", "A 1", "B"]),
    ],
)
def test_natural_key_orders_numbers_by_value(codes: list[str], expected: list[str]) -> None:
    assert sorted(codes, key=natural_key) == expected


def test_sasaran_mean_counts_only_measured_indicators() -> None:
    analysis = measure(
        [
            item(spec("IK 1.1"), "100"),
            item(spec("IK 1.2"), "80"),
            item(spec("IK 1.3"), None),
            item(spec("IK 2.1", sasaran="SS 2"), None),
        ]
    )

    one, two = analysis.sasaran
    assert (one.mean, one.category) == (D("90.00"), "Baik")
    assert (two.mean, two.category) == (None, None)


def test_an_empty_scale_gives_no_categories_instead_of_an_error() -> None:
    analysis = measure([item(spec("IK 1.1"), "100")], scale=())

    assert analysis.indicators[0].category is None and analysis.sasaran[0].category is None
    assert category_counts(analysis) == {NO_DATA_LABEL: 1}
    assert mean_category(analysis) is None


def test_counts_and_mean_over_the_whole_period() -> None:
    analysis = capaian_of(["120", "100", "95", "80", "40", None])

    assert count_measured(analysis) == 5
    assert count_reaching_target(analysis) == 2
    assert mean_capaian(analysis) == D("87.00")
    assert mean_category(analysis) == "Baik"
    assert category_counts(analysis) == {
        "Sangat Baik": 3,
        "Baik": 1,
        "Cukup": 0,
        "Kurang": 0,
        "Sangat Kurang": 1,
        NO_DATA_LABEL: 1,
    }


def test_the_lowest_come_lowest_first_with_ties_in_code_order() -> None:
    analysis = measure(
        [
            item(spec("IK 1.10"), "50"),
            item(spec("IK 1.2"), "50"),
            item(spec("IK 1.1"), "99"),
            item(spec("IK 1.3"), "20"),
            item(spec("IK 1.4"), None),
        ]
    )

    assert [r.code for r in lowest(analysis)] == ["IK 1.3", "IK 1.2", "IK 1.10"]
    assert [r.code for r in lowest(analysis, 10)] == ["IK 1.3", "IK 1.2", "IK 1.10", "IK 1.1"]


@pytest.mark.parametrize(
    ("capaian", "budget", "efficient", "sentence"),
    [
        (
            ["98.5"],
            [line("1000", "921")],
            True,
            "Capaian rata-rata 98,5% dengan penyerapan anggaran 92,1%: kinerja efisien.",
        ),
        (
            ["92.1"],
            [line("1000", "921")],
            True,  # equal counts as efficient
            "Capaian rata-rata 92,1% dengan penyerapan anggaran 92,1%: kinerja efisien.",
        ),
        (
            ["80", "90"],
            [line("600", "570"), line("400", "380", "Lain")],
            False,
            "Capaian rata-rata 85% dengan penyerapan anggaran 95%: capaian lebih rendah dari "
            "penyerapan anggaran, kinerja belum efisien.",
        ),
        (
            [None],
            [line("1000", "500")],
            None,
            "Penyerapan anggaran 50%, tetapi capaian rata-rata belum dapat dihitung, sehingga "
            "efisiensi belum dapat dinilai.",
        ),
        (
            ["100"],
            [],
            None,
            "Capaian rata-rata 100%, tetapi penyerapan anggaran belum dapat dihitung, sehingga "
            "efisiensi belum dapat dinilai.",
        ),
        (
            ["100"],
            [line("0", "0")],
            None,
            "Capaian rata-rata 100%, tetapi penyerapan anggaran belum dapat dihitung, sehingga "
            "efisiensi belum dapat dinilai.",
        ),
        (
            [],
            [],
            None,
            "Capaian rata-rata dan penyerapan anggaran belum dapat dihitung, sehingga "
            "efisiensi belum dapat dinilai.",
        ),
    ],
)
def test_efficiency_compares_mean_capaian_with_absorption(
    capaian: list[str | None], budget: list[BudgetLine], efficient: bool | None, sentence: str
) -> None:
    analysis = measure(
        [item(spec(f"IK 1.{n}"), value) for n, value in enumerate(capaian, 1)], budget=budget
    )

    assert is_efficient(analysis) is efficient
    assert efficiency(analysis) == sentence


def test_summary_lines_for_a_chat_message() -> None:
    items = [
        item(spec("IK 1.1"), "100"),
        item(spec("IK 1.2", target="3"), "2"),
        item(spec("IK 2.1", sasaran="SS 2", target="0", polarity=LOWER), "1"),
        item(spec("IK 2.2", sasaran="SS 2", target="12"), "13"),
        item(spec("IK 2.3", sasaran="SS 2"), None),
    ]
    budget = [line("3245780000", "3158402117"), line("412500000", "378945600", "Keuangan")]

    lines = summary_lines(measure(items, budget=budget))

    assert lines == [
        "Indikator terukur: 4 dari 5.",
        "Capaian 100% atau lebih: 2 indikator.",
        "Capaian rata-rata: 68,75% (Cukup).",
        "Per kategori: Sangat Baik 2, Baik 0, Cukup 1, Kurang 0, Sangat Kurang 1, "
        "tidak ada data 1.",
        "Penyerapan anggaran: 96,69% (Rp3.537.347.717 dari pagu Rp3.658.280.000).",
        "Capaian rata-rata 68,75% dengan penyerapan anggaran 96,69%: capaian lebih rendah "
        "dari penyerapan anggaran, kinerja belum efisien.",
        "Capaian terendah:",
        "1. IK 2.1 Indikator IK 2.1: 0%",
        "2. IK 1.2 Indikator IK 1.2: 66,67%",
        "3. IK 1.1 Indikator IK 1.1: 100%",
    ]


def test_summary_lines_before_any_data_or_budget() -> None:
    lines = summary_lines(capaian_of([None, None]))

    assert lines == [
        "Indikator terukur: 0 dari 2.",
        "Capaian 100% atau lebih: 0 indikator.",
        "Capaian rata-rata: belum dapat dihitung.",
        "Per kategori: Sangat Baik 0, Baik 0, Cukup 0, Kurang 0, Sangat Kurang 0, "
        "tidak ada data 2.",
        "Penyerapan anggaran: belum ada data anggaran.",
    ]


def test_summary_says_when_the_pagu_is_zero() -> None:
    analysis = measure([item(spec("IK 1.1"), "100")], budget=[line("0", "0")])

    assert "Penyerapan anggaran: belum dapat dihitung (pagu Rp0)." in summary_lines(analysis)


# Properties ------------------------------------------------------------------------------

any_decimal = st.decimals(allow_nan=True, allow_infinity=True)
realisasi_values = (
    st.none() | any_decimal | st.sampled_from([D(0), D(-1), D("1e30"), D("sNaN"), D("-Inf")])
)
targets = st.builds(
    Target,
    st.sampled_from([D(0), D(100)]) | any_decimal,
    st.sampled_from([D(0), D(100)]) | any_decimal,
)


@st.composite
def inputs(draw: st.DrawFn) -> list[IndicatorInput]:
    count = draw(st.integers(min_value=0, max_value=12))
    return [
        IndicatorInput(
            spec=spec(
                f"IK {draw(st.integers(1, 12))}.{n}",
                sasaran=f"SS {draw(st.integers(1, 12))}",
                target=draw(targets),
                polarity=draw(st.sampled_from(Polarity)),
                renstra=draw(st.none() | targets),
            ),
            unit_name="KUL",
            realisasi=draw(realisasi_values),
            no_data_reason=draw(st.none() | st.just("tidak ada survei")),
        )
        for n in range(count)
    ]


# Realistic and broken amounts; the budget is validated on the way in, so magnitudes far
# beyond any budget would only slow the rupiah formatting down.
amounts = (
    st.decimals(min_value=-(10**20), max_value=10**20)
    | st.decimals(min_value=0, max_value=10**12, places=2)
    | st.sampled_from([D("NaN"), D("sNaN"), D("Infinity"), D("-Infinity")])
)
budgets = st.lists(
    st.builds(BudgetLine, st.just("P"), st.sampled_from(["A", "B"]), amounts, amounts),
    max_size=4,
)


@given(inputs(), budgets)
def test_analysing_and_summarising_never_raise(
    items: list[IndicatorInput], budget: list[BudgetLine]
) -> None:
    analysis = measure(items, budget=budget)

    assert len(analysis.indicators) == len(items)
    assert all(line for line in summary_lines(analysis))
    assert efficiency(analysis)


@given(inputs())
def test_category_counts_add_up_to_the_indicators(items: list[IndicatorInput]) -> None:
    analysis = measure(items)

    counts = category_counts(analysis)

    assert sum(counts.values()) == len(items)
    assert list(counts) == [band.label for band in SCALE] + [NO_DATA_LABEL]
    assert counts[NO_DATA_LABEL] == len(items) - count_measured(analysis)


measurable = st.decimals(min_value=0, max_value=10**6, places=3)


@given(
    st.lists(
        st.tuples(measurable, st.decimals(min_value="0.001", max_value=10**6, places=3)),
        min_size=1,
        max_size=15,
    ),
    st.sampled_from(Polarity),
)
def test_the_mean_lies_between_the_lowest_and_highest_capaian(
    pairs: list[tuple[Decimal, Decimal]], polarity: Polarity
) -> None:
    analysis = measure(
        [
            item(spec(f"IK 1.{n}", target=Target.exactly(target), polarity=polarity), realisasi)
            for n, (realisasi, target) in enumerate(pairs)
        ]
    )

    values = [r.capaian.value for r in analysis.indicators if r.capaian.value is not None]
    mean = mean_capaian(analysis)
    assert mean is not None and min(values) <= mean <= max(values)
    assert analysis.sasaran[0].mean == mean


@given(
    st.lists(
        st.tuples(st.integers(0, 200), st.integers(0, 200)), min_size=1, max_size=20, unique=True
    ).flatmap(lambda pairs: st.permutations(pairs))
)
def test_ordering_is_natural_whatever_the_input_order(pairs: list[tuple[int, int]]) -> None:
    analysis = measure([item(spec(f"IK {a}.{b}", sasaran=f"SS {a}"), "1") for a, b in pairs])

    assert [s.code for s in analysis.sasaran] == [f"SS {a}" for a in sorted({a for a, _ in pairs})]
    assert [r.code for r in analysis.indicators] == [f"IK {a}.{b}" for a, b in sorted(pairs)]
