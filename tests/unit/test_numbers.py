"""Reading and showing numbers the Indonesian way."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.errors import InvalidInput
from bot.domain.numbers import (
    ParsedNumber,
    format_number,
    format_percent,
    format_rupiah,
    parse_number,
)

D = Decimal


@pytest.mark.parametrize(
    ("text", "value", "percent"),
    [
        ("85,5", D("85.5"), False),
        ("1.234", D("1234"), False),  # a dot before three digits groups thousands
        ("1.234,5", D("1234.5"), False),
        ("85 %", D("85"), True),
        ("85%", D("85"), True),
        ("85,5%", D("85.5"), True),
        ("85 persen", D("85"), True),
        ("85persen", D("85"), True),
        ("85 Persen", D("85"), True),
        ("Rp 1.234.567", D("1234567"), False),
        ("Rp1.500,-", D("1500"), False),  # the ",-" of amounts written on letters
        ("Rp. 1.500", D("1500"), False),
        ("rp 2.500,50", D("2500.50"), False),
        ("1.500,-", D("1500"), False),
        ("-Rp 1.500", D("-1500"), False),
        ("Rp -1.500", D("-1500"), False),
        ("-5", D("-5"), False),
        ("−5", D("-5"), False),  # Unicode minus, as word processors write it
        ("- 5", D("-5"), False),
        ("+3", D("3"), False),
        ("-0", D("0"), False),
        ("0,75", D("0.75"), False),
        ("0.75", D("0.75"), False),  # a dot before other than three digits is a decimal point
        ("85.5", D("85.5"), False),
        ("1.5", D("1.5"), False),
        ("85.50", D("85.50"), False),
        ("1.2345", D("1.2345"), False),
        ("0.500", D("0.5"), False),  # a thousands group never starts with 0
        ("1,234", D("1.234"), False),  # the comma is always the decimal mark
        ("1 234", D("1234"), False),
        ("1\u00a0234,5", D("1234.5"), False),  # no-break space, pasted from a document
        ("12.345,67", D("12345.67"), False),
        ("100,00", D("100"), False),
        ("2.000.000", D("2000000"), False),
        (" 42 ", D("42"), False),
        ("007", D("7"), False),
        ("0", D("0"), False),
    ],
)
def test_indonesian_spellings_are_read(text: str, value: Decimal, percent: bool) -> None:
    parsed = parse_number(text)

    assert parsed == ParsedNumber(value, percent)
    assert not (parsed.value.is_signed() and parsed.value == 0)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "1,2,3",  # two decimal commas
        "1.23.4",  # groups of other than three digits
        "%",
        "85%%",
        "12a",
        "1..2",
        ",5",  # a decimal mark with nothing before it: ask for 0,5
        "5,",  # nor after it
        "5.",
        "Rp",
        "persen",
        "--5",
        "+-5",
        "-Rp -5",
        "1.2.3,4,5",
        "١٢",  # Arabic-Indic digits: only 0-9 are accepted
        "１２",  # fullwidth digits
        "1234.567",  # a decimal, or a mistyped 1.234.567: a thousandfold guess, so refused
        "1.234 567",  # dots and spaces mixed as group separators
        "1,234.5",  # English grouping
        "Rp 5%",  # money and a percentage at once
        "1,5,-",  # ",-" says no cents
        "1e5",
        "NaN",
        "Infinity",
        "12 34",
        "85 % lebih",
    ],
)
def test_anything_else_is_refused_with_a_hint(text: str) -> None:
    with pytest.raises(InvalidInput, match="koma untuk desimal, titik untuk ribuan"):
        parse_number(text)


def test_the_refusal_quotes_the_text_but_not_a_whole_paragraph() -> None:
    with pytest.raises(InvalidInput, match='"12a"') as short:
        parse_number(" 12a ")
    with pytest.raises(InvalidInput) as long:
        parse_number("x" * 500)

    assert short.value.message.startswith("Maaf,")
    assert "x" * 40 not in long.value.message and "…" in long.value.message


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (D("0"), "0"),
        (D("85.5"), "85,5"),
        (D("85.50"), "85,5"),
        (D("100.00"), "100"),
        (D("1234"), "1.234"),
        (D("1234.5"), "1.234,5"),
        (D("1234567.891"), "1.234.567,89"),
        (D("-1234.5"), "-1.234,5"),
        (D("0.125"), "0,13"),  # half-up, as reports round, not Babel's half-even
        (D("0.135"), "0,14"),
        (D("-0.001"), "0"),  # rounded to zero shows no sign
        (D("1E+30"), "1.000.000.000.000.000.000.000.000.000.000"),
    ],
)
def test_numbers_are_shown_the_indonesian_way(value: Decimal, shown: str) -> None:
    assert format_number(value) == shown


def test_the_number_of_decimals_can_be_chosen() -> None:
    assert format_number(D("85.555"), max_decimals=1) == "85,6"
    assert format_number(D("85.5"), max_decimals=0) == "86"
    assert format_number(D("2.5"), max_decimals=0) == "3"


@pytest.mark.parametrize(
    ("value", "shown"),
    [(D("85.5"), "85,5%"), (D("100"), "100%"), (D("105.556"), "105,56%"), (D("0"), "0%")],
)
def test_percentages_are_shown_with_a_percent_sign(value: Decimal, shown: str) -> None:
    assert format_percent(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (D("1234567"), "Rp1.234.567"),
        (D("1500.50"), "Rp1.501"),
        (D("0"), "Rp0"),
        (D("-1500"), "-Rp1.500"),
        (D("999999999999"), "Rp999.999.999.999"),
    ],
)
def test_money_is_shown_in_rupiah_without_cents_or_a_space_to_break_at(
    value: Decimal, shown: str
) -> None:
    assert format_rupiah(value) == shown


@given(
    st.decimals(
        min_value=D("-1e15"), max_value=D("1e15"), places=2, allow_nan=False, allow_infinity=False
    )
)
def test_what_is_shown_reads_back_as_the_same_number(value: Decimal) -> None:
    assert parse_number(format_number(value)).value == value


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_rupiah_reads_back_as_the_same_amount(amount: int) -> None:
    assert parse_number(format_rupiah(D(amount))).value == amount


@given(st.text(max_size=30))
def test_any_text_is_read_or_refused_politely(text: str) -> None:
    try:
        parsed = parse_number(text)
    except InvalidInput as error:
        assert error.message.startswith("Maaf,")
    else:
        assert parsed.value.is_finite()


@given(
    st.decimals(min_value=Decimal("-1e15"), max_value=Decimal("1e15"), allow_nan=False, places=6),
    st.integers(min_value=0, max_value=4),
)
def test_numbers_read_as_babel_writes_them_for_indonesian(value: Decimal, decimals: int) -> None:
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    with localcontext() as context:
        context.prec = 40
        rounded = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = rounded.copy_abs()
    assert format_number(value, max_decimals=decimals) == format_decimal(
        rounded, format=pattern, locale="id"
    )
