"""Charts of the analysed year (SOP step 2c) as PNG bytes, for the chat and the LKjIP.

Which charts, with which data, laid out where: the drawing itself (figure, text, PNG) is
``bot.documents.chart_canvas``. Charts use large type, so they read on a phone and print
sharply at 16 cm; labels and numbers are Indonesian ("101,58%").

A chart grows with what it shows, so the LKjIP splits long lists (``capaian_charts``,
``trend_charts``): one series per sasaran, at most ``MAX_BARS`` bars or ``MAX_PANELS``
panels a chart, which keeps each chart on one printed page with its labels large.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from matplotlib.colors import LinearSegmentedColormap, to_hex

from bot.documents.chart_cache import reused, reused_all
from bot.documents.chart_canvas import INK, WIDTH_IN, Canvas, Point
from bot.domain.analysis import Analysis, IndicatorResult
from bot.domain.budget import BudgetLine, budget_totals
from bot.domain.capaian import CapaianStatus
from bot.domain.category_scale import CategoryBand
from bot.domain.measure import mean_capaian
from bot.domain.numbers import format_number, format_percent, format_rupiah

MAX_BARS = 25  # bars in one capaian chart: 16 × 21 cm in the report
MAX_PANELS = 18  # trend panels in one chart (6 rows of 3): 16 × 22 cm in the report

LABEL_SIZE = 18
TICK_SIZE = 16
VALUE_SIZE = 15
NOTE_SIZE = 14
_AXIS_SIZE = 12  # a trend panel's scale

MUTED = "#666666"
GRID = "#d9d9d9"
NO_BAND = "#9e9e9e"  # a category the scale does not know
LINE_COLOUR = "#2f5597"
CURRENT_COLOUR = "#c55a11"
BUDGET_COLOUR = "#2f5597"
CAPAIAN_COLOUR = "#548235"
# Best band first: green to red.
_BAND_COLOURS = ("#1a7f37", "#6aa84f", "#f1c232", "#e69138", "#cc0000")

_BAR_SLOT = 0.5  # inches per bar, gap included
_AXIS_CAP = Decimal(300)  # a capaian beyond 300% is drawn to the edge; its label says how far
_PANEL_COLUMNS = 3
_PANEL_HEIGHT = 2.4
_LABEL_WIDTH = 34  # characters of a budget line's name before it wraps


@dataclass(frozen=True)
class Chart:
    """One chart of a series: the sasaran it belongs to (None for the whole office) and PNG."""

    sasaran_code: str | None
    title: str
    png: bytes


def band_ranges(scale: Sequence[CategoryBand]) -> list[tuple[str, str]]:
    """Return each band's label with its range in words, best first: ("Baik", "76% – < 91%")."""
    ordered = sorted(scale, key=lambda band: band.min, reverse=True)
    ranges: list[tuple[str, str]] = []
    for index, band in enumerate(ordered):
        low = format_percent(Decimal(str(band.min)))
        if index == 0:
            ranges.append((band.label, f"≥ {low}"))
            continue
        high = format_percent(Decimal(str(ordered[index - 1].min)))
        ranges.append((band.label, f"< {high}" if band.min == 0 else f"{low} – < {high}"))
    return ranges


def band_colours(scale: Sequence[CategoryBand]) -> dict[str, str]:
    """Return a colour per label of ``scale``: green for the best band to red for the worst."""
    labels = [band.label for band in sorted(scale, key=lambda band: band.min, reverse=True)]
    if len(labels) <= 1:
        return dict.fromkeys(labels, _BAND_COLOURS[0])
    # Five bands get the palette's five colours exactly (1025 steps put a step on each of
    # them); other scales get colours in between, one each.
    ramp = LinearSegmentedColormap.from_list("bands", _BAND_COLOURS, N=1025)
    return {label: to_hex(ramp(index / (len(labels) - 1))) for index, label in enumerate(labels)}


