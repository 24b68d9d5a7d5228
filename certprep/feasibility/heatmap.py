"""The risk register's 5 x 5 heat map as SVG, written from plain data (no Django, no database).

Likelihood runs up the side (5 at the top), impact along the bottom (5 at the right). A cell's colour says its
level (the product of likelihood and impact: low below 8, medium below 15, high from 15) and its text says how
many risks sit in it, so the map reads without colour too; each cell's <title> names its likelihood, impact and
count, the whole map has a <title> and a <desc>. Every text is XML-escaped; colours are fill attributes (no
style attribute), so the page, Word and the PDF draw the same picture."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html import escape

SIZE = 5
CELL = 56
LEFT = 64
TOP = 12
BOTTOM = 48
WIDTH = LEFT + SIZE * CELL + 8
HEIGHT = TOP + SIZE * CELL + BOTTOM
HIGH, MEDIUM = 15, 8
FILLS = {"low": "#d1fadf", "medium": "#fef0c7", "high": "#fecdca"}
EDGE = {"low": "#039855", "medium": "#b54708", "high": "#b42318"}


def level(likelihood: int, impact: int) -> str:
    score = likelihood * impact
    if score >= HIGH:
        return "high"
    return "medium" if score >= MEDIUM else "low"


@dataclass(frozen=True)
class HeatWords:
    title: str
    desc: str
    likelihood: str  # the side axis' name
    impact: str  # the bottom axis' name
    cell: Callable[[int, int, int], str]  # (likelihood, impact, count) -> the cell's title


def heat_map_svg(counts: Mapping[tuple[int, int], int], words: HeatWords, *, ident: str = "risk-heat-map") -> str:
    """counts: (likelihood, impact) -> number of risks; cells without risks show no number."""
    for (likelihood, impact), count in counts.items():
        if not (1 <= likelihood <= SIZE and 1 <= impact <= SIZE) or count < 0:
            raise ValueError(f"no cell ({likelihood}, {impact}) with {count} risks")
    safe_id = escape(ident, quote=True)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="risk-heat-map" id="{safe_id}" role="img" '
        f'width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'aria-labelledby="{safe_id}-title {safe_id}-desc">'
        f'<title id="{safe_id}-title">{escape(words.title)}</title>'
        f'<desc id="{safe_id}-desc">{escape(words.desc)}</desc>'
    ]
    for likelihood in range(SIZE, 0, -1):
        y = TOP + (SIZE - likelihood) * CELL
        parts.append(
            f'<text class="tick" x="{LEFT - 10}" y="{y + CELL / 2 + 5:.0f}" text-anchor="end" '
            f'font-size="13" fill="#333">{likelihood}</text>'
        )
        for impact in range(1, SIZE + 1):
            x = LEFT + (impact - 1) * CELL
            band = level(likelihood, impact)
            count = counts.get((likelihood, impact), 0)
            title = escape(words.cell(likelihood, impact, count))
            parts.append(
                f'<g class="cell {band}" data-likelihood="{likelihood}" data-impact="{impact}" data-count="{count}">'
                f"<title>{title}</title>"
                f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="{FILLS[band]}" stroke="#fff" '
                f'stroke-width="2"/>'
            )
            if count:
                parts.append(
                    f'<circle cx="{x + CELL / 2:.0f}" cy="{y + CELL / 2:.0f}" r="15" fill="#fff" '
                    f'stroke="{EDGE[band]}" stroke-width="2"/>'
                    f'<text class="count" x="{x + CELL / 2:.0f}" y="{y + CELL / 2 + 5:.0f}" text-anchor="middle" '
                    f'font-size="14" font-weight="bold" fill="#1d2939">{count}</text>'
                )
            parts.append("</g>")
    base = TOP + SIZE * CELL
    for impact in range(1, SIZE + 1):
        middle = LEFT + (impact - 1) * CELL + CELL / 2
        parts.append(
            f'<text class="tick" x="{middle:.0f}" y="{base + 18}" text-anchor="middle" font-size="13" fill="#333">'
            f"{impact}</text>"
        )
    parts.append(
        f'<text class="axis-name" x="{LEFT + SIZE * CELL / 2:.0f}" y="{base + 40}" text-anchor="middle" '
        f'font-size="13" fill="#333">{escape(words.impact)}</text>'
        f'<text class="axis-name" x="16" y="{TOP + SIZE * CELL / 2:.0f}" text-anchor="middle" font-size="13" '
        f'fill="#333" transform="rotate(-90 16 {TOP + SIZE * CELL / 2:.0f})">{escape(words.likelihood)}</text>'
        "</svg>"
    )
    return "".join(parts)
