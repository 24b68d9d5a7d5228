"""Charts for the documents: the SVG a page shows, made fit to draw outside the page.

On the page a chart takes its size from the layout (width="100%") and its look partly from the page's CSS. In a
document it gets a fixed size from its viewBox and is drawn as it is: the fill and stroke attributes the charts
keep as a fallback. Word takes a PNG made with CairoSVG at print resolution. CairoSVG draws text with Cairo's
simple font interface, which uses the FIRST family of a font-family list and no per-character fallback: a chart
whose family list starts with "system-ui" gets a Latin font and draws Chinese as empty boxes. The PNG's text is
therefore given one family that holds every character in it (the CJK font when there is Chinese). The PDF keeps
the SVG itself (WeasyPrint draws it with Pango, which falls back per character).

The SVG is parsed without entities or external references (defusedxml); one that cannot be parsed is None and
the document shows the figure's caption alone.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from functools import lru_cache
from xml.etree.ElementTree import Element, register_namespace, tostring  # noqa: S405 - serializing only; parsing is defusedxml's

import cairosvg
from defusedxml import ElementTree

from certprep.reports.render.common import CJK, PICTURE_CJK_FONT, clean

SVG_NS = "http://www.w3.org/2000/svg"
register_namespace("", SVG_NS)
register_namespace("xlink", "http://www.w3.org/1999/xlink")
PRINT_DPI = 200  # sharp on paper at a chart's size; 300 made Word files twice as large and slow to draw
MAX_WIDTH_MM = 160  # the text width of an A4 page with the documents' margins
DEFAULT_SIZE = (480.0, 320.0)
DEFAULT_FONT_SIZE = "12"
_NUMBER = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(?:px)?\s*$")
# What a document never draws from a chart: scripts, embedded HTML and pictures from elsewhere.
_DROPPED = {f"{{{SVG_NS}}}{name}" for name in ("script", "foreignObject", "image", "a")}


@dataclass(frozen=True)
class Picture:
    png: bytes
    width_mm: float
    height_mm: float


def _size(root: Element) -> tuple[float, float]:
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(box) == 4:
        try:
            width, height = float(box[2]), float(box[3])
        except ValueError:
            width = height = 0.0
        if width > 0 and height > 0:
            return width, height
    sizes = [_NUMBER.match(root.get(name) or "") for name in ("width", "height")]
    if sizes[0] and sizes[1] and float(sizes[0][1]) > 0 and float(sizes[1][1]) > 0:
        return float(sizes[0][1]), float(sizes[1][1])
    return DEFAULT_SIZE


def _drop_unsafe(root: Element) -> None:
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag in _DROPPED:
                parent.remove(child)


def parse(svg: str) -> tuple[Element, tuple[float, float]] | None:
    """The chart's root element with a fixed size (its viewBox's, in px), or None if it is not SVG."""
    try:
        root = ElementTree.fromstring(clean(svg).encode("utf-8"), forbid_dtd=True)
    except (ElementTree.ParseError, ValueError, SyntaxError):
        return None
    if root.tag != f"{{{SVG_NS}}}svg":
        return None
    _drop_unsafe(root)
    width, height = _size(root)
    root.set("width", f"{width:g}")
    root.set("height", f"{height:g}")
    if not root.get("viewBox"):
        root.set("viewBox", f"0 0 {width:g} {height:g}")
    if root.get("font-size") is None:
        root.set("font-size", DEFAULT_FONT_SIZE)  # the pages' chart CSS size, which a document does not load
    return root, (width, height)


def _one_font_for_png(root: Element) -> None:
    text = "".join(root.itertext())
    family = PICTURE_CJK_FONT if CJK.search(text) else "DejaVu Sans"
    for element in root.iter():
        if element.get("font-family") is not None or element is root:
            element.set("font-family", family)


def figure_width_mm(width_mm: int | float) -> float:
    return float(min(max(width_mm, 30), MAX_WIDTH_MM))


@lru_cache(maxsize=32)
def png(svg: str, width_mm: int | float, dpi: int = PRINT_DPI) -> Picture | None:
    """The chart as a PNG `width_mm` wide (at most the text width) at `dpi`, or None if it is not SVG. The last
    pictures are kept: a pack draws the same chart in several documents (the plan's Gantt chart, the budget's
    charts in the feasibility scheme) and in both languages' Word files when it has no words."""
    parsed = parse(svg)
    if parsed is None:
        return None
    root, (width, height) = parsed
    _one_font_for_png(root)
    shown_mm = figure_width_mm(width_mm)
    pixels = round(shown_mm / 25.4 * dpi)
    data = cairosvg.svg2png(
        bytestring=tostring(root, encoding="utf-8"),
        output_width=pixels,
        output_height=round(pixels * height / width),
        background_color="white",
    )
    return Picture(png=data, width_mm=shown_mm, height_mm=shown_mm * height / width)


def data_uri(svg: str) -> str | None:
    """The chart as a data: URI of its SVG with a fixed size (what the PDF's <img> shows), or None."""
    parsed = parse(svg)
    if parsed is None:
        return None
    encoded = base64.b64encode(tostring(parsed[0], encoding="utf-8")).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"
