"""The Gantt chart as SVG markup, from the layout certprep.planning.charts.gantt computes.

Three pieces of one drawing: the names column (WBS and task, a fold/unfold link on summary tasks when the page
gives one), the timeline (header, bars, baselines, progress, milestones, links) and both side by side for reports.
The page puts the names column beside the timeline, which scrolls sideways on its own, so the names stay.

As the gap analysis's charts: every text escaped here, no `style` attribute or <style> (the page's Content Security
Policy forbids them; colours are presentation attributes that certprep/planning/static/planning/gantt.css may
override by class), the same input always gives the same string. A task's bar is a link (focusable, named with its
dates) only when the page says the reader may edit it; its data-* attributes are what the page's script sends back.
"""

from __future__ import annotations

from collections.abc import Callable

from certprep.gaps.charts.markup import FONT_FAMILY, _attrs, _esc, _fit, _n, _width
from certprep.planning.charts.gantt import (
    HEADER_HEIGHT,
    NAMES_WIDTH,
    ROW_HEIGHT,
    GanttChart,
    GanttRow,
    Layout,
    Placed,
    Route,
    Zoom,
    layout,
    periods,
)

INK = "#1c2430"
MUTED = "#5d6b7c"
GRID = "#e3e8ee"
GRID_STRONG = "#9aa8b8"
TASK = "#3b6fb6"
TASK_DONE = "#1d3f73"
CRITICAL = "#c0392b"
CRITICAL_DONE = "#7b1f16"
SUMMARY = "#2d3748"
BASELINE = "#8c96a3"
FONT = 12.0
INDENT = 14.0

# Complete class names (CSS hooks, not words a reader sees) per link type and per zoom.
LINK_CLASSES = {
    "FS": "gantt-link link-FS",
    "SS": "gantt-link link-SS",
    "FF": "gantt-link link-FF",
    "SF": "gantt-link link-SF",
}
TIMELINE_CLASSES = {
    Zoom.DAY: "gantt-timeline-svg zoom-day",
    Zoom.WEEK: "gantt-timeline-svg zoom-week",
    Zoom.MONTH: "gantt-timeline-svg zoom-month",
}

BarHref = Callable[[GanttRow], str]
ToggleHref = Callable[[GanttRow, bool], str]


def _open(width: float, height: float, css: str, title: str, ident: str, *, role: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg"{_attrs(class_=css)} viewBox="0 0 {_n(width)} {_n(height)}"'
        f' width="{_n(width)}" height="{_n(height)}"'
        f"{_attrs(role=role, aria_labelledby=f'{ident}-title', font_family=FONT_FAMILY, font_size=FONT, fill=INK)}>"
        f'<title id="{_esc(ident)}-title">{_esc(title)}</title>'
    )


def _text(text: str, x: float, y: float, css: str, **extra: object) -> str:
    return f"<text{_attrs(class_=css, x=x, y=y, **extra)}>{_esc(text)}</text>"


def _stripes(lay: Layout, width: float, ident: str) -> list[str]:
    """Every other row shaded: one rectangle filled with a two-row pattern, however many rows."""
    pattern = f"{_esc(ident)}-stripes"
    return [
        f'<defs><pattern id="{pattern}" width="{_n(width)}" height="{_n(2 * ROW_HEIGHT)}"'
        f' patternUnits="userSpaceOnUse" y="{_n(HEADER_HEIGHT)}">'
        f'<rect x="0" y="{_n(ROW_HEIGHT)}" width="{_n(width)}" height="{_n(ROW_HEIGHT)}" fill="#f7f9fc"/>'
        "</pattern></defs>",
        f'<rect class="gantt-stripes" x="0" y="{_n(HEADER_HEIGHT)}" width="{_n(width)}"'
        f' height="{_n(lay.height - HEADER_HEIGHT)}" fill="url(#{pattern})"/>',
    ]


