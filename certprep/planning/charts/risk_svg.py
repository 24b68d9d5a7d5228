"""The schedule risk charts as SVG drawn on the server (no database): the histogram of a target's finish dates
over the Monte Carlo iterations and its S-curve (the share of iterations finished by each day), with the
P50/P80/P95 dates and the booked audit dates marked.

The x axis is calendar days; dates are written by the caller's `format_date` (the page language's date
format). Every text is escaped; each chart is an image with a <title>, a <desc> and an aria-label saying
what it shows, so a screen reader gets the figures without the picture.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from certprep.gaps.charts.markup import FONT_FAMILY, GRID, GRID_STRONG, INK, MUTED, PLOT_BG, _attrs, _esc, _n

WIDTH, HEIGHT = 640.0, 316.0
LEFT, RIGHT, TOP, BOTTOM = 48.0, 16.0, 56.0, 48.0
BAR = "#1d4e89"
CURVE = "#1d4e89"
MARK_STYLES = {"percentile": ("#c8590a", "6 3"), "booked": ("#13866b", None)}
# Complete class names (CSS hooks, not words a reader sees) per chart and per marker kind.
CHART_CLASSES = {"histogram": "chart chart-risk chart-histogram", "s-curve": "chart chart-risk chart-s-curve"}
MARKER_CLASSES = {"percentile": "chart-marker chart-marker-percentile", "booked": "chart-marker chart-marker-booked"}


@dataclass(frozen=True)
class Marker:
    """A vertical line at a date: a percentile ("percentile") or a booked audit date ("booked")."""

    label: str
    day: date
    kind: str = "percentile"


@dataclass(frozen=True)
class Labels:
    """The chart's words, in the page's language."""

    title: str
    desc: str
    y_axis: str
    x_axis: str


@dataclass(frozen=True)
class _Scale:
    first: date
    days: int  # calendar days shown, first included

    def x(self, day: date) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * (day - self.first).days / self.days


def _scale(firsts: Sequence[date], lasts: Sequence[date], markers: Sequence[Marker]) -> _Scale:
    first = min([*firsts, *(m.day for m in markers)])
    last = max([*lasts, *(m.day for m in markers)])
    return _Scale(first, max(1, (last - first).days + 1))


def _open(labels: Labels, kind: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(WIDTH)} {_n(HEIGHT)}" width="100%"'
        f"{_attrs(class_=CHART_CLASSES[kind], role='img', aria_label=labels.title)}"
        f"{_attrs(font_family=FONT_FAMILY, font_size=12, fill=INK)}>",
        f"<title>{_esc(labels.title)}</title><desc>{_esc(labels.desc)}</desc>",
        f'<rect x="{_n(LEFT)}" y="{_n(TOP)}" width="{_n(WIDTH - LEFT - RIGHT)}" height="{_n(HEIGHT - TOP - BOTTOM)}"'
        f' fill="{PLOT_BG}"/>',
    ]


def _axes(scale: _Scale, labels: Labels, y_ticks: Sequence[tuple[float, str]], fmt: Callable[[date], str]) -> list[str]:
    bottom = HEIGHT - BOTTOM
    parts = ['<g class="chart-axes">']
    for y, text in y_ticks:
        parts.append(f'<line{_attrs(class_="chart-gridline", x1=LEFT, y1=y, x2=WIDTH - RIGHT, y2=y)} stroke="{GRID}"/>')
        parts.append(f"<text{_attrs(class_='chart-tick', x=LEFT - 6, y=y + 4, text_anchor='end', fill=MUTED)}>")
        parts.append(f"{_esc(text)}</text>")
    parts.append(f"<line{_attrs(class_='chart-axis', x1=LEFT, y1=bottom, x2=WIDTH - RIGHT, y2=bottom)}")
    parts.append(f' stroke="{GRID_STRONG}"/>')
    ticks = 4 if scale.days > 4 else scale.days
    for step in range(ticks + 1):
        day = scale.first + timedelta(days=round((scale.days - 1) * step / max(ticks, 1)))
        x = scale.x(day)
        anchor = "start" if step == 0 else "end" if step == ticks else "middle"
        parts.append(f'<line{_attrs(x1=x, y1=bottom, x2=x, y2=bottom + 4)} stroke="{GRID_STRONG}"/>')
        parts.append(f"<text{_attrs(class_='chart-tick', x=x, y=bottom + 16, text_anchor=anchor, fill=MUTED)}>")
        parts.append(f"{_esc(fmt(day))}</text>")
    parts.append(f"<text{_attrs(class_='chart-axis-label', x=LEFT + (WIDTH - LEFT - RIGHT) / 2, y=HEIGHT - 8)}")
    parts.append(f' text-anchor="middle" fill="{MUTED}">{_esc(labels.x_axis)}</text>')
    parts.append(f"<text{_attrs(class_='chart-axis-label', x=8, y=14, fill=MUTED)}>{_esc(labels.y_axis)}</text>")
    parts.append("</g>")
    return parts


def _markers(scale: _Scale, markers: Sequence[Marker], fmt: Callable[[date], str]) -> list[str]:
    """A dashed line per percentile and a solid one per booked date, labelled above the plot (in two rows that
    alternate, so that close dates do not write over each other)."""
    parts = ['<g class="chart-markers">']
    for number, marker in enumerate(sorted(markers, key=lambda m: (m.day, m.kind))):
        colour, dashes = MARK_STYLES.get(marker.kind, MARK_STYLES["percentile"])
        x = scale.x(marker.day) + 0.5 * (WIDTH - LEFT - RIGHT) / scale.days
        text = f"{marker.label} {fmt(marker.day)}"
        css = MARKER_CLASSES.get(marker.kind, MARKER_CLASSES["percentile"])
        parts.append(f"<g{_attrs(class_=css)}><title>{_esc(text)}</title>")
        row = TOP - 22 + 13 * (number % 2)
        parts.append(f"<line{_attrs(x1=x, y1=row + 3, x2=x, y2=HEIGHT - BOTTOM, stroke=colour, stroke_width=1.5)}")
        parts.append(f"{_attrs(stroke_dasharray=dashes)}/>")
        anchor = "end" if x > WIDTH / 2 else "start"
        shift = -3 if anchor == "end" else 3
        parts.append(f"<text{_attrs(x=x + shift, y=row, text_anchor=anchor, fill=colour)}")
        parts.append(f' font-size="11">{_esc(marker.label)}</text></g>')
    parts.append("</g>")
    return parts


def _empty(labels: Labels, kind: str, no_data: str) -> str:
    parts = _open(labels, kind)
    parts.append(f"<text{_attrs(x=WIDTH / 2, y=HEIGHT / 2, text_anchor='middle', fill=MUTED)}>{_esc(no_data)}</text>")
    return "".join([*parts, "</svg>"])


def histogram_svg(
    bins: Sequence[tuple[date, date, int]],
    markers: Sequence[Marker],
    *,
    labels: Labels,
    format_date: Callable[[date], str],
    no_data: str,
) -> str:
    """Bars of iterations per range of days (first day, last day, count)."""
    if not bins:
        return _empty(labels, "histogram", no_data)
    scale = _scale([b[0] for b in bins], [b[1] for b in bins], markers)
    top = max(count for _first, _last, count in bins) or 1
    height = HEIGHT - TOP - BOTTOM
    ticks = [(HEIGHT - BOTTOM - height * share, f"{round(top * share):,}") for share in (0, 0.5, 1)]
    parts = [*_open(labels, "histogram"), *_axes(scale, labels, ticks, format_date), '<g class="chart-bars">']
    for first, last, count in bins:
        x, end = scale.x(first), scale.x(last + timedelta(days=1))
        bar = height * count / top
        tip = f"{format_date(first)} – {format_date(last)}: {count:,}"
        parts.append(f"<rect{_attrs(x=x + 0.5, y=HEIGHT - BOTTOM - bar, width=max(end - x - 1, 1.0), height=bar)}")
        parts.append(f' fill="{BAR}"><title>{_esc(tip)}</title></rect>')
    parts.append("</g>")
    parts += _markers(scale, markers, format_date)
    return "".join([*parts, "</svg>"])


def s_curve_svg(
    curve: Sequence[tuple[date, float]],
    markers: Sequence[Marker],
    *,
    labels: Labels,
    format_date: Callable[[date], str],
    no_data: str,
) -> str:
    """The cumulative share of iterations finished by the end of each day (0 to 1), as a step line."""
    if not curve:
        return _empty(labels, "s-curve", no_data)
    scale = _scale([curve[0][0]], [curve[-1][0]], markers)
    height = HEIGHT - TOP - BOTTOM

    def y(share: float) -> float:
        return HEIGHT - BOTTOM - height * min(max(share, 0.0), 1.0)

    ticks = [(y(share), f"{round(share * 100)} %") for share in (0, 0.25, 0.5, 0.75, 1)]
    parts = [*_open(labels, "s-curve"), *_axes(scale, labels, ticks, format_date)]
    points, previous = [f"{_n(LEFT)},{_n(y(0))}"], 0.0
    for day, share in curve:
        x = scale.x(day + timedelta(days=1))
        points += [f"{_n(scale.x(day))},{_n(y(previous))}", f"{_n(x)},{_n(y(share))}"]
        previous = share
    points.append(f"{_n(WIDTH - RIGHT)},{_n(y(previous))}")
    parts.append(f'<polyline{_attrs(class_="chart-line", points=" ".join(points))} fill="none" stroke="{CURVE}"')
    parts.append(' stroke-width="2.5" stroke-linejoin="round"/>')
    for day, share in curve:
        tip = f"{format_date(day)}: {round(share * 100)} %"
        parts.append(f'<circle{_attrs(cx=scale.x(day + timedelta(days=1)), cy=y(share), r=2.5)} fill="{CURVE}">')
        parts.append(f"<title>{_esc(tip)}</title></circle>")
    parts += _markers(scale, markers, format_date)
    return "".join([*parts, "</svg>"])
