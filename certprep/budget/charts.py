"""The budget's three charts as SVG drawn on the server, over plain figures (pure: no database, no request):
cost by category and year (stacked bars), cumulative cash out over the cycle, and cash out against internal effort.

Every text is XML-escaped here; no style attribute (colours come from classes in budget.css, with fill attributes as
a fallback); role="img" with a <title>; each bar carries its own <title> for the tooltip. Same input, same string."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from xml.sax.saxutils import escape

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 480, 300, 16, 84, 16
Formatter = Callable[[Decimal], str]
FILLS = ("#2f6f9f", "#d98b2b", "#5a9e5a", "#a05195", "#8c8c8c", "#c44e52")


def _scale(peak: Decimal) -> Decimal:
    return peak if peak > 0 else Decimal(1)


def _frame(chart_id: str, title: str, body: list[str]) -> str:
    t = escape(title)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="budget-chart" id="{escape(chart_id)}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%">'
        f'<title id="{escape(chart_id)}-title">{t}</title>' + "".join(body) + "</svg>"
    )


def _axis(labels: Sequence[str], step: float) -> list[str]:
    base = HEIGHT - BOTTOM
    parts = [f'<line class="axis" x1="{LEFT}" y1="{base}" x2="{WIDTH - 10}" y2="{base}" stroke="#666"/>']
    for i, label in enumerate(labels):
        x = LEFT + step * i + step / 2
        parts.append(f'<text class="tick" x="{x:.1f}" y="{base + 16}" text-anchor="middle">{escape(label)}</text>')
    return parts


def _legend(names: Sequence[str], prefix: str) -> list[str]:
    """Two columns of swatches with their names under the axis (full names: each column is half the chart)."""
    parts = []
    for n, name in enumerate(names):
        x, y = LEFT + (n % 2) * (WIDTH - LEFT) / 2, HEIGHT - BOTTOM + 34 + (n // 2) * 16
        fill = FILLS[n % len(FILLS)]
        parts.append(
            f'<rect class="swatch {prefix}{n}" x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10" fill="{fill}"/>'
            f'<text class="legend" x="{x + 14:.1f}" y="{y:.1f}">{escape(name[:34])}</text>'
        )
    return parts


def stacked_svg(
    chart_id: str,
    title: str,
    years: Sequence[str],
    series: Sequence[tuple[str, Sequence[Decimal]]],
    fmt: Formatter,
) -> str:
    """One bar per year, stacked by category; `fmt` writes an amount for the tooltips."""
    totals = [sum((values[i] for _n, values in series), Decimal(0)) for i in range(len(years))]
    peak, step = _scale(max(totals, default=Decimal(0))), (WIDTH - LEFT - 10) / max(len(years), 1)
    span = HEIGHT - BOTTOM - TOP
    body = _axis(years, step)
    for i in range(len(years)):
        y = float(HEIGHT - BOTTOM)
        for n, (name, values) in enumerate(series):
            if values[i] <= 0:
                continue
            h = float(values[i] / peak) * span
            y -= h
            tip = escape(f"{name}, {years[i]}: {fmt(values[i])}")
            body.append(
                f'<rect class="bar s{n}" x="{LEFT + step * i + step * 0.2:.1f}" y="{y:.1f}" width="{step * 0.6:.1f}" '
                f'height="{h:.1f}" fill="{FILLS[n % len(FILLS)]}"><title>{tip}</title></rect>'
            )
    return _frame(chart_id, title, body + _legend([name for name, _v in series], "s"))


def line_svg(chart_id: str, title: str, years: Sequence[str], values: Sequence[Decimal], fmt: Formatter) -> str:
    """Cumulative cash out: one point per year joined by a line."""
    peak, step = _scale(max(values, default=Decimal(0))), (WIDTH - LEFT - 10) / max(len(years), 1)
    span = HEIGHT - BOTTOM - TOP
    points = [(LEFT + step * i + step / 2, HEIGHT - BOTTOM - float(v / peak) * span) for i, v in enumerate(values)]
    body = _axis(years, step)
    body.append(
        '<polyline class="cumulative" fill="none" stroke="#2f6f9f" stroke-width="2" points="'
        + " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        + '"/>'
    )
    for (x, y), year, value in zip(points, years, values, strict=True):
        tip = escape(f"{year}: {fmt(value)}")
        body.append(
            f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#2f6f9f"><title>{tip}</title></circle>'
        )
    return _frame(chart_id, title, body)


def pair_svg(
    chart_id: str,
    title: str,
    years: Sequence[str],
    pairs: Sequence[tuple[str, Sequence[Decimal]]],
    fmt: Formatter,
) -> str:
    """Bars per year side by side: cash out and internal effort."""
    peak = _scale(max((v for _n, values in pairs for v in values), default=Decimal(0)))
    step, span = (WIDTH - LEFT - 10) / max(len(years), 1), HEIGHT - BOTTOM - TOP
    body = _axis(years, step)
    for i, year in enumerate(years):
        for n, (name, values) in enumerate(pairs):
            h = float(values[i] / peak) * span
            x = LEFT + step * i + step * (0.15 + 0.35 * n)
            tip = escape(f"{name}, {year}: {fmt(values[i])}")
            body.append(
                f'<rect class="bar p{n}" x="{x:.1f}" y="{HEIGHT - BOTTOM - h:.1f}" width="{step * 0.33:.1f}" '
                f'height="{h:.1f}" fill="{FILLS[n]}"><title>{tip}</title></rect>'
            )
    return _frame(chart_id, title, body + _legend([name for name, _v in pairs], "p"))
