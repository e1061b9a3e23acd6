"""Charts of the analysed year (SOP step 2c) as PNG bytes, for the chat and the LKjIP.

Drawn with matplotlib's Agg canvas on a ``Figure`` of their own, never through pyplot, so
no state is shared between calls (or threads) and nothing opens a window. Every chart is
1200 px wide with large type, so it reads on a phone and prints at 16 cm; labels and
numbers are Indonesian ("101,58%"). The same analysis always gives the same bytes: the PNG
carries no software or date stamp.

A chart grows with what it shows, so the LKjIP splits long lists (``capaian_charts``,
``trend_charts``): at most ``MAX_BARS`` bars or ``MAX_PANELS`` small panels a chart, one
series per sasaran, which keeps each chart on one printed page and its labels large.

The trend panels are drawn on one shared drawing area rather than one matplotlib ``Axes``
each: an ``Axes`` costs tens of milliseconds to build and draw, and a report with hundreds
of indicators would spend most of its time there.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator
from PIL import Image

from bot.domain.analysis import Analysis, BudgetLine, IndicatorResult
from bot.domain.budget import budget_totals
from bot.domain.capaian import CapaianStatus
from bot.domain.measure import mean_capaian
from bot.domain.numbers import format_number, format_percent, format_rupiah
from bot.domain.organisation import CategoryBand

MAX_BARS = 25  # bars in one capaian chart: 16 × 21 cm in the report
MAX_PANELS = 18  # trend panels in one chart (6 rows of 3): 16 × 22 cm in the report

WIDTH_IN = 12.0
DPI = 100  # 12 in × 100 dpi = 1200 px
TITLE_SIZE = 22
LABEL_SIZE = 18
TICK_SIZE = 16
VALUE_SIZE = 15
NOTE_SIZE = 14

INK = "#222222"
MUTED = "#666666"
GRID = "#d9d9d9"
NO_BAND = "#9e9e9e"  # a category the scale does not know
LINE_COLOUR = "#2f5597"
CURRENT_COLOUR = "#c55a11"
BUDGET_COLOUR = "#2f5597"
CAPAIAN_COLOUR = "#548235"
# Best band first: green to red, dark enough for white-on-bar contrast at the ends.
_BAND_COLOURS = ("#1a7f37", "#6aa84f", "#f1c232", "#e69138", "#cc0000")

_BAR_SLOT_IN = 0.5  # height of one bar with its gap
_AXIS_CAP = Decimal(300)  # a capaian beyond 300% is drawn to the edge, its label says how far
_PANEL_COLUMNS = 3
_PANEL_HEIGHT_IN = 2.4
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
        shown = f"< {high}" if band.min == 0 else f"{low} – < {high}"
        ranges.append((band.label, shown))
    return ranges


def band_colours(scale: Sequence[CategoryBand]) -> dict[str, str]:
    """Return a colour per label of ``scale``: green for the best band to red for the worst."""
    labels = [band.label for band in sorted(scale, key=lambda band: band.min, reverse=True)]
    if len(labels) <= 1:
        return dict.fromkeys(labels, _BAND_COLOURS[0])
    last = len(_BAND_COLOURS) - 1
    # Spread over the palette so the best is always green and the worst always red.
    return {
        label: _BAND_COLOURS[round(index * last / (len(labels) - 1))]
        for index, label in enumerate(labels)
    }


def capaian_chart(
    analysis: Analysis,
    *,
    indicators: Sequence[IndicatorResult] | None = None,
    title: str | None = None,
) -> bytes:
    """Draw the capaian of each indicator (all, or ``indicators``) as coloured bars, as PNG."""
    shown = list(analysis.indicators if indicators is None else indicators)
    longest = max((len(result.code) for result in shown), default=4)
    figure = _figure(height=1.1 + max(len(shown), 1) * _BAR_SLOT_IN + 1.9)
    left = min(4.0, 0.45 + 0.15 * longest)  # room for the codes at 16 pt
    axes = figure.add_axes(_frame(figure, left=left, right=0.35, top=1.1, bottom=1.9))
    colours = band_colours(analysis.scale)
    values = [_capaian_value(result) for result in shown]
    measured = [value for value in values if value is not None]
    limit = min(max([Decimal(120), *(value * Decimal("1.18") for value in measured)]), _AXIS_CAP)
    right = float(limit)
    axes.barh(
        range(len(shown)),
        [float(min(value, limit)) if value is not None else 0.0 for value in values],
        height=0.62,
        color=[colours.get(result.category or "", NO_BAND) for result in shown],
        zorder=2,
    )
    # Codes as plain text rather than tick labels: a tick is several artists and costs more.
    labels = axes.get_yaxis_transform()
    for position, (result, value) in enumerate(zip(shown, values, strict=True)):
        axes.text(
            -0.015,
            position,
            result.code,
            transform=labels,
            ha="right",
            va="center",
            fontsize=TICK_SIZE,
            color=INK,
        )
        if value is None:
            missing = (
                "tidak dapat dihitung"
                if result.capaian.status is CapaianStatus.NOT_MEASURABLE
                else "tidak ada data"
            )
            axes.text(
                right * 0.01,
                position,
                missing,
                va="center",
                fontsize=VALUE_SIZE,
                color=MUTED,
                style="italic",
            )
        elif value > limit:  # off the scale: the label sits inside the bar's end
            axes.text(
                right * 0.99,
                position,
                f"{format_percent(value)} ▸",
                va="center",
                ha="right",
                fontsize=VALUE_SIZE,
                color="white",
                fontweight="bold",
            )
        else:
            axes.text(
                float(value) + right * 0.01,
                position,
                format_percent(value),
                va="center",
                fontsize=VALUE_SIZE,
                color=INK,
            )
    if not shown:
        axes.text(
            0.5,
            0.5,
            "Belum ada indikator",
            transform=axes.transAxes,
            ha="center",
            va="center",
            fontsize=LABEL_SIZE,
            color=MUTED,
        )
    axes.axvline(100, color=INK, linestyle="--", linewidth=2, zorder=1)
    axes.set_xlim(0, right)
    axes.set_ylim(max(len(shown), 1) - 0.5, -0.5)  # first indicator on top
    axes.set_yticks([])
    _percent_axis(axes)
    axes.set_xlabel("Capaian (%)", fontsize=LABEL_SIZE)
    axes.grid(axis="x", color=GRID, zorder=0)
    axes.set_axisbelow(True)
    _plain_frame(axes)
    handles: list[Patch | Line2D] = [
        Patch(color=colours[label], label=f"{label} ({span})")
        for label, span in band_ranges(analysis.scale)
    ]
    handles.append(Line2D([], [], color=INK, linestyle="--", linewidth=2, label="Target 100%"))
    figure.legend(
        handles=handles,
        loc="lower center",
        ncol=3,
        fontsize=NOTE_SIZE,
        frameon=False,
        bbox_to_anchor=(0.5, 0.0),
    )
    _title(figure, title or f"Capaian Kinerja {analysis.period_label}")
    return _png(figure)


def trend_chart(
    analysis: Analysis,
    *,
    indicators: Sequence[IndicatorResult] | None = None,
    title: str | None = None,
) -> bytes | None:
    """Draw each indicator's realisasi over the years as small panels; None without history.

    A panel shows the series (earlier years, then this year highlighted), this year's
    target as a diamond (two joined diamonds for a range), and the first and the latest
    value in numbers; the exact figures of every year are in the report's table.
    """
    shown = [
        result
        for result in (analysis.indicators if indicators is None else indicators)
        if result.history
    ]
    if not shown:
        return None
    years = sorted({year for result in shown for year in result.history} | {analysis.year})
    columns = min(_PANEL_COLUMNS, len(shown))
    rows = math.ceil(len(shown) / columns)
    header, footer = 1.25, 0.45
    figure = _figure(height=header + rows * _PANEL_HEIGHT_IN + footer)
    height = figure.get_figheight()
    axes = figure.add_axes((0.0, 0.0, 1.0, (rows * _PANEL_HEIGHT_IN + footer) / height))
    axes.set_axis_off()
    axes.set_xlim(0, columns)
    axes.set_ylim(rows + footer / _PANEL_HEIGHT_IN, 0)
    drawing = _Drawing()
    for index, result in enumerate(shown):
        panel = _Panel(index % columns, index // columns, years)
        series = sorted(result.history.items())
        if result.realisasi is not None:
            series.append((analysis.year, result.realisasi))
        panel.fit([value for _, value in series] + [result.target.low, result.target.high])
        drawing.frame(panel)
        axes.text(
            panel.column + 0.05,
            panel.row + 0.09,
            f"{result.code} · {result.satuan}",
            fontsize=VALUE_SIZE,
            fontweight="bold",
            va="top",
            color=INK,
        )
        placed = [(panel.x(year), panel.y(value)) for year, value in series]
        drawing.lines.append(placed)
        for (year, _), point in zip(series, placed, strict=True):
            (drawing.now if year == analysis.year else drawing.earlier).append(point)
        target = [
            (panel.x(analysis.year), panel.y(result.target.low)),
            (panel.x(analysis.year), panel.y(result.target.high)),
        ]
        drawing.targets.append(target)
        # The first and the latest value in numbers; the latest below its point when the
        # target diamond sits above it, so the two never overlap.
        labelled = [0, len(series) - 1] if len(series) > 1 else [0]
        for position in labelled:
            year, value = series[position]
            x, y = placed[position]
            is_now = year == analysis.year
            below = is_now and target[1][1] < y
            axes.text(
                x,
                y + 0.07 if below else y - 0.07,
                format_number(value),
                ha="center",
                va="top" if below else "bottom",
                fontsize=NOTE_SIZE,
                color=CURRENT_COLOUR if is_now else INK,
                fontweight="bold" if is_now else "normal",
            )
    step = math.ceil(len(years) / 5)  # at most five year labels under a 400 px panel
    for column in range(columns):
        last_row = (len(shown) - 1 - column) // columns
        panel = _Panel(column, last_row, years)
        for year in years[::step] if years[-1] in years[::step] else [*years[::step], years[-1]]:
            axes.text(
                panel.x(year),
                last_row + 0.97,
                str(year),
                ha="center",
                va="top",
                fontsize=NOTE_SIZE,
                color=MUTED,
            )
    drawing.draw(axes)
    _title(figure, title or f"Realisasi Indikator Kinerja {years[0]}–{years[-1]}")
    figure.legend(
        handles=[
            Line2D(
                [],
                [],
                color=LINE_COLOUR,
                marker="o",
                markersize=9,
                linewidth=2.5,
                label="Realisasi tahun sebelumnya",
            ),
            Line2D(
                [],
                [],
                color=CURRENT_COLOUR,
                marker="o",
                markersize=11,
                linewidth=0,
                label=f"Realisasi {analysis.year}",
            ),
            Line2D(
                [],
                [],
                color=INK,
                marker="D",
                markerfacecolor="white",
                markersize=9,
                linewidth=0,
                label=f"Target {analysis.year}",
            ),
        ],
        loc="upper center",
        ncol=3,
        fontsize=NOTE_SIZE,
        frameon=False,
        bbox_to_anchor=(0.5, 1 - 0.62 / height),
    )
    return _png(figure)


def budget_chart(analysis: Analysis, *, title: str | None = None) -> bytes | None:
    """Draw each budget line's absorption beside the mean capaian (efficiency); None if no budget."""
    lines = list(analysis.budget)
    if not lines:
        return None
    labels = [_budget_label(line) for line in lines]
    slots = [max(0.62, 0.3 * label.count("\n") + 0.62) for label in labels]
    top_in, middle_in, bottom_in = 1.1, 1.3 + 2.2, 0.9
    figure = _figure(height=top_in + sum(slots) + middle_in + bottom_in)
    height = figure.get_figheight()
    left, right = 4.6, 1.1
    per_line = figure.add_axes(
        _frame(figure, left=left, right=right, top=top_in, bottom=bottom_in + middle_in)
    )
    absorptions = [line.absorption for line in lines]
    limit = float(
        min(
            max([Decimal(110), *(value * Decimal("1.15") for value in absorptions if value)]),
            _AXIS_CAP,
        )
    )
    centres: list[float] = []
    edge = 0.0
    for slot in slots:
        centres.append(edge + slot / 2)
        edge += slot
    per_line.barh(
        centres,
        [min(float(value), limit) if value is not None else 0.0 for value in absorptions],
        height=[slot * 0.7 for slot in slots],
        color=BUDGET_COLOUR,
        zorder=2,
    )
    for centre, line, value in zip(centres, lines, absorptions, strict=True):
        text = format_percent(value) if value is not None else f"pagu {format_rupiah(line.pagu)}"
        x = min(float(value), limit) if value is not None else 0.0
        per_line.text(
            x + limit * 0.01,
            centre,
            text,
            va="center",
            fontsize=VALUE_SIZE,
            color=INK if value is not None else MUTED,
        )
    per_line.set_ylim(edge, 0)
    per_line.set_yticks(centres, labels, fontsize=NOTE_SIZE)
    per_line.set_xlim(0, limit)
    per_line.axvline(100, color=INK, linestyle="--", linewidth=1.5, zorder=3)
    per_line.set_title("Penyerapan anggaran per kegiatan", fontsize=LABEL_SIZE, loc="left")
    _percent_axis(per_line)
    per_line.grid(axis="x", color=GRID, zorder=0)
    per_line.set_axisbelow(True)
    _plain_frame(per_line)

    summary = figure.add_axes(
        _frame(figure, left=left, right=right, top=height - bottom_in - 2.2, bottom=bottom_in)
    )
    absorption = budget_totals(lines)[2]
    mean = mean_capaian(analysis)
    pairs = (
        ("Penyerapan anggaran", absorption, BUDGET_COLOUR),
        ("Rata-rata capaian kinerja", mean, CAPAIAN_COLOUR),
    )
    known = [value for _, value, _ in pairs if value is not None]
    top = float(min(max([Decimal(110), *(value * Decimal("1.15") for value in known)]), _AXIS_CAP))
    for position, (_, value, colour) in enumerate(pairs):
        if value is None:
            summary.text(
                top * 0.01,
                position,
                "belum dapat dihitung",
                va="center",
                fontsize=VALUE_SIZE,
                color=MUTED,
                style="italic",
            )
            continue
        width = min(float(value), top)
        summary.barh(position, width, height=0.6, color=colour, zorder=2)
        summary.text(
            width + top * 0.01,
            position,
            format_percent(value),
            va="center",
            fontsize=VALUE_SIZE,
            fontweight="bold",
            color=INK,
        )
    summary.set_yticks([0, 1], [name for name, _, _ in pairs], fontsize=VALUE_SIZE)
    summary.set_ylim(1.6, -0.6)
    summary.set_xlim(0, top)
    summary.axvline(100, color=INK, linestyle="--", linewidth=1.5, zorder=3)
    summary.set_title(
        "Efisiensi: penyerapan anggaran dan capaian kinerja", fontsize=LABEL_SIZE, loc="left"
    )
    _percent_axis(summary)
    summary.grid(axis="x", color=GRID, zorder=0)
    summary.set_axisbelow(True)
    _plain_frame(summary)
    _title(figure, title or f"Realisasi Anggaran {analysis.period_label}")
    return _png(figure)


