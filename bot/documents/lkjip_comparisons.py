"""Bab III.A's comparisons per sasaran: earlier years, the Renstra path, national standards.

PermenPANRB 53/2014 asks each sasaran's analysis to compare this year's results with earlier
years (2), with the Renstra's targets over its years up to the end target (3) and with a
national standard where one exists (4). Each comparison is a table (where there are numbers
to set side by side) and one sentence per indicator, so that an indicator without earlier
data, without a Renstra target or without a national standard says so instead of being
left out. Bab II's presentation of the Renstra (visi, misi, tujuan, the yearly targets)
is here too: the same yearly targets, read the same way.

Plain data in, plain data out (lists of dicts and strings for docxtpl); bot.documents.lkjip
puts them into the template.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from bot.documents.lkjip_narrative import capaian_text, number_text, target_text
from bot.domain.analysis import Analysis, IndicatorResult, SasaranResult
from bot.domain.capaian import HUNDRED, Capaian, CapaianStatus, compute_capaian
from bot.domain.numbers import format_percent
from bot.domain.renstra import Renstra

NO_STANDARD = "tidak ada standar nasional"


def _measured(capaian: Capaian | None) -> Decimal | None:
    if capaian is None or capaian.status is not CapaianStatus.OK:
        return None
    return capaian.value


def _with_unit(text: str, result: IndicatorResult) -> str:
    return f"{text} {result.satuan}" if result.satuan and text != "-" else text


# --- (2) earlier years -------------------------------------------------------------------


def earlier_years_table(
    indicators: Sequence[IndicatorResult], year: int
) -> tuple[list[str], list[dict[str, Any]]]:
    """Return the years and three rows per indicator with earlier data: target, realisasi,
    capaian; the code and name on the first row of each indicator only."""
    with_earlier = [result for result in indicators if result.earlier]
    if not with_earlier:
        return [], []
    years = sorted({y.year for result in with_earlier for y in result.earlier} | {year})
    rows: list[dict[str, Any]] = []
    for result in with_earlier:
        by_year = {y.year: y for y in result.earlier}
        targets = {y: by_year[y].target for y in by_year} | {year: result.target}
        realisasi = {y: by_year[y].realisasi for y in by_year} | {year: result.realisasi}
        capaian = {y: by_year[y].capaian for y in by_year} | {year: result.capaian}
        rows += _three_rows(
            result,
            ("Target", [target_text(targets.get(y)) for y in years]),
            ("Realisasi", [number_text(realisasi.get(y)) for y in years]),
            ("Capaian", [capaian_text(capaian.get(y)) for y in years]),
        )
    return [str(y) for y in years], rows


def _three_rows(result: IndicatorResult, *rows: tuple[str, list[str]]) -> list[dict[str, Any]]:
    return [
        {
            "code": result.code if index == 0 else "",
            "name": f"{result.name} ({result.satuan})" if index == 0 else "",
            "label": label,
            "cells": cells,
        }
        for index, (label, cells) in enumerate(rows)
    ]


def earlier_years_sentences(indicators: Sequence[IndicatorResult], year: int) -> list[str]:
    """One sentence per indicator: this year's capaian against the last earlier year's."""
    return [_earlier_year_sentence(result, year) for result in indicators]


def _earlier_year_sentence(result: IndicatorResult, year: int) -> str:
    known = [y for y in result.earlier if y.realisasi is not None or y.target is not None]
    if not known:
        return f"{result.code}: belum ada data tahun sebelumnya untuk dibandingkan."
    last = known[-1]
    now_capaian, then_capaian = _measured(result.capaian), _measured(last.capaian)
    if now_capaian is not None and then_capaian is not None:
        shown = (
            f"{result.code}: capaian Tahun {year} sebesar {format_percent(now_capaian)} "
            f"dibandingkan {format_percent(then_capaian)} pada Tahun {last.year} (target "
            f"{_with_unit(target_text(last.target), result)}, realisasi "
            f"{_with_unit(number_text(last.realisasi), result)})"
        )
        if now_capaian == then_capaian:
            return f"{shown}; capaian tetap."
        better = now_capaian > then_capaian
        return f"{shown}; capaian {'naik' if better else 'turun'}, sehingga kinerja " + (
            "membaik." if better else "menurun."
        )
    if result.realisasi is None:
        return (
            f"{result.code}: realisasi Tahun {year} belum ada, sehingga belum dapat "
            f"dibandingkan dengan Tahun {last.year}."
        )
    if last.realisasi is None:
        return (
            f"{result.code}: realisasi Tahun {last.year} tidak tercatat (target "
            f"{_with_unit(target_text(last.target), result)}), sehingga belum dapat dibandingkan."
        )
    return (
        f"{result.code}: realisasi Tahun {year} sebesar "
        f"{_with_unit(number_text(result.realisasi), result)} dibandingkan "
        f"{_with_unit(number_text(last.realisasi), result)} pada Tahun {last.year}; target "
        f"Tahun {last.year} tidak tercatat, sehingga capaiannya tidak dapat dibandingkan."
    )


# --- (3) the Renstra path ----------------------------------------------------------------


def renstra_path_table(
    indicators: Sequence[IndicatorResult], analysis: Analysis
) -> tuple[list[str], list[dict[str, Any]]]:
    """Return the Renstra's years and, per indicator in the Renstra, three rows: the Renstra's
    target, the realisasi so far and the capaian against each year's target."""
    plan = analysis.renstra
    in_plan = [result for result in indicators if result.renstra_targets]
    if plan is None or not in_plan:
        return [], []
    rows: list[dict[str, Any]] = []
    for result in in_plan:
        realisasi = _realisasi_by_year(result, analysis.year)
        capaian = {
            y: compute_capaian(
                realisasi=realisasi.get(y),
                target=result.renstra_targets[y],
                polarity=result.polarity,
            )
            for y in plan.years
            if y in result.renstra_targets and realisasi.get(y) is not None
        }
        rows += _three_rows(
            result,
            ("Target Renstra", [target_text(result.renstra_targets.get(y)) for y in plan.years]),
            ("Realisasi", [number_text(realisasi.get(y)) for y in plan.years]),
            ("Capaian", [capaian_text(capaian.get(y)) for y in plan.years]),
        )
    return [str(y) for y in plan.years], rows


