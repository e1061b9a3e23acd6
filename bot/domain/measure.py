"""Measuring the year (SOP step 2a/2c): from realisasi to capaian, categories and summaries.

``analyse`` turns the indicators' realisasi and the budget into an ``Analysis``; the other
functions read an ``Analysis`` and stay pure, so the chat summary, the charts and the LKjIP
document all count the same way. They are functions here rather than methods on
``Analysis`` so the shared result shapes stay plain data.

Rules:

- Capaian per indicator is ``compute_capaian``; its category comes from the office's scale
  and is None unless the capaian is OK (or when the scale is empty, so nothing raises).
- An indicator that rendatin marked "tidak ada data" (``no_data_reason``) has no data,
  whatever realisasi was sent with it: the mark wins, the realisasi is dropped, and the
  capaian is NO_DATA with the reason as its note, so a report never shows a number that
  does not count.
- The Renstra capaian is the same realisasi measured against the Renstra target: the
  Perjanjian Kinerja's own ``target_renstra``, else the target of the Renstra's last year.
  The Renstra's yearly targets come with it, when a Renstra covers the year.
- Earlier years: every year with a target or a realisasi, oldest first; their capaian is
  computed as this year's is, when both are known.
- A national standard, when the indicator has one, measures the realisasi the same way.
- Sasaran are ordered by code the way people count ("SS 2" before "SS 10"); codes that
  compare equal keep the order they first appear in. Indicators within a sasaran are
  ordered the same way by their own code ("IK 1.2" before "IK 1.10"). A sasaran is named
  as its first indicator names it.
- Means (per sasaran and overall) are the mean of the OK capaian only, half-up to 2
  decimals (``sasaran_mean``).
- Efficiency: the performance is efficient when the mean capaian is at least the budget
  absorption (both in percent, as shown): every percent of the budget spent bought at
  least a percent of achievement.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from bot.domain.analysis import Analysis, IndicatorResult, SasaranResult, YearResult
from bot.domain.budget import BudgetLine, budget_totals
from bot.domain.capaian import (
    HUNDRED,
    Capaian,
    CapaianStatus,
    category,
    compute_capaian,
    sasaran_mean,
)
from bot.domain.category_scale import CategoryBand
from bot.domain.numbers import format_percent, format_rupiah
from bot.domain.performance import IndicatorSpec, Polarity, Target
from bot.domain.renstra import Renstra

NO_DATA_LABEL = "tidak ada data"
"""The count, beside the scale's labels, of indicators without a capaian to categorise."""

LOWEST_SHOWN = 3  # indicators listed as lowest in the chat summary

_DIGITS = re.compile(r"(\d+)")

NaturalKey = tuple[str | int, ...]


@dataclass(frozen=True)
class IndicatorInput:
    """One indicator of the Perjanjian Kinerja with what its unit reported for the period."""

    spec: IndicatorSpec
    unit_name: str
    realisasi: Decimal | None
    penjelasan: str | None = None
    pendukung: str | None = None
    kendala: str | None = None
    upaya: str | None = None
    no_data_reason: str | None = None


def natural_key(code: str) -> NaturalKey:
    """Return a sort key that orders codes the way people count: "IK 1.2" before "IK 1.10"."""
    # re.split with a capturing group alternates text and digits, always starting with text,
    # so the same position always holds the same type and the tuples compare safely.
    # Codes that compare equal ("IK 01" and "IK 1") are left in their order by a stable sort.
    parts = _DIGITS.split(" ".join(code.split()).casefold())
    return tuple(int(part) if index % 2 else part for index, part in enumerate(parts))


def analyse(
    *,
    office_name: str,
    year: int,
    period_label: str,
    indicators: Sequence[IndicatorInput],
    budget: Sequence[BudgetLine],
    scale: Sequence[CategoryBand],
    renstra: Renstra | None = None,
) -> Analysis:
    """Measure every indicator and sasaran of the period (rules in the module docstring)."""
    plan = renstra if renstra is not None and renstra.covers(year) else None
    groups: dict[str, list[IndicatorResult]] = {}
    names: dict[str, str] = {}
    for item in indicators:
        result = _measure(item, scale, plan, year)
        groups.setdefault(result.sasaran_code, []).append(result)
        names.setdefault(result.sasaran_code, item.spec.sasaran_name)
    # sorted() is stable, so equal keys keep the order of first appearance.
    sasaran = tuple(
        _sasaran(code, names[code], results, scale)
        for code, results in sorted(groups.items(), key=lambda group: natural_key(group[0]))
    )
    return Analysis(
        office_name=office_name,
        year=year,
        period_label=period_label,
        sasaran=sasaran,
        budget=tuple(budget),
        scale=tuple(scale),
        renstra=plan,
    )


