"""Server-side SVG charts for the gap-analysis readiness dashboard, over plain data (no database, no request).

Each function returns SVG markup to embed inline in a page (the caller marks it safe). Hence:
- every piece of text (labels, titles, class names, ids) is XML-escaped here;
- no `style` attribute, no <style>, no script (the page's Content Security Policy forbids them): colours come from
  classes styled by certprep/static/gaps/charts.css, with presentation attributes (fill, stroke, ...) as a fallback
  so the SVG also looks right on its own;
- role="img" and aria-labelledby point at the <title> (id `<id_prefix>-title`); data points and cells carry their own
  <title> for the hover tooltip, truncated labels carry their full text in a <title>;
- viewBox + width="100%" so radar and trend scale with their container; a heat map keeps its natural width (CSS
  shrinks it on narrow screens) so its text is never blown up; coordinates rounded to one decimal;
- the same input always gives the same string.

Text widths are estimated (no font metrics on the server), generously, so labels wrap or end with an ellipsis before
they could overflow.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Series", "heatmap_svg", "radar_svg", "trend_svg"]

FONT_FAMILY = (
    "system-ui, -apple-system, 'Segoe UI', 'Noto Sans', 'Noto Sans CJK SC', 'PingFang SC', "
    "'Microsoft YaHei', sans-serif"
)
INK = "#1c2430"
MUTED = "#5d6b7c"
GRID = "#d9e0e8"
GRID_STRONG = "#9aa8b8"
PLOT_BG = "#f7f9fc"
WHITE = "#ffffff"

# series-N -> (colour, dash pattern): the dashes keep series apart when printed in black and white.
SERIES_STYLES: dict[str, tuple[str, str | None]] = {
    "series-1": ("#1d4e89", None),
    "series-2": ("#c8590a", "7 4"),
    "series-3": ("#13866b", "2 3"),
    "series-4": ("#8e4585", "9 3 2 3"),
}
# Heat-map bands: red -> amber -> yellow-green -> teal green, lightness alternating so neighbours differ even without
# colour vision; text white on the dark ends, dark on the light middle.
HEAT_FILLS = {
    "heat-0": "#c0392b",
    "heat-1": "#eb9a3c",
    "heat-2": "#c9e39b",
    "heat-3": "#15796a",
    "heat-none": "#eef1f5",
}
HEAT_TEXT = {"heat-0": WHITE, "heat-1": INK, "heat-2": INK, "heat-3": WHITE, "heat-none": MUTED}
NO_VALUE = "\u2013"  # en dash, printed in a cell without data
ELLIPSIS = "\u2026"
PAD = 8.0


@dataclass(frozen=True)
class Series:
    """One line/polygon of a chart: a label for the legend, one percent (0..100, None = no data) per axis."""

    label: str
    values: Sequence[float | None]
    css_class: str = "series-1"


# --------------------------------------------------------------------------------------------------------------------
# Markup helpers

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NOT_NAME = re.compile(r"[^A-Za-z0-9_.:-]+")
_NOT_CLASS = re.compile(r"[^A-Za-z0-9_ -]+")


def _esc(text: object) -> str:
    """Text safe in XML content and in a double-quoted attribute; characters XML cannot hold are dropped."""
    return html.escape(_XML_INVALID.sub("", str(text)), quote=True)


def _ident(id_prefix: str) -> str:
    return _NOT_NAME.sub("-", id_prefix.strip()) or "chart"


def _css_class(name: str) -> str:
    return " ".join(_NOT_CLASS.sub("", name).split()) or "series-1"


def _n(value: float) -> str:
    """A coordinate rounded to one decimal, without a useless `.0` (and never `-0`)."""
    rounded = round(value, 1)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.1f}"


def _attrs(**attrs: object) -> str:
    """Attributes in the given order; `None` is left out, underscores become dashes, floats are rounded."""
    out = []
    for key, value in attrs.items():
        if value is None:
            continue
        name = key.rstrip("_").replace("_", "-")
        text = _n(value) if isinstance(value, float) else str(value)
        out.append(f' {name}="{_esc(text)}"')
    return "".join(out)


def _points(coords: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{_n(x)},{_n(y)}" for x, y in coords)


def _svg_open(kind: str, width: float, height: float, id_prefix: str, title: str, *, fixed: bool = False) -> list[str]:
    """The <svg> element and its <title>; `fixed` keeps the natural size (at most; CSS lets it shrink) instead of
    the full width."""
    ident = _ident(id_prefix)
    size = f'width="{_n(width)}" height="{_n(height)}"' if fixed else 'width="100%"'
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg"{_attrs(class_=f"chart chart-{kind}")}'
        f' viewBox="0 0 {_n(width)} {_n(height)}" {size}'
        f"{_attrs(role='img', aria_labelledby=f'{ident}-title', font_family=FONT_FAMILY, font_size=12, fill=INK)}>",
        f'<title id="{_esc(ident)}-title">{_esc(title)}</title>',
    ]


def _empty_svg(kind: str, *, title: str, id_prefix: str, no_data_label: str) -> str:
    """A small chart that just says there is nothing to draw."""
    width, height = 320.0, 64.0
    label, truncated = _wrap(no_data_label, width - 2 * PAD, 13, 1)
    parts = _svg_open(kind, width, height, id_prefix, title, fixed=True)
    parts.append(
        f"<rect{_attrs(class_='chart-empty', x=0.5, y=0.5, width=width - 1, height=height - 1, rx=6)}"
        f' fill="{PLOT_BG}" stroke="{GRID}"/>'
    )
    parts.append(
        _text_block(
            label,
            x=width / 2,
            top=height / 2 - 8,
            font_size=13,
            anchor="middle",
            css="chart-empty-text",
            fill=MUTED,
            full=no_data_label if truncated else None,
        )
    )
    parts.append("</svg>")
    return "".join(parts)


# --------------------------------------------------------------------------------------------------------------------
# Text measuring and wrapping (estimates, on the generous side)


def _char_em(ch: str) -> float:
    if unicodedata.combining(ch):
        return 0.0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    if ch == " ":
        return 0.33
    if ch in "il.,:;'|!()[]{}/\\-ftrj":
        return 0.38
    if ch in "mwMW@%":
        return 0.92
    if ch.isupper() or ch.isdigit() or ch in "&#$?":
        return 0.68
    return 0.58


def _width(text: str, font_size: float) -> float:
    return sum(_char_em(ch) for ch in text) * font_size


def _tokens(paragraph: str) -> list[str]:
    """Break opportunities: after a space and around every wide (CJK) character."""
    tokens: list[str] = []
    current = ""
    for ch in paragraph:
        wide = unicodedata.east_asian_width(ch) in ("W", "F")
        if wide:
            if current:
                tokens.append(current)
                current = ""
            tokens.append(ch)
        elif ch == " ":
            current += ch
            tokens.append(current)
            current = ""
        else:
            current += ch
    if current:
        tokens.append(current)
    return tokens


def _fit(text: str, max_width: float, font_size: float) -> str:
    """`text` shortened to end with an ellipsis within `max_width`."""
    text = text.rstrip()
    while text and _width(text + ELLIPSIS, font_size) > max_width:
        text = text[:-1].rstrip()
    return text + ELLIPSIS


def _wrap_greedy(text: str, max_width: float, font_size: float) -> tuple[list[str], bool]:
    """Lines filled one after the other; also says whether a word had to be broken."""
    lines: list[str] = []
    broke = False
    for paragraph in text.split("\n"):
        paragraph = " ".join(paragraph.split())
        if not paragraph:
            continue
        current = ""
        for token in _tokens(paragraph):
            candidate = current + token
            if _width(candidate.rstrip(), font_size) <= max_width:
                current = candidate
                continue
            if current:
                lines.append(current.rstrip())
            current = token
            while _width(current.rstrip(), font_size) > max_width and len(current.rstrip()) > 1:
                # a single word wider than the line: break it where it has to
                broke = True
                cut = len(current)
                while cut > 1 and _width(current[:cut], font_size) > max_width:
                    cut -= 1
                lines.append(current[:cut])
                current = current[cut:]
        if current.strip():
            lines.append(current.rstrip())
    return lines, broke


def _wrap(text: str, max_width: float, font_size: float, max_lines: int) -> tuple[list[str], bool]:
    """Lines of `text` within `max_width` (a newline forces a break), at most `max_lines`, the last one ending with an
    ellipsis when text was left out. Wrapped lines are balanced (no lone word or character on the last line).
    Returns (lines, truncated)."""
    text = _XML_INVALID.sub("", text)
    max_width = max(max_width, font_size * 2)
    lines, broke = _wrap_greedy(text, max_width, font_size)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _fit(lines[-1], max_width, font_size)
        return lines, True
    width = max_width
    while len(lines) > 1:
        width -= font_size / 2
        if width < font_size * 2:
            break
        trial, trial_broke = _wrap_greedy(text, width, font_size)
        if len(trial) != len(lines) or (trial_broke and not broke):
            break
        lines = trial
    return lines, False


def _text_block(
    lines: Sequence[str],
    *,
    x: float,
    top: float,
    font_size: float,
    anchor: str = "start",
    css: str = "chart-label",
    fill: str = INK,
    full: str | None = None,
    weight: str | None = None,
    halo: bool = False,
) -> str:
    """Lines of text, the first line's box starting at `top`; `full` (the untruncated text) goes into a <title>."""
    if not lines:
        return ""
    line_height = font_size * 1.2
    attrs = _attrs(
        class_=css,
        x=x,
        font_size=font_size if font_size != 12 else None,
        text_anchor=anchor if anchor != "start" else None,
        fill=fill,
        font_weight=weight,
    )
    if halo:
        attrs += _attrs(stroke=WHITE, stroke_width=3, stroke_linejoin="round", paint_order="stroke")
    spans = "".join(
        f"<tspan{_attrs(x=x, y=top + i * line_height + line_height / 2 + font_size * 0.35)}>{_esc(line)}</tspan>"
        for i, line in enumerate(lines)
    )
    text = f"<text{attrs}>{spans}</text>"
    if full is not None:
        return f"<g><title>{_esc(' '.join(full.split()))}</title>{text}</g>"
    return text