def _realisasi_by_year(result: IndicatorResult, year: int) -> dict[int, Decimal | None]:
    known: dict[int, Decimal | None] = {y.year: y.realisasi for y in result.earlier}
    known[year] = result.realisasi
    return known


def renstra_sentences(indicators: Sequence[IndicatorResult], year: int) -> list[str]:
    """One sentence per indicator: this year's Renstra target and the way to the end target."""
    return [_renstra_sentence(result, year) for result in indicators]


def _renstra_sentence(result: IndicatorResult, year: int) -> str:
    end = result.renstra_target
    if end is None and not result.renstra_targets:
        return f"{result.code}: tidak memiliki target Renstra."
    parts: list[str] = []
    this_year = result.renstra_targets.get(year)
    if this_year is not None:
        capaian = compute_capaian(
            realisasi=result.realisasi, target=this_year, polarity=result.polarity
        )
        value = _measured(capaian)
        verdict = (
            "belum dapat dinilai karena realisasinya belum ada"
            if value is None
            else f"{'tercapai' if value >= HUNDRED else 'belum tercapai'} (capaian "
            f"{format_percent(value)})"
        )
        parts.append(
            f"target Renstra Tahun {year} sebesar {_with_unit(target_text(this_year), result)} "
            f"{verdict}"
        )
    if end is not None:
        end_year = f" Tahun {result.renstra_end_year}" if result.renstra_end_year else ""
        progress = _measured(result.renstra_capaian)
        if progress is None:
            parts.append(
                f"target akhir Renstra{end_year} sebesar {_with_unit(target_text(end), result)}; "
                "kemajuan terhadapnya belum dapat dihitung"
            )
        else:
            remaining = (
                f", dengan sisa {result.renstra_end_year - year} tahun periode Renstra"
                if result.renstra_end_year and result.renstra_end_year > year
                else ""
            )
            reached = "telah" if progress >= HUNDRED else "belum"
            parts.append(
                f"realisasi Tahun {year} mencapai {format_percent(progress)} dari target akhir "
                f"Renstra{end_year} ({_with_unit(target_text(end), result)}), sehingga target "
                f"akhir {reached} tercapai{remaining}"
            )
    return f"{result.code}: {'; '.join(parts)}."


# --- (4) national standards --------------------------------------------------------------


def national_standard_sentences(indicators: Sequence[IndicatorResult]) -> list[str]:
    """One sentence per indicator: its realisasi against the national standard, or that there
    is none (said explicitly, so the evaluator sees the comparison was considered)."""
    return [_national_sentence(result) for result in indicators]


def _national_sentence(result: IndicatorResult) -> str:
    standard = result.national_standard
    if standard is None:
        return f"{result.code}: {NO_STANDARD}."
    source = f" ({standard.source})" if standard.source else ""
    shown = (
        f"{result.code}: standar nasional {_with_unit(target_text(standard.value), result)}{source}"
    )
    value = _measured(result.national_capaian)
    if result.realisasi is None or value is None:
        return f"{shown}; realisasi belum ada, sehingga belum dapat dibandingkan."
    met = "memenuhi" if value >= HUNDRED else "belum memenuhi"
    return (
        f"{shown}; realisasi {_with_unit(number_text(result.realisasi), result)} {met} "
        f"standar nasional (capaian terhadap standar {format_percent(value)})."
    )


def sasaran_has_standard(sasaran: SasaranResult) -> bool:
    """Tell whether any indicator of the sasaran has a national standard."""
    return any(result.national_standard is not None for result in sasaran.indicators)


# --- Bab II: the Renstra -----------------------------------------------------------------


def renstra_overview(plan: Renstra | None, *, office: str, year: int) -> dict[str, Any] | None:
    """Bab II.A's Renstra: its period, visi, misi, tujuan and the yearly targets; None without
    a Renstra covering ``year``."""
    if plan is None or not plan.covers(year):
        return None
    rows: list[dict[str, Any]] = []
    for sasaran in plan.sasaran:
        for position, indicator in enumerate(sasaran.indicators):
            rows.append(
                {
                    "sasaran": f"{sasaran.code} {sasaran.name}" if position == 0 else "",
                    "code": indicator.code,
                    "name": f"{indicator.name} ({indicator.satuan})",
                    "cells": [target_text(indicator.targets.get(y)) for y in plan.years],
                }
            )
    indicator_count = sum(len(sasaran.indicators) for sasaran in plan.sasaran)
    return {
        "period": plan.period,
        "sentence": (
            f"Rencana Strategis (Renstra) {office} Tahun {plan.period} menetapkan visi, "
            f"{len(plan.misi)} misi, {len(plan.tujuan)} tujuan, dan {len(plan.sasaran)} "
            f"sasaran strategis yang diukur dengan {indicator_count} indikator kinerja; Tahun "
            f"{year} adalah tahun ke-{year - plan.start_year + 1} dari {len(plan.years)} tahun "
            "periode Renstra."
        ),
        "visi": plan.visi,
        "misi": list(plan.misi),
        "tujuan": list(plan.tujuan),
        "years": [str(y) for y in plan.years],
        "rows": rows,
    }
