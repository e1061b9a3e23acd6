"""Automatic checks on a submitted realisasi: what refuses it, what asks for confirmation."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from bot.domain.checks import (
    CheckThresholds,
    Finding,
    Level,
    check_submission,
    check_value,
    has_errors,
    is_percent_satuan,
    names_a_penghambat,
    upaya_needed,
)
from bot.domain.performance import Polarity, Target

D = Decimal
HIGHER = Polarity.HIGHER_IS_BETTER
LOWER = Polarity.LOWER_IS_BETTER
THRESHOLDS = CheckThresholds()
HUNDRED = Target.exactly(D(100))


def codes(findings: list[Finding]) -> list[tuple[Level, str]]:
    return [(finding.level, finding.code) for finding in findings]


@pytest.mark.parametrize(
    ("realisasi", "satuan", "target", "polarity", "expected"),
    [
        ("85", "persen", HUNDRED, HIGHER, []),
        ("100", "persen", HUNDRED, HIGHER, []),
        ("150", "dokumen", HUNDRED, HIGHER, []),  # exactly at the threshold: fine
        ("50", "dokumen", HUNDRED, HIGHER, []),
        ("-1", "dokumen", HUNDRED, HIGHER, [(Level.ERROR, "negative")]),
        ("100.01", "persen", HUNDRED, HIGHER, [(Level.ERROR, "percent_over_100")]),
        ("101", " Persen ", Target.exactly(D(90)), HIGHER, [(Level.ERROR, "percent_over_100")]),
        ("120", "%", HUNDRED, HIGHER, [(Level.ERROR, "percent_over_100")]),
        ("120", "persentase", HUNDRED, HIGHER, [(Level.ERROR, "percent_over_100")]),
        ("151", "dokumen", HUNDRED, HIGHER, [(Level.WARNING, "far_above_target")]),
        ("16", "laporan", Target.exactly(D(10)), HIGHER, [(Level.WARNING, "far_above_target")]),
        ("49.99", "dokumen", HUNDRED, HIGHER, [(Level.WARNING, "far_below_target")]),
        ("0", "kegiatan", Target.exactly(D(12)), HIGHER, [(Level.WARNING, "far_below_target")]),
        ("95", "persen", Target(D(80), D(90)), HIGHER, []),
        ("30", "persen", Target(D(80), D(90)), HIGHER, [(Level.WARNING, "far_below_target")]),
        # lower is better: few findings is good, many is doubtful
        ("2", "temuan", Target.exactly(D(4)), LOWER, []),  # 150%
        ("1", "temuan", Target.exactly(D(4)), LOWER, [(Level.WARNING, "far_above_target")]),
        ("7", "temuan", Target.exactly(D(4)), LOWER, [(Level.WARNING, "far_below_target")]),
        ("0", "temuan", Target.exactly(D(0)), LOWER, []),
        ("3", "temuan", Target.exactly(D(0)), LOWER, [(Level.WARNING, "far_below_target")]),
        ("5", "dokumen", Target.exactly(D(0)), HIGHER, []),  # target 0 met
        # a refused number gets no far-from-target warning on top
        ("-5", "persen", HUNDRED, HIGHER, [(Level.ERROR, "negative")]),
        ("250", "persen", HUNDRED, HIGHER, [(Level.ERROR, "percent_over_100")]),
        ("NaN", "persen", HUNDRED, HIGHER, [(Level.ERROR, "not_a_number")]),
        # a target the capaian cannot be computed for is the importer's problem, not the submitter's
        ("5", "dokumen", Target.exactly(D(-1)), HIGHER, []),
    ],
)
def test_the_number_alone(
    realisasi: str,
    satuan: str,
    target: Target,
    polarity: Polarity,
    expected: list[tuple[Level, str]],
) -> None:
    findings = check_value(
        realisasi=D(realisasi),
        satuan=satuan,
        target=target,
        polarity=polarity,
        thresholds=THRESHOLDS,
    )

    assert codes(findings) == expected


def test_the_thresholds_are_configurable() -> None:
    strict = CheckThresholds(high_capaian=D(120), low_capaian=D(80))

    def check(realisasi: str, thresholds: CheckThresholds) -> list[tuple[Level, str]]:
        return codes(
            check_value(
                realisasi=D(realisasi),
                satuan="dokumen",
                target=HUNDRED,
                polarity=HIGHER,
                thresholds=thresholds,
            )
        )

    assert check("130", strict) == [(Level.WARNING, "far_above_target")]
    assert check("130", THRESHOLDS) == []
    assert check("70", strict) == [(Level.WARNING, "far_below_target")]
    assert check("70", THRESHOLDS) == []


def test_messages_are_indonesian_and_say_what_to_do() -> None:
    [negative] = check_value(
        realisasi=D("-2.5"),
        satuan="dokumen",
        target=HUNDRED,
        polarity=HIGHER,
        thresholds=THRESHOLDS,
    )
    [over] = check_value(
        realisasi=D("120.5"),
        satuan="persen",
        target=HUNDRED,
        polarity=HIGHER,
        thresholds=THRESHOLDS,
    )
    [far] = check_value(
        realisasi=D("160"), satuan="dokumen", target=HUNDRED, polarity=HIGHER, thresholds=THRESHOLDS
    )

    assert "(-2,5)" in negative.message and "Mohon" in negative.message
    assert "120,5%" in over.message and "tidak dapat melebihi 100%" in over.message
    assert "Capaian 160% jauh di atas target (lebih dari 150%)" in far.message
    assert "konfirmasi atau perbaiki" in far.message


@dataclass(frozen=True)
class Answers:
    """What the submitter filled in besides the number; complete unless a test changes it."""

    evidence_required: bool = True
    evidence_count: int = 1
    penjelasan: str | None = "Seluruh dokumen telah disusun."
    pendukung: str | None = "Jadwal penyusunan ditetapkan sejak Januari."
    kendala: str | None = "Keterlambatan data dari KPU RI."
    upaya: str | None = "Koordinasi lebih awal."


@pytest.mark.parametrize(
    ("realisasi", "answers", "expected"),
    [
        ("100", Answers(), []),
        ("100", Answers(kendala=None, upaya=""), []),  # on target: no kendala needed
        ("120", Answers(kendala=None, upaya=None), []),
        ("90", Answers(), []),
        ("100", Answers(evidence_count=0), [(Level.ERROR, "evidence_missing")]),
        ("100", Answers(evidence_required=False, evidence_count=0), []),
        ("100", Answers(penjelasan=None), [(Level.ERROR, "explanation_missing")]),
        ("100", Answers(penjelasan="   "), [(Level.ERROR, "explanation_missing")]),
        # The faktor pendukung is asked for every indicator, at or above 100 % too.
        ("100", Answers(pendukung=None), [(Level.ERROR, "pendukung_missing")]),
        ("120", Answers(pendukung=" "), [(Level.ERROR, "pendukung_missing")]),
        ("90", Answers(pendukung=""), [(Level.ERROR, "pendukung_missing")]),
        ("90", Answers(kendala=""), [(Level.ERROR, "kendala_missing")]),
        ("90", Answers(upaya=None), [(Level.ERROR, "kendala_missing")]),
        ("99.99", Answers(kendala=" ", upaya=None), [(Level.ERROR, "kendala_missing")]),
        (
            "40",
            Answers(evidence_count=0, penjelasan="", kendala=None),
            [
                (Level.WARNING, "far_below_target"),
                (Level.ERROR, "evidence_missing"),
                (Level.ERROR, "explanation_missing"),
                (Level.ERROR, "kendala_missing"),
            ],
        ),
        ("-1", Answers(), [(Level.ERROR, "negative")]),
    ],
)
def test_everything_before_confirmation(
    realisasi: str, answers: Answers, expected: list[tuple[Level, str]]
) -> None:
    findings = check_submission(
        realisasi=D(realisasi),
        satuan="dokumen",
        target=HUNDRED,
        polarity=HIGHER,
        evidence_required=answers.evidence_required,
        evidence_count=answers.evidence_count,
        penjelasan=answers.penjelasan,
        pendukung=answers.pendukung,
        kendala=answers.kendala,
        upaya=answers.upaya,
        thresholds=THRESHOLDS,
    )

    assert codes(findings) == expected


@pytest.mark.parametrize(
    ("kendala", "upaya", "missing"),
    [
        (None, "Koordinasi.", "Mohon lengkapi faktor penghambat."),
        ("Data terlambat.", "", "Mohon lengkapi upaya/alternatif solusi."),
        ("", None, "Mohon lengkapi faktor penghambat dan upaya/alternatif solusi."),
    ],
)
def test_the_kendala_message_names_what_is_missing(
    kendala: str | None, upaya: str | None, missing: str
) -> None:
    [finding] = check_submission(
        realisasi=D(80),
        satuan="persen",
        target=HUNDRED,
        polarity=HIGHER,
        evidence_required=False,
        evidence_count=0,
        penjelasan="Sebagian kegiatan tertunda.",
        pendukung="Koordinasi dengan KPU Provinsi.",
        kendala=kendala,
        upaya=upaya,
        thresholds=THRESHOLDS,
    )

    assert "wajib diisi bila capaian di bawah 100%" in finding.message
    assert finding.message.endswith(missing)


def test_lower_is_better_below_100_needs_kendala_too() -> None:
    findings = check_submission(
        realisasi=D(5),
        satuan="temuan",
        target=Target.exactly(D(4)),
        polarity=LOWER,
        evidence_required=False,
        evidence_count=0,
        penjelasan="Temuan administrasi.",
        pendukung="Reviu internal sebelum pemeriksaan.",
        kendala=None,
        upaya=None,
        thresholds=THRESHOLDS,
    )

    assert codes(findings) == [(Level.ERROR, "kendala_missing")]  # capaian 75%


def test_a_workbook_that_never_asked_the_pendukung_is_not_refused_for_it() -> None:
    findings = check_submission(
        realisasi=D(100),
        satuan="persen",
        target=HUNDRED,
        polarity=HIGHER,
        evidence_required=False,
        evidence_count=0,
        penjelasan="Tercapai.",
        pendukung=None,
        kendala=None,
        upaya=None,
        thresholds=THRESHOLDS,
        pendukung_asked=False,
    )

    assert findings == []


@pytest.mark.parametrize(
    ("kendala", "named"),
    [
        ("tidak ada", False),
        ("Tidak ada.", False),
        ("TIDAK  ADA!", False),
        ("Tidak ada kendala.", False),
        ("nihil", False),
        ("-", False),
        (None, False),
        ("Tidak ada anggaran perjalanan dinas.", True),
        ("Hujan deras saat distribusi logistik.", True),
    ],
)
def test_tidak_ada_names_no_penghambat(kendala: str | None, named: bool) -> None:
    assert names_a_penghambat(kendala) is named


def test_the_upaya_is_needed_below_target_or_when_a_penghambat_was_named() -> None:
    assert upaya_needed(below_target=True, kendala="tidak ada")
    assert upaya_needed(below_target=False, kendala="Data terlambat.")
    assert not upaya_needed(below_target=False, kendala="Tidak ada.")


def test_errors_refuse_and_warnings_do_not() -> None:
    warning = Finding(Level.WARNING, "far_above_target", "…")
    error = Finding(Level.ERROR, "negative", "…")

    assert not has_errors([])
    assert not has_errors([warning])
    assert has_errors([warning, error])


@pytest.mark.parametrize(
    ("satuan", "percent"),
    [("persen", True), ("%", True), ("Persentase", True), ("dokumen", False), ("", False)],
)
def test_percent_satuan_is_recognised(satuan: str, percent: bool) -> None:
    assert is_percent_satuan(satuan) is percent
