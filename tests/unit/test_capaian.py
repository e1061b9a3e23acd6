"""Capaian per indicator: the formulas, zero and range targets, categories, sasaran means."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.capaian import (
    Capaian,
    CapaianStatus,
    category,
    compute_capaian,
    sasaran_mean,
)
from bot.domain.category_scale import CategoryBand
from bot.domain.organisation import category_for
from bot.domain.performance import Polarity, Target

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


def single(value: str) -> Target:
    return Target.exactly(D(value))


def span(low: str, high: str) -> Target:
    return Target(D(low), D(high))


@pytest.mark.parametrize(
    ("realisasi", "target", "polarity", "expected"),
    [
        # higher is better: realisasi / target × 100
        ("85", single("100"), HIGHER, "85.00"),
        ("90", single("80"), HIGHER, "112.50"),
        ("2", single("3"), HIGHER, "66.67"),
        ("1", single("3"), HIGHER, "33.33"),
        ("0.12345", single("1"), HIGHER, "12.35"),  # half-up, not half-even
        ("0", single("100"), HIGHER, "0.00"),
        ("-5", single("100"), HIGHER, "0.00"),  # never below 0
        ("1234567", single("2000000"), HIGHER, "61.73"),
        # lower is better: (2 × target − realisasi) / target × 100, not below 0
        ("8", single("10"), LOWER, "120.00"),
        ("10", single("10"), LOWER, "100.00"),
        ("15", single("10"), LOWER, "50.00"),
        ("20", single("10"), LOWER, "0.00"),
        ("25", single("10"), LOWER, "0.00"),
        ("0", single("10"), LOWER, "200.00"),
    ],
)
def test_the_formulas_of_the_perjanjian_kinerja(
    realisasi: str, target: Target, polarity: Polarity, expected: str
) -> None:
    capaian = compute_capaian(realisasi=D(realisasi), target=target, polarity=polarity)

    assert capaian == Capaian(D(expected), CapaianStatus.OK, "")
    assert str(capaian.value) == expected  # always two decimals


@pytest.mark.parametrize(
    ("realisasi", "polarity", "expected", "note"),
    [
        ("0", HIGHER, "100", "Target 0: setiap realisasi yang tidak negatif"),
        ("5", HIGHER, "100", "Target 0: setiap realisasi yang tidak negatif"),
        ("-1", HIGHER, "0", "Target 0 dan realisasi -1: capaian dihitung 0%"),
        ("0", LOWER, "100", "Target 0 dan realisasi 0: target tercapai"),
        ("3", LOWER, "0", "Target 0 dan realisasi 3: setiap angka di atas 0"),
        ("0.5", LOWER, "0", "realisasi 0,5"),
        ("-1", LOWER, "100", "target tercapai"),  # stays monotonic; checks refuse negatives
    ],
)
def test_a_zero_target_has_its_own_rule_and_a_note(
    realisasi: str, polarity: Polarity, expected: str, note: str
) -> None:
    capaian = compute_capaian(realisasi=D(realisasi), target=single("0"), polarity=polarity)

    assert capaian.status is CapaianStatus.OK
    assert capaian.value == D(expected)
    assert note in capaian.note


@pytest.mark.parametrize(
    ("realisasi", "target", "polarity", "expected", "note"),
    [
        ("85", span("80", "90"), HIGHER, "100", "realisasi di dalam rentang dihitung 100%"),
        ("80", span("80", "90"), HIGHER, "100", "di dalam rentang"),
        ("90", span("80", "90"), HIGHER, "100", "di dalam rentang"),
        (
            "72",
            span("80", "90"),
            HIGHER,
            "90",
            "di bawah rentang dihitung terhadap batas bawah (80)",
        ),
        (
            "99",
            span("80", "90"),
            HIGHER,
            "110",
            "di atas rentang dihitung terhadap batas atas (90)",
        ),
        ("-1", span("80", "90"), HIGHER, "0", "di bawah rentang"),
        ("7", span("5", "10"), LOWER, "100", "di dalam rentang"),
        ("12", span("5", "10"), LOWER, "80", "di atas rentang dihitung terhadap batas atas (10)"),
        ("4", span("5", "10"), LOWER, "120", "di bawah rentang dihitung terhadap batas bawah (5)"),
        ("25", span("5", "10"), LOWER, "0", "di atas rentang"),
        ("0", span("5", "10"), LOWER, "200", "di bawah rentang"),
        ("3", span("0", "5"), HIGHER, "100", "Target berupa rentang 0–5"),
        ("10", span("0", "5"), HIGHER, "200", "batas atas (5)"),
        ("-1", span("0", "5"), HIGHER, "0", "batas bawah (0)"),
        ("-1", span("0", "5"), LOWER, "100", "batas bawah (0)"),
        ("6", span("0", "5"), LOWER, "80", "batas atas (5)"),
        ("85.5", span("80.5", "90"), HIGHER, "100", "rentang 80,5–90"),
    ],
)
def test_a_range_target_is_100_within_and_measured_against_the_nearer_bound(
    realisasi: str, target: Target, polarity: Polarity, expected: str, note: str
) -> None:
    capaian = compute_capaian(realisasi=D(realisasi), target=target, polarity=polarity)

    assert capaian.status is CapaianStatus.OK
    assert capaian.value == D(expected)
    assert note in capaian.note


def test_a_result_too_large_to_round_is_not_measurable() -> None:
    capaian = compute_capaian(realisasi=D("1"), target=single("1e-30"), polarity=HIGHER)

    assert capaian.status is CapaianStatus.NOT_MEASURABLE
    assert "terlalu besar atau terlalu kecil" in capaian.note


def test_a_missing_realisasi_is_no_data() -> None:
    capaian = compute_capaian(realisasi=None, target=single("100"), polarity=HIGHER)

    assert capaian == Capaian(None, CapaianStatus.NO_DATA, "Realisasi belum diisi.")


@pytest.mark.parametrize(
    ("realisasi", "target", "note"),
    [
        (D("NaN"), single("100"), "Realisasi bukan angka"),
        (D("sNaN"), single("100"), "Realisasi bukan angka"),
        (D("Infinity"), single("100"), "Realisasi bukan angka"),
        (D("5"), single("NaN"), "Target bukan angka"),
        (D("5"), Target(D("1"), D("-Infinity")), "Target bukan angka"),
        (D("5"), single("-10"), "Target bernilai negatif"),
        (D("5"), span("90", "80"), "batas bawah lebih besar dari batas atas"),
        (D("1e30"), single("1"), "terlalu besar"),
        (D("5"), single("1e19"), "terlalu besar"),
    ],
)
def test_what_cannot_be_computed_says_why_instead_of_raising(
    realisasi: Decimal, target: Target, note: str
) -> None:
    for polarity in Polarity:
        capaian = compute_capaian(realisasi=realisasi, target=target, polarity=polarity)

        assert capaian.status is CapaianStatus.NOT_MEASURABLE
        assert capaian.value is None
        assert note in capaian.note


@pytest.mark.parametrize(
    ("value", "label"),
    [
        ("150", "Sangat Baik"),
        ("91", "Sangat Baik"),
        ("90.99", "Baik"),  # bands run from their min upward: no gap between 90 and 91
        ("76", "Baik"),
        ("75.99", "Cukup"),
        ("66", "Cukup"),
        ("51", "Kurang"),
        ("50.99", "Sangat Kurang"),
        ("0", "Sangat Kurang"),
    ],
)
def test_the_category_comes_from_the_scale(value: str, label: str) -> None:
    assert category(D(value), SCALE) == label
    assert category(D(value), tuple(reversed(SCALE))) == label  # order does not matter
    assert category_for(float(value), SCALE) == label  # the older helper agrees


def test_a_fractional_band_minimum_is_compared_exactly() -> None:
    scale = (CategoryBand(min=90.1, label="Tinggi"), CategoryBand(min=0, label="Rendah"))

    assert category(D("90.10"), scale) == "Tinggi"
    assert category(D("90.09"), scale) == "Rendah"


def test_an_empty_scale_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="empty"):
        category(D("50"), ())


def test_the_sasaran_mean_counts_only_computed_capaian() -> None:
    values = [
        compute_capaian(realisasi=D("85"), target=single("100"), polarity=HIGHER),
        compute_capaian(realisasi=D("100"), target=single("100"), polarity=HIGHER),
        compute_capaian(realisasi=None, target=single("100"), polarity=HIGHER),
        compute_capaian(realisasi=D("5"), target=single("-1"), polarity=HIGHER),
    ]

    assert sasaran_mean(values) == D("92.50")
    assert sasaran_mean(iter(values)) == D("92.50")  # any iterable, read once


def test_the_sasaran_mean_rounds_half_up() -> None:
    values = [Capaian(D(v), CapaianStatus.OK) for v in ("100", "100", "33.33")]

    assert sasaran_mean(values) == D("77.78")


def test_the_sasaran_mean_is_taken_from_the_unrounded_capaian() -> None:
    exceeded = compute_capaian(realisasi=D("1.00005"), target=single("1"), polarity=HIGHER)
    met = compute_capaian(realisasi=D("1"), target=single("1"), polarity=HIGHER)

    assert exceeded.value == D("100.01")  # 100,005 %, shown half-up
    # Exact: (100,005 + 100,005 + 100) / 3 = 100,0033… → 100,00; the mean of the shown
    # values would be (100,01 + 100,01 + 100) / 3 = 100,0066… → 100,01.
    assert sasaran_mean([exceeded, exceeded, met]) == D("100.00")


def test_a_sasaran_without_computed_capaian_has_no_mean() -> None:
    assert sasaran_mean([]) is None
    assert sasaran_mean([Capaian(None, CapaianStatus.NO_DATA, "Realisasi belum diisi.")]) is None


# Property-based: realistic magnitudes, targets single or range, both polarities.
realisasi_values = st.decimals(min_value=-(10**6), max_value=10**6, places=4)
bounds = st.decimals(min_value=0, max_value=10**6, places=2)
polarities = st.sampled_from(list(Polarity))


@st.composite
def targets(draw: st.DrawFn) -> Target:
    low = draw(bounds)
    if draw(st.booleans()):
        return Target.exactly(low)
    return Target(low, max(low, draw(bounds)))


@given(realisasi_values, realisasi_values, targets(), polarities)
def test_capaian_is_monotonic_in_realisasi(
    a: Decimal, b: Decimal, target: Target, polarity: Polarity
) -> None:
    low, high = sorted((a, b))
    worse = compute_capaian(realisasi=low, target=target, polarity=polarity)
    better = compute_capaian(realisasi=high, target=target, polarity=polarity)

    assert worse.value is not None and better.value is not None
    if polarity is HIGHER:
        assert worse.value <= better.value
    else:
        assert worse.value >= better.value


@given(targets(), polarities, st.data())
def test_realisasi_on_target_is_exactly_100(
    target: Target, polarity: Polarity, data: st.DataObject
) -> None:
    on_target = data.draw(st.decimals(min_value=target.low, max_value=target.high, places=4))

    for realisasi in (target.low, target.high, on_target):
        capaian = compute_capaian(realisasi=realisasi, target=target, polarity=polarity)
        assert capaian.status is CapaianStatus.OK
        assert capaian.value == 100


@given(realisasi_values, targets(), polarities)
def test_capaian_is_never_negative(realisasi: Decimal, target: Target, polarity: Polarity) -> None:
    capaian = compute_capaian(realisasi=realisasi, target=target, polarity=polarity)

    assert capaian.value is not None and capaian.value >= 0


any_decimal = st.one_of(
    st.decimals(),
    st.sampled_from([D("0"), D("-0"), D("sNaN"), D("-NaN"), D("Infinity"), D("1e999999")]),
)


@given(any_decimal, any_decimal, any_decimal, polarities)
def test_capaian_never_raises_for_any_decimals(
    realisasi: Decimal, low: Decimal, high: Decimal, polarity: Polarity
) -> None:
    for target in (Target(low, high), Target.exactly(low)):
        capaian = compute_capaian(realisasi=realisasi, target=target, polarity=polarity)

        if capaian.status is CapaianStatus.OK:
            assert capaian.value is not None and capaian.value >= 0
            assert capaian.value == capaian.value.quantize(D("0.01"))
        else:
            assert capaian.value is None and capaian.note


@given(bounds, polarities)
def test_a_zero_target_never_divides_by_zero(realisasi: Decimal, polarity: Polarity) -> None:
    capaian = compute_capaian(realisasi=realisasi, target=single("0"), polarity=polarity)

    assert capaian.value in {D(0), D(100)}
    assert capaian.note.startswith("Target 0")
