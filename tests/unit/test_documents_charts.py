"""The charts: PNGs a phone can read, the same bytes for the same year, None when empty."""

from __future__ import annotations

import ast
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image

from bot.documents import chart_cache, chart_pool
from bot.documents.charts import (
    MAX_BARS,
    MAX_PANELS,
    band_colours,
    band_ranges,
    budget_chart,
    capaian_chart,
    capaian_charts,
    trend_chart,
    trend_charts,
    trend_panel,
)
from bot.domain.analysis import Analysis
from bot.domain.category_scale import CategoryBand
from bot.domain.performance import Target
from tests.lkjip_data import (
    IK_13,
    SCALE,
    indicator,
    many_indicators,
    sasaran,
    small_analysis,
)

DOCUMENTS = Path(__file__).resolve().parents[2] / "bot" / "documents"
CHARTS = (DOCUMENTS / "charts.py", DOCUMENTS / "chart_canvas.py")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
Draw = Callable[[Analysis], bytes | None]


def image(png: bytes) -> Image.Image:
    assert png.startswith(PNG_SIGNATURE)
    return Image.open(BytesIO(png))


def has_colour(png: bytes, hex_colour: str, *, tolerance: int = 10) -> bool:
    """Tell whether the chart paints a colour close to ``hex_colour`` (palette PNGs)."""
    wanted = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    colours = image(png).convert("RGB").getcolors(maxcolors=256) or []
    return any(
        isinstance(rgb, tuple)
        and all(abs(a - b) <= tolerance for a, b in zip(rgb, wanted, strict=True))
        for count, rgb in colours
        if count > 2000  # a bar, not the legend's key or anti-aliased edges
    )


def without_history(analysis: Analysis) -> Analysis:
    return replace(
        analysis,
        sasaran=tuple(
            replace(s, indicators=tuple(replace(i, history={}) for i in s.indicators))
            for s in analysis.sasaran
        ),
    )


@pytest.mark.parametrize("draw", [capaian_chart, trend_chart, budget_chart])
def test_each_chart_is_a_png_1200_pixels_wide(draw: Draw) -> None:
    png = draw(small_analysis()) or b""

    assert image(png).width == 1200
    assert 300 < image(png).height < 3000


@pytest.fixture(autouse=True)
def _no_reused_charts() -> None:
    """Each test draws its charts (the cache has tests of its own below)."""
    chart_cache.clear()


@pytest.mark.parametrize("draw", [capaian_chart, trend_chart, budget_chart])
def test_the_same_year_gives_the_same_bytes(draw: Draw) -> None:
    first = draw(small_analysis())
    chart_cache.clear()
    second = draw(small_analysis())

    assert first == second


@pytest.mark.parametrize("draw", [capaian_chart, trend_chart, budget_chart])
def test_a_chart_of_the_same_content_is_reused_not_redrawn(draw: Draw) -> None:
    first = draw(small_analysis())
    again = draw(small_analysis())  # another object, equal content: a new version, say

    assert again is first


def test_the_reused_charts_stay_within_their_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    png = capaian_chart(small_analysis())
    monkeypatch.setattr(chart_cache, "MAX_BYTES", len(png) + 1)
    changed = replace(small_analysis(), year=2027)

    capaian_chart(changed)  # pushes the first one out

    assert capaian_chart(small_analysis()) is not png


def test_a_different_value_gives_a_different_chart() -> None:
    analysis = small_analysis()
    changed = replace(
        analysis,
        sasaran=(
            analysis.sasaran[0],
            sasaran(
                "SS 2",
                "Lain",
                indicator("IK 2.1", realisasi="70", target=Target.exactly(Decimal(80))),
            ),
        ),
    )

    assert capaian_chart(changed) != capaian_chart(analysis)


def test_charts_drawn_at_once_in_threads_are_the_ones_drawn_alone() -> None:
    alone = capaian_chart(small_analysis())
    chart_cache.clear()

    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda _: capaian_chart(small_analysis()), range(4)))

    assert together == [alone] * 4


def test_bars_take_their_category_colour() -> None:
    png = capaian_chart(small_analysis())
    colours = band_colours(SCALE)

    assert has_colour(png, colours["Sangat Baik"])  # IK 1.1, 1.2, 2.1
    assert has_colour(png, colours["Sangat Kurang"])  # IK 2.2 at 45%
    assert not has_colour(png, colours["Kurang"])  # no bar in that band: only its key


def test_without_history_there_is_no_trend_chart() -> None:
    analysis = without_history(small_analysis())

    assert trend_chart(analysis) is None
    assert trend_charts(analysis) == []
    assert trend_chart(small_analysis(), indicators=[IK_13]) is None


def test_without_a_budget_there_is_no_budget_chart() -> None:
    assert budget_chart(small_analysis(budget=())) is None


def test_unusual_capaian_still_draw() -> None:
    odd = sasaran(
        "SS 9",
        "Uji",
        indicator("IK 9.1", realisasi="900", target=Target.exactly(Decimal(10))),  # 9000%
        indicator("IK 9.2", realisasi="5", target=Target.exactly(Decimal(-1))),  # not measurable
        indicator("IK 9.3", realisasi=None, target=Target.exactly(Decimal(50))),  # no data
        indicator("IK 9.4", realisasi="3", target=Target.exactly(Decimal(0)), history={2025: "3"}),
    )
    analysis = replace(small_analysis(), sasaran=(odd,))

    assert image(capaian_chart(analysis)).width == 1200
    assert image(trend_chart(analysis) or b"").width == 1200