@reused
def capaian_chart(
    analysis: Analysis,
    *,
    indicators: Sequence[IndicatorResult] | None = None,
    title: str | None = None,
) -> bytes:
    """Draw the capaian of each indicator (all, or ``indicators``) as coloured bars, as PNG.

    Bars take the colour of their category, with a dashed line at 100%; an indicator
    without a capaian says "tidak ada data" (or "tidak dapat dihitung") where its bar would be.
    """
    shown = list(analysis.indicators if indicators is None else indicators)
    colours = band_colours(analysis.scale)
    legend = [(colours[label], f"{label} ({span})") for label, span in band_ranges(analysis.scale)]
    columns, legend_rows = _legend_shape([text for _, text in legend] + ["Target 100%"])
    top = 1.0
    bottom = top + max(len(shown), 1) * _BAR_SLOT
    canvas = Canvas(height=bottom + 1.2 + legend_rows * 0.4 + 0.25)
    canvas.title(title or f"Capaian Kinerja {analysis.period_label}")
    values = [_capaian_value(result) for result in shown]
    codes = [canvas.width(result.code, size=TICK_SIZE) for result in shown]
    left = min(max([0.8, *codes]) + 0.3, WIDTH_IN / 3)
    plot = _BarPlot(
        canvas,
        left=left,
        right=WIDTH_IN - 0.45,
        top=top,
        bottom=bottom,
        limit=_limit(values, floor=Decimal(120), margin=Decimal("1.18")),
    )
    bars = []
    for result, value in zip(shown, values, strict=True):
        missing = (
            "tidak dapat dihitung"
            if result.capaian.status is CapaianStatus.NOT_MEASURABLE
            else "tidak ada data"
        )
        colour = colours.get(result.category or "", NO_BAND)
        bars.append(_Bar(result.code, value, colour, _BAR_SLOT, missing))
    plot.draw(bars, label_size=TICK_SIZE)
    if not shown:
        canvas.text(
            (left + plot.right) / 2,
            (top + bottom) / 2,
            "Belum ada indikator",
            size=LABEL_SIZE,
            ha="center",
            colour=MUTED,
        )
    canvas.text((left + plot.right) / 2, bottom + 0.6, "Capaian (%)", size=LABEL_SIZE, ha="center")
    entries = [_Key(text, box=colour) for colour, text in legend]
    entries.append(_Key("Target 100%", line=INK, dashed=True))
    _draw_legend(canvas, entries, top=bottom + 1.15, columns=columns)
    return canvas.png()


@dataclass(frozen=True)
class TrendPanel:
    """What one trend panel shows: its series, its vertical axis and the numbers written."""

    code: str
    satuan: str
    series: tuple[tuple[int, Decimal], ...]  # earlier years, then this year if measured
    ticks: tuple[Decimal, ...]  # the vertical axis, lowest first; the points lie within
    tick_labels: tuple[str, ...]
    value_labels: tuple[str, ...]  # one per point of the series, in its order
    target: tuple[Decimal, Decimal]  # this year's target (low, high)


def trend_panel(result: IndicatorResult, year: int) -> TrendPanel:
    """Return the panel of ``result``: every point with its value, on an axis that holds them."""
    series = sorted(result.history.items())
    if result.realisasi is not None:
        series.append((year, result.realisasi))
    values = [value for _, value in series] + [result.target.low, result.target.high]
    ticks = _axis_ticks([value for value in values if value.is_finite()])
    return TrendPanel(
        code=result.code,
        satuan=result.satuan,
        series=tuple(series),
        ticks=tuple(ticks),
        tick_labels=tuple(format_number(tick) for tick in ticks),
        value_labels=tuple(format_number(value) for _, value in series),
        target=(result.target.low, result.target.high),
    )


