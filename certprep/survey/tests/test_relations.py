"""The relations map: a pure graph and its SVG picture, checked without the database."""

from __future__ import annotations

import defusedxml.ElementTree as ET

from certprep.survey.relations import MapNode, build_graph, render_svg, stroke_width, wrap_label

SVG = "{http://www.w3.org/2000/svg}"

NODES = [
    MapNode("service-level", "Service level management", "service-delivery", "Service delivery processes"),
    MapNode("capacity", "Capacity management", "service-delivery", "Service delivery processes"),
    MapNode("supplier", "Supplier management", "relationship", "Relationship processes"),
    MapNode("incident", "Incident management", "resolution", "Resolution processes"),
    MapNode("problem", "Problem management", "resolution", "Resolution processes"),
    MapNode("change", "Change management", "control", "Control processes"),
]


def _graph(relations=None):
    return build_graph(
        NODES,
        relations
        if relations is not None
        else {"incident": {"problem": 3, "change": 1}, "problem": {"incident": 2}, "change": {"capacity": 5}},
    )


def test_it_builds_one_edge_per_related_pair_and_merges_mutual_relations():
    graph = _graph()
    assert len(graph.nodes) == 6
    assert len(graph.edges) == 3
    mutual = [e for e in graph.edges if e.mutual]
    assert len(mutual) == 1
    assert (mutual[0].source, mutual[0].target, mutual[0].count, mutual[0].back_count) == ("incident", "problem", 3, 2)
    assert mutual[0].weight == 5
    assert sorted(graph.isolated()) == ["service-level", "supplier"]


def test_it_ignores_self_references_unknown_processes_and_zero_counts():
    graph = _graph({"incident": {"incident": 4, "ghost": 2, "problem": 0}, "ghost": {"incident": 1}})
    assert graph.edges == ()
    assert len(graph.isolated()) == 6


def test_the_svg_has_one_line_per_edge_and_one_circle_per_node():
    svg = render_svg(_graph())
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    edges = root.findall(f".//{SVG}g[@class='edge']")
    nodes = root.findall(f".//{SVG}g[@data-code]")
    assert len(edges) == 3
    assert len(nodes) == 6
    faded = [n.get("data-code") for n in nodes if "faded" in n.get("class")]
    assert sorted(faded) == ["service-level", "supplier"]
    mutual_line = root.find(f".//{SVG}g[@data-source='incident'][@data-target='problem']/{SVG}line")
    assert mutual_line.get("marker-start")
    assert mutual_line.get("marker-end")
    single_line = root.find(f".//{SVG}g[@data-source='incident'][@data-target='change']/{SVG}line")
    assert single_line.get("marker-start") is None
    assert single_line.get("marker-end")


def test_line_width_grows_with_the_number_of_respondents():
    assert stroke_width(1) < stroke_width(2) < stroke_width(5)
    assert stroke_width(100) == stroke_width(7)
    root = ET.fromstring(render_svg(_graph()))
    width = {
        (g.get("data-source"), g.get("data-target")): float(g.find(f"{SVG}line").get("stroke-width"))
        for g in root.findall(f".//{SVG}g[@class='edge']")
    }
    assert width[("incident", "change")] < width[("change", "capacity")]


def test_it_is_accessible_and_scales():
    svg = render_svg(_graph(), title="Relations between processes")
    root = ET.fromstring(svg)
    assert root.get("viewBox").startswith("0 0 ")
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Relations between processes"
    assert root.find(f"{SVG}title").text == "Relations between processes"
    assert root.find(f"{SVG}desc") is not None
    assert root.find(f".//{SVG}g[@class='legend']") is not None


def test_a_map_with_links_is_a_group_so_its_links_reach_assistive_technology():
    linked = ET.fromstring(render_svg(_graph(), links={"incident": "/e/1/survey/state/incident/"}))
    assert linked.get("role") == "group"
    assert linked.get("aria-label")
    assert linked.find(f".//{SVG}a") is not None
    assert ET.fromstring(render_svg(_graph())).get("role") == "img"


def test_every_text_is_escaped():
    nodes = [*NODES[:-1], MapNode("change", '<script>alert("x")</script> & co', "control", "<b>Control</b>")]
    svg = render_svg(
        build_graph(nodes, {"change": {"incident": 1}}), title="A <title>", links={"change": '/x?a=1&b="2"'}
    )
    assert "<script>" not in svg
    assert "<b>" not in svg
    assert "&lt;script&gt;" in svg
    root = ET.fromstring(svg)  # well-formed despite the hostile names
    texts = "".join(root.itertext())
    assert '<script>alert("x")</script>' in texts
    link = root.find(f".//{SVG}g[@data-code='change']/{SVG}a")
    assert link.get("href") == '/x?a=1&b="2"'


def test_the_same_input_gives_the_same_svg():
    first = render_svg(_graph())
    relations = {"change": {"capacity": 5}, "problem": {"incident": 2}, "incident": {"change": 1, "problem": 3}}
    assert render_svg(_graph(relations)) == first
    assert render_svg(_graph()) == first


def test_no_style_attributes_are_used():
    svg = render_svg(_graph())
    assert "style=" not in svg
    assert "<script" not in svg


def test_an_empty_graph_still_renders():
    root = ET.fromstring(render_svg(build_graph([], {})))
    assert root.findall(f".//{SVG}g[@data-code]") == []


def test_long_names_are_wrapped_and_chinese_names_are_cut_into_lines():
    lines = wrap_label("Service continuity and availability management")
    assert len(lines) > 1
    assert all(len(line) <= 22 for line in lines)
    assert " ".join(lines) == "Service continuity and availability management"
    lines = wrap_label("服务连续性和可用性管理过程")
    assert len(lines) == 2
    assert "".join(lines) == "服务连续性和可用性管理过程"
    assert wrap_label("a " * 100)[-1].endswith("…")
