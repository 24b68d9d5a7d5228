"""The plan's Gantt chart over plain data (no database, no request): what is shown and where.

One renderer for the page and the reports (certprep.planning.charts.gantt_svg draws it): rows in outline order
with their dates, the links between them, a zoom and the summary tasks folded away. This module places them: the
rows still visible, the time scale (pixels per day at each zoom, the range snapped to whole weeks or months), each
bar's left and right edge and each link's route, so the markup and the tests measure the same numbers.

A task's bar covers its start day to its finish day, both whole (the engine's 08:00 to 17:00); a milestone is a
diamond in the middle of its day; the baseline is a thin bar below.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

ROW_HEIGHT = 28.0
HEADER_HEIGHT = 44.0  # two rows of 22: the larger period above, the smaller below
NAMES_WIDTH = 280.0
LINK_STUB = 6.0  # how far a link leaves its bar before turning
RANGE_PADDING_DAYS = 3


class Zoom(enum.StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


PIXELS_PER_DAY = {Zoom.DAY: 26.0, Zoom.WEEK: 7.0, Zoom.MONTH: 2.4}
LINK_TYPES = ("FS", "SS", "FF", "SF")


@dataclass(frozen=True)
class GanttRow:
    """A task as the chart draws it. `start` and `finish` are its first and last day of work (None when it could
    not be scheduled); the baseline's likewise."""

    key: int
    wbs: str
    name: str
    level: int = 1
    parent: int | None = None
    summary: bool = False
    milestone: bool = False
    critical: bool = False
    start: datetime.date | None = None
    finish: datetime.date | None = None
    baseline_start: datetime.date | None = None
    baseline_finish: datetime.date | None = None
    percent_complete: int = 0
    version: int = 0
    duration_days: float = 0


@dataclass(frozen=True)
class GanttLink:
    predecessor: int
    successor: int
    type: str = "FS"  # FS, SS, FF or SF


def _iso(day: datetime.date) -> str:
    return day.isoformat()


def _month(day: datetime.date) -> str:
    return f"{day:%Y-%m}"


@dataclass(frozen=True)
class GanttLabels:
    """The words of the chart, in the reader's language, and how dates are written in it."""

    title: str = "Gantt chart"
    task: str = "Task"
    wbs: str = "WBS"
    bar: str = "%(name)s: %(start)s to %(finish)s"  # a bar's accessible name
    dates: str = "%(start)s to %(finish)s"
    done: str = "%(n)s%% complete"
    baseline: str = "Baseline: %(start)s to %(finish)s"
    critical: str = "critical"
    collapse: str = "Collapse %(name)s"
    expand: str = "Expand %(name)s"
    date: Callable[[datetime.date], str] = _iso  # a day as the language writes it
    month: Callable[[datetime.date], str] = _month  # a month (its first day given)
    short_month: Callable[[datetime.date], str] = field(default=lambda day: f"{day.month:02d}")
    year: Callable[[datetime.date], str] = field(default=lambda day: str(day.year))


@dataclass(frozen=True)
class GanttChart:
    rows: Sequence[GanttRow]
    links: Sequence[GanttLink] = ()
    zoom: Zoom = Zoom.WEEK
    collapsed: frozenset[int] = frozenset()
    labels: GanttLabels = GanttLabels()
    first: datetime.date | None = None  # the range shown; from the rows' dates when not given
    last: datetime.date | None = None


@dataclass(frozen=True)
class Scale:
    """Days to pixels: `first` sits at x = 0."""

    first: datetime.date
    last: datetime.date  # the last day shown (whole)
    per_day: float

    def x(self, day: datetime.date) -> float:
        return (day - self.first).days * self.per_day

    @property
    def width(self) -> float:
        return self.x(self.last + datetime.timedelta(days=1))


@dataclass(frozen=True)
class Placed:
    """A visible row: its index (0 at the top), y of its top, and its bar's edges (None when unscheduled)."""

    row: GanttRow
    index: int
    x0: float | None
    x1: float | None
    base_x0: float | None
    base_x1: float | None

    @property
    def top(self) -> float:
        return HEADER_HEIGHT + self.index * ROW_HEIGHT

    @property
    def middle(self) -> float:
        return self.top + ROW_HEIGHT / 2


@dataclass(frozen=True)
class Route:
    """A link's path (points from the predecessor's end to the successor's) and which way its arrow points."""

    link: GanttLink
    points: tuple[tuple[float, float], ...]
    rightward: bool
    critical: bool


@dataclass(frozen=True)
class Layout:
    scale: Scale
    placed: tuple[Placed, ...]
    routes: tuple[Route, ...]
    hidden: frozenset[int]  # keys of the rows folded away under a collapsed summary

    @property
    def height(self) -> float:
        return HEADER_HEIGHT + max(len(self.placed), 1) * ROW_HEIGHT