def capaian_charts(analysis: Analysis) -> list[Chart]:
    """Return the capaian charts of the report: per sasaran, at most MAX_BARS bars each."""
    charts: list[Chart] = []
    for sasaran in analysis.sasaran:
        parts = _chunks(list(sasaran.indicators), MAX_BARS)
        for number, part in enumerate(parts, start=1):
            title = f"Capaian Kinerja {sasaran.code}{_part(number, len(parts))}"
            png = capaian_chart(analysis, indicators=part, title=title)
            charts.append(Chart(sasaran.code, title, png))
    return charts


def trend_charts(analysis: Analysis) -> list[Chart]:
    """Return the trend charts of the report: per sasaran with history, MAX_PANELS panels each."""
    charts: list[Chart] = []
    for sasaran in analysis.sasaran:
        parts = _chunks([result for result in sasaran.indicators if result.history], MAX_PANELS)
        for number, part in enumerate(parts, start=1):
            title = f"Realisasi {sasaran.code} dari Tahun ke Tahun{_part(number, len(parts))}"
            png = trend_chart(analysis, indicators=part, title=title)
            if png is not None:
                charts.append(Chart(sasaran.code, title, png))
    return charts


class _Panel:
    """One trend panel's cell in the grid, and where a year and a value fall inside it."""

    def __init__(self, column: int, row: int, years: list[int]) -> None:
        self.column, self.row = column, row
        self.left, self.right = column + 0.13, column + 0.87
        self.top, self.bottom = row + 0.38, row + 0.8
        self.years = years
        self.low, self.high = Decimal(0), Decimal(1)

    def fit(self, values: list[Decimal]) -> None:
        """Fit the vertical scale to ``values`` (a flat series sits in the middle)."""
        finite = [value for value in values if value.is_finite()] or [Decimal(0)]
        low, high = min(finite), max(finite)
        if low == high:
            low, high = low - 1, high + 1
        self.low, self.high = low, high

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


