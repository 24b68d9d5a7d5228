"""Markup, text measuring and legends shared by the charts (see the package docstring for the rules they keep)."""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

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
