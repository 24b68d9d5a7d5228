"""The budget's three charts as SVG drawn on the server, over plain figures (pure: no database, no request):
cost by category and year (stacked bars), cumulative cash out over the cycle, and cash out against internal effort.

Each chart has its title written on it, a value axis of 4 to 6 round amounts in the reporting currency (written
short by the caller's formatter: 120K, 12万), the years of the cycle under the bars and a legend. Every text is
XML-escaped here; no style attribute (colours come from classes in budget.css, with fill attributes as a
fallback); role="img" with a <title> and a <desc>; each bar or point carries its own <title> for the tooltip.
Same input, same string."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 480, 320
LEFT, RIGHT, TOP, BOTTOM = 72, 10, 40, 84  # the plot area's margins: value ticks left, title on top, years below
BASE, SPAN = HEIGHT - BOTTOM, HEIGHT - BOTTOM - TOP
Formatter = Callable[[Decimal], str]
FILLS = ("#2f6f9f", "#d98b2b", "#5a9e5a", "#a05195", "#8c8c8c", "#c44e52")
NICE = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5))
EMPTY_PEAK = Decimal(5)  # an empty budget still gets an axis: 0 to 5 in whole units


@dataclass(frozen=True)
class Chart:
    """What every chart is told: its id, title and description (what it shows, for screen readers), the names of
    the years of the cycle, and how amounts are written in full (tooltips) and short (the value axis)."""

    chart_id: str
    title: str
    desc: str
    years: Sequence[str]
    fmt: Formatter
    short: Formatter


def value_ticks(peak: Decimal) -> list[Decimal]:
    """Round amounts from 0 to at least `peak`, 4 to 6 of them: the smallest step of 1, 2, 2.5 or 5 times a power
    of ten that reaches `peak` in at most 5 steps (400 -> 0, 100, ... 400; 123,456 -> 0, 25,000, ... 125,000).
    The next smaller step would take more than 5, so at least 3 steps are needed: never fewer than 4 ticks."""
    peak = max(peak, EMPTY_PEAK)
    least = peak / 5
    power = least.adjusted()  # the power of ten of its first digit
    step = next(m.scaleb(k) for k in (power, power + 1) for m in NICE if m.scaleb(k) >= least)
    return [step * n for n in range(math.ceil(peak / step) + 1)]


def _height(value: Decimal, top: Decimal) -> float:
    return float(value / top) * SPAN


def _step(years: Sequence[str]) -> float:
    return (WIDTH - LEFT - RIGHT) / max(len(years), 1)


def _frame(chart: Chart, body: list[str]) -> str:
    ident = escape(chart.chart_id)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="budget-chart" id="{ident}" role="img" '
        f'aria-labelledby="{ident}-title" aria-describedby="{ident}-desc" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%"><title id="{ident}-title">{escape(chart.title)}</title>'
        f'<desc id="{ident}-desc">{escape(chart.desc)}</desc>'
        f'<text class="chart-title" x="{WIDTH / 2:.0f}" y="20" text-anchor="middle" aria-hidden="true">'
        f"{escape(chart.title)}</text>" + "".join(body) + "</svg>"
    )


def _axes(chart: Chart, ticks: Sequence[Decimal]) -> list[str]:
    """The value axis (a grid line and a short amount per tick) and the years under the plot area."""
    top, step = ticks[-1], _step(chart.years)
    parts = ['<g class="value-axis">']
    for value in ticks:
        y = BASE - _height(value, top)
        parts.append(
            f'<line class="grid" x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text class="tick value" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(chart.short(value))}</text>"
        )
    parts.append("</g>")
    parts.append(f'<line class="axis" x1="{LEFT}" y1="{BASE}" x2="{WIDTH - RIGHT}" y2="{BASE}" stroke="#666"/>')
    parts.append(f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{BASE}" stroke="#666"/>')
    parts.append('<g class="year-axis">')
    for i, label in enumerate(chart.years):
        x = LEFT + step * i + step / 2
        parts.append(f'<text class="tick year" x="{x:.1f}" y="{BASE + 16}" text-anchor="middle">{escape(label)}</text>')
    parts.append("</g>")
    return parts


def _legend(names: Sequence[str], prefix: str) -> list[str]:
    """Two columns of swatches with their names under the axis (full names: each column is half the chart)."""
    parts = ['<g class="chart-legend">']
    for n, name in enumerate(names):
        x, y = 16 + (n % 2) * (WIDTH - 16) / 2, BASE + 36 + (n // 2) * 16
        fill = FILLS[n % len(FILLS)]
        parts.append(
            f'<rect class="swatch {prefix}{n}" x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10" fill="{fill}"/>'
            f'<text class="legend" x="{x + 14:.1f}" y="{y:.1f}">{escape(name[:34])}</text>'
        )
    parts.append("</g>")
    return parts


def stacked_svg(chart: Chart, series: Sequence[tuple[str, Sequence[Decimal]]]) -> str:
    """One bar per year, stacked by category."""
    years = chart.years
    totals = [sum((values[i] for _n, values in series), Decimal(0)) for i in range(len(years))]
    ticks = value_ticks(max(totals, default=Decimal(0)))
    step, body = _step(years), _axes(chart, ticks)
    for i in range(len(years)):
        y = float(BASE)
        for n, (name, values) in enumerate(series):
            if values[i] <= 0:
                continue
            h = _height(values[i], ticks[-1])
            y -= h
            tip = escape(f"{name}, {years[i]}: {chart.fmt(values[i])}")
            body.append(
                f'<rect class="bar s{n}" x="{LEFT + step * i + step * 0.2:.1f}" y="{y:.1f}" width="{step * 0.6:.1f}" '
                f'height="{h:.1f}" fill="{FILLS[n % len(FILLS)]}"><title>{tip}</title></rect>'
            )
    return _frame(chart, body + _legend([name for name, _v in series], "s"))


def line_svg(chart: Chart, name: str, values: Sequence[Decimal]) -> str:
    """Cumulative cash out: one point per year joined by a line."""
    ticks = value_ticks(max(values, default=Decimal(0)))
    step = _step(chart.years)
    points = [(LEFT + step * i + step / 2, BASE - _height(v, ticks[-1])) for i, v in enumerate(values)]
    body = _axes(chart, ticks)
    body.append(
        '<polyline class="cumulative" fill="none" stroke="#2f6f9f" stroke-width="2" points="'
        + " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        + '"/>'
    )
    for (x, y), year, value in zip(points, chart.years, values, strict=True):
        tip = escape(f"{year}: {chart.fmt(value)}")
        body.append(
            f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#2f6f9f"><title>{tip}</title></circle>'
        )
    return _frame(chart, body + _legend([name], "s"))


def pair_svg(chart: Chart, pairs: Sequence[tuple[str, Sequence[Decimal]]]) -> str:
    """Bars per year side by side: cash out and internal effort."""
    ticks = value_ticks(max((v for _n, values in pairs for v in values), default=Decimal(0)))
    step, body = _step(chart.years), _axes(chart, ticks)
    for i, year in enumerate(chart.years):
        for n, (name, values) in enumerate(pairs):
            h = _height(values[i], ticks[-1])
            x = LEFT + step * i + step * (0.15 + 0.35 * n)
            tip = escape(f"{name}, {year}: {chart.fmt(values[i])}")
            body.append(
                f'<rect class="bar p{n}" x="{x:.1f}" y="{BASE - h:.1f}" width="{step * 0.33:.1f}" '
                f'height="{h:.1f}" fill="{FILLS[n]}"><title>{tip}</title></rect>'
            )
    return _frame(chart, body + _legend([name for name, _v in pairs], "p"))