Points = list[tuple[float, float]]


class _Drawing:
    """The trend panels' lines and markers, collected so each kind is drawn in one go."""

    def __init__(self) -> None:
        self.frames: list[Points] = []
        self.guides: list[Points] = []
        self.lines: list[Points] = []
        self.targets: list[Points] = []
        self.earlier: Points = []
        self.now: Points = []

    def frame(self, panel: _Panel) -> None:
        """Add the panel's border and a faint vertical guide at every year."""
        left, top = panel.column + 0.025, panel.row + 0.05
        right, bottom = left + 0.95, top + 0.9
        self.frames.append(
            [(left, top), (right, top), (right, bottom), (left, bottom), (left, top)]
        )
        self.guides += [
            [(panel.x(year), panel.top), (panel.x(year), panel.bottom)] for year in panel.years
        ]

    def draw(self, axes: Axes) -> None:
        """Put everything on ``axes``: a handful of artists however many panels there are."""
        axes.add_collection(LineCollection(self.frames, colors=GRID, linewidths=1.2))
        axes.add_collection(LineCollection(self.guides, colors=GRID, linewidths=0.8))
        axes.add_collection(LineCollection(self.lines, colors=LINE_COLOUR, linewidths=2.5))
        axes.add_collection(LineCollection(self.targets, colors=INK, linewidths=2, linestyles="--"))
        for points, colour, size in (
            (self.earlier, LINE_COLOUR, 70),
            (self.now, CURRENT_COLOUR, 120),
        ):
            if points:
                axes.scatter(*_xy(points), s=size, color=colour, zorder=3)
        diamonds = [point for target in self.targets for point in target]
        axes.scatter(
            *_xy(diamonds),
            s=90,
            marker="D",
            facecolor="white",
            edgecolor=INK,
            linewidths=1.8,
            zorder=4,
        )