# --------------------------------------------------------------------------------------------------------------------
# Values


def _value(value: float | None) -> float | None:
    """A percent clamped to 0..100, or None for no data (None or NaN)."""
    if value is None:
        return None
    number = float(value)
    if math.isnan(number):
        return None
    return min(100.0, max(0.0, number))


def _percent(value: float) -> int:
    """The percent as people read it: rounded half up."""
    return int(math.floor(value + 0.5))


def _band(percent: int) -> int:
    """0: below 25 %, 1: 25 to below 50, 2: 50 to below 75, 3: 75 and more."""
    return min(3, max(0, percent // 25))


def _series_style(css: str) -> tuple[str, str | None]:
    for name in css.split():
        if name in SERIES_STYLES:
            return SERIES_STYLES[name]
    return SERIES_STYLES["series-1"]


def _legend(
    items: Sequence[tuple[str, str, str]],
    *,
    width: float,
    top: float,
    centre: bool,
    font_size: float = 12,
    left: float = PAD,
) -> tuple[list[str], float]:
    """Legend items (kind, css class, label) flowed over lines; kind is "line", "hollow" or "swatch".
    Returns the markup and the y below the legend."""
    line_height = 22.0
    max_label = min(280.0, width - 2 * PAD - 30)
    laid: list[tuple[str, str, str, str | None, float]] = []
    for kind, css, label in items:
        lines, truncated = _wrap(label, max_label, font_size, 1)
        text = lines[0] if lines else ""
        marker = 30.0 if kind == "line" else 18.0
        laid.append((kind, css, text, label if truncated else None, marker + _width(text, font_size) + 18))
    rows: list[list[tuple[str, str, str, str | None, float]]] = [[]]
    used = 0.0
    for item in laid:
        if rows[-1] and used + item[4] > width - 2 * left:
            rows.append([])
            used = 0.0
        rows[-1].append(item)
        used += item[4]
    parts = ['<g class="chart-legend">']
    y = top
    for row in rows:
        row_width = sum(item[4] for item in row) - 18
        x = (width - row_width) / 2 if centre else left
        mid = y + line_height / 2
        for kind, css, text, full, item_width in row:
            parts.append("<g>")
            if full is not None:
                parts.append(f"<title>{_esc(full)}</title>")
            if kind == "line":
                colour, dashes = _series_style(css)
                parts.append(
                    f"<g{_attrs(class_=css, color=colour)}>"
                    f"<line{_attrs(class_='chart-legend-line', x1=x, y1=mid, x2=x + 24, y2=mid)}"
                    f' stroke="currentColor" stroke-width="2.5"{_attrs(stroke_dasharray=dashes)}/>'
                    f"<circle{_attrs(class_='chart-legend-point', cx=x + 12, cy=mid, r=3.5)}"
                    f' fill="currentColor" stroke="{WHITE}"/></g>'
                )
                text_x = x + 30
            elif kind == "hollow":
                parts.append(
                    f"<circle{_attrs(class_='chart-legend-point chart-legend-none', cx=x + 6, cy=mid, r=4.5)}"
                    f' fill="{WHITE}" stroke="{MUTED}" stroke-width="1.5"/>'
                )
                text_x = x + 18
            else:
                parts.append(
                    f"<rect{_attrs(class_=f'chart-swatch {css}', x=x, y=mid - 7, width=14, height=14, rx=2)}"
                    f' fill="{HEAT_FILLS.get(css, GRID)}" stroke="{GRID_STRONG}" stroke-width="0.5"/>'
                )
                text_x = x + 18
            parts.append(
                _text_block([text], x=text_x, top=mid - font_size * 0.6, font_size=font_size, css="chart-legend-label")
            )
            parts.append("</g>")
            x += item_width
        y += line_height
    parts.append("</g>")
    return parts, y


# --------------------------------------------------------------------------------------------------------------------
# Radar


def radar_svg(
    axes: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    id_prefix: str,
    no_data_label: str = "no data",
    size: int = 420,
) -> str:
    """Radar (spider) chart: one spoke per axis (3..20 axes), rings at 25/50/75/100 %, one polygon per series
    (None values drawn at the centre but marked: a hollow point with a <title> saying no_data_label), axis labels
    outside, a legend below. With fewer than 3 axes return a small SVG that just says no_data_label.

    The hollow "no data" point of a series sits on the centre, one per series (a ring slightly larger for each
    following series so they stay apart), its <title> naming the axes without data. An axis without data in every
    series has a muted label."""
    count = len(axes)
    if count < 3:
        return _empty_svg("radar", title=title, id_prefix=id_prefix, no_data_label=no_data_label)
    values = []
    for one in series:
        if len(one.values) != count:
            raise ValueError(f"Series {one.label!r} has {len(one.values)} values for {count} axes.")
        values.append([_value(v) for v in one.values])

    size = max(int(size), 240)
    radius = size / 2 - 20
    label_radius = radius + 12
    width = float(size + 220)
    cx = width / 2
    font_size = 12.0 if count <= 12 else 11.0
    line_height = font_size * 1.2
    angles = [2 * math.pi * i / count for i in range(count)]

    def at(angle: float, r: float, cy: float) -> tuple[float, float]:
        return cx + r * math.sin(angle), cy - r * math.cos(angle)

    # Axis labels, laid out around a centre at y=0 first; the chart is moved down once their extent is known.
    middle_cap = min(200.0, max(80.0, 2 * label_radius * math.sin(2 * math.pi / count) - 12))
    labels = []
    top_extent = min(at(a, radius, 0.0)[1] for a in angles)
    bottom_extent = max(at(a, radius, 0.0)[1] for a in angles)
    for axis, angle in zip(axes, angles, strict=True):
        sin, cos = math.sin(angle), math.cos(angle)
        x, y = at(angle, label_radius, 0.0)
        if abs(sin) < 0.12:
            anchor, room = "middle", min(middle_cap, 2 * min(x - PAD, width - PAD - x))
        elif sin > 0:
            anchor, room = "start", min(150.0, width - PAD - x)
        else:
            anchor, room = "end", min(150.0, x - PAD)
        max_lines = 3 if count <= 8 or abs(sin) > 0.6 else 2
        lines, truncated = _wrap(str(axis), room, font_size, max_lines)
        block = len(lines) * line_height
        top = y - block * (1 + cos) / 2
        top_extent = min(top_extent, top)
        bottom_extent = max(bottom_extent, top + block)
        labels.append((axis, lines, truncated, x, top, anchor))

    cy = PAD - top_extent
    parts: list[str] = []
    # grid: a soft disc, spokes, rings at 25 % steps (the outer one stronger)
    outer = [at(a, radius, cy) for a in angles]
    parts.append(
        f'<g class="chart-grid"><polygon{_attrs(class_="chart-plot", points=_points(outer))}'
        f' fill="{PLOT_BG}" stroke="none"/>'
    )
    for angle in angles:
        x, y = at(angle, radius, cy)
        parts.append(f'<line{_attrs(x1=cx, y1=cy, x2=x, y2=y)} stroke="{GRID}"/>')
    for step in (25, 50, 75, 100):
        ring = [at(a, radius * step / 100, cy) for a in angles]
        css = "chart-ring chart-ring-outer" if step == 100 else "chart-ring"
        parts.append(
            f'<polygon{_attrs(class_=css, points=_points(ring))} fill="none"'
            f' stroke="{GRID_STRONG if step == 100 else GRID}"/>'
        )
    parts.append("</g>")

    # series: the polygon, then its points (on top)
    legend_items: list[tuple[str, str, str]] = []
    any_missing = False
    for index, (one, vals) in enumerate(zip(series, values, strict=True)):
        css = _css_class(one.css_class)
        colour, dashes = _series_style(css)
        coords = [at(a, radius * (v or 0.0) / 100, cy) for a, v in zip(angles, vals, strict=True)]
        parts.append(f"<g{_attrs(class_=f'chart-series {css}', color=colour)}>")
        parts.append(
            f'<polygon{_attrs(class_="chart-area", points=_points(coords))} fill="currentColor"'
            f' fill-opacity="0.12" stroke="currentColor" stroke-width="2" stroke-linejoin="round"'
            f"{_attrs(stroke_dasharray=dashes)}/>"
        )
        missing = []
        for axis, (x, y), v in zip(axes, coords, vals, strict=True):
            if v is None:
                missing.append(str(axis))
                continue
            tip = f"{' '.join(str(axis).split())} / {one.label}: {_percent(v)} %"
            parts.append(
                f'<circle{_attrs(class_="chart-point", cx=x, cy=y, r=3.5)} fill="currentColor"'
                f' stroke="{WHITE}"><title>{_esc(tip)}</title></circle>'
            )
        if missing:
            any_missing = True
            tip = f"{one.label}: {no_data_label} \u2013 " + ", ".join(" ".join(m.split()) for m in missing)
            parts.append(
                f"<circle{_attrs(class_='chart-point-none', cx=cx, cy=cy, r=4.5 + 3 * index)}"
                f' fill="none" stroke="currentColor" stroke-width="1.5"><title>{_esc(tip)}</title></circle>'
            )
        parts.append("</g>")
        legend_items.append(("line", css, one.label))
    if any_missing:
        legend_items.append(("hollow", "", no_data_label))

    # ring values along the upper spoke, over the polygons
    for step in (25, 50, 75, 100):
        parts.append(
            _text_block(
                [f"{step} %"],
                x=cx + 4,
                top=cy - radius * step / 100 + 1,
                font_size=9.5,
                css="chart-tick",
                fill=MUTED,
                halo=True,
            )
        )

    for index, (axis, lines, truncated, x, top, anchor) in enumerate(labels):
        empty = bool(values) and all(vals[index] is None for vals in values)
        full = f"{axis}: {no_data_label}" if empty else (str(axis) if truncated else None)
        parts.append(
            _text_block(
                lines,
                x=x,
                top=top + cy,
                font_size=font_size,
                anchor=anchor,
                css="chart-label chart-label-muted" if empty else "chart-label",
                fill=MUTED if empty else INK,
                full=full,
            )
        )

    legend, bottom = _legend(legend_items, width=width, top=cy + bottom_extent + 14, centre=True)
    height = bottom + PAD if legend_items else cy + bottom_extent + PAD
    return "".join(
        _svg_open("radar", width, height, id_prefix, title) + parts + (legend if legend_items else []) + ["</svg>"]
    )


# --------------------------------------------------------------------------------------------------------------------
# Heat map


def heatmap_svg(
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[float | None]],
    *,
    title: str,
    id_prefix: str,
    no_data_label: str = "no data",
    row_header: str = "",
    legend_labels: Sequence[str] = ("0-25 %", "25-50 %", "50-75 %", "75-100 %"),
) -> str:
    """Heat map: a grid, rows x columns, each cell coloured by its percent in 4 bands (classes heat-0..heat-3, plus
    heat-none for None), the rounded percent printed in the cell ("–" for None) with enough contrast, a <title> per cell
    "row / column: 62 %". Row labels on the left (long ones wrapped/truncated), column labels on top. A legend of the
    4 bands + no data. rows may be 1..60, columns 1..12. values[i][j] is for rows[i], columns[j]."""
    if not rows or not columns:
        return _empty_svg("heatmap", title=title, id_prefix=id_prefix, no_data_label=no_data_label)
    if len(values) != len(rows) or any(len(line) != len(columns) for line in values):
        raise ValueError(f"The heat map needs {len(rows)} rows of {len(columns)} values.")
    if len(legend_labels) != 4:
        raise ValueError("The heat map legend needs 4 labels, one per band.")

    font_size = 12.0
    label_font = 12.0
    widest = max(_width(" ".join(str(r).split()), label_font) for r in rows)
    label_width = min(280.0, max(110.0, widest + 14))
    row_lines = [_wrap(str(r), label_width - 12, label_font, 2) for r in rows]
    row_height = 34.0 if any(len(lines) > 1 for lines, _ in row_lines) else 30.0
    column_font = 11.5
    bold = column_font * 1.08  # headers are bold, a little wider: measured as a larger regular font
    longest_word = max(_width(word, bold) for c in columns for word in str(c).split() or [""])
    cell_width = min(120.0, max(64.0, (680 - label_width) / len(columns), longest_word + 12))

    def header_lines(cell: float) -> int:
        return max(len(_wrap_greedy(str(c), cell - 10, bold)[0]) for c in columns)

    # widen the cells a little when that saves a line in the column headers
    fewest = header_lines(120.0)
    while cell_width < 120 and header_lines(cell_width) > fewest:
        cell_width = min(120.0, cell_width + 4)
    column_lines = [_wrap(str(c), cell_width - 10, bold, 3) for c in columns]
    header_height = max(len(lines) for lines, _ in column_lines) * column_font * 1.2 + 10
    grid_x = PAD + label_width
    grid_y = PAD + header_height
    grid_width = cell_width * len(columns)
    width = grid_x + grid_width + PAD

    parts: list[str] = []
    if row_header:
        lines, truncated = _wrap(row_header, label_width - 10, bold, 1)
        parts.append(
            _text_block(
                lines,
                x=PAD,
                top=grid_y - 6 - column_font * 1.2,
                font_size=column_font,
                css="chart-label chart-header",
                weight="600",
                full=row_header if truncated else None,
            )
        )
    for j, (lines, truncated) in enumerate(column_lines):
        top = grid_y - 6 - len(lines) * column_font * 1.2
        parts.append(
            _text_block(
                lines,
                x=grid_x + (j + 0.5) * cell_width,
                top=top,
                font_size=column_font,
                anchor="middle",
                css="chart-label chart-header",
                weight="600",
                full=str(columns[j]) if truncated else None,
            )
        )

    parts.append('<g class="chart-grid">')
    parts.append(
        f"<rect{_attrs(class_='chart-plot', x=grid_x, y=grid_y, width=grid_width, height=row_height * len(rows))}"
        f' fill="{WHITE}" stroke="{GRID}"/>'
    )
    for i in range(1, len(rows)):
        y = grid_y + i * row_height
        parts.append(f'<line{_attrs(x1=PAD, y1=y, x2=grid_x, y2=y)} stroke="{GRID}"/>')
    parts.append("</g>")

    for i, (row, (lines, truncated)) in enumerate(zip(rows, row_lines, strict=True)):
        y = grid_y + i * row_height
        block = len(lines) * label_font * 1.2
        parts.append(
            _text_block(
                lines,
                x=PAD,
                top=y + (row_height - block) / 2,
                font_size=label_font,
                full=str(row) if truncated else None,
            )
        )
        row_name = " ".join(str(row).split())
        for j, column in enumerate(columns):
            value = _value(values[i][j])
            if value is None:
                css, shown, tip_value = "heat-none", NO_VALUE, no_data_label
            else:
                percent = _percent(value)
                css, shown, tip_value = f"heat-{_band(percent)}", f"{percent} %", f"{percent} %"
            tip = f"{row_name} / {' '.join(str(column).split())}: {tip_value}"
            x = grid_x + j * cell_width
            text_css = {WHITE: "heat-text-light", INK: "heat-text-dark"}.get(HEAT_TEXT[css], "heat-text-muted")
            parts.append(
                f'<g class="chart-cell-group"><title>{_esc(tip)}</title>'
                f"<rect{_attrs(class_=f'chart-cell {css}', x=x + 1.5, y=y + 1.5, width=cell_width - 3)}"
                f'{_attrs(height=row_height - 3, rx=3)} fill="{HEAT_FILLS[css]}"/>'
                f"<text{_attrs(class_=f'chart-cell-text {text_css}', x=x + cell_width / 2)}"
                f"{_attrs(y=y + row_height / 2 + font_size * 0.35, text_anchor='middle')}"
                f' fill="{HEAT_TEXT[css]}" font-weight="600">{_esc(shown)}</text></g>'
            )

    legend_items = [("swatch", f"heat-{band}", label) for band, label in enumerate(legend_labels)]
    legend_items.append(("swatch", "heat-none", no_data_label))
    legend, bottom = _legend(legend_items, width=width, top=grid_y + row_height * len(rows) + 10, centre=False)
    # Natural size (shrinking on narrow screens): a table of few, short rows would otherwise be blown up to
    # the column's width, its text larger than the page's.
    svg = _svg_open("heatmap", width, bottom + PAD, id_prefix, title, fixed=True)
    return "".join(svg + parts + legend + ["</svg>"])


# --------------------------------------------------------------------------------------------------------------------
# Trend


def trend_svg(
    points: Sequence[tuple[str, float | None]],
    *,
    title: str,
    id_prefix: str,
    no_data_label: str = "no data",
    series_label: str = "",
) -> str:
    """Line chart of overall readiness (0..100 %) over assessments in order: x = the label of each point (e.g.
    "Baseline\\n2026-03-01"; a newline in a label means a second line), y axis 0..100 with grid at 25 % steps, points
    with value labels, None points skipped (line broken there). One point: draw the dot only. No points: a small SVG
    saying no_data_label. A point without data keeps its (muted) label on the x axis, with a <title> saying so."""
    if not points:
        return _empty_svg("trend", title=title, id_prefix=id_prefix, no_data_label=no_data_label)
    count = len(points)
    left, right, top = 52.0, 24.0, 28.0
    plot_height = 200.0
    width = max(640.0, left + right + count * 110)
    plot_width = width - left - right
    band = plot_width / count
    bottom_y = top + plot_height
    label_font = 11.5
    colour = SERIES_STYLES["series-1"][0]

    parts = ['<g class="chart-grid">']
    for step in (0, 25, 50, 75, 100):
        y = bottom_y - plot_height * step / 100
        css = "chart-axis" if step == 0 else "chart-gridline"
        parts.append(
            f"<line{_attrs(class_=css, x1=left, y1=y, x2=width - right, y2=y)}"
            f' stroke="{GRID_STRONG if step == 0 else GRID}"/>'
        )
        parts.append(
            _text_block(
                [f"{step} %"], x=left - 8, top=y - 6, font_size=10.5, anchor="end", css="chart-tick", fill=MUTED
            )
        )
    parts.append("</g>")

    xs = [left + (i + 0.5) * band for i in range(count)]
    vals = [_value(v) for _, v in points]
    deepest = 0
    for x, (label, _), value in zip(xs, points, vals, strict=True):
        lines, truncated = _wrap(str(label), band - 8, label_font, 3)
        deepest = max(deepest, len(lines))
        name = " ".join(str(label).split())
        if value is None:
            parts.append(
                _text_block(
                    lines,
                    x=x,
                    top=bottom_y + 6,
                    font_size=label_font,
                    anchor="middle",
                    css="chart-label chart-label-muted",
                    fill=MUTED,
                    full=f"{name}: {no_data_label}",
                )
            )
        else:
            parts.append(
                _text_block(
                    lines,
                    x=x,
                    top=bottom_y + 6,
                    font_size=label_font,
                    anchor="middle",
                    full=str(label) if truncated else None,
                )
            )

    # runs of consecutive points with data: an area and a line when a run has two points or more
    runs: list[list[tuple[float, float]]] = [[]]
    for x, value in zip(xs, vals, strict=True):
        if value is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append((x, bottom_y - plot_height * value / 100))
    parts.append(f"<g{_attrs(class_='chart-series series-1', color=colour)}>")
    for run in runs:
        if len(run) < 2:
            continue
        area = [(run[0][0], bottom_y), *run, (run[-1][0], bottom_y)]
        parts.append(
            f"<polygon{_attrs(class_='chart-area', points=_points(area))}"
            ' fill="currentColor" fill-opacity="0.08" stroke="none"/>'
        )
        parts.append(
            f'<polyline{_attrs(class_="chart-line", points=_points(run))} fill="none"'
            f' stroke="currentColor" stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"/>'
        )
    for x, (label, _), value in zip(xs, points, vals, strict=True):
        if value is None:
            continue
        y = bottom_y - plot_height * value / 100
        percent = _percent(value)
        tip = f"{' '.join(str(label).split())}: {percent} %"
        parts.append(
            f'<circle{_attrs(class_="chart-point", cx=x, cy=y, r=4.5)} fill="currentColor"'
            f' stroke="{WHITE}" stroke-width="1.5"><title>{_esc(tip)}</title></circle>'
        )
        parts.append(
            _text_block(
                [f"{percent} %"],
                x=x,
                top=y - 9 - 11 * 1.2,
                font_size=11,
                anchor="middle",
                css="chart-value",
                fill=INK,
                weight="600",
                halo=True,
            )
        )
    parts.append("</g>")

    below = bottom_y + 6 + deepest * label_font * 1.2 + 8
    if series_label:
        legend, below = _legend([("line", "series-1", series_label)], width=width, top=below, centre=False, left=left)
        parts += legend
    return "".join(_svg_open("trend", width, below + PAD, id_prefix, title) + parts + ["</svg>"])