def names_svg(
    chart: GanttChart, *, toggle_href: ToggleHref | None = None, ident: str = "gantt-names", lay: Layout | None = None
) -> str:
    """The names column: WBS and task name, indented by outline level; summary tasks in bold with a link that folds
    or unfolds them when `toggle_href` is given."""
    lay, labels = lay or layout(chart), chart.labels
    parts = [_open(NAMES_WIDTH, lay.height, "gantt-names-svg", labels.title, ident, role="group")]
    parts += _stripes(lay, NAMES_WIDTH, ident)
    parts.append(_text(labels.wbs, 8, HEADER_HEIGHT - 10, "gantt-head", font_weight="600"))
    parts.append(_text(labels.task, 58, HEADER_HEIGHT - 10, "gantt-head", font_weight="600"))
    parts.append(f'<line x1="0" y1="{_n(HEADER_HEIGHT)}" x2="{_n(NAMES_WIDTH)}" y2="{_n(HEADER_HEIGHT)}"')
    parts.append(f' stroke="{GRID_STRONG}"/>')
    for item in lay.placed:
        row = item.row
        y = _n(item.middle + FONT * 0.35)
        parts.append(f'<g class="gantt-name{" summary" if row.summary else ""}" data-task="{row.key}">')
        parts.append(f'<text class="gantt-wbs" x="8" y="{y}" fill="{MUTED}" font-size="11">{_esc(row.wbs)}</text>')
        left = 58 + INDENT * max(row.level - 1, 0)
        if row.summary and toggle_href is not None:
            folded = row.key in chart.collapsed
            label = (labels.expand if folded else labels.collapse) % {"name": row.name}
            parts.append(
                f'<a href="{_esc(toggle_href(row, folded))}" class="gantt-toggle" aria-label="{_esc(label)}">'
                f'<rect x="{_n(left - 2)}" y="{_n(item.top + 4)}" width="18" height="{_n(ROW_HEIGHT - 8)}"'
                f' fill="transparent"/><text class="gantt-toggle-mark" x="{_n(left + 2)}" y="{y}" fill="{MUTED}">'
                f"{'▸' if folded else '▾'}</text></a>"
            )
        if row.summary:
            left += 16
        room = NAMES_WIDTH - left - 6
        room = room / 1.12 if row.summary else room  # bold text runs wider than the estimate
        name = row.name if _width(row.name, FONT) <= room else _fit(row.name, room, FONT)
        weight = ' font-weight="600"' if row.summary else ""
        parts.append(f"<title>{_esc(row.wbs)} {_esc(row.name)}</title>")
        parts.append(f'<text class="gantt-task-name" x="{_n(left)}" y="{y}"{weight}>{_esc(name)}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def _header(chart: GanttChart, lay: Layout) -> list[str]:
    labels = chart.labels
    large, small = periods(lay.scale, chart.zoom)
    big_label = labels.year if chart.zoom == "month" else labels.month
    parts = ['<g class="gantt-header">']
    for day, x, width in large:
        parts.append(f'<line{_attrs(x1=x, y1=0, x2=x, y2=lay.height)} stroke="{GRID_STRONG}"/>')
        if width >= 30:
            parts.append(_text(big_label(day), x + 4, 15, "gantt-period", font_weight="600"))
    for day, x, width in small:
        parts.append(f'<line{_attrs(x1=x, y1=22, x2=x, y2=lay.height)} stroke="{GRID}"/>')
        if chart.zoom == "month":
            text = labels.short_month(day)
            text = text if _width(text, 10.5) <= width - 4 else (f"{day.month:02d}" if width >= 16 else "")
        else:
            text = str(day.day)
        if text:
            parts.append(_text(text, x + 3, 37, "gantt-tick", fill=MUTED, font_size=10.5))
    parts.append(f"<line{_attrs(x1=0, y1=HEADER_HEIGHT, x2=lay.scale.width, y2=HEADER_HEIGHT)}")
    parts.append(f' stroke="{GRID_STRONG}"/>')
    parts.append("</g>")
    return parts


def _bar_title(chart: GanttChart, row: GanttRow) -> str:
    labels = chart.labels
    lines = [row.name]
    if row.start and row.finish:
        lines.append(labels.dates % {"start": labels.date(row.start), "finish": labels.date(row.finish)})
    if not row.milestone:
        lines.append(labels.done % {"n": row.percent_complete})
    if row.baseline_start and row.baseline_finish:
        dates = {"start": labels.date(row.baseline_start), "finish": labels.date(row.baseline_finish)}
        lines.append(labels.baseline % dates)
    if row.critical:
        lines.append(labels.critical)
    return "\n".join(lines)


def _rect(css: str, x: float, y: float, width: float, height: float, fill: str, extra: str = "") -> str:
    """A rectangle written directly (the chart draws thousands: no generic attribute helper on this path)."""
    return (
        f'<rect class="{css}" x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="{_n(height)}"{extra} fill="{fill}"/>'
    )


def _shape(item: Placed) -> list[str]:
    row, x0, x1 = item.row, item.x0 or 0.0, item.x1 or 0.0
    top = item.top
    colour = CRITICAL if row.critical else TASK
    if row.milestone:
        cx, cy, r = x0 + (x1 - x0) / 2, top + 12, 7.0
        points = f"{_n(cx)},{_n(cy - r)} {_n(cx + r)},{_n(cy)} {_n(cx)},{_n(cy + r)} {_n(cx - r)},{_n(cy)}"
        return [f'<polygon class="gantt-diamond" points="{points}" fill="{colour}"/>']
    if row.summary:
        y, h = top + 8, 7.0
        return [
            _rect("gantt-summary-bar", x0, y, x1 - x0, h, SUMMARY),
            f'<polygon points="{_n(x0)},{_n(y + h)} {_n(x0 + 5)},{_n(y + h)} {_n(x0)},{_n(y + h + 5)}"'
            f' fill="{SUMMARY}"/>',
            f'<polygon points="{_n(x1)},{_n(y + h)} {_n(x1 - 5)},{_n(y + h)} {_n(x1)},{_n(y + h + 5)}"'
            f' fill="{SUMMARY}"/>',
        ]
    parts = [_rect("gantt-bar-body", x0, top + 5, x1 - x0, 14, colour, ' rx="2"')]
    done = (x1 - x0) * max(0, min(row.percent_complete, 100)) / 100
    if done:
        parts.append(_rect("gantt-progress", x0, top + 9.5, done, 5, CRITICAL_DONE if row.critical else TASK_DONE))
    return parts


def _bar(chart: GanttChart, item: Placed, bar_href: BarHref | None) -> list[str]:
    row = item.row
    if item.x0 is None or item.x1 is None or row.start is None or row.finish is None:
        return []
    css = "gantt-task" + (" summary" if row.summary else "") + (" milestone" if row.milestone else "")
    css += " critical" if row.critical else ""
    title = f"<title>{_esc(_bar_title(chart, row))}</title>"
    parts = []
    if item.base_x0 is not None and item.base_x1 is not None:
        width = max(item.base_x1 - item.base_x0, 2.0)
        base = _rect("gantt-baseline", item.base_x0, item.top + 21, width, 4, BASELINE)
        parts.append(base[:-2] + f">{title}</rect>")
    data = f' data-task="{row.key}" data-start="{row.start.isoformat()}" data-finish="{row.finish.isoformat()}"'
    editable = bar_href is not None and not row.summary
    if bar_href is not None and editable:
        labels = chart.labels
        name = labels.bar % {"name": row.name, "start": labels.date(row.start), "finish": labels.date(row.finish)}
        parts.append(
            f'<a href="{_esc(bar_href(row))}" class="{css}" tabindex="0" role="button" aria-label="{_esc(name)}"'
            f'{data} data-version="{row.version}" data-duration="{row.duration_days}">'
        )
    else:
        parts.append(f'<g class="{css}"{data}>')
    parts.append(title)
    parts += _shape(item)
    if editable and not row.milestone:
        parts.append(_rect("gantt-handle", item.x1 - 6, item.top + 4, 8, 16, "transparent"))
    parts.append("</a>" if editable else "</g>")
    return parts


def _arrow(route: Route) -> str:
    link = route.link
    colour = CRITICAL if route.critical else MUTED
    path = " ".join(("M" if i == 0 else "L") + f"{_n(x)},{_n(y)}" for i, (x, y) in enumerate(route.points))
    tx, ty = route.points[-1]
    tip = -5 if route.rightward else 5
    head = f"{_n(tx)},{_n(ty)} {_n(tx + tip)},{_n(ty - 4)} {_n(tx + tip)},{_n(ty + 4)}"
    css = LINK_CLASSES.get(link.type, "gantt-link") + (" critical" if route.critical else "")
    return (
        f'<g class="{css}" data-from="{link.predecessor}" data-to="{link.successor}">'
        f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="1.2"/>'
        f'<polygon points="{head}" fill="{colour}"/></g>'
    )


def timeline_svg(
    chart: GanttChart, *, bar_href: BarHref | None = None, ident: str = "gantt-timeline", lay: Layout | None = None
) -> str:
    """The time scale with the bars, baselines and links; bars are focusable links when `bar_href` is given. `lay`:
    the chart's layout when the caller has it already."""
    lay = lay or layout(chart)
    width = lay.scale.width
    parts = [_open(width, lay.height, TIMELINE_CLASSES[chart.zoom], chart.labels.title, ident, role="group")]
    parts.append(f"<g{_attrs(data_first=lay.scale.first.isoformat(), data_per_day=lay.scale.per_day)}>")
    parts += _stripes(lay, width, ident)
    parts += _header(chart, lay)
    parts.append('<g class="gantt-links">')
    parts += [_arrow(route) for route in lay.routes]
    parts.append('</g><g class="gantt-bars">')
    for item in lay.placed:
        parts += _bar(chart, item, bar_href)
    parts.append("</g></g></svg>")
    return "".join(parts)


def gantt_svg(chart: GanttChart, *, ident: str = "gantt") -> str:
    """The whole chart in one static picture (for reports): the names column, then the timeline."""
    lay = layout(chart)
    names = names_svg(chart, ident=f"{ident}-names", lay=lay)
    timeline = timeline_svg(chart, ident=f"{ident}-timeline", lay=lay)
    width = NAMES_WIDTH + lay.scale.width
    return (
        f"{_open(width, lay.height, 'gantt-chart', chart.labels.title, ident, role='img')}"
        f"{names.replace('<svg ', '<svg x="0" y="0" ', 1)}"
        f"{timeline.replace('<svg ', f'<svg x="{_n(NAMES_WIDTH)}" y="0" ', 1)}</svg>"
    )
