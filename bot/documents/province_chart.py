"""The provincial chart (/pantau): each kabupaten/kota's indicators answered and accepted.

Drawn with the hand-laid canvas and percentage bars of the analysis charts
(``bot.documents.charts``), so it looks like them and costs as little.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from bot.documents.chart_canvas import WIDTH_IN, Canvas
from bot.documents.charts import LABEL_SIZE, NOTE_SIZE, _Bar, _BarPlot, _draw_legend, _Key
from bot.domain.province import ChildCycle, ChildStage, share

RECEIVED_COLOUR = "#1a7f37"
LATE_COLOUR = "#cc0000"
RUNNING_COLOUR = "#3d85c6"


def province_chart(children: Sequence[ChildCycle], *, title: str, today: date) -> bytes:
    """Draw one bar per office: the share of its indicators accepted, coloured by its state.

    Green: the report was received; red: it is late; blue: under way. An office without a
    cycle says so where its bar would be.
    """
    labels = [f"{child.office_name}\n{child.stage.value}" for child in children]
    slot = 0.8
    top = 1.0
    bottom = top + max(len(labels), 1) * slot
    canvas = Canvas(height=bottom + 1.2 + 0.4 + 0.25)
    canvas.title(title)
    widths = [canvas.width(label, size=NOTE_SIZE) for label in labels] or [1.0]
    left = min(max(widths) + 0.3, WIDTH_IN * 0.45)
    plot = _BarPlot(
        canvas, left=left, right=WIDTH_IN - 0.45, top=top, bottom=bottom, limit=Decimal(100)
    )
    bars = []
    for child, label in zip(children, labels, strict=True):
        colour = (
            RECEIVED_COLOUR
            if child.stage is ChildStage.RECEIVED
            else LATE_COLOUR
            if child.late(today)
            else RUNNING_COLOUR
        )
        value = Decimal(share(child.accepted, child.indicators)) if child.period_label else None
        bars.append(_Bar(label, value, colour, slot, "belum memulai siklus"))
    plot.draw(bars, label_size=NOTE_SIZE)
    canvas.text(
        (left + plot.right) / 2,
        bottom + 0.6,
        "Indikator yang datanya diterima Tim Rendatin (% dari seluruh indikator)",
        size=LABEL_SIZE,
        ha="center",
    )
    keys = [
        _Key("Laporan diterima", box=RECEIVED_COLOUR),
        _Key("Terlambat", box=LATE_COLOUR),
        _Key("Berjalan", box=RUNNING_COLOUR),
    ]
    _draw_legend(canvas, keys, top=bottom + 1.15, columns=3)
    return canvas.png()
