"""The Gantt chart over plain data (no database): each picture is parsed back as XML (defusedxml) and measured, so a
bar sits where its dates say at every zoom, critical tasks are marked, every link has its arrow, text is escaped
and folded tasks are gone."""

from __future__ import annotations

import datetime

import pytest
from defusedxml import ElementTree
from hypothesis import given, settings
from hypothesis import strategies as st

from certprep.planning.charts.gantt import (
    HEADER_HEIGHT,
    NAMES_WIDTH,
    PIXELS_PER_DAY,
    ROW_HEIGHT,
    GanttChart,
    GanttLink,
    GanttRow,
    Zoom,
    layout,
)
from certprep.planning.charts.gantt_svg import CRITICAL, gantt_svg, names_svg, timeline_svg

SVG = "{http://www.w3.org/2000/svg}"
D = datetime.date
EVIL = 'Review <script>alert("x")</script> & sign'

ROWS = [
    GanttRow(1, "1", "Preparation", summary=True, start=D(2027, 1, 4), finish=D(2027, 1, 22)),
    GanttRow(2, "1.1", "Kick-off", level=2, parent=1, start=D(2027, 1, 4), finish=D(2027, 1, 8), critical=True),
    GanttRow(
        3,
        "1.2",
        EVIL,
        level=2,
        parent=1,
        start=D(2027, 1, 11),
        finish=D(2027, 1, 22),
        percent_complete=50,
        baseline_start=D(2027, 1, 6),
        baseline_finish=D(2027, 1, 15),
    ),
    GanttRow(4, "2", "Stage 1 audit", milestone=True, critical=True, start=D(2027, 1, 25), finish=D(2027, 1, 25)),
    GanttRow(5, "3", "Records", start=D(2027, 1, 13), finish=D(2027, 1, 19)),
]
LINKS = [GanttLink(2, 3, "FS"), GanttLink(2, 5, "SS"), GanttLink(3, 5, "FF"), GanttLink(5, 4, "SF")]


def parse(svg: str):
    return ElementTree.fromstring(svg)


def classes(element) -> list[str]:
    return (element.get("class") or "").split()


def bars(root) -> dict[int, object]:
    return {int(e.get("data-task")): e for e in root.iter() if "gantt-task" in classes(e)}


def body_of(bar):
    return next(e for e in bar if e.tag == f"{SVG}rect" and "gantt-bar-body" in classes(e))


@pytest.mark.parametrize("zoom", list(Zoom))
def test_each_bar_starts_at_its_start_day_and_ends_after_its_finish_day(zoom):
    chart = GanttChart(ROWS, LINKS, zoom=zoom)
    root = parse(timeline_svg(chart))
    first = layout(chart).scale.first
    per_day = PIXELS_PER_DAY[zoom]
    for key in (2, 3, 5):
        row = next(r for r in ROWS if r.key == key)
        rect = body_of(bars(root)[key])
        assert float(rect.get("x")) == pytest.approx((row.start - first).days * per_day, abs=0.05)
        assert float(rect.get("width")) == pytest.approx(((row.finish - row.start).days + 1) * per_day, abs=0.1)
    # The range is snapped: whole weeks from a Monday, whole months from the first.
    assert first.weekday() == 0 if zoom != Zoom.MONTH else first.day == 1


def test_rows_sit_one_under_the_other_in_outline_order():
    root = parse(timeline_svg(GanttChart(ROWS, LINKS, zoom=Zoom.DAY)))
    for index, key in enumerate([2, 3, 5]):
        top = HEADER_HEIGHT + ROWS.index(next(r for r in ROWS if r.key == key)) * ROW_HEIGHT
        assert float(body_of(bars(root)[key]).get("y")) == pytest.approx(top + 5), index


def test_critical_tasks_are_marked_and_red_and_a_milestone_is_a_diamond():
    root = parse(timeline_svg(GanttChart(ROWS, LINKS)))
    found = bars(root)
    assert "critical" in classes(found[2])
    assert body_of(found[2]).get("fill") == CRITICAL
    assert "critical" not in classes(found[3])
    assert body_of(found[3]).get("fill") != CRITICAL
    diamond = [e for e in found[4] if e.tag == f"{SVG}polygon"]
    assert len(diamond) == 1
    assert "gantt-diamond" in classes(diamond[0])
    assert len(diamond[0].get("points").split()) == 4


def test_progress_sits_inside_the_bar_and_the_baseline_below_it():
    chart = GanttChart(ROWS, LINKS, zoom=Zoom.DAY)
    root = parse(timeline_svg(chart))
    bar = bars(root)[3]
    body = body_of(bar)
    progress = next(e for e in bar if "gantt-progress" in classes(e))
    assert float(progress.get("x")) == float(body.get("x"))
    assert float(progress.get("width")) == pytest.approx(float(body.get("width")) / 2)
    baseline = next(e for e in root.iter(f"{SVG}rect") if "gantt-baseline" in classes(e))
    first = layout(chart).scale.first
    assert float(baseline.get("x")) == pytest.approx((D(2027, 1, 6) - first).days * PIXELS_PER_DAY[Zoom.DAY])
    assert float(baseline.get("y")) > float(body.get("y")) + float(body.get("height"))


