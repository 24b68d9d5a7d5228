"""The SVG charts over plain data: no database. Each output is parsed back as XML and measured."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from certprep.gaps.charts import HEAT_FILLS, HEAT_TEXT, Series, heatmap_svg, radar_svg, trend_svg

SVG = "{http://www.w3.org/2000/svg}"
CSS = Path(__file__).resolve().parents[2] / "static" / "gaps" / "charts.css"
EVIL = "Change <script>alert(1)</script> & co"
LONG = "Service continuity and availability management"
CHINESE = "服务连续性和可用性管理"
AXES = [
    "Service level management",
    "Service reporting",
    LONG,
    "Budgeting and accounting for IT services",
    "Capacity management",
    "Information security management",
    "Business relationship management",
    "Supplier management",
    "Incident and service request management",
    "Problem management",
    CHINESE,
    "配置管理",
    EVIL,
]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def classes(element: ET.Element) -> list[str]:
    return element.get("class", "").split()


def having(root: ET.Element, tag: str, css: str) -> list[ET.Element]:
    return [e for e in root.iter(f"{SVG}{tag}") if css in classes(e)]


def labelled_groups(root: ET.Element) -> list[ET.Element]:
    """The <g> wrapping a <text> with a <title> (a truncated label, or a label saying it has no data)."""
    return [g for g in root.iter(f"{SVG}g") if g.find(f"{SVG}text") is not None and g.find(f"{SVG}title") is not None]


def title_of(element: ET.Element) -> str:
    title = element.find(f"{SVG}title")
    assert title is not None
    return title.text or ""


def all_text(root: ET.Element) -> str:
    return " ".join("".join(e.itertext()) for e in root.iter(f"{SVG}text"))


def coords(points: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in (p.split(",") for p in points.split())]


def radar(values_a=None, values_b=None, *, axes=AXES, **kwargs):
    count = len(axes)
    a = values_a if values_a is not None else [float(i * 7) for i in range(count)]
    b = values_b if values_b is not None else [float(100 - i * 5) for i in range(count)]
    series = [Series("Baseline 2026-03-01", a), Series("Follow-up 2026-06-15", b, "series-2")]
    return radar_svg(
        axes,
        series,
        title=kwargs.pop("title", "Readiness by process"),
        id_prefix=kwargs.pop("id_prefix", "radar"),
        **kwargs,
    )


def heatmap(values, *, rows=None, columns=None, **kwargs):
    rows = rows if rows is not None else [f"Process {i}" for i in range(len(values))]
    columns = columns if columns is not None else [f"Assessment {j}" for j in range(len(values[0]))]
    return heatmap_svg(
        rows,
        columns,
        values,
        title=kwargs.pop("title", "Readiness heat map"),
        id_prefix=kwargs.pop("id_prefix", "heat"),
        **kwargs,
    )


def trend(points, **kwargs):
    return trend_svg(
        points, title=kwargs.pop("title", "Overall readiness"), id_prefix=kwargs.pop("id_prefix", "trend"), **kwargs
    )


def every_chart() -> list[str]:
    return [
        radar([None, *range(12)]),
        heatmap([[0, None, 90]] * 13, rows=AXES, columns=["Baseline\n2026-03-01", EVIL, "Audit"]),
        trend([("Baseline\n2026-03-01", 40), (EVIL, None), ("Audit", 80)], series_label=EVIL),
        radar(axes=AXES[:2]),
        heatmap_svg([], [], [], title=EVIL, id_prefix="empty"),
        trend([]),
    ]


# --------------------------------------------------------------------------------------------------------------------
# Every chart


@pytest.mark.parametrize("svg", every_chart())
def test_every_chart_is_well_formed_accessible_and_scalable(svg):
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox")
    assert root.get("width")
    title = root.find(f"{SVG}title")
    assert title is not None
    assert title.get("id") == root.get("aria-labelledby")


@pytest.mark.parametrize("svg", every_chart())
def test_no_style_attribute_element_or_script_anywhere(svg):
    assert "style=" not in svg
    assert "<style" not in svg
    assert "<script" not in svg
    tags = {e.tag for e in parse(svg).iter()}
    assert not {f"{SVG}style", f"{SVG}script", f"{SVG}foreignObject"} & tags
    assert not any(name.startswith("on") for e in parse(svg).iter() for name in e.attrib)


def test_labels_with_markup_are_escaped_and_stay_text():
    for svg in every_chart()[:3]:
        assert "&lt;script&gt;" in svg
        assert "&amp; co" in svg
        root = parse(svg)
        assert all("script" not in e.tag for e in root.iter())
        texts = " ".join("".join(e.itertext()) for e in root.iter())
        assert "<script>" in texts  # shown as text, where it was truncated, in full in a <title>


def test_the_title_of_the_chart_is_escaped():
    svg = radar(title=EVIL)
    assert parse(svg).find(f"{SVG}title").text == EVIL


def test_characters_xml_cannot_hold_are_dropped():
    svg = heatmap([[50]], rows=["bad\x00row\x1b"], columns=["col\x07"])
    cell = having(parse(svg), "g", "chart-cell-group")[0]
    assert title_of(cell) == "badrow / col: 50 %"


def test_ids_are_unique_and_carry_the_prefix():
    for svg, prefix in [
        (radar(id_prefix="dash-radar"), "dash-radar"),
        (heatmap([[1, 2]], id_prefix="dash-heat"), "dash-heat"),
        (trend([("A", 1)], id_prefix="dash-trend"), "dash-trend"),
    ]:
        ids = [e.get("id") for e in parse(svg).iter() if e.get("id")]
        assert ids
        assert len(ids) == len(set(ids))
        assert all(i.startswith(prefix) for i in ids)


def test_an_id_prefix_is_made_a_valid_id():
    svg = radar(id_prefix='a b"<c')
    root = parse(svg)
    assert root.find(f"{SVG}title").get("id") == "a-b-c-title"


def test_the_same_input_gives_the_same_output():
    assert every_chart() == every_chart()


def test_coordinates_have_at_most_one_decimal():
    for svg in every_chart():
        numbers = re.findall(r'(?<![\w-])(?:x|y|x1|y1|x2|y2|cx|cy|r|width|height)="(-?[\d.]+)"', svg)
        numbers += [n for p in re.findall(r'points="([^"]+)"', svg) for n in re.split("[ ,]", p)]
        assert numbers
        assert all(re.fullmatch(r"-?\d+(\.\d)?", n) for n in numbers), numbers


def test_every_colour_class_used_is_styled_by_the_stylesheet():
    css = CSS.read_text()
    used = {
        c for svg in every_chart() for e in parse(svg).iter() for c in classes(e) if c.startswith(("heat-", "series-"))
    }
    assert {"heat-0", "heat-1", "heat-2", "heat-3", "heat-none", "series-1", "series-2"} <= used
    for name in used | {"series-3", "series-4"}:
        assert f".{name}" in css, name


# --------------------------------------------------------------------------------------------------------------------
# Radar


def radar_geometry(root: ET.Element) -> tuple[tuple[float, float], float]:
    """The centre (where every spoke starts) and the radius of the 100 % ring, read from the output."""
    grid = having(root, "g", "chart-grid")[0]
    spokes = list(grid.iter(f"{SVG}line"))
    centres = {(float(s.get("x1")), float(s.get("y1"))) for s in spokes}
    assert len(centres) == 1
    centre = centres.pop()
    outer = coords(having(root, "polygon", "chart-ring-outer")[0].get("points"))
    radii = [math.dist(centre, p) for p in outer]
    assert max(radii) - min(radii) < 0.2
    return centre, radii[0]


def test_radar_draws_one_spoke_per_axis_four_rings_one_polygon_per_series():
    root = parse(radar())
    assert len(list(having(root, "g", "chart-grid")[0].iter(f"{SVG}line"))) == 13
    assert len(having(root, "polygon", "chart-ring")) == 4
    areas = having(root, "polygon", "chart-area")
    assert len(areas) == 2
    assert all(len(coords(a.get("points"))) == 13 for a in areas)
    assert len(having(root, "circle", "chart-point")) == 26
    assert having(root, "circle", "chart-point-none") == []


def test_radar_puts_100_percent_on_the_outer_ring_and_0_on_the_centre():
    values = [100.0, 0.0, 50.0] + [25.0] * 10
    root = parse(radar(values))
    centre, radius = radar_geometry(root)
    first = coords(having(root, "polygon", "chart-area")[0].get("points"))
    assert math.dist(first[0], centre) == pytest.approx(radius, abs=0.15)
    assert math.dist(first[1], centre) == pytest.approx(0, abs=0.1)
    assert math.dist(first[2], centre) == pytest.approx(radius / 2, abs=0.15)
    # the 100 % point is straight up, on the first spoke
    assert first[0][0] == pytest.approx(centre[0], abs=0.1)
    assert first[0][1] < centre[1]
    points = [(float(c.get("cx")), float(c.get("cy"))) for c in having(root, "circle", "chart-point")[:13]]
    assert points == first


def test_radar_clamps_values_outside_0_to_100():
    root = parse(radar([150.0, -20.0] + [50.0] * 11))
    centre, radius = radar_geometry(root)
    first = coords(having(root, "polygon", "chart-area")[0].get("points"))
    assert math.dist(first[0], centre) == pytest.approx(radius, abs=0.15)
    assert math.dist(first[1], centre) == pytest.approx(0, abs=0.1)


def test_radar_draws_missing_values_at_the_centre_with_a_hollow_no_data_point():
    values = [None, 80.0, None] + [60.0] * 10
    root = parse(radar(values, no_data_label="keine Daten"))
    centre, _ = radar_geometry(root)
    first = coords(having(root, "polygon", "chart-area")[0].get("points"))
    assert math.dist(first[0], centre) == pytest.approx(0, abs=0.1)
    assert math.dist(first[2], centre) == pytest.approx(0, abs=0.1)
    assert len(having(root, "circle", "chart-point")) == 11 + 13
    hollow = having(root, "circle", "chart-point-none")
    assert len(hollow) == 1
    assert (float(hollow[0].get("cx")), float(hollow[0].get("cy"))) == pytest.approx(centre)
    assert hollow[0].get("fill") == "none"
    tip = title_of(hollow[0])
    assert "keine Daten" in tip
    assert "Service level management" in tip
    assert LONG in tip
    assert "keine Daten" in all_text(having(root, "g", "chart-legend")[0])


def test_radar_mutes_an_axis_without_data_in_any_series():
    root = parse(radar([None] + [50.0] * 12, [None] + [60.0] * 12))
    muted = having(root, "text", "chart-label-muted")
    assert len(muted) == 1
    assert "Service level management" in "".join(muted[0].itertext())


def test_radar_point_titles_name_axis_series_and_rounded_percent():
    root = parse(radar([62.4] + [10.0] * 12))
    assert title_of(having(root, "circle", "chart-point")[0]) == "Service level management / Baseline 2026-03-01: 62 %"


def test_radar_wraps_long_labels_and_truncates_with_the_full_text_in_a_title():
    long_axes = [LONG * 3, CHINESE * 4, "Short"]
    root = parse(radar(axes=long_axes, values_a=[1.0, 2.0, 3.0], values_b=[3.0, 2.0, 1.0]))
    labels = having(root, "text", "chart-label")
    assert len(labels) == 3
    for label in labels[:2]:
        spans = label.findall(f"{SVG}tspan")
        assert 2 <= len(spans) <= 3
        assert spans[-1].text.endswith("…")
    titled = {title_of(g) for g in labelled_groups(root)}
    assert set(long_axes[:2]) <= titled
    assert [s.text for s in labels[2].findall(f"{SVG}tspan")] == ["Short"]


def test_radar_handles_up_to_20_axes_and_4_series():
    axes = [f"Process number {i} with a long name" for i in range(20)]
    series = [
        Series(f"Assessment {k}", [float((i * 13 + k * 29) % 101) for i in range(20)], f"series-{k + 1}")
        for k in range(4)
    ]
    root = parse(radar_svg(axes, series, title="t", id_prefix="r20"))
    assert len(having(root, "polygon", "chart-area")) == 4
    assert len(having(root, "circle", "chart-point")) == 80
    assert {c for g in having(root, "g", "chart-series") for c in classes(g)} >= {"series-3", "series-4"}


def test_radar_with_fewer_than_3_axes_just_says_no_data():
    for axes in ([], ["One"], ["One", "Two"]):
        svg = radar_svg(
            axes, [Series("A", [50.0] * len(axes))], title="Readiness", id_prefix="few", no_data_label="pas de données"
        )
        root = parse(svg)
        assert all_text(root) == "pas de données"
        assert list(root.iter(f"{SVG}polygon")) == []
        assert list(root.iter(f"{SVG}circle")) == []
        assert root.get("role") == "img"
        assert root.find(f"{SVG}title").text == "Readiness"


def test_radar_without_series_still_draws_the_grid():
    root = parse(radar_svg(AXES[:5], [], title="t", id_prefix="r"))
    assert len(having(root, "polygon", "chart-ring")) == 4
    assert having(root, "polygon", "chart-area") == []


def test_radar_rejects_a_series_of_the_wrong_length():
    with pytest.raises(ValueError, match="3 axes"):
        radar_svg(["a", "b", "c"], [Series("A", [1.0, 2.0])], title="t", id_prefix="r")


def test_radar_legend_names_each_series():
    legend = having(parse(radar()), "g", "chart-legend")[0]
    assert all_text(legend) == "Baseline 2026-03-01 Follow-up 2026-06-15"


# --------------------------------------------------------------------------------------------------------------------
# Heat map


def cells(root: ET.Element) -> list[ET.Element]:
    return having(root, "g", "chart-cell-group")


def band_of(cell: ET.Element) -> str:
    rect = cell.find(f"{SVG}rect")
    return next(c for c in classes(rect) if c.startswith("heat-"))


def test_heatmap_draws_one_cell_per_row_and_column():
    values = [[float((i * 3 + j * 7) % 101) for j in range(3)] for i in range(13)]
    root = parse(heatmap(values, rows=AXES))
    assert len(cells(root)) == 39
    assert len(having(root, "rect", "chart-cell")) == 39


@pytest.mark.parametrize(
    ("value", "band", "shown"),
    [
        (0, "heat-0", "0 %"),
        (30, "heat-1", "30 %"),
        (60, "heat-2", "60 %"),
        (90, "heat-3", "90 %"),
        (None, "heat-none", "–"),
        (25, "heat-1", "25 %"),
        (50, "heat-2", "50 %"),
        (75, "heat-3", "75 %"),
        (100, "heat-3", "100 %"),
        (24.4, "heat-0", "24 %"),
        (24.5, "heat-1", "25 %"),
        (74.9, "heat-3", "75 %"),
        (float("nan"), "heat-none", "–"),
        (120, "heat-3", "100 %"),
        (-5, "heat-0", "0 %"),
    ],
)
def test_heatmap_cell_band_follows_the_printed_percent(value, band, shown):
    cell = cells(parse(heatmap([[value]])))[0]
    assert band_of(cell) == band
    assert cell.find(f"{SVG}rect").get("fill") == HEAT_FILLS[band]
    assert cell.find(f"{SVG}text").text == shown


def test_heatmap_cell_titles_say_row_column_and_percent():
    root = parse(
        heatmap(
            [[62.4, None]], rows=["Incident\nmanagement"], columns=["Baseline", "Audit"], no_data_label="sans données"
        )
    )
    assert [title_of(c) for c in cells(root)] == [
        "Incident management / Baseline: 62 %",
        "Incident management / Audit: sans données",
    ]


def relative_luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("band", sorted(HEAT_FILLS))
def test_heatmap_text_contrasts_with_its_cell(band):
    lighter, darker = sorted([relative_luminance(HEAT_FILLS[band]), relative_luminance(HEAT_TEXT[band])], reverse=True)
    assert (lighter + 0.05) / (darker + 0.05) >= 4.5


def test_heatmap_text_is_white_on_the_dark_bands_and_dark_on_the_light_ones():
    root = parse(heatmap([[10, 30, 60, 90]]))
    text_classes = [classes(c.find(f"{SVG}text"))[-1] for c in cells(root)]
    assert text_classes == ["heat-text-light", "heat-text-dark", "heat-text-dark", "heat-text-light"]


def test_heatmap_legend_shows_the_four_bands_and_no_data():
    root = parse(heatmap([[10]], legend_labels=("low", "fair", "good", "ready"), no_data_label="n/a"))
    legend = having(root, "g", "chart-legend")[0]
    swatches = [next(c for c in classes(r) if c.startswith("heat-")) for r in legend.iter(f"{SVG}rect")]
    assert swatches == ["heat-0", "heat-1", "heat-2", "heat-3", "heat-none"]
    assert all_text(legend) == "low fair good ready n/a"


def test_heatmap_labels_rows_columns_and_the_row_header():
    root = parse(
        heatmap([[1, 2]], rows=["Incident management"], columns=["Baseline\n2026-03-01", "Audit"], row_header="Process")
    )
    headers = having(root, "text", "chart-header")
    assert [[s.text for s in h.findall(f"{SVG}tspan")] for h in headers] == [
        ["Process"],
        ["Baseline", "2026-03-01"],
        ["Audit"],
    ]
    assert "Incident management" in all_text(root)


def test_heatmap_wraps_long_row_labels_on_two_lines_at_most():
    rows = [LONG, LONG * 4, CHINESE * 5]
    root = parse(heatmap([[1], [2], [3]], rows=rows))
    labels = [t for t in having(root, "text", "chart-label") if "chart-header" not in classes(t)]
    assert len(labels) == 3
    for label in labels:
        assert 1 <= len(label.findall(f"{SVG}tspan")) <= 2
    for label in labels[1:]:
        assert label.findall(f"{SVG}tspan")[-1].text.endswith("…")


def test_heatmap_takes_60_rows_and_12_columns():
    values = [[float((i + j * 9) % 101) for j in range(12)] for i in range(60)]
    root = parse(heatmap(values))
    assert len(cells(root)) == 720
    rects = having(root, "rect", "chart-cell")
    xs = sorted({float(r.get("x")) for r in rects})
    ys = sorted({float(r.get("y")) for r in rects})
    assert len(xs) == 12
    assert len(ys) == 60
    width = float(root.get("viewBox").split()[2])
    assert max(xs) + float(rects[0].get("width")) <= width


def test_heatmap_keeps_its_natural_size_so_a_small_table_is_not_blown_up():
    root = parse(heatmap([[10], [90]], rows=["4", "5"], columns=["Baseline"]))
    width, height = (float(v) for v in root.get("viewBox").split()[2:])
    assert (float(root.get("width")), float(root.get("height"))) == (width, height)
    assert width < 400  # two short rows, one column: far narrower than a page column


def test_heatmap_without_rows_or_columns_just_says_no_data():
    for rows, columns, values in (([], ["A"], []), (["R"], [], [[]])):
        root = parse(heatmap_svg(rows, columns, values, title="t", id_prefix="h", no_data_label="nothing yet"))
        assert all_text(root) == "nothing yet"


def test_heatmap_rejects_values_of_the_wrong_shape():
    with pytest.raises(ValueError, match="The heat map needs 2 rows of 1 values"):
        heatmap_svg(["a", "b"], ["x"], [[1]], title="t", id_prefix="h")
    with pytest.raises(ValueError, match="The heat map needs 1 rows of 2 values"):
        heatmap_svg(["a"], ["x", "y"], [[1]], title="t", id_prefix="h")
    with pytest.raises(ValueError, match="The heat map legend needs 4 labels"):
        heatmap_svg(["a"], ["x"], [[1]], title="t", id_prefix="h", legend_labels=("a", "b"))


# --------------------------------------------------------------------------------------------------------------------
# Trend


def trend_scale(root: ET.Element) -> tuple[float, float]:
    """The y of the 0 % axis and of the 100 % grid line."""
    axis = having(root, "line", "chart-axis")[0]
    lines = sorted(float(line.get("y1")) for line in having(root, "line", "chart-gridline"))
    return float(axis.get("y1")), lines[0]


def test_trend_draws_a_line_through_the_points_with_value_labels():
    points = [("Baseline\n2026-03-01", 41.6), ("Follow-up\n2026-06-15", 58.0), ("Audit", 0.0), ("Final", 100.0)]
    root = parse(trend(points))
    circles = having(root, "circle", "chart-point")
    assert len(circles) == 4
    lines = having(root, "polyline", "chart-line")
    assert len(lines) == 1
    assert len(coords(lines[0].get("points"))) == 4
    assert [t.text for v in having(root, "text", "chart-value") for t in v.findall(f"{SVG}tspan")] == [
        "42 %",
        "58 %",
        "0 %",
        "100 %",
    ]
    assert title_of(circles[0]) == "Baseline 2026-03-01: 42 %"
    zero, hundred = trend_scale(root)
    assert float(circles[2].get("cy")) == pytest.approx(zero)
    assert float(circles[3].get("cy")) == pytest.approx(hundred)
    xs = [float(c.get("cx")) for c in circles]
    assert xs == sorted(xs)


def test_trend_grid_is_at_25_percent_steps():
    root = parse(trend([("A", 10), ("B", 20)]))
    assert len(having(root, "line", "chart-gridline")) == 4
    assert len(having(root, "line", "chart-axis")) == 1
    ticks = [t.findall(f"{SVG}tspan")[0].text for t in having(root, "text", "chart-tick")]
    assert ticks == ["0 %", "25 %", "50 %", "75 %", "100 %"]


def test_trend_a_newline_in_a_label_makes_a_second_line():
    root = parse(trend([("Baseline\n2026-03-01", 50)]))
    label = having(root, "text", "chart-label")[0]
    assert [s.text for s in label.findall(f"{SVG}tspan")] == ["Baseline", "2026-03-01"]


def test_trend_skips_missing_values_and_breaks_the_line_there():
    root = parse(
        trend(
            [("A", 10), ("B", 20), ("C", None), ("D", 30), ("E", 40), ("F", None), ("G", 50)],
            no_data_label="no answers",
        )
    )
    assert len(having(root, "circle", "chart-point")) == 5
    lines = having(root, "polyline", "chart-line")
    assert [len(coords(line.get("points"))) for line in lines] == [2, 2]
    muted = [g for g in labelled_groups(root) if "chart-label-muted" in classes(g.find(f"{SVG}text"))]
    assert [title_of(g) for g in muted] == ["C: no answers", "F: no answers"]


def test_trend_with_one_point_draws_the_dot_only():
    root = parse(trend([("Baseline", 55)], series_label="Readiness"))
    assert len(having(root, "circle", "chart-point")) == 1
    assert having(root, "polyline", "chart-line") == []
    assert "Readiness" in all_text(having(root, "g", "chart-legend")[0])


def test_trend_with_only_missing_values_draws_the_axes_and_no_dot():
    root = parse(trend([("A", None), ("B", None)]))
    assert having(root, "circle", "chart-point") == []
    assert len(having(root, "line", "chart-axis")) == 1


def test_trend_without_points_just_says_no_data():
    root = parse(trend([], no_data_label="nothing measured yet"))
    assert all_text(root) == "nothing measured yet"
    assert list(root.iter(f"{SVG}circle")) == []