@reused
def trend_chart(
    analysis: Analysis,
    *,
    indicators: Sequence[IndicatorResult] | None = None,
    title: str | None = None,
) -> bytes | None:
    """Draw each indicator's realisasi over the years as small panels; None without history.

    A panel (``trend_panel``) shows the series (earlier years, then this year highlighted)
    on a vertical axis with its scale, this year's target as a diamond (two joined diamonds
    for a range), and each year's value in numbers beside its point.
    """
    shown = [
        trend_panel(result, analysis.year)
        for result in (analysis.indicators if indicators is None else indicators)
        if result.history
    ]
    if not shown:
        return None
    years = sorted({year for panel in shown for year, _ in panel.series} | {analysis.year})
    columns = min(_PANEL_COLUMNS, len(shown))
    rows = math.ceil(len(shown) / columns)
    header = 1.3
    canvas = Canvas(height=header + rows * _PANEL_HEIGHT + 0.5)
    canvas.title(title or f"Realisasi Indikator Kinerja {years[0]}–{years[-1]}")
    keys = [
        _Key("Realisasi tahun sebelumnya", line=LINE_COLOUR, dot=LINE_COLOUR),
        _Key(f"Realisasi {analysis.year}", dot=CURRENT_COLOUR),
        _Key(f"Target {analysis.year}", diamond=INK),
    ]
    _draw_legend(canvas, keys, top=0.8, columns=3)
    width = (WIDTH_IN - 0.3) / columns
    # One axis width for every panel, so the year labels under a column fit all its panels.
    axis = max(canvas.width(label, size=_AXIS_SIZE) for p in shown for label in p.tick_labels)
    axis_room = axis + 0.3
    marks = _Marks()
    for index, spec in enumerate(shown):
        column, row = index % columns, index // columns
        panel = _Panel(0.15 + column * width, header + row * _PANEL_HEIGHT, width, years, axis_room)
        panel.low, panel.high = spec.ticks[0], spec.ticks[-1]
        marks.frame(panel)
        canvas.text(
            panel.x0 + 0.15,
            panel.y0 + 0.3,
            f"{spec.code} · {spec.satuan}",
            size=VALUE_SIZE,
            bold=True,
        )
        marks.axis(panel, spec.ticks)
        for tick, label in zip(spec.ticks, spec.tick_labels, strict=True):
            canvas.text(
                panel.axis_x - 0.1, panel.y(tick), label, size=_AXIS_SIZE, ha="right", colour=MUTED
            )
        placed = [(panel.x(year), panel.y(value)) for year, value in spec.series]
        marks.lines.append(placed)
        for (year, _), point in zip(spec.series, placed, strict=True):
            (marks.now if year == analysis.year else marks.earlier).append(point)
        target = [
            (panel.x(analysis.year), panel.y(spec.target[0])),
            (panel.x(analysis.year), panel.y(spec.target[1])),
        ]
        marks.targets.append(target)
        # Each year's value above its point; this year's below its point when the target
        # diamond sits above it, so the two never overlap.
        for (year, _), (x, y), label in zip(spec.series, placed, spec.value_labels, strict=True):
            is_now = year == analysis.year
            below = is_now and min(target[0][1], target[1][1]) < y
            canvas.text(
                x,
                y + 0.2 if below else y - 0.2,
                label,
                size=NOTE_SIZE,
                ha="center",
                bold=is_now,
                colour=CURRENT_COLOUR if is_now else INK,
                halo=True,
            )
        if spec.series[-1][0] != analysis.year:
            canvas.text(
                panel.x(analysis.year),
                panel.bottom + 0.22,
                "tidak ada data",
                size=NOTE_SIZE - 2,
                ha="right",
                colour=MUTED,
                italic=True,
            )
    step = math.ceil(len(years) / 5)  # at most five year labels under a 400 px panel
    labelled = years[::step] if years[-1] in years[::step] else [*years[::step], years[-1]]
    for column in range(columns):  # the years once, under the last panel of each column
        row = (len(shown) - 1 - column) // columns
        panel = _Panel(0.15 + column * width, header + row * _PANEL_HEIGHT, width, years, axis_room)
        for year in labelled:
            canvas.text(
                panel.x(year), panel.y1 + 0.22, str(year), size=NOTE_SIZE, ha="center", colour=MUTED
            )
    marks.draw(canvas)
    return canvas.png()


