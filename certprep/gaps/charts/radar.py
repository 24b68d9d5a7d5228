"""The radar (spider) chart of readiness by clause or by process."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from certprep.gaps.charts.markup import (
    GRID,
    GRID_STRONG,
    INK,
    MUTED,
    PAD,
    PLOT_BG,
    WHITE,
    Series,
    _attrs,
    _css_class,
    _empty_svg,
    _esc,
    _legend,
    _percent,
    _points,
    _series_style,
    _svg_open,
    _text_block,
    _value,
    _wrap,
)

STEPS = (25, 50, 75, 100)


@dataclass
class _Radar:
    """The geometry of one radar: spokes at `angles` around (cx, cy), the outer ring at `radius`."""

    count: int
    radius: float
    width: float
    font_size: float
    angles: list[float]
    cy: float = 0.0

    @property
    def cx(self) -> float:
        return self.width / 2

    def at(self, angle: float, r: float, cy: float | None = None) -> tuple[float, float]:
        return self.cx + r * math.sin(angle), (self.cy if cy is None else cy) - r * math.cos(angle)


Label = tuple[str, list[str], bool, float, float, str]  # axis, lines, truncated, x, top (from y=0), anchor


def _axis_labels(radar: _Radar, axes: Sequence[str]) -> tuple[list[Label], float, float]:
    """Axis labels laid out around a centre at y=0, with the top and bottom extent of the chart."""
    label_radius = radar.radius + 12
    line_height = radar.font_size * 1.2
    middle_cap = min(200.0, max(80.0, 2 * label_radius * math.sin(2 * math.pi / radar.count) - 12))
    labels = []
    top_extent = min(radar.at(a, radar.radius, 0.0)[1] for a in radar.angles)
    bottom_extent = max(radar.at(a, radar.radius, 0.0)[1] for a in radar.angles)
    for axis, angle in zip(axes, radar.angles, strict=True):
        sin, cos = math.sin(angle), math.cos(angle)
        x, y = radar.at(angle, label_radius, 0.0)
        if abs(sin) < 0.12:
            anchor, room = "middle", min(middle_cap, 2 * min(x - PAD, radar.width - PAD - x))
        elif sin > 0:
            anchor, room = "start", min(150.0, radar.width - PAD - x)
        else:
            anchor, room = "end", min(150.0, x - PAD)
        max_lines = 3 if radar.count <= 8 or abs(sin) > 0.6 else 2
        lines, truncated = _wrap(str(axis), room, radar.font_size, max_lines)
        block = len(lines) * line_height
        top = y - block * (1 + cos) / 2
        top_extent = min(top_extent, top)
        bottom_extent = max(bottom_extent, top + block)
        labels.append((axis, lines, truncated, x, top, anchor))
    return labels, top_extent, bottom_extent


def _grid(radar: _Radar) -> list[str]:
    """A soft disc, spokes, rings at 25 % steps (the outer one stronger)."""
    cx, cy = radar.cx, radar.cy
    outer = [radar.at(a, radar.radius) for a in radar.angles]
    parts = [
        f'<g class="chart-grid"><polygon{_attrs(class_="chart-plot", points=_points(outer))}'
        f' fill="{PLOT_BG}" stroke="none"/>'
    ]
    for angle in radar.angles:
        x, y = radar.at(angle, radar.radius)
        parts.append(f'<line{_attrs(x1=cx, y1=cy, x2=x, y2=y)} stroke="{GRID}"/>')
    for step in STEPS:
        ring = [radar.at(a, radar.radius * step / 100) for a in radar.angles]
        css = "chart-ring chart-ring-outer" if step == 100 else "chart-ring"
        parts.append(
            f'<polygon{_attrs(class_=css, points=_points(ring))} fill="none"'
            f' stroke="{GRID_STRONG if step == 100 else GRID}"/>'
        )
    parts.append("</g>")
    return parts


def _series(
    radar: _Radar, axes: Sequence[str], one: Series, vals: list[float | None], index: int, no_data_label: str
) -> tuple[list[str], bool]:
    """One series: its polygon, then its points on top; the hollow "no data" point of the axes it lacks sits on
    the centre (a ring slightly larger for each following series). Returns the markup and whether it lacks any."""
    css = _css_class(one.css_class)
    colour, dashes = _series_style(css)
    coords = [radar.at(a, radar.radius * (v or 0.0) / 100) for a, v in zip(radar.angles, vals, strict=True)]
    parts = [
        f"<g{_attrs(class_=f'chart-series {css}', color=colour)}>",
        f'<polygon{_attrs(class_="chart-area", points=_points(coords))} fill="currentColor"'
        f' fill-opacity="0.12" stroke="currentColor" stroke-width="2" stroke-linejoin="round"'
        f"{_attrs(stroke_dasharray=dashes)}/>",
    ]
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
        tip = f"{one.label}: {no_data_label} \u2013 " + ", ".join(" ".join(m.split()) for m in missing)
        parts.append(
            f"<circle{_attrs(class_='chart-point-none', cx=radar.cx, cy=radar.cy, r=4.5 + 3 * index)}"
            f' fill="none" stroke="currentColor" stroke-width="1.5"><title>{_esc(tip)}</title></circle>'
        )
    parts.append("</g>")
    return parts, bool(missing)


def _labels(radar: _Radar, labels: list[Label], values: list[list[float | None]], no_data_label: str) -> list[str]:
    """Ring values along the upper spoke (over the polygons), then the axis labels; an axis without data in
    every series has a muted label."""
    parts = [
        _text_block(
            [f"{step} %"],
            x=radar.cx + 4,
            top=radar.cy - radar.radius * step / 100 + 1,
            font_size=9.5,
            css="chart-tick",
            fill=MUTED,
            halo=True,
        )
        for step in STEPS
    ]
    for index, (axis, lines, truncated, x, top, anchor) in enumerate(labels):
        empty = bool(values) and all(vals[index] is None for vals in values)
        full = f"{axis}: {no_data_label}" if empty else (str(axis) if truncated else None)
        parts.append(
            _text_block(
                lines,
                x=x,
                top=top + radar.cy,
                font_size=radar.font_size,
                anchor=anchor,
                css="chart-label chart-label-muted" if empty else "chart-label",
                fill=MUTED if empty else INK,
                full=full,
            )
        )
    return parts


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
    radar = _Radar(
        count=count,
        radius=size / 2 - 20,
        width=float(size + 220),
        font_size=12.0 if count <= 12 else 11.0,
        angles=[2 * math.pi * i / count for i in range(count)],
    )
    # The chart is moved down once the extent of the labels around it is known.
    labels, top_extent, bottom_extent = _axis_labels(radar, axes)
    radar.cy = PAD - top_extent
    parts = _grid(radar)
    legend_items: list[tuple[str, str, str]] = []
    any_missing = False
    for index, (one, vals) in enumerate(zip(series, values, strict=True)):
        drawn, missing = _series(radar, axes, one, vals, index, no_data_label)
        parts += drawn
        any_missing = any_missing or missing
        legend_items.append(("line", _css_class(one.css_class), one.label))
    if any_missing:
        legend_items.append(("hollow", "", no_data_label))
    parts += _labels(radar, labels, values, no_data_label)

    legend, bottom = _legend(legend_items, width=radar.width, top=radar.cy + bottom_extent + 14, centre=True)
    height = bottom + PAD if legend_items else radar.cy + bottom_extent + PAD
    return "".join(
        _svg_open("radar", radar.width, height, id_prefix, title)
        + parts
        + (legend if legend_items else [])
        + ["</svg>"]
    )