def test_an_empty_list_draws_an_empty_chart() -> None:
    assert image(capaian_chart(small_analysis(), indicators=[])).width == 1200


def test_long_series_are_split_into_even_parts_per_sasaran() -> None:
    analysis = many_indicators(MAX_BARS + 5)

    bars = capaian_charts(analysis)
    panels = trend_charts(many_indicators(2 * MAX_PANELS + 4))

    assert [chart.title for chart in bars] == [
        "Capaian Kinerja SS 1 (bagian 1 dari 2)",
        "Capaian Kinerja SS 1 (bagian 2 dari 2)",
    ]
    assert {chart.sasaran_code for chart in bars} == {"SS 1"}
    assert len(panels) == 3
    # 15 bars each, so both parts have the same height.
    assert image(bars[0].png).size == image(bars[1].png).size


def test_one_capaian_and_trend_chart_per_sasaran_when_short() -> None:
    analysis = small_analysis()

    assert [c.title for c in capaian_charts(analysis)] == [
        "Capaian Kinerja SS 1",
        "Capaian Kinerja SS 2",
    ]
    assert [c.sasaran_code for c in trend_charts(analysis)] == ["SS 1", "SS 2"]


def test_band_ranges_describe_the_scale_best_first() -> None:
    assert band_ranges(SCALE) == [
        ("Sangat Baik", "≥ 91%"),
        ("Baik", "76% – < 91%"),
        ("Cukup", "66% – < 76%"),
        ("Kurang", "51% – < 66%"),
        ("Sangat Kurang", "< 51%"),
    ]
    assert band_ranges(
        [CategoryBand(min=0, label="Tercatat"), CategoryBand(min=90.5, label="Baik")]
    ) == [
        ("Baik", "≥ 90,5%"),
        ("Tercatat", "< 90,5%"),
    ]


def test_band_colours_run_from_green_to_red_whatever_the_scale() -> None:
    five = band_colours(SCALE)
    three = band_colours(
        [
            CategoryBand(min=0, label="C"),
            CategoryBand(min=50, label="B"),
            CategoryBand(min=80, label="A"),
        ]
    )

    assert five["Sangat Baik"] == three["A"] == band_colours([CategoryBand(min=0, label="X")])["X"]
    assert five["Sangat Kurang"] == three["C"]
    assert list(five.values()) == ["#1a7f37", "#6aa84f", "#f1c232", "#e69138", "#cc0000"]
    seven = band_colours([CategoryBand(min=10 * n, label=str(n)) for n in range(7)])
    assert len(set(seven.values())) == 7


def test_charts_never_use_pyplot() -> None:
    trees = [ast.parse(path.read_text()) for path in CHARTS]
    imported = [
        alias.name if isinstance(node, ast.Import) else f"{node.module}.{alias.name}"
        for tree in trees
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]

    assert not [name for name in imported if "pyplot" in name or name.endswith(".use")]


def test_a_trend_panel_has_a_scale_holding_every_point_and_each_value_written() -> None:
    result = indicator(
        "IK 3.1",
        realisasi="98.25",
        target=Target(Decimal(80), Decimal(90)),
        history={2023: "72", 2024: "81.5", 2025: "87"},
    )

    panel = trend_panel(result, 2026)

    assert [year for year, _ in panel.series] == [2023, 2024, 2025, 2026]
    assert panel.value_labels == ("72", "81,5", "87", "98,25")
    assert panel.ticks == (Decimal(60), Decimal(80), Decimal(100))  # steps of 20 around 72–98,25
    assert panel.tick_labels == ("60", "80", "100")
    assert panel.ticks[0] <= min(v for _, v in panel.series) <= max(v for _, v in panel.series)
    assert max(v for _, v in panel.series) <= panel.ticks[-1]


@pytest.mark.parametrize(
    ("history", "realisasi"),
    [({2025: "5"}, "5"), ({2024: "0.2", 2025: "0.35"}, "0.3"), ({2025: "1200000"}, "1350000")],
)
def test_a_trend_scale_has_two_to_four_even_steps(history: dict[int, str], realisasi: str) -> None:
    panel = trend_panel(
        indicator(
            "IK 3.2", realisasi=realisasi, target=Target.exactly(Decimal(1)), history=history
        ),
        2026,
    )

    steps = {b - a for a, b in zip(panel.ticks, panel.ticks[1:], strict=False)}
    assert len(steps) == 1
    assert 2 <= len(panel.ticks) - 1 <= 4
    assert len(panel.value_labels) == len(panel.series)


def test_charts_drawn_by_worker_processes_are_the_ones_drawn_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    analysis = many_indicators(2 * MAX_PANELS + 4)
    here = [chart.png for chart in trend_charts(analysis)]
    chart_cache.clear()
    monkeypatch.setattr(chart_pool, "MIN_BATCH", 1)
    chart_pool.configure(2)
    try:
        pooled = [chart.png for chart in trend_charts(analysis)]
    finally:
        chart_pool.shutdown()
        chart_pool.configure(None)

    assert pooled == here


def test_one_core_draws_without_a_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chart_pool.os, "sched_getaffinity", lambda _: {0})

    assert chart_pool.workers() == 0
    chart_pool.configure(3)
    assert chart_pool.workers() == 3
    chart_pool.configure(None)