@reused
def budget_chart(analysis: Analysis, *, title: str | None = None) -> bytes | None:
    """Draw each budget line's absorption beside the mean capaian (efficiency); None if no budget."""
    lines = list(analysis.budget)
    if not lines:
        return None
    labels = [_budget_label(line) for line in lines]
    slots = [0.3 + 0.27 * (label.count("\n") + 1) for label in labels]
    right = WIDTH_IN - 1.1
    top = 1.4
    bottom = top + sum(slots)
    summary_top = bottom + 1.6
    summary_bottom = summary_top + 2 * 0.7
    canvas = Canvas(height=summary_bottom + 0.9)
    canvas.title(title or f"Realisasi Anggaran {analysis.period_label}")
    widths = [canvas.width(label, size=NOTE_SIZE) for label in labels]
    widths.append(canvas.width("Rata-rata capaian kinerja", size=VALUE_SIZE))
    left = min(max(widths) + 0.3, WIDTH_IN * 0.45)
    canvas.text(left, top - 0.35, "Penyerapan anggaran per kegiatan", size=LABEL_SIZE)
    absorptions = [line.absorption for line in lines]
    per_line = _BarPlot(
        canvas,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        limit=_limit(absorptions, floor=Decimal(110), margin=Decimal("1.15")),
    )
    per_line.draw(
        [
            _Bar(label, value, BUDGET_COLOUR, slot, f"pagu {format_rupiah(line.pagu)}")
            for label, value, slot, line in zip(labels, absorptions, slots, lines, strict=True)
        ],
        label_size=NOTE_SIZE,
    )
    absorption = budget_totals(lines)[2]
    mean = mean_capaian(analysis)
    canvas.text(
        left,
        summary_top - 0.35,
        "Efisiensi: penyerapan anggaran dan capaian kinerja",
        size=LABEL_SIZE,
    )
    summary = _BarPlot(
        canvas,
        left=left,
        right=right,
        top=summary_top,
        bottom=summary_bottom,
        limit=_limit([absorption, mean], floor=Decimal(110), margin=Decimal("1.15")),
    )
    summary.draw(
        [
            _Bar("Penyerapan anggaran", absorption, BUDGET_COLOUR, 0.7, "belum dapat dihitung"),
            _Bar("Rata-rata capaian kinerja", mean, CAPAIAN_COLOUR, 0.7, "belum dapat dihitung"),
        ],
        label_size=VALUE_SIZE,
        bold_values=True,
    )
    return canvas.png()


def capaian_charts(analysis: Analysis) -> list[Chart]:
    """Return the capaian charts of the report: per sasaran, at most MAX_BARS bars each."""
    parts = [
        (sasaran.code, f"Capaian Kinerja {sasaran.code}{_part(number, len(chunks))}", part)
        for sasaran in analysis.sasaran
        for chunks in [_chunks(list(sasaran.indicators), MAX_BARS)]
        for number, part in enumerate(chunks, start=1)
    ]
    return _charts(capaian_chart, analysis, parts)


def trend_charts(analysis: Analysis) -> list[Chart]:
    """Return the trend charts of the report: per sasaran with history, MAX_PANELS panels each."""
    parts = [
        (
            sasaran.code,
            f"Realisasi {sasaran.code} dari Tahun ke Tahun{_part(number, len(chunks))}",
            part,
        )
        for sasaran in analysis.sasaran
        for chunks in [
            _chunks([result for result in sasaran.indicators if result.history], MAX_PANELS)
        ]
        for number, part in enumerate(chunks, start=1)
    ]
    return _charts(trend_chart, analysis, parts)


def _charts(
    draw: Callable[..., bytes | None],
    analysis: Analysis,
    parts: list[tuple[str, str, list[IndicatorResult]]],
) -> list[Chart]:
    """Draw one chart per part, side by side where there are cores (``chart_pool``)."""
    # A chart of given indicators reads only the year's scale, period and year from the
    # analysis: the rest stays behind, so that each chart sent to a worker is small.
    bare = replace(analysis, sasaran=(), budget=())
    calls = [((bare,), {"indicators": tuple(part), "title": title}) for _, title, part in parts]
    pngs = reused_all(draw, calls)
    return [
        Chart(code, title, png)
        for (code, title, _), png in zip(parts, pngs, strict=True)
        if png is not None
    ]


@dataclass(frozen=True)
class _Bar:
    label: str  # may hold line breaks
    value: Decimal | None  # percent
    colour: str
    slot: float  # inches of height, gap included
    missing: str  # shown instead of a bar when value is None


