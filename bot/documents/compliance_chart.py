"""The SOP compliance chart: each step's duration against its time standard, as PNG.

Drawn with the same hand-laid canvas and percentage bars as the analysis charts
(``bot.documents.charts``), so it looks like them and costs as little.
"""

from __future__ import annotations

from decimal import Decimal

from bot.documents.chart_canvas import INK, WIDTH_IN, Canvas
from bot.documents.charts import LABEL_SIZE, NOTE_SIZE, _Bar, _BarPlot, _draw_legend, _Key, _limit
from bot.domain.compliance import CycleCompliance

ON_TIME_COLOUR = "#1a7f37"
LATE_COLOUR = "#cc0000"
RUNNING_COLOUR = "#e69138"


def compliance_chart(cycle: CycleCompliance, *, title: str | None = None) -> bytes:
    """Draw each SOP step's duration as a share of its time standard (100% = on time), as PNG.

    Green bars kept the standard, red ones took longer, amber ones are still running; a step
    not reached says "belum" where its bar would be.
    """
    labels = [
        f"{step.number}. {step.spec.short}\n"
        + (f"{step.duration_label} / " if step.measured else "")
        + f"standar {step.spec.standard.label}"
        for step in cycle.steps
    ]
    slot = 0.9
    top = 1.0
    bottom = top + len(labels) * slot
    canvas = Canvas(height=bottom + 1.2 + 2 * 0.4 + 0.25)
    canvas.title(title or f"Kepatuhan Waktu SOP {cycle.period_label}")
    widths = [canvas.width(label, size=NOTE_SIZE) for label in labels]
    left = min(max(widths) + 0.3, WIDTH_IN * 0.45)
    shares = [step.share for step in cycle.steps]
    plot = _BarPlot(
        canvas,
        left=left,
        right=WIDTH_IN - 0.45,
        top=top,
        bottom=bottom,
        limit=_limit(shares, floor=Decimal(120), margin=Decimal("1.18")),
    )
    bars = []
    for step, label, share in zip(cycle.steps, labels, shares, strict=True):
        colour = (
            LATE_COLOUR if step.late else RUNNING_COLOUR if step.late is None else ON_TIME_COLOUR
        )
        bars.append(_Bar(label, share, colour, slot, step.status.value))
    plot.draw(bars, label_size=NOTE_SIZE)
    canvas.text(
        (left + plot.right) / 2,
        bottom + 0.6,
        "Durasi aktual (% dari waktu standar SOP, jam kerja kantor)",
        size=LABEL_SIZE,
        ha="center",
    )
    keys = [
        _Key("Sesuai waktu standar", box=ON_TIME_COLOUR),
        _Key("Melebihi waktu standar", box=LATE_COLOUR),
        _Key("Belum selesai", box=RUNNING_COLOUR),
        _Key("Waktu standar (100%)", line=INK, dashed=True),
    ]
    _draw_legend(canvas, keys, top=bottom + 1.15, columns=2)
    return canvas.png()
