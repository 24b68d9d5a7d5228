"""The line chart of overall readiness over the assessments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from certprep.gaps.charts.markup import (
    GRID,
    GRID_STRONG,
    INK,
    MUTED,
    PAD,
    SERIES_STYLES,
    WHITE,
    _attrs,
    _empty_svg,
    _esc,
    _legend,
    _percent,
    _points,
    _svg_open,
    _text_block,
    _value,
    _wrap,
)

LEFT, RIGHT, TOP = 52.0, 24.0, 28.0
PLOT_HEIGHT = 200.0
LABEL_FONT = 11.5


@dataclass(frozen=True)
class _Plot:
    width: float
    band: float  # the width each point has on the x axis

    @property
    def bottom_y(self) -> float:
        return TOP + PLOT_HEIGHT

    def y(self, value: float) -> float:
        return self.bottom_y - PLOT_HEIGHT * value / 100


def _grid(plot: _Plot) -> list[str]:
    parts = ['<g class="chart-grid">']
    for step in (0, 25, 50, 75, 100):
        y = plot.y(step)
        css = "chart-axis" if step == 0 else "chart-gridline"
        parts.append(
            f"<line{_attrs(class_=css, x1=LEFT, y1=y, x2=plot.width - RIGHT, y2=y)}"
            f' stroke="{GRID_STRONG if step == 0 else GRID}"/>'
        )
        parts.append(
            _text_block(
                [f"{step} %"], x=LEFT - 8, top=y - 6, font_size=10.5, anchor="end", css="chart-tick", fill=MUTED
            )
        )
    parts.append("</g>")
    return parts


def _axis_labels(
    plot: _Plot, xs: list[float], points: Sequence[tuple[str, float | None]], vals: list[float | None], no_data: str
) -> tuple[list[str], int]:
    """The label of each point under the x axis (muted, with a <title> saying so, for a point without data),
    and the number of lines of the deepest."""
    parts = []
    deepest = 0
    for x, (label, _), value in zip(xs, points, vals, strict=True):
        lines, truncated = _wrap(str(label), plot.band - 8, LABEL_FONT, 3)
        deepest = max(deepest, len(lines))
        name = " ".join(str(label).split())
        if value is None:
            parts.append(
                _text_block(
                    lines,
                    x=x,
                    top=plot.bottom_y + 6,
                    font_size=LABEL_FONT,
                    anchor="middle",
                    css="chart-label chart-label-muted",
                    fill=MUTED,
                    full=f"{name}: {no_data}",
                )
            )
        else:
            parts.append(
                _text_block(
                    lines,
                    x=x,
                    top=plot.bottom_y + 6,
                    font_size=LABEL_FONT,
                    anchor="middle",
                    full=str(label) if truncated else None,
                )
            )
    return parts, deepest


def _line(plot: _Plot, xs: list[float], vals: list[float | None]) -> list[str]:
    """Runs of consecutive points with data: an area and a line when a run has two points or more."""
    runs: list[list[tuple[float, float]]] = [[]]
    for x, value in zip(xs, vals, strict=True):
        if value is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append((x, plot.y(value)))
    parts = []
    for run in runs:
        if len(run) < 2:
            continue
        area = [(run[0][0], plot.bottom_y), *run, (run[-1][0], plot.bottom_y)]
        parts.append(
            f"<polygon{_attrs(class_='chart-area', points=_points(area))}"
            ' fill="currentColor" fill-opacity="0.08" stroke="none"/>'
        )
        parts.append(
            f'<polyline{_attrs(class_="chart-line", points=_points(run))} fill="none"'
            f' stroke="currentColor" stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"/>'
        )
    return parts


def _dots(
    plot: _Plot, xs: list[float], points: Sequence[tuple[str, float | None]], vals: list[float | None]
) -> list[str]:
    """A dot with its value above it for each point with data."""
    parts = []
    for x, (label, _), value in zip(xs, points, vals, strict=True):
        if value is None:
            continue
        y = plot.y(value)
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
    return parts


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
    width = max(640.0, LEFT + RIGHT + count * 110)
    plot = _Plot(width=width, band=(width - LEFT - RIGHT) / count)
    xs = [LEFT + (i + 0.5) * plot.band for i in range(count)]
    vals = [_value(v) for _, v in points]
    labels, deepest = _axis_labels(plot, xs, points, vals, no_data_label)
    colour = SERIES_STYLES["series-1"][0]
    parts = [
        *_grid(plot),
        *labels,
        f"<g{_attrs(class_='chart-series series-1', color=colour)}>",
        *_line(plot, xs, vals),
        *_dots(plot, xs, points, vals),
        "</g>",
    ]
    below = plot.bottom_y + 6 + deepest * LABEL_FONT * 1.2 + 8
    if series_label:
        legend, below = _legend([("line", "series-1", series_label)], width=width, top=below, centre=False, left=LEFT)
        parts += legend
    return "".join(_svg_open("trend", width, below + PAD, id_prefix, title) + parts + ["</svg>"])