class _BarPlot:
    """Horizontal percentage bars between ``left`` and ``right``, with a grid and 100% line."""

    def __init__(
        self,
        canvas: Canvas,
        *,
        left: float,
        right: float,
        top: float,
        bottom: float,
        limit: Decimal,
    ) -> None:
        self.canvas = canvas
        self.left, self.right, self.top, self.bottom = left, right, top, bottom
        self.limit = limit

    def x(self, value: Decimal) -> float:
        """Return where ``value`` (percent) falls, clipped to the plot."""
        share = float(min(value, self.limit) / self.limit)
        return self.left + share * (self.right - self.left)

    def draw(self, bars: list[_Bar], *, label_size: float, bold_values: bool = False) -> None:
        """Draw the grid, the bars with their labels and values, and the 100% line."""
        canvas = self.canvas
        ticks = _ticks(self.limit)
        canvas.lines(
            [[(self.x(t), self.top), (self.x(t), self.bottom)] for t in ticks[1:]],
            colour=GRID,
            width=1,
        )
        for tick in ticks:
            canvas.text(
                self.x(tick), self.bottom + 0.22, format_percent(tick), size=TICK_SIZE, ha="center"
            )
        boxes: list[tuple[float, float, float, float]] = []
        colours: list[str] = []
        y = self.top
        for bar in bars:
            centre = y + bar.slot / 2
            y += bar.slot
            canvas.text(self.left - 0.12, centre, bar.label, size=label_size, ha="right")
            if bar.value is None:
                canvas.text(
                    self.left + 0.1, centre, bar.missing, size=VALUE_SIZE, colour=MUTED, italic=True
                )
                continue
            end = self.x(bar.value)
            height = min(bar.slot - 0.18, 0.62 * bar.slot + 0.1)
            boxes.append((self.left, centre - height / 2, end - self.left, height))
            colours.append(bar.colour)
            shown = format_percent(bar.value)
            if bar.value > self.limit:  # off the scale: the label sits inside the bar's end
                canvas.text(
                    end - 0.1,
                    centre,
                    f"{shown} ▸",
                    size=VALUE_SIZE,
                    ha="right",
                    colour="white",
                    bold=True,
                )
            else:
                canvas.text(end + 0.1, centre, shown, size=VALUE_SIZE, bold=bold_values, halo=True)
        canvas.boxes(boxes, colours)
        canvas.lines(
            [[(self.left, self.top), (self.left, self.bottom), (self.right, self.bottom)]],
            colour=INK,
            width=1.2,
        )
        hundred = self.x(Decimal(100))
        canvas.lines(
            [[(hundred, self.top), (hundred, self.bottom)]], colour=INK, width=2, dashed=True
        )


class _Panel:
    """One trend panel: its frame, and where a year and a value fall inside it."""

    def __init__(
        self, x0: float, y0: float, width: float, years: list[int], axis_room: float
    ) -> None:
        self.x0, self.y0 = x0, y0
        self.x1, self.y1 = x0 + width - 0.12, y0 + _PANEL_HEIGHT - 0.12
        self.axis_x = x0 + axis_room  # the scale's labels to its left, the plot to its right
        self.left, self.right = self.axis_x + 0.4, x0 + width - 0.45
        self.top, self.bottom = y0 + 0.95, y0 + 1.95
        self.years = years
        self.low, self.high = Decimal(0), Decimal(1)

    def x(self, year: int) -> float:
        """Return the horizontal position of ``year``."""
        if len(self.years) == 1:
            return (self.left + self.right) / 2
        share = self.years.index(year) / (len(self.years) - 1)
        return self.left + share * (self.right - self.left)

    def y(self, value: Decimal) -> float:
        """Return the vertical position of ``value`` (higher values nearer the top)."""
        share = float((value - self.low) / (self.high - self.low)) if value.is_finite() else 0.0
        return self.bottom - share * (self.bottom - self.top)