def _measure(
    item: IndicatorInput, scale: Sequence[CategoryBand], plan: Renstra | None, year: int
) -> IndicatorResult:
    spec = item.spec
    realisasi = item.realisasi
    if item.no_data_reason is not None:
        realisasi = None
        capaian = Capaian(
            None, CapaianStatus.NO_DATA, f"Ditandai tidak ada data: {item.no_data_reason}"
        )
    else:
        capaian = compute_capaian(realisasi=realisasi, target=spec.target, polarity=spec.polarity)
    yearly = plan.targets_of(spec.code) if plan is not None else {}
    end_year = plan.end_year if yearly and plan is not None else None
    renstra_target = spec.renstra_target or (yearly.get(end_year) if end_year else None)
    renstra = None
    if renstra_target is not None:
        renstra = compute_capaian(
            realisasi=realisasi, target=renstra_target, polarity=spec.polarity
        )
    standard = spec.national_standard
    national = (
        compute_capaian(realisasi=realisasi, target=standard.value, polarity=spec.polarity)
        if standard is not None and realisasi is not None
        else None
    )
    return IndicatorResult(
        code=spec.code,
        name=spec.name,
        satuan=spec.satuan,
        sasaran_code=spec.sasaran_code,
        unit_name=item.unit_name,
        polarity=spec.polarity,
        target=spec.target,
        realisasi=realisasi,
        capaian=capaian,
        category=_category(capaian.value if capaian.status is CapaianStatus.OK else None, scale),
        renstra_target=renstra_target,
        renstra_capaian=renstra,
        history=dict(spec.history),
        earlier=earlier_years(
            history=spec.history, targets=spec.history_targets, polarity=spec.polarity, year=year
        ),
        renstra_targets=yearly,
        renstra_end_year=end_year,
        national_standard=standard,
        national_capaian=national,
        penjelasan=item.penjelasan,
        pendukung=item.pendukung,
        kendala=item.kendala,
        upaya=item.upaya,
        no_data_reason=item.no_data_reason,
    )


def earlier_years(
    *,
    history: Mapping[int, Decimal],
    targets: Mapping[int, Target],
    polarity: Polarity,
    year: int,
) -> tuple[YearResult, ...]:
    """The years before ``year`` with a target or a realisasi, oldest first, with capaian."""
    results = []
    for earlier in sorted(y for y in set(history) | set(targets) if y < year):
        target, realisasi = targets.get(earlier), history.get(earlier)
        capaian = (
            compute_capaian(realisasi=realisasi, target=target, polarity=polarity)
            if target is not None and realisasi is not None
            else None
        )
        results.append(YearResult(earlier, target, realisasi, capaian))
    return tuple(results)


def _sasaran(
    code: str, name: str, results: list[IndicatorResult], scale: Sequence[CategoryBand]
) -> SasaranResult:
    ordered = tuple(sorted(results, key=lambda result: natural_key(result.code)))
    mean = sasaran_mean(result.capaian for result in ordered)
    return SasaranResult(
        code=code, name=name, indicators=ordered, mean=mean, category=_category(mean, scale)
    )


def _category(value: Decimal | None, scale: Sequence[CategoryBand]) -> str | None:
    if value is None or not scale:
        return None
    return category(value, scale)


def _measured(results: Iterable[IndicatorResult]) -> list[tuple[IndicatorResult, Decimal]]:
    return [
        (result, result.capaian.value)
        for result in results
        if result.capaian.status is CapaianStatus.OK and result.capaian.value is not None
    ]


def mean_capaian(analysis: Analysis) -> Decimal | None:
    """Return the mean of every indicator's OK capaian (half-up, 2 decimals), or None."""
    return sasaran_mean(result.capaian for result in analysis.indicators)


def mean_category(analysis: Analysis) -> str | None:
    """Return the category of the overall mean capaian, or None when there is none."""
    return _category(mean_capaian(analysis), analysis.scale)


