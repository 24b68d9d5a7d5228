"""The resources page's heat map (SVG) and hours table, written as markup from plain data (no database).

A plan of 1,500 tasks spans hundreds of weeks: twenty people make tens of thousands of cells, which the template
language would take seconds to write. Written here, each cell is one escaped string. Bands are told apart by
colour and by text: the table shows the hours with the per cent in its title, the heat map names the person,
week and per cent in each square's <title>, and an over-allocated week is also hatched and marked "!"."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

SQUARE = 18  # one week of one person, in SVG units
LABEL_WIDTH = 160  # the people's names left of the squares
NAME_CHARS = 24


@dataclass(frozen=True)
class HeatCell:
    """One person's week as drawn: its band (none, low, mid, high, over), hours and per cent (None: no load)."""

    band: str
    hours: float | None = None
    percent: int | None = None


@dataclass(frozen=True)
class HeatRow:
    person_id: int
    name: str
    total_hours: float
    cells: Sequence[HeatCell]


@dataclass(frozen=True)
class HeatWords:
    title: str  # the SVG's accessible name
    over: str  # the "!" marker's title, "over-allocated"
    week_day: Callable[[datetime.date], str]  # a week's Monday as a page date
    column_day: Callable[[datetime.date], str]  # a week's Monday as a short column header


def _short(name: str) -> str:
    return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1] + "…"


def heatmap_svg(rows: Sequence[HeatRow], weeks: Sequence[datetime.date], words: HeatWords) -> str:
    width = LABEL_WIDTH + len(weeks) * SQUARE
    height = len(rows) * SQUARE
    days = [escape(words.week_day(week)) for week in weeks]
    parts = [
        f'<svg class="heat" id="heat-map" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="heat-svg-title"><title id="heat-svg-title">{escape(words.title)}</title>'
        '<defs><pattern id="over-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fde2e1"/>'
        '<rect width="2" height="6" fill="#b42318"/></pattern></defs>'
    ]
    for number, row in enumerate(rows):
        y = number * SQUARE
        name = escape(row.name)
        parts.append(f'<text x="0" y="{y}" dy="13">{escape(_short(row.name))}</text>')
        for column, cell in enumerate(row.cells):
            x = LABEL_WIDTH + column * SQUARE
            label = f"{name}, {days[column]}" + ("" if cell.percent is None else f": {cell.percent} %")
            parts.append(
                f'<rect x="{x}" y="{y}" width="{SQUARE}" height="{SQUARE}" class="band-{cell.band}" '
                f'data-band="{cell.band}"><title>{label}</title></rect>'
            )
            if cell.band == "over":
                parts.append(f'<text x="{x}" y="{y}" dx="6" dy="13" font-weight="700">!</text>')
    parts.append("</svg>")
    return "".join(parts)


def load_table_head(weeks: Sequence[datetime.date], words: HeatWords) -> str:
    return "".join(
        f'<th scope="col" class="week"><time datetime="{week.isoformat()}">{escape(words.column_day(week))}</time></th>'
        for week in weeks
    )


def load_table_rows(rows: Sequence[HeatRow], words: HeatWords) -> str:
    over = escape(words.over)
    parts = []
    for row in rows:
        parts.append(
            f'<tr id="person-{row.person_id}"><th scope="row"><bdi>{escape(row.name)}</bdi></th>'
            f"<td>{row.total_hours}</td>"
        )
        for cell in row.cells:
            if cell.hours is None:
                parts.append(f'<td class="band-{cell.band}"><span class="muted">·</span></td>')
                continue
            mark = f' <abbr title="{over}">!</abbr>' if cell.band == "over" else ""
            parts.append(f'<td class="band-{cell.band}"><span title="{cell.percent} %">{cell.hours}{mark}</span></td>')
        parts.append("</tr>")
    return "".join(parts)
