"""The canvas every chart is drawn on: a figure laid out in inches, its text, its PNG.

What a chart shows (which bars, panels and labels, from which data) is in
``bot.documents.charts`` and ``bot.documents.compliance_chart``; this module only draws.

Each chart is drawn on a matplotlib ``Figure`` of its own by an Agg canvas, never through
pyplot: no state is shared between calls (or threads) and nothing opens a window. Charts are
1200 px wide, so they read on a phone and print sharply at 16 cm. The same drawing always
gives the same bytes: the PNG carries no software or date stamp.

Speed, because a report may hold hundreds of charts (bench/README.md): shapes go on the bare
figure, one collection per kind of mark, instead of through matplotlib's ``Axes``, whose
axis and tick machinery costs tens of milliseconds per chart; the text is written by Pillow
in matplotlib's own DejaVu Sans, a tenth of what matplotlib 3.11 spends per string; and each
PNG has a 64-colour palette, a quarter of the bytes of full colour.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import (
    CircleCollection,
    LineCollection,
    PolyCollection,
    RegularPolyCollection,
)
from matplotlib.figure import Figure
from matplotlib.transforms import Affine2D, IdentityTransform
from PIL import Image, ImageDraw, ImageFont

WIDTH_IN = 12.0
DPI = 100  # 12 in × 100 dpi = 1200 px
INK = "#222222"  # text, unless told otherwise
TITLE_SIZE = 22
_PALETTE_COLOURS = 64

Point = tuple[float, float]


@dataclass(frozen=True)
class Text:
    """A string to write once the shapes are drawn."""

    x: float  # inches
    y: float  # inches, the text's vertical centre
    text: str
    size: float  # points
    anchor: str  # Pillow's: "lm", "mm" or "rm"
    colour: str
    style: str  # a key of _FONT_FILES
    halo: bool  # on a white patch, so a grid or target line never runs through it


_FONT_FILES = {
    "regular": "DejaVuSans.ttf",
    "bold": "DejaVuSans-Bold.ttf",
    "italic": "DejaVuSans-Oblique.ttf",
}
_FONT_FOLDER = Path(matplotlib.get_data_path()) / "fonts" / "ttf"  # shipped with matplotlib
_ANCHORS = {"left": "lm", "center": "mm", "right": "rm"}


class Canvas:
    """A chart measured in inches from its top-left corner, as a page is laid out.

    matplotlib's Agg renderer draws the shapes; Pillow then writes the text over them in the
    same DejaVu Sans that matplotlib ships. Text is most of a chart, and matplotlib (3.11)
    shapes and measures each string in Python-driven steps, ten times Pillow's cost.
    """

    def __init__(self, *, height: float) -> None:
        self.figure = Figure(figsize=(WIDTH_IN, height), dpi=DPI, facecolor="white")
        self.inches = Affine2D().scale(1, -1).translate(0, height) + self.figure.dpi_scale_trans
        self._texts: list[Text] = []
        self._fonts: dict[tuple[str, float], ImageFont.FreeTypeFont] = {}  # per chart: no sharing

    def width(self, text: str, *, size: float, bold: bool = False) -> float:
        """Return how wide ``text`` is in inches (its longest line)."""
        font = self._font("bold" if bold else "regular", size)
        return max(font.getlength(line) for line in text.split("\n")) / DPI

    def title(self, text: str) -> None:
        """Put the chart's title at the top, centred."""
        self.text(WIDTH_IN / 2, 0.38, text, size=TITLE_SIZE, ha="center", bold=True)

    def text(
        self,
        x: float,
        y: float,
        text: str,
        *,
        size: float,
        ha: str = "left",
        colour: str = INK,
        bold: bool = False,
        italic: bool = False,
        halo: bool = False,
    ) -> None:
        """Write ``text`` (lines may break) with its vertical centre at ``y``."""
        style = "bold" if bold else "italic" if italic else "regular"
        self._texts.append(Text(x, y, text, size, _ANCHORS[ha], colour, style, halo))

    def boxes(self, boxes: list[tuple[float, float, float, float]], colours: list[str]) -> None:
        """Fill rectangles given as (x, y, width, height)."""
        if boxes:
            shapes = [[(x, y), (x + w, y), (x + w, y + h), (x, y + h)] for x, y, w, h in boxes]
            self.figure.add_artist(
                PolyCollection(shapes, facecolors=colours, edgecolors="none", transform=self.inches)
            )

    def lines(
        self, lines: list[list[Point]], *, colour: str, width: float, dashed: bool = False
    ) -> None:
        """Draw polylines."""
        if lines:
            self.figure.add_artist(
                LineCollection(
                    lines,
                    colors=colour,
                    linewidths=width,
                    linestyles="--" if dashed else "solid",
                    transform=self.inches,
                )
            )

    def dots(self, points: list[Point], *, colour: str, size: float) -> None:
        """Draw filled circles of ``size`` points² at ``points``."""
        if points:
            self.figure.add_artist(
                CircleCollection(
                    [size],
                    offsets=points,
                    offset_transform=self.inches,
                    transform=IdentityTransform(),
                    facecolors=colour,
                    edgecolors=colour,
                )
            )

    def diamonds(self, points: list[Point], *, colour: str, size: float) -> None:
        """Draw hollow diamonds of ``size`` points² at ``points``."""
        if points:
            self.figure.add_artist(
                RegularPolyCollection(
                    4,
                    sizes=[size],
                    offsets=points,
                    offset_transform=self.inches,
                    transform=IdentityTransform(),
                    facecolors="white",
                    edgecolors=colour,
                    linewidths=1.8,
                )
            )

    def png(self) -> bytes:
        """Render to PNG bytes: a 64-colour palette, no date or software stamp."""
        # Drawn straight into the renderer's buffer and read from there: savefig would lay
        # the figure out again and copy the pixels twice more (a third of a chart's time).
        canvas = FigureCanvasAgg(self.figure)
        canvas.draw()  # type: ignore[no-untyped-call]
        size = canvas.get_width_height()
        image = Image.frombuffer("RGBA", size, canvas.buffer_rgba(), "raw", "RGBA", 0, 1)  # type: ignore[no-untyped-call]
        image = image.convert("RGB")
        # The figure and its canvas refer to each other, so only the cycle collector would
        # free the renderer's pixel buffer (7 MB a chart); drop it now instead.
        canvas.renderer = None
        draw = ImageDraw.Draw(image)
        for item in self._texts:
            font = self._font(item.style, item.size)
            where = (item.x * DPI, item.y * DPI)
            align = {"l": "left", "m": "center", "r": "right"}[item.anchor[0]]
            if item.halo:
                left, top, right, bottom = draw.multiline_textbbox(
                    where, item.text, font=font, anchor=item.anchor, align=align
                )
                draw.rectangle((left - 3, top - 2, right + 3, bottom + 2), fill="white")
            draw.multiline_text(
                where, item.text, font=font, fill=item.colour, anchor=item.anchor, align=align
            )
        # Octree without dithering is deterministic, and these flat charts lose nothing
        # visible to 64 colours while the file shrinks to a quarter.
        palette = image.quantize(
            colors=_PALETTE_COLOURS, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
        )
        buffer = BytesIO()
        palette.save(buffer, format="png")
        return buffer.getvalue()

    def _font(self, style: str, size: float) -> ImageFont.FreeTypeFont:
        key = (style, size)
        if key not in self._fonts:
            self._fonts[key] = ImageFont.truetype(
                _FONT_FOLDER / _FONT_FILES[style],
                size=round(size * DPI / 72),  # points to pixels
                layout_engine=ImageFont.Layout.BASIC,
            )
        return self._fonts[key]