class _Marks:
    """The trend panels' lines and markers, collected so each kind is drawn in one go."""

    def __init__(self) -> None:
        self.frames: list[list[Point]] = []
        self.axes: list[list[Point]] = []
        self.guides: list[list[Point]] = []
        self.lines: list[list[Point]] = []
        self.targets: list[list[Point]] = []
        self.earlier: list[Point] = []
        self.now: list[Point] = []

    def frame(self, panel: _Panel) -> None:
        """Add the panel's border and a faint vertical guide at every year."""
        x0, y0, x1, y1 = panel.x0, panel.y0, panel.x1, panel.y1
        self.frames.append([(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)])
        top, bottom = panel.top - 0.1, panel.bottom + 0.1
        self.guides += [[(panel.x(year), top), (panel.x(year), bottom)] for year in panel.years]

    def axis(self, panel: _Panel, ticks: Sequence[Decimal]) -> None:
        """Add the panel's vertical axis, a tick at each value of its scale and its grid."""
        axis_x = panel.axis_x
        self.axes.append([(axis_x, panel.y(ticks[0])), (axis_x, panel.y(ticks[-1]))])
        for tick in ticks:
            y = panel.y(tick)
            self.axes.append([(axis_x - 0.06, y), (axis_x, y)])
            self.guides.append([(axis_x, y), (panel.right + 0.15, y)])

    def draw(self, canvas: Canvas) -> None:
        """Draw everything: a handful of artists however many panels there are."""
        canvas.lines(self.frames, colour=GRID, width=1.2)
        canvas.lines(self.guides, colour=GRID, width=0.8)
        canvas.lines(self.axes, colour=MUTED, width=1.2)
        canvas.lines(self.lines, colour=LINE_COLOUR, width=2.5)
        canvas.lines(self.targets, colour=INK, width=2, dashed=True)
        canvas.dots(self.earlier, colour=LINE_COLOUR, size=70)
        canvas.dots(self.now, colour=CURRENT_COLOUR, size=120)
        canvas.diamonds(
            [point for target in self.targets for point in target], colour=INK, size=110
        )


@dataclass(frozen=True)
class _Key:
    """One legend entry and the mark that stands for it."""

    text: str
    box: str | None = None
    line: str | None = None
    dashed: bool = False
    dot: str | None = None
    diamond: str | None = None


def _legend_shape(texts: list[str]) -> tuple[int, int]:
    """Return (columns, rows) so that the longest entry fits its column."""
    longest = max((len(text) for text in texts), default=0)
    columns = 3 if longest <= 26 else 2 if longest <= 42 else 1
    return columns, math.ceil(len(texts) / columns)


