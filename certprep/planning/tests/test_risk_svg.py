"""The risk charts parsed back as XML (defusedxml) and read as a user would: the bars, the curve, the marked
dates in the page's date format, escaped text and the accessible names."""

from __future__ import annotations

from datetime import date

import pytest
from defusedxml import ElementTree

from certprep.planning.charts.risk_svg import Labels, Marker, histogram_svg, s_curve_svg

SVG = "{http://www.w3.org/2000/svg}"
EVIL = 'Stage <script>alert("1")</script> & co'
BINS = [
    (date(2026, 9, 1), date(2026, 9, 3), 40),
    (date(2026, 9, 4), date(2026, 9, 8), 100),
    (date(2026, 9, 9), date(2026, 9, 10), 10),
]
CURVE = [(date(2026, 9, 3), 40 / 150), (date(2026, 9, 8), 140 / 150), (date(2026, 9, 10), 1.0)]
MARKERS = [Marker("P50", date(2026, 9, 7)), Marker("P95", date(2026, 9, 10)), Marker(EVIL, date(2026, 9, 15), "booked")]
LABELS = Labels(title=f"{EVIL}: finish dates", desc="P50 7 Sep, P80 8 Sep", y_axis="Iterations", x_axis="Finish")


def chinese(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def texts(root) -> list[str]:
    return ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]


def test_the_histogram_draws_a_bar_per_range_and_marks_the_dates() -> None:
    root = ElementTree.fromstring(histogram_svg(BINS, MARKERS, labels=LABELS, format_date=chinese, no_data="-"))
    assert root.get("role") == "img"
    assert root.get("aria-label") == LABELS.title
    assert root.find(f"{SVG}title").text == LABELS.title
    assert root.find(f"{SVG}desc").text == LABELS.desc
    bars = [rect for rect in root.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]
    assert [rect.find(f"{SVG}title").text for rect in bars] == [
        "2026年9月1日 – 2026年9月3日: 40",
        "2026年9月4日 – 2026年9月8日: 100",
        "2026年9月9日 – 2026年9月10日: 10",
    ]
    heights = [float(rect.get("height")) for rect in bars]
    assert heights[1] == max(heights)
    assert heights[0] == pytest.approx(heights[1] * 0.4, abs=0.1)
    lefts = [float(rect.get("x")) for rect in bars]
    assert lefts == sorted(lefts)
    marks = [g for g in root.iter(f"{SVG}g") if "chart-marker" in g.get("class", "").split()]
    assert [g.find(f"{SVG}title").text for g in marks] == [
        "P50 2026年9月7日",
        "P95 2026年9月10日",
        f"{EVIL} 2026年9月15日",
    ]
    assert "chart-marker-booked" in marks[2].get("class")
    # the booked date after the last bar widens the axis instead of falling off it
    assert float(marks[2].find(f"{SVG}line").get("x1")) < 640
    assert "2026年9月1日" in texts(root)


def test_the_s_curve_rises_to_every_iteration_and_escapes_text() -> None:
    markup = s_curve_svg(CURVE, MARKERS, labels=LABELS, format_date=chinese, no_data="-")
    assert "<script>" not in markup
    root = ElementTree.fromstring(markup)
    line = next(el for el in root.iter(f"{SVG}polyline") if el.get("class") == "chart-line")
    ys = [float(point.split(",")[1]) for point in line.get("points").split()]
    assert ys == sorted(ys, reverse=True)  # never falls (y grows downwards)
    dots = [circle.find(f"{SVG}title").text for circle in root.iter(f"{SVG}circle")]
    assert dots == ["2026年9月3日: 27 %", "2026年9月8日: 93 %", "2026年9月10日: 100 %"]
    assert "100 %" in texts(root)
    assert EVIL in texts(root)


def test_without_iterations_the_charts_say_so() -> None:
    for chart in (histogram_svg, s_curve_svg):
        root = ElementTree.fromstring(chart([], [], labels=LABELS, format_date=chinese, no_data="No run yet"))
        assert texts(root) == ["No run yet"]
        assert root.get("aria-label") == LABELS.title
