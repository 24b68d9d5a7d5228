"""The heat map of readiness by clause or process and assessment."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from certprep.gaps.charts.markup import (
    GRID,
    HEAT_FILLS,
    HEAT_TEXT,
    INK,
    NO_VALUE,
    PAD,
    WHITE,
    _attrs,
    _band,
    _empty_svg,
    _esc,
    _legend,
    _percent,
    _svg_open,
    _text_block,
    _value,
    _width,
    _wrap,
    _wrap_greedy,
)

FONT_SIZE = 12.0
LABEL_FONT = 12.0
COLUMN_FONT = 11.5
BOLD = COLUMN_FONT * 1.08  # headers are bold, a little wider: measured as a larger regular font


@dataclass
class _Grid:
    """Where the grid sits: its row labels' width, each cell's size, its top-left corner."""

    label_width: float
    row_height: float
    cell_width: float
    row_lines: list[tuple[list[str], bool]]
    column_lines: list[tuple[list[str], bool]]
    grid_x: float
    grid_y: float

    @property
    def width(self) -> float:
        return self.grid_x + self.cell_width * len(self.column_lines) + PAD


def _layout(rows: Sequence[str], columns: Sequence[str]) -> _Grid:
    widest = max(_width(" ".join(str(r).split()), LABEL_FONT) for r in rows)
    label_width = min(280.0, max(110.0, widest + 14))
    row_lines = [_wrap(str(r), label_width - 12, LABEL_FONT, 2) for r in rows]
    row_height = 34.0 if any(len(lines) > 1 for lines, _ in row_lines) else 30.0
    longest_word = max(_width(word, BOLD) for c in columns for word in str(c).split() or [""])
    cell_width = min(120.0, max(64.0, (680 - label_width) / len(columns), longest_word + 12))

    def header_lines(cell: float) -> int:
        return max(len(_wrap_greedy(str(c), cell - 10, BOLD)[0]) for c in columns)

    # widen the cells a little when that saves a line in the column headers
    fewest = header_lines(120.0)
    while cell_width < 120 and header_lines(cell_width) > fewest:
        cell_width = min(120.0, cell_width + 4)
    column_lines = [_wrap(str(c), cell_width - 10, BOLD, 3) for c in columns]
    header_height = max(len(lines) for lines, _ in column_lines) * COLUMN_FONT * 1.2 + 10
    return _Grid(
        label_width=label_width,
        row_height=row_height,
        cell_width=cell_width,
        row_lines=row_lines,
        column_lines=column_lines,
        grid_x=PAD + label_width,
        grid_y=PAD + header_height,
    )


def _headers(grid: _Grid, columns: Sequence[str], row_header: str) -> list[str]:
    parts: list[str] = []
    if row_header:
        lines, truncated = _wrap(row_header, grid.label_width - 10, BOLD, 1)
        parts.append(
            _text_block(
                lines,
                x=PAD,
                top=grid.grid_y - 6 - COLUMN_FONT * 1.2,
                font_size=COLUMN_FONT,
                css="chart-label chart-header",
                weight="600",
                full=row_header if truncated else None,
            )
        )
    for j, (lines, truncated) in enumerate(grid.column_lines):
        parts.append(
            _text_block(
                lines,
                x=grid.grid_x + (j + 0.5) * grid.cell_width,
                top=grid.grid_y - 6 - len(lines) * COLUMN_FONT * 1.2,
                font_size=COLUMN_FONT,
                anchor="middle",
                css="chart-label chart-header",
                weight="600",
                full=str(columns[j]) if truncated else None,
            )
        )
    return parts


def _lines(grid: _Grid, rows: int) -> list[str]:
    width = grid.cell_width * len(grid.column_lines)
    parts = [
        '<g class="chart-grid">',
        f"<rect{_attrs(class_='chart-plot', x=grid.grid_x, y=grid.grid_y, width=width, height=grid.row_height * rows)}"
        f' fill="{WHITE}" stroke="{GRID}"/>',
    ]
    for i in range(1, rows):
        y = grid.grid_y + i * grid.row_height
        parts.append(f'<line{_attrs(x1=PAD, y1=y, x2=grid.grid_x, y2=y)} stroke="{GRID}"/>')
    parts.append("</g>")
    return parts


def _cell(grid: _Grid, x: float, y: float, tip_name: str, value: float | None, no_data_label: str) -> str:
    if value is None:
        css, shown, tip_value = "heat-none", NO_VALUE, no_data_label
    else:
        percent = _percent(value)
        css, shown, tip_value = f"heat-{_band(percent)}", f"{percent} %", f"{percent} %"
    text_css = {WHITE: "heat-text-light", INK: "heat-text-dark"}.get(HEAT_TEXT[css], "heat-text-muted")
    return (
        f'<g class="chart-cell-group"><title>{_esc(f"{tip_name}: {tip_value}")}</title>'
        f"<rect{_attrs(class_=f'chart-cell {css}', x=x + 1.5, y=y + 1.5, width=grid.cell_width - 3)}"
        f'{_attrs(height=grid.row_height - 3, rx=3)} fill="{HEAT_FILLS[css]}"/>'
        f"<text{_attrs(class_=f'chart-cell-text {text_css}', x=x + grid.cell_width / 2)}"
        f"{_attrs(y=y + grid.row_height / 2 + FONT_SIZE * 0.35, text_anchor='middle')}"
        f' fill="{HEAT_TEXT[css]}" font-weight="600">{_esc(shown)}</text></g>'
    )


def _rows(
    grid: _Grid,
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[float | None]],
    no_data_label: str,
) -> list[str]:
    parts: list[str] = []
    for i, (row, (lines, truncated)) in enumerate(zip(rows, grid.row_lines, strict=True)):
        y = grid.grid_y + i * grid.row_height
        block = len(lines) * LABEL_FONT * 1.2
        parts.append(
            _text_block(
                lines,
                x=PAD,
                top=y + (grid.row_height - block) / 2,
                font_size=LABEL_FONT,
                full=str(row) if truncated else None,
            )
        )
        row_name = " ".join(str(row).split())
        for j, column in enumerate(columns):
            tip_name = f"{row_name} / {' '.join(str(column).split())}"
            x = grid.grid_x + j * grid.cell_width
            parts.append(_cell(grid, x, y, tip_name, _value(values[i][j]), no_data_label))
    return parts


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
    grid = _layout(rows, columns)
    parts = _headers(grid, columns, row_header) + _lines(grid, len(rows))
    parts += _rows(grid, rows, columns, values, no_data_label)
    legend_items = [("swatch", f"heat-{band}", label) for band, label in enumerate(legend_labels)]
    legend_items.append(("swatch", "heat-none", no_data_label))
    top = grid.grid_y + grid.row_height * len(rows) + 10
    legend, bottom = _legend(legend_items, width=grid.width, top=top, centre=False)
    # Natural size (shrinking on narrow screens): a table of few, short rows would otherwise be blown up to
    # the column's width, its text larger than the page's.
    svg = _svg_open("heatmap", grid.width, bottom + PAD, id_prefix, title, fixed=True)
    return "".join(svg + parts + legend + ["</svg>"])