def category_counts(analysis: Analysis) -> dict[str, int]:
    """Count the indicators per category: every scale label in scale order, then NO_DATA_LABEL.

    Labels that no indicator reached count 0. NO_DATA_LABEL counts every indicator without
    a capaian (no realisasi, marked "tidak ada data", or not measurable), so the counts
    always add up to the number of indicators.
    """
    counts = dict.fromkeys((band.label for band in analysis.scale), 0)
    counts[NO_DATA_LABEL] = 0
    for result in analysis.indicators:
        label = result.category if result.category is not None else NO_DATA_LABEL
        counts[label] = counts.get(label, 0) + 1
    return counts


def count_measured(analysis: Analysis) -> int:
    """Count the indicators whose capaian could be computed."""
    return len(_measured(analysis.indicators))


def count_reaching_target(analysis: Analysis) -> int:
    """Count the indicators with a capaian of 100% or more."""
    return sum(1 for _, value in _measured(analysis.indicators) if value >= HUNDRED)


def lowest(analysis: Analysis, count: int = LOWEST_SHOWN) -> list[IndicatorResult]:
    """Return the ``count`` indicators with the lowest capaian, lowest first (ties by code)."""
    return [result for result, _ in _lowest(analysis, count)]


def _lowest(analysis: Analysis, count: int) -> list[tuple[IndicatorResult, Decimal]]:
    measured = _measured(analysis.indicators)
    measured.sort(key=lambda pair: (pair[1], natural_key(pair[0].code)))
    return measured[:count]


def is_efficient(analysis: Analysis) -> bool | None:
    """Tell whether the mean capaian is at least the budget absorption; None if either is missing."""
    mean = mean_capaian(analysis)
    absorption = budget_totals(analysis.budget)[2]
    if mean is None or absorption is None:
        return None
    return mean >= absorption


def efficiency(analysis: Analysis) -> str:
    """Describe achievement beside budget absorption in one Indonesian sentence."""
    mean = mean_capaian(analysis)
    absorption = budget_totals(analysis.budget)[2]
    if mean is not None and absorption is not None:
        both = (
            f"Capaian rata-rata {format_percent(mean)} dengan penyerapan anggaran "
            f"{format_percent(absorption)}"
        )
        if mean >= absorption:
            return f"{both}: kinerja efisien."
        return f"{both}: capaian lebih rendah dari penyerapan anggaran, kinerja belum efisien."
    if mean is not None:
        known = (
            f"Capaian rata-rata {format_percent(mean)}, tetapi penyerapan anggaran belum dapat "
            "dihitung"
        )
    elif absorption is not None:
        known = (
            f"Penyerapan anggaran {format_percent(absorption)}, tetapi capaian rata-rata belum "
            "dapat dihitung"
        )
    else:
        known = "Capaian rata-rata dan penyerapan anggaran belum dapat dihitung"
    return f"{known}, sehingga efisiensi belum dapat dinilai."


def summary_lines(analysis: Analysis) -> list[str]:
    """Return the period's results as short Indonesian lines for a chat message."""
    total = len(analysis.indicators)
    measured = count_measured(analysis)
    lines = [
        f"Indikator terukur: {measured} dari {total}.",
        f"Capaian 100% atau lebih: {count_reaching_target(analysis)} indikator.",
    ]
    mean = mean_capaian(analysis)
    if mean is None:
        lines.append("Capaian rata-rata: belum dapat dihitung.")
    else:
        label = mean_category(analysis)
        shown = f"{format_percent(mean)} ({label})" if label else format_percent(mean)
        lines.append(f"Capaian rata-rata: {shown}.")
    counts = ", ".join(f"{label} {count}" for label, count in category_counts(analysis).items())
    lines.append(f"Per kategori: {counts}.")
    lines.append(_budget_line(analysis))
    if mean is not None and budget_totals(analysis.budget)[2] is not None:
        lines.append(efficiency(analysis))
    bottom = _lowest(analysis, LOWEST_SHOWN)
    if bottom:
        lines.append("Capaian terendah:")
        lines.extend(
            f"{rank}. {result.code} {result.name}: {format_percent(value)}"
            for rank, (result, value) in enumerate(bottom, start=1)
        )
    return lines


def _budget_line(analysis: Analysis) -> str:
    if not analysis.budget:
        return "Penyerapan anggaran: belum ada data anggaran."
    pagu, realisasi, absorption = budget_totals(analysis.budget)
    if absorption is None:
        return f"Penyerapan anggaran: belum dapat dihitung (pagu {format_rupiah(pagu)})."
    return (
        f"Penyerapan anggaran: {format_percent(absorption)} ({format_rupiah(realisasi)} dari "
        f"pagu {format_rupiah(pagu)})."
    )