def _draw_legend(canvas: Canvas, keys: list[_Key], *, top: float, columns: int) -> None:
    width = (WIDTH_IN - 1.0) / columns
    boxes: list[tuple[float, float, float, float]] = []
    colours: list[str] = []
    for index, key in enumerate(keys):
        x = 0.5 + (index % columns) * width
        y = top + (index // columns) * 0.4
        if key.box:
            boxes.append((x, y - 0.11, 0.36, 0.22))
            colours.append(key.box)
        if key.line:
            canvas.lines([[(x, y), (x + 0.36, y)]], colour=key.line, width=2.5, dashed=key.dashed)
        if key.dot:
            canvas.dots([(x + 0.18, y)], colour=key.dot, size=90)
        if key.diamond:
            canvas.diamonds([(x + 0.18, y)], colour=key.diamond, size=90)
        canvas.text(x + 0.5, y, key.text, size=NOTE_SIZE)
    canvas.boxes(boxes, colours)


def _ticks(limit: Decimal) -> list[Decimal]:
    step = next(s for s in (10, 20, 25, 50, 100) if limit / s <= 6)
    return [Decimal(tick) for tick in range(0, int(limit) + 1, step)]


def _axis_ticks(values: Sequence[Decimal]) -> list[Decimal]:
    """Return a trend panel's scale: two to four even steps of 1, 2, 2,5 or 5 × 10ⁿ around ``values``."""
    low, high = (min(values), max(values)) if values else (Decimal(0), Decimal(0))
    if low == high:
        low, high = low - 1, high + 1
    wanted = (high - low) / 2
    base = Decimal(1).scaleb(wanted.adjusted())
    step = next(base * m for m in (1, 2, Decimal("2.5"), 5, 10) if base * m >= wanted)
    first = (low / step).to_integral_value(rounding=ROUND_FLOOR)
    last = (high / step).to_integral_value(rounding=ROUND_CEILING)
    return [(first + n) * step for n in range(int(last - first) + 1)]


def _limit(values: Sequence[Decimal | None], *, floor: Decimal, margin: Decimal) -> Decimal:
    """Return the right end of a percentage axis: room for the labels, never past the cap."""
    largest = max([floor, *(value * margin for value in values if value is not None)])
    return min(largest, _AXIS_CAP)


def _capaian_value(result: IndicatorResult) -> Decimal | None:
    if result.capaian.status is CapaianStatus.OK and result.capaian.value is not None:
        return result.capaian.value
    return None


def _budget_label(line: BudgetLine) -> str:
    name = line.kegiatan.strip() or line.program.strip() or "-"
    wrapped = textwrap.wrap(name, _LABEL_WIDTH)
    if len(wrapped) > 3:
        rest = textwrap.shorten(" ".join(wrapped[2:]), _LABEL_WIDTH, placeholder=" …")
        wrapped = [*wrapped[:2], rest]
    return "\n".join(wrapped)


def _chunks(items: list[IndicatorResult], size: int) -> list[list[IndicatorResult]]:
    if not items:
        return []
    # Even parts (27 bars make 14 + 13, not 25 + 2), so no chart is a lonely stub.
    parts = math.ceil(len(items) / size)
    step = math.ceil(len(items) / parts)
    return [items[start : start + step] for start in range(0, len(items), step)]


def _part(number: int, total: int) -> str:
    return f" (bagian {number} dari {total})" if total > 1 else ""


def structure_chart(
    *, office: str, head: tuple[str, str], units: Sequence[tuple[str, str, int]]
) -> bytes:
    """Draw the organisation: the head's box over one box per unit (name, head, staff count).

    ``head`` is (jabatan, name); each unit is (unit name, its head's name, people in it).
    """
    columns = max(1, min(len(units), 4))
    rows = max(1, math.ceil(len(units) / columns))
    gap = 0.25
    box_w = (WIDTH_IN - 0.6 - gap * (columns - 1)) / columns
    box_h = 1.9
    head_w, head_h = 5.0, 1.1
    top = 0.9
    unit_top = top + head_h + 0.9
    canvas = Canvas(height=unit_top + rows * (box_h + gap) + 0.3)
    canvas.title(f"Struktur Organisasi {office}")
    head_x = (WIDTH_IN - head_w) / 2
    boxes = [(head_x, top, head_w, head_h)]
    canvas.text(WIDTH_IN / 2, top + 0.35, head[0], size=NOTE_SIZE, ha="center", bold=True)
    canvas.text(WIDTH_IN / 2, top + 0.75, head[1] or "-", size=NOTE_SIZE, ha="center")
    links: list[list[Point]] = []
    bus = unit_top - 0.45
    links.append([(WIDTH_IN / 2, top + head_h), (WIDTH_IN / 2, bus)])
    for index, (name, kasubbag, count) in enumerate(units):
        row, column = divmod(index, columns)
        x = 0.3 + column * (box_w + gap)
        y = unit_top + row * (box_h + gap)
        boxes.append((x, y, box_w, box_h))
        links.append([(x + box_w / 2, bus), (x + box_w / 2, y)])
        label = "\n".join(textwrap.wrap(name, width=max(12, int(box_w * 8)))[:3])
        canvas.text(x + box_w / 2, y + 0.55, label, size=NOTE_SIZE - 2, ha="center", bold=True)
        canvas.text(x + box_w / 2, y + 1.25, kasubbag or "-", size=NOTE_SIZE - 2, ha="center")
        canvas.text(x + box_w / 2, y + 1.6, f"{count} pegawai", size=NOTE_SIZE - 2, ha="center")
    if units:
        first = 0.3 + box_w / 2
        last = 0.3 + (min(len(units), columns) - 1) * (box_w + gap) + box_w / 2
        links.append([(first, bus), (last, bus)])
    canvas.boxes(boxes, ["#dde7f3"] * len(boxes))
    canvas.lines(links, colour=INK, width=1.2)
    return canvas.png()