def _figure(*, height: float) -> Figure:
    # A Figure of our own, drawn by an Agg canvas in _png: no pyplot, no global backend.
    return Figure(figsize=(WIDTH_IN, height), dpi=DPI, facecolor="white")


def _title(figure: Figure, text: str) -> None:
    figure.suptitle(
        text, fontsize=TITLE_SIZE, fontweight="bold", y=1 - 0.22 / figure.get_figheight(), va="top"
    )


def _frame(
    figure: Figure, *, left: float, right: float, top: float, bottom: float
) -> tuple[float, float, float, float]:
    """Return an axes rectangle with margins given in inches, as matplotlib's fractions."""
    width, height = figure.get_figwidth(), figure.get_figheight()
    return (
        left / width,
        bottom / height,
        (width - left - right) / width,
        (height - top - bottom) / height,
    )


def _xy(points: list[tuple[float, float]]) -> tuple[list[float], list[float]]:
    return [x for x, _ in points], [y for _, y in points]


def _percent_axis(axes: Axes) -> None:
    axes.xaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    axes.xaxis.set_major_formatter(
        FuncFormatter(lambda value, _: format_percent(Decimal(str(round(value, 2)))))
    )
    axes.tick_params(axis="x", labelsize=TICK_SIZE)


def _plain_frame(axes: Axes) -> None:
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def _capaian_value(result: IndicatorResult) -> Decimal | None:
    if result.capaian.status is CapaianStatus.OK and result.capaian.value is not None:
        return result.capaian.value
    return None


def _budget_label(line: BudgetLine) -> str:
    name = line.kegiatan.strip() or line.program.strip() or "-"
    wrapped = textwrap.wrap(name, _LABEL_WIDTH)
    if len(wrapped) > 3:
        wrapped = [
            *wrapped[:2],
            textwrap.shorten(" ".join(wrapped[2:]), _LABEL_WIDTH, placeholder=" …"),
        ]
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


def _png(figure: Figure) -> bytes:
    canvas = FigureCanvasAgg(figure)
    raw = BytesIO()
    figure.savefig(raw, format="rgba", dpi=DPI)
    image = Image.frombytes("RGBA", canvas.get_width_height(), raw.getvalue())
    # A 64-colour palette: a quarter of the bytes of full colour and quicker to write, with
    # no visible loss on flat charts. Octree without dithering is deterministic, and Pillow
    # writes no date or software stamp, so equal input gives equal bytes.
    palette = image.convert("RGB").quantize(
        colors=64, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    buffer = BytesIO()
    palette.save(buffer, format="png")
    return buffer.getvalue()