def test_every_link_has_an_arrow_from_the_right_end_to_the_right_end():
    chart = GanttChart(ROWS, LINKS, zoom=Zoom.DAY)
    root = parse(timeline_svg(chart))
    arrows = [e for e in root.iter(f"{SVG}g") if "gantt-link" in classes(e)]
    assert sorted(f"{a.get('data-from')}{a.get('data-to')}" for a in arrows) == ["23", "25", "35", "54"]
    assert {c for a in arrows for c in classes(a) if c.startswith("link-")} == {
        "link-FS",
        "link-SS",
        "link-FF",
        "link-SF",
    }
    placed = {item.row.key: item for item in layout(chart).placed}

    def ends(source, target):
        arrow = next(a for a in arrows if a.get("data-from") == str(source) and a.get("data-to") == str(target))
        path = next(e for e in arrow if e.tag == f"{SVG}path").get("d").replace("M", "").split("L")
        return [float(v) for v in path[0].split(",")][0], [float(v) for v in path[-1].split(",")][0]

    assert ends(2, 3) == pytest.approx((placed[2].x1, placed[3].x0))  # finish to start
    assert ends(2, 5) == pytest.approx((placed[2].x0, placed[5].x0))  # start to start
    assert ends(3, 5) == pytest.approx((placed[3].x1, placed[5].x1))  # finish to finish
    # start to finish, into the milestone's diamond from the right
    source, target = ends(5, 4)
    assert source == pytest.approx(placed[5].x0)
    assert target > (placed[4].x0 + placed[4].x1) / 2
    critical = [a for a in arrows if "critical" in classes(a)]
    assert [a.get("data-to") for a in critical] == []  # no link joins two critical tasks here


def test_text_is_escaped_and_reads_back_as_typed():
    svg = gantt_svg(GanttChart(ROWS, LINKS))
    assert "<script>" not in svg
    root = parse(svg)
    texts = ["".join(e.itertext()) for e in root.iter(f"{SVG}text")]
    assert any(EVIL[:20] in text for text in texts)
    titles = ["".join(e.itertext()) for e in root.iter(f"{SVG}title")]
    assert any(EVIL in title for title in titles)


def test_a_collapsed_summary_hides_its_children_and_their_links():
    chart = GanttChart(ROWS, LINKS, collapsed=frozenset({1}))
    root = parse(timeline_svg(chart))
    assert set(bars(root)) == {1, 4, 5}
    arrows = [e for e in root.iter(f"{SVG}g") if "gantt-link" in classes(e)]
    assert [(a.get("data-from"), a.get("data-to")) for a in arrows] == [("5", "4")]
    names = parse(names_svg(chart, toggle_href=lambda row, folded: f"?open={row.key}" if folded else "?"))
    shown = [int(g.get("data-task")) for g in names.iter(f"{SVG}g") if "gantt-name" in classes(g)]
    assert shown == [1, 4, 5]
    toggle = next(e for e in names.iter(f"{SVG}a") if "gantt-toggle" in classes(e))
    assert toggle.get("href") == "?open=1"
    assert toggle.get("aria-label") == "Expand Preparation"


def test_editable_bars_are_focusable_and_named_with_their_dates():
    root = parse(timeline_svg(GanttChart(ROWS, LINKS), bar_href=lambda row: f"?task={row.key}"))
    found = bars(root)
    assert found[1].tag == f"{SVG}g"  # a summary is not dragged
    bar = found[2]
    assert bar.tag == f"{SVG}a"
    assert bar.get("tabindex") == "0"
    assert bar.get("role") == "button"
    assert bar.get("aria-label") == "Kick-off: 2027-01-04 to 2027-01-08"
    assert bar.get("href") == "?task=2"
    assert any("gantt-handle" in classes(e) for e in bar)
    assert not any("gantt-handle" in classes(e) for e in found[4])  # a milestone has no duration to stretch


def test_the_report_picture_holds_the_names_beside_the_timeline():
    chart = GanttChart(ROWS, LINKS, zoom=Zoom.MONTH)
    root = parse(gantt_svg(chart))
    assert root.get("role") == "img"
    inner = [e for e in root if e.tag == f"{SVG}svg"]
    assert [float(e.get("x")) for e in inner] == [0, NAMES_WIDTH]
    assert float(root.get("width")) == pytest.approx(NAMES_WIDTH + layout(chart).scale.width)


days = st.integers(min_value=0, max_value=400)


@st.composite
def plans(draw):
    count = draw(st.integers(min_value=1, max_value=25))
    rows = []
    for key in range(1, count + 1):
        start = D(2027, 1, 1) + datetime.timedelta(days=draw(days))
        parent = draw(st.one_of(st.none(), st.integers(1, key - 1))) if key > 1 else None
        rows.append(
            GanttRow(
                key,
                str(key),
                draw(st.text(max_size=30)),
                parent=parent,
                start=start,
                finish=start + datetime.timedelta(days=draw(st.integers(0, 60))),
            )
        )
    links = [
        GanttLink(a, b, draw(st.sampled_from(["FS", "SS", "FF", "SF"])))
        for a, b in draw(st.lists(st.tuples(st.integers(1, count), st.integers(1, count)), max_size=30))
        if a != b
    ]
    collapsed = frozenset(draw(st.sets(st.integers(1, count), max_size=3)))
    return GanttChart(rows, links, zoom=draw(st.sampled_from(list(Zoom))), collapsed=collapsed)


@settings(max_examples=60, deadline=None)
@given(plans())
def test_any_plan_draws_as_well_formed_svg_with_every_visible_bar_inside_the_range(chart):
    root = parse(gantt_svg(chart))
    lay = layout(chart)
    drawn = set(bars(root))
    assert drawn == {item.row.key for item in lay.placed}
    assert not drawn & lay.hidden
    for item in lay.placed:
        assert 0 <= item.x0 < item.x1 <= lay.scale.width
    visible = {item.row.key for item in lay.placed}
    arrows = [e for e in root.iter(f"{SVG}g") if "gantt-link" in classes(e)]
    assert len(arrows) == sum(1 for link in chart.links if {link.predecessor, link.successor} <= visible)