def hidden_keys(rows: Sequence[GanttRow], collapsed: frozenset[int]) -> frozenset[int]:
    """The rows under a collapsed summary task (at any depth)."""
    parent = {row.key: row.parent for row in rows}
    hidden = set()
    for row in rows:
        seen: set[int] = set()
        up = row.parent
        while up is not None and up not in seen:
            if up in collapsed:
                hidden.add(row.key)
                break
            seen.add(up)
            up = parent.get(up)
    return frozenset(hidden)


def _snap(first: datetime.date, last: datetime.date, zoom: Zoom) -> tuple[datetime.date, datetime.date]:
    """Whole weeks (Monday to Sunday) at the day and week zoom, whole months at the month zoom."""
    if zoom == Zoom.MONTH:
        first = first.replace(day=1)
        following = (last.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
        return first, following - datetime.timedelta(days=1)
    first -= datetime.timedelta(days=first.weekday())
    return first, last + datetime.timedelta(days=6 - last.weekday())


def scale_of(chart: GanttChart) -> Scale:
    days = [
        day
        for row in chart.rows
        for day in (row.start, row.finish, row.baseline_start, row.baseline_finish)
        if day is not None
    ]
    today = datetime.date(2000, 1, 3)
    first = chart.first or (min(days) - datetime.timedelta(days=RANGE_PADDING_DAYS) if days else today)
    last = chart.last or (max(days) + datetime.timedelta(days=RANGE_PADDING_DAYS) if days else first)
    first, last = _snap(first, max(first, last), chart.zoom)
    return Scale(first=first, last=last, per_day=PIXELS_PER_DAY[chart.zoom])


def _edges(scale: Scale, start: datetime.date | None, finish: datetime.date | None) -> tuple[float | None, ...]:
    if start is None or finish is None:
        return None, None
    return scale.x(start), scale.x(max(start, finish) + datetime.timedelta(days=1))


def _route(link: GanttLink, source: Placed, target: Placed) -> Route | None:
    """FS leaves the predecessor's finish for the successor's start, SS start to start, FF finish to finish, SF
    the predecessor's start to the successor's finish; each turns on the row boundary next to the successor."""
    if source.x0 is None or source.x1 is None or target.x0 is None or target.x1 is None:
        return None
    from_finish = link.type in ("FS", "FF")
    to_start = link.type in ("FS", "SS")
    sx = source.x1 if from_finish else source.x0
    tx = target.x0 if to_start else target.x1
    if source.row.milestone:
        sx = (source.x0 + source.x1) / 2
    if target.row.milestone:
        tx = (target.x0 + target.x1) / 2 + (-7 if to_start else 7)
    ax = sx + LINK_STUB if from_finish else sx - LINK_STUB
    bx = tx - LINK_STUB if to_start else tx + LINK_STUB
    sy, ty = source.middle, target.middle
    turn = ty - ROW_HEIGHT / 2 if ty > sy else ty + ROW_HEIGHT / 2
    points = ((sx, sy), (ax, sy), (ax, turn), (bx, turn), (bx, ty), (tx, ty))
    return Route(link, points, rightward=to_start, critical=source.row.critical and target.row.critical)


def layout(chart: GanttChart) -> Layout:
    scale = scale_of(chart)
    hidden = hidden_keys(chart.rows, chart.collapsed)
    placed: list[Placed] = []
    for row in chart.rows:
        if row.key in hidden:
            continue
        x0, x1 = _edges(scale, row.start, row.finish)
        b0, b1 = _edges(scale, row.baseline_start, row.baseline_finish)
        placed.append(Placed(row, len(placed), x0, x1, b0, b1))
    by_key = {item.row.key: item for item in placed}
    routes: list[Route] = []
    for link in chart.links:
        source, target = by_key.get(link.predecessor), by_key.get(link.successor)
        if source is None or target is None:
            continue
        route = _route(link, source, target)
        if route is not None:
            routes.append(route)
    return Layout(scale=scale, placed=tuple(placed), routes=tuple(routes), hidden=hidden)


def periods(
    scale: Scale, zoom: Zoom
) -> tuple[list[tuple[datetime.date, float, float]], list[tuple[datetime.date, float, float]]]:
    """The header's two rows: (first day, x, width) of each larger period (months; years at the month zoom) and
    of each smaller one (days, weeks starting on Monday, months)."""

    def spans(starts: list[datetime.date]) -> list[tuple[datetime.date, float, float]]:
        end = scale.last + datetime.timedelta(days=1)
        edges = [*starts, end]
        return [
            (day, scale.x(max(day, scale.first)), scale.x(edges[i + 1]) - scale.x(max(day, scale.first)))
            for i, day in enumerate(starts)
        ]

    days = [scale.first + datetime.timedelta(days=n) for n in range((scale.last - scale.first).days + 1)]
    months = [day for day in days if day.day == 1 or day == scale.first]
    years = [day for day in days if (day.month == 1 and day.day == 1) or day == scale.first]
    if zoom == Zoom.DAY:
        return spans(months), spans(days)
    if zoom == Zoom.WEEK:
        return spans(months), spans([day for day in days if day.weekday() == 0])
    return spans(years), spans(months)
