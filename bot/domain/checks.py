"""Automatic checks on a submitted realisasi: errors refuse it, warnings ask to confirm.

An ERROR means the submission cannot be accepted as it is; a WARNING means the value is
possible but doubtful, so the submitter is asked to confirm it or correct it. Far-from-
target warnings are left out while the number itself is refused: the person has to change
it anyway, and a second message about the same number is noise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from bot.domain.capaian import CapaianStatus, compute_capaian
from bot.domain.numbers import format_number, format_percent
from bot.domain.performance import Polarity, Target

# Satuan names that mean the realisasi is itself a percentage, so it cannot exceed 100.
PERCENT_SATUAN = frozenset({"persen", "%", "persentase", "prosentase"})

# What a person types as the faktor penghambat when nothing stood in the way (the prompt
# offers "tidak ada"; the others are what people write instead, compared without case or
# punctuation). "Tidak ada anggaran" is a penghambat, so only these whole answers count.
NO_PENGHAMBAT = "tidak ada"
_NOTHING_HINDERED = frozenset(
    {NO_PENGHAMBAT, "tidak ada kendala", "tidak ada hambatan", "tidak ada penghambat", "nihil"}
)
_PUNCTUATION = re.compile(r"[^\w\s]")


class Level(StrEnum):
    """How serious a finding is."""

    ERROR = "error"  # refuse the submission
    WARNING = "warning"  # accept only after the submitter confirms


@dataclass(frozen=True)
class Finding:
    """One problem found in a submission, with the sentence the submitter reads."""

    level: Level
    code: str  # short and stable, e.g. "negative", for handlers and tests
    message: str  # Indonesian, says what to do


@dataclass(frozen=True)
class CheckThresholds:
    """How far from the target a capaian may be before the submitter is asked to confirm."""

    high_capaian: Decimal = Decimal(150)  # percent; above this is doubtful
    low_capaian: Decimal = Decimal(50)  # percent; below this is doubtful


def check_value(
    *,
    realisasi: Decimal,
    satuan: str,
    target: Target,
    polarity: Polarity,
    thresholds: CheckThresholds,
) -> list[Finding]:
    """Check the realisasi on its own: a real, non-negative number, not far from the target."""
    if not realisasi.is_finite():
        return [
            Finding(
                Level.ERROR,
                "not_a_number",
                "Realisasi harus berupa angka. Mohon kirim angkanya, misalnya 85,5.",
            )
        ]
    refused: list[Finding] = []
    if realisasi < 0:
        refused.append(
            Finding(
                Level.ERROR,
                "negative",
                f"Realisasi tidak boleh negatif ({format_number(realisasi)}). "
                "Mohon periksa dan kirim angka yang benar.",
            )
        )
    if is_percent_satuan(satuan) and realisasi > 100:
        refused.append(
            Finding(
                Level.ERROR,
                "percent_over_100",
                f"Satuan indikator ini persen, sehingga realisasi tidak dapat melebihi 100% "
                f"({format_percent(realisasi)}). Mohon periksa kembali angkanya.",
            )
        )
    if refused:
        return refused
    capaian = compute_capaian(realisasi=realisasi, target=target, polarity=polarity)
    if capaian.status is not CapaianStatus.OK or capaian.value is None:
        return []
    if capaian.value > thresholds.high_capaian:
        return [
            Finding(
                Level.WARNING,
                "far_above_target",
                f"Capaian {format_percent(capaian.value)} jauh di atas target (lebih dari "
                f"{format_percent(thresholds.high_capaian)}). Mohon pastikan angka realisasi "
                "sudah benar, lalu konfirmasi atau perbaiki.",
            )
        ]
    if capaian.value < thresholds.low_capaian:
        return [
            Finding(
                Level.WARNING,
                "far_below_target",
                f"Capaian {format_percent(capaian.value)} jauh di bawah target (kurang dari "
                f"{format_percent(thresholds.low_capaian)}). Mohon pastikan angka realisasi "
                "sudah benar, lalu konfirmasi atau perbaiki.",
            )
        ]
    return []


def check_submission(
    *,
    realisasi: Decimal,
    satuan: str,
    target: Target,
    polarity: Polarity,
    evidence_required: bool,
    evidence_count: int,
    penjelasan: str | None,
    pendukung: str | None,
    kendala: str | None,
    upaya: str | None,
    thresholds: CheckThresholds,
    pendukung_asked: bool = True,
) -> list[Finding]:
    """Check everything a submission needs before the submitter is asked to confirm it.

    ``pendukung_asked`` is False for a workbook generated before the faktor pendukung column
    existed: a form that never asked cannot be refused for leaving it out.
    """
    findings = check_value(
        realisasi=realisasi,
        satuan=satuan,
        target=target,
        polarity=polarity,
        thresholds=thresholds,
    )
    if evidence_required and evidence_count < 1:
        findings.append(
            Finding(
                Level.ERROR,
                "evidence_missing",
                "Indikator ini wajib dilengkapi bukti dukung. Mohon unggah minimal satu berkas.",
            )
        )
    if _blank(penjelasan):
        findings.append(
            Finding(
                Level.ERROR,
                "explanation_missing",
                "Penjelasan capaian wajib diisi. Mohon tuliskan penjelasan singkat.",
            )
        )
    if pendukung_asked and _blank(pendukung):
        findings.append(
            Finding(
                Level.ERROR,
                "pendukung_missing",
                "Faktor pendukung wajib diisi. Mohon tuliskan hal yang mendukung capaian ini.",
            )
        )
    capaian = compute_capaian(realisasi=realisasi, target=target, polarity=polarity)
    below_target = capaian.value is not None and capaian.value < 100
    missing = [name for name, text in (("kendala", kendala), ("upaya", upaya)) if _blank(text)]
    if below_target and missing:
        findings.append(
            Finding(
                Level.ERROR,
                "kendala_missing",
                "Faktor penghambat (kendala) dan upaya/alternatif solusi wajib diisi bila "
                f"capaian di bawah 100%. Mohon lengkapi {_missing_label(missing)}.",
            )
        )
    return findings


def names_a_penghambat(kendala: str | None) -> bool:
    """Tell whether the faktor penghambat says something stood in the way ("tidak ada": no)."""
    if kendala is None:
        return False
    words = " ".join(_PUNCTUATION.sub(" ", kendala.casefold()).split())
    return bool(words) and words not in _NOTHING_HINDERED


def upaya_needed(*, below_target: bool, kendala: str | None) -> bool:
    """Tell whether to ask the upaya / alternatif solusi: below target, or a penghambat named."""
    return below_target or names_a_penghambat(kendala)


def has_errors(findings: Iterable[Finding]) -> bool:
    """Tell whether any finding refuses the submission."""
    return any(finding.level is Level.ERROR for finding in findings)


def is_percent_satuan(satuan: str) -> bool:
    """Tell whether an indicator's satuan means its realisasi is a percentage."""
    return satuan.strip().lower() in PERCENT_SATUAN


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _missing_label(missing: list[str]) -> str:
    labels = {"kendala": "faktor penghambat", "upaya": "upaya/alternatif solusi"}
    return " dan ".join(labels[name] for name in missing)
