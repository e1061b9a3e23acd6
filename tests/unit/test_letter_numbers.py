"""Letter numbers from the office's pattern."""

from __future__ import annotations

import pytest

from bot.domain.letter_numbers import draft_letter_number, format_letter_number
from bot.domain.organisation import LetterKind, LetterNumberSpec

SOP_PATTERN = LetterNumberSpec().pattern


def sop_letter(pattern: str, seq: int) -> str:
    """Number a letter of Sub Bagian 3 of KPU Kota Bengkulu in 2023, as in the SOP."""
    return format_letter_number(
        pattern, seq=seq, classification="ORT.06", region="1771", unit=3, year=2023
    )


def sop_draft(pattern: str) -> str:
    """Number a draft the same way."""
    return draft_letter_number(pattern, classification="ORT.06", region="1771", unit=3, year=2023)


def test_the_sops_own_number() -> None:
    assert sop_letter(SOP_PATTERN, 7) == "7/ORT.06/1771/3/2023"


@pytest.mark.parametrize(
    ("pattern", "seq", "expected"),
    [
        ("{seq}/{classification}/{region}/{unit}/{year}", 125, "125/ORT.06/1771/3/2023"),
        ("{seq:03d}/{classification}/{region}/{unit}/{year}", 7, "007/ORT.06/1771/3/2023"),
        ("{seq}/{classification}/{region}/{year}", 1, "1/ORT.06/1771/2023"),  # no unit code
        ("ND-{seq}/{classification}/KPU-Kot-{region}/{year}", 12, "ND-12/ORT.06/KPU-Kot-1771/2023"),
        ("{{{seq}}}/{year}", 4, "{4}/2023"),  # doubled braces are literal braces
    ],
)
def test_the_pattern_is_configurable(pattern: str, seq: int, expected: str) -> None:
    assert sop_letter(pattern, seq) == expected


def test_the_unit_code_may_be_text_and_the_region_keeps_its_leading_zero() -> None:
    number = format_letter_number(
        SOP_PATTERN, seq=2, classification="PL.01", region="0101", unit="HK", year=2026
    )

    assert number == "2/PL.01/0101/HK/2026"


def test_a_draft_shows_where_the_sequence_will_go() -> None:
    assert sop_draft(SOP_PATTERN) == "…/ORT.06/1771/3/2023"
    padded = "{seq:03d}/{classification}/{year}"
    assert sop_draft(padded) == "…/ORT.06/2023"


def test_a_negative_sequence_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot be negative"):
        sop_letter(SOP_PATTERN, -1)


@pytest.mark.parametrize(
    "pattern",
    [
        "{seq}/{kode}/{year}",  # unknown field
        "{}/{year}",  # positional
        "{0}/{year}",
        "{seq.__class__}/{year}",  # attribute access reaches into the object
        "{seq}/{region[0]}",  # index access
        "{seq!r}/{year}",  # conversion
        "{seq:{year}}",  # nested field in the format spec
    ],
)
def test_a_pattern_may_only_use_the_five_fields(pattern: str) -> None:
    with pytest.raises(ValueError, match="may only use the fields"):
        sop_letter(pattern, 1)


@pytest.mark.parametrize("pattern", ["{seq/{year}", "{seq}}/{year}"])
def test_a_malformed_pattern_is_refused(pattern: str) -> None:
    with pytest.raises(ValueError, match="not a valid template"):
        sop_letter(pattern, 1)


KINDS = LetterNumberSpec.model_validate(
    {
        "pattern": "{seq}/{classification}/{region}/{unit}/{year}",
        "classification": "ORT.06",
        "kinds": {
            "nota_dinas": {
                "classification": "PR.01",
                "type": "ND",
                "pattern": "{seq}/{classification}-{type}/{unit}/{year}",
            },
            "surat_pengantar": {"classification": "ORT.07", "type": "Kpt", "unit": "Sek"},
        },
    }
)


def test_each_kind_of_letter_has_its_own_classification_and_document_type_code() -> None:
    nota = KINDS.format_of(LetterKind.NOTA_DINAS)
    number = format_letter_number(
        nota.pattern,
        seq=12,
        classification=nota.classification,
        type=nota.type,
        region="1771",
        unit=3,
        year=2026,
    )

    assert number == "12/PR.01-ND/3/2026"  # the project's template notes' own example
    pengantar = KINDS.format_of(LetterKind.SURAT_PENGANTAR)
    assert (pengantar.pattern, pengantar.classification, pengantar.unit) == (
        KINDS.pattern,
        "ORT.07",
        "Sek",
    )


def test_kinds_share_a_sequence_by_classification_unless_one_is_named() -> None:
    plain = LetterNumberSpec()
    named = LetterNumberSpec.model_validate(
        {"kinds": {"surat_pengantar": {"sequence": "pengantar"}}}
    )

    assert {plain.format_of(kind).sequence for kind in LetterKind} == {"ORT.06"}
    assert named.format_of(LetterKind.NOTA_DINAS).sequence == "ORT.06"
    assert named.format_of(LetterKind.SURAT_PENGANTAR).sequence == "pengantar"
    assert KINDS.format_of(LetterKind.NOTA_DINAS).sequence == "PR.01"


def test_a_pattern_asking_for_a_type_code_the_kind_lacks_is_refused() -> None:
    with pytest.raises(ValueError, match="nota_dinas has no type"):
        LetterNumberSpec.model_validate({"pattern": "{seq}/{classification}-{type}/{year}"})
    with pytest.raises(ValueError, match="unknown field"):
        LetterNumberSpec.model_validate({"kinds": {"nota_dinas": {"pattern": "{seq}/{jenis}"}}})
    with pytest.raises(ValueError, match="surat_undangan"):
        LetterNumberSpec.model_validate({"kinds": {"surat_undangan": {"type": "UND"}}})
