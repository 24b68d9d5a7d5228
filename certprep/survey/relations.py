"""The map of relations between processes: a directed graph built from the respondents' answers and
drawn as an SVG on the server, so the page, the standalone picture and later reports show the same map.

Pure: plain data in, a string out; no database. Every text that reaches the SVG is XML-escaped, and the
picture uses presentation attributes only (no style attributes), which the Content Security Policy allows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from certprep.core.wording import join_names

# Geometry of the picture, in SVG user units (the viewBox makes it scale to any width).
WIDTH = 980
CENTER_X = 490
CENTER_Y = 330
RADIUS = 215
NODE_RADIUS = 11
LABEL_GAP = 18
LEGEND_TOP = 640
HEIGHT = 770
LABEL_CHARS = 22
LABEL_LINES = 3

# One colour per lens group, in group order; more groups than colours wrap around.
GROUP_COLOURS = ("#1d4e89", "#2a8c6e", "#b45f06", "#7b3f9e", "#b03a48", "#4a6b8a", "#6b7f1f")
EDGE_COLOUR = "#56657a"
FADED_TEXT = "#8b97a6"
TEXT_COLOUR = "#1f2a37"
MAX_WIDTH_STEP = 6  # counts above 1 + this all get the thickest line


@dataclass(frozen=True)
class MapNode:
    """A process on the map: its code, its (translated) name and its lens group."""

    code: str
    name: str
    group: str = ""
    group_name: str = ""


@dataclass(frozen=True)
class MapEdge:
    """A relation named by respondents. `count` respondents named target from source's questionnaire;
    `back_count` respondents named source from target's: a mutual relation is one edge with both counts."""

    source: str
    target: str
    count: int
    back_count: int = 0

    @property
    def mutual(self) -> bool:
        return self.back_count > 0

    @property
    def weight(self) -> int:
        return self.count + self.back_count


@dataclass(frozen=True)
class RelationGraph:
    nodes: tuple[MapNode, ...]
    edges: tuple[MapEdge, ...]

    def degree(self, code: str) -> int:
        return sum(1 for e in self.edges if code in (e.source, e.target))

    def isolated(self) -> list[str]:
        """Codes of the processes nobody related to anything."""
        linked = {e.source for e in self.edges} | {e.target for e in self.edges}
        return [n.code for n in self.nodes if n.code not in linked]


def build_graph(nodes: Sequence[MapNode], relations: Mapping[str, Mapping[str, int]]) -> RelationGraph:
    """The graph of `nodes` (in display order) with an edge for each relation counted at least once.

    `relations` maps a process code to {related process code: how many respondents named it}. Self
    references, unknown codes and counts below 1 are ignored; A->B and B->A become one mutual edge whose
    source is the process that comes first in `nodes`.
    """
    position = {n.code: i for i, n in enumerate(nodes)}
    directed: dict[tuple[str, str], int] = {}
    for source, targets in relations.items():
        if source not in position:
            continue
        for target, count in targets.items():
            if target in position and target != source and int(count) > 0:
                directed[(source, target)] = directed.get((source, target), 0) + int(count)
    edges: list[MapEdge] = []
    seen: set[tuple[str, str]] = set()
    for (source, target), count in sorted(directed.items(), key=lambda kv: (position[kv[0][0]], position[kv[0][1]])):
        pair = (source, target) if position[source] < position[target] else (target, source)
        if pair in seen:
            continue
        seen.add(pair)
        # Sources are visited in display order, so for a mutual pair the earlier process comes first here.
        back = directed.get((target, source), 0)
        edges.append(MapEdge(source=source, target=target, count=count, back_count=back))
    edges.sort(key=lambda e: (position[e.source], position[e.target]))
    return RelationGraph(nodes=tuple(nodes), edges=tuple(edges))


def stroke_width(count: int) -> float:
    """Line width for a relation named `count` times: grows with the count, capped so lines stay readable."""
    return 1.5 + min(max(count, 1) - 1, MAX_WIDTH_STEP)


def _attr(value: object) -> str:
    return escape(str(value), {'"': "&quot;", "'": "&apos;"})


def _num(value: float) -> str:
    """Fixed precision so the same input always gives the same bytes."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def wrap_label(text: str, width: int = LABEL_CHARS, max_lines: int = LABEL_LINES) -> list[str]:
    """Break a process name into short lines: at spaces, or every `width // 2` characters for text without
    spaces (Chinese), the last line shortened with an ellipsis when the name is too long."""
    words = text.split()
    lines: list[str] = []
    if len(words) <= 1 and len(text) > width // 2 and not text.isascii():
        step = max(width // 2, 1)
        lines = [text[i : i + step] for i in range(0, len(text), step)]
    else:
        current = ""
        for word in words:
            candidate = f"{current} {word}".strip()
            if current and len(candidate) > width:
                lines.append(current)
                current = word
            else:
                current = candidate
        if current:
            lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(width - 1, 1)] + "…"
    return lines or [""]


def _positions(nodes: Sequence[MapNode]) -> dict[str, tuple[float, float, float]]:
    """(x, y, angle) per code: nodes on a circle in order, starting at the top, with an empty slot
    between lens groups so each group reads as an arc of its own."""
    slots: list[str | None] = []
    previous: str | None = None
    for node in nodes:
        if slots and node.group != previous:
            slots.append(None)
        slots.append(node.code)
        previous = node.group
    if len(slots) > 1 and nodes and nodes[0].group != nodes[-1].group:
        slots.append(None)
    total = max(len(slots), 1)
    result = {}
    for i, code in enumerate(slots):
        if code is None:
            continue
        angle = -math.pi / 2 + 2 * math.pi * i / total
        result[code] = (CENTER_X + RADIUS * math.cos(angle), CENTER_Y + RADIUS * math.sin(angle), angle)
    return result


def _group_colours(nodes: Sequence[MapNode]) -> dict[str, str]:
    colours: dict[str, str] = {}
    for node in nodes:
        if node.group not in colours:
            colours[node.group] = GROUP_COLOURS[len(colours) % len(GROUP_COLOURS)]
    return colours


def _edge_title(edge: MapEdge, names: Mapping[str, str]) -> str:
    source, target = names[edge.source], names[edge.target]
    forward = ngettext(
        "%(source)s → %(target)s: named by %(n)s respondent",
        "%(source)s → %(target)s: named by %(n)s respondents",
        edge.count,
    ) % {"source": source, "target": target, "n": edge.count}
    if not edge.mutual:
        return forward
    backward = ngettext(
        "%(source)s → %(target)s: named by %(n)s respondent",
        "%(source)s → %(target)s: named by %(n)s respondents",
        edge.back_count,
    ) % {"source": target, "target": source, "n": edge.back_count}
    return _("%(forward)s; %(backward)s") % {"forward": forward, "backward": backward}


def _description(graph: RelationGraph, names: Mapping[str, str], isolated: set[str]) -> str:
    """What the map shows, in words (the picture's description for assistive technology)."""
    description = ngettext(
        "%(nodes)s processes and %(edges)s relation named by respondents.",
        "%(nodes)s processes and %(edges)s relations named by respondents.",
        len(graph.edges),
    ) % {"nodes": len(graph.nodes), "edges": len(graph.edges)}
    if isolated:
        description = _("%(summary)s Without any relation: %(names)s.") % {
            "summary": description,
            "names": join_names(names[c] for c in names if c in isolated),
        }
    return description


def _arrow_markers(graph: RelationGraph, pid: str) -> list[str]:
    """One arrow head per line width the map uses."""
    out = ["<defs>"]
    widths = sorted({stroke_width(e.weight) for e in graph.edges} | {stroke_width(1)})
    for width in widths:
        size = _num(7 + 2 * width)
        out.append(
            f'<marker id="{pid}-arrow-{_num(width).replace(".", "_")}" viewBox="0 0 10 10" refX="10" refY="5" '
            f'markerWidth="{size}" markerHeight="{size}" markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{EDGE_COLOUR}"/></marker>'
        )
    out.append("</defs>")
    return out


def _edges(graph: RelationGraph, positions: Mapping[str, tuple[float, float, float]], pid: str) -> list[str]:
    """The relations as arrows between the nodes' rims (both ends for a mutual relation)."""
    names = {n.code: n.name for n in graph.nodes}
    out = [f'<g class="edges" stroke="{EDGE_COLOUR}" stroke-opacity="0.75" fill="none">']
    for edge in graph.edges:
        x1, y1, _a1 = positions[edge.source]
        x2, y2, _a2 = positions[edge.target]
        length = math.hypot(x2 - x1, y2 - y1) or 1.0
        ux, uy = (x2 - x1) / length, (y2 - y1) / length
        gap = NODE_RADIUS + 3
        width = stroke_width(edge.weight)
        marker = f"url(#{pid}-arrow-{_num(width).replace('.', '_')})"
        start_marker = f' marker-start="{marker}"' if edge.mutual else ""
        out.append(
            f'<g class="edge" data-source="{_attr(edge.source)}" data-target="{_attr(edge.target)}">'
            f"<title>{escape(_edge_title(edge, names))}</title>"
            f'<line x1="{_num(x1 + ux * gap)}" y1="{_num(y1 + uy * gap)}" x2="{_num(x2 - ux * gap)}" '
            f'y2="{_num(y2 - uy * gap)}" stroke-width="{_num(width)}"{start_marker} marker-end="{marker}"/></g>'
        )
    out.append("</g>")
    return out


def _node(
    graph: RelationGraph,
    node: MapNode,
    position: tuple[float, float, float],
    *,
    colour: str,
    faded: bool,
    href: str | None,
) -> str:
    """One process: its circle and its name outside the ring, on the side facing away from the centre."""
    x, y, angle = position
    cos = math.cos(angle)
    anchor = "start" if cos > 0.25 else "end" if cos < -0.25 else "middle"
    lines = wrap_label(node.name)
    lx = x + (NODE_RADIUS + LABEL_GAP) * cos
    ly = y + (NODE_RADIUS + LABEL_GAP) * math.sin(angle)
    line_height = 15
    if anchor == "middle":
        # Above the top node, below the bottom one.
        first = ly - (len(lines) - 1) * line_height if math.sin(angle) < 0 else ly + 8
    else:
        first = ly + 4 - (len(lines) - 1) * line_height / 2
    degree = graph.degree(node.code)
    node_title = ngettext("%(name)s: %(n)s related process", "%(name)s: %(n)s related processes", degree) % {
        "name": node.name,
        "n": degree,
    }
    opacity = ' opacity="0.45"' if faded else ""
    body = [
        f"<title>{escape(node_title)}</title>",
        f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{NODE_RADIUS}" fill="{colour}" stroke="#ffffff" stroke-width="2"/>',
        f'<text x="{_num(lx)}" y="{_num(first)}" text-anchor="{anchor}" fill="{FADED_TEXT if faded else TEXT_COLOUR}">',
    ]
    for i, line in enumerate(lines):
        dy = "0" if i == 0 else str(line_height)
        body.append(f'<tspan x="{_num(lx)}" dy="{dy}">{escape(line)}</tspan>')
    body.append("</text>")
    inner = "".join(body)
    classes = "node faded" if faded else "node"
    if href:
        inner = f'<a href="{_attr(href)}">{inner}</a>'
    return f'<g class="{classes}" data-code="{_attr(node.code)}"{opacity}>{inner}</g>'


def render_svg(
    graph: RelationGraph,
    *,
    title: str = "",
    links: Mapping[str, str] | None = None,
    id_prefix: str = "relmap",
) -> str:
    """The map as a standalone SVG document fragment (an <svg> element). Same graph, same string.

    `links` optionally maps process codes to URLs (each process becomes a link to its summary)."""
    title = title or _("Relations between processes")
    links = links or {}
    names = {n.code: n.name for n in graph.nodes}
    positions = _positions(graph.nodes)
    colours = _group_colours(graph.nodes)
    isolated = set(graph.isolated())
    pid = _attr(id_prefix)
    # A picture is one image to assistive technology, its insides hidden; with links to the processes it is a
    # group, so that a screen reader reaches the links (an image holding links is refused by WCAG 4.1.2).
    role = "group" if links else "img"
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="{role}" '
        f'aria-label="{_attr(title)}" aria-describedby="{pid}-desc" class="relation-map" '
        f'font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="13">',
        f"<title>{escape(title)}</title>",
        f'<desc id="{pid}-desc">{escape(_description(graph, names, isolated))}</desc>',
        *_arrow_markers(graph, pid),
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        # Edges first, so the nodes sit on top of them.
        *_edges(graph, positions, pid),
        '<g class="nodes">',
    ]
    for node in graph.nodes:
        out.append(
            _node(
                graph,
                node,
                positions[node.code],
                colour=colours[node.group],
                faded=node.code in isolated,
                href=links.get(node.code),
            )
        )
    out.append("</g>")
    out.extend(_legend(graph, colours, pid))
    out.append("</svg>")
    return "\n".join(out)


def _legend(graph: RelationGraph, colours: Mapping[str, str], pid: str) -> list[str]:
    out = [f'<g class="legend" fill="{TEXT_COLOUR}" font-size="12">']
    out.append(f'<line x1="20" y1="{LEGEND_TOP - 14}" x2="{WIDTH - 20}" y2="{LEGEND_TOP - 14}" stroke="#dde3ea"/>')
    # Groups, one per row on the left.
    group_names: dict[str, str] = {}
    for node in graph.nodes:
        group_names.setdefault(node.group, node.group_name or node.group)
    y = LEGEND_TOP
    for group, name in group_names.items():
        if not name:
            continue
        out.append(f'<circle cx="30" cy="{y - 4}" r="6" fill="{colours[group]}"/>')
        out.append(f'<text x="44" y="{y}">{escape(name)}</text>')
        y += 20
    # Line widths and arrows on the right.
    x = 520
    y = LEGEND_TOP
    for count in (1, 3, 1 + MAX_WIDTH_STEP):
        width = stroke_width(count)
        label = (
            ngettext("named by %(n)s respondent", "named by %(n)s respondents", count) % {"n": count}
            if count < 1 + MAX_WIDTH_STEP
            else _("named by %(n)s or more respondents") % {"n": count}
        )
        out.append(
            f'<line x1="{x}" y1="{y - 4}" x2="{x + 50}" y2="{y - 4}" stroke="{EDGE_COLOUR}" '
            f'stroke-width="{_num(width)}"/>'
        )
        out.append(f'<text x="{x + 62}" y="{y}">{escape(label)}</text>')
        y += 20
    marker = f"url(#{pid}-arrow-{_num(stroke_width(1)).replace('.', '_')})"
    out.append(
        f'<line x1="{x}" y1="{y - 4}" x2="{x + 50}" y2="{y - 4}" stroke="{EDGE_COLOUR}" stroke-width="1.5" '
        f'marker-end="{marker}"/>'
    )
    out.append(f'<text x="{x + 62}" y="{y}">{escape(_("one process names the other"))}</text>')
    y += 20
    out.append(
        f'<line x1="{x}" y1="{y - 4}" x2="{x + 50}" y2="{y - 4}" stroke="{EDGE_COLOUR}" stroke-width="1.5" '
        f'marker-start="{marker}" marker-end="{marker}"/>'
    )
    out.append(f'<text x="{x + 62}" y="{y}">{escape(_("both name each other"))}</text>')
    y += 20
    out.append(f'<circle cx="{x + 25}" cy="{y - 4}" r="6" fill="{GROUP_COLOURS[0]}" opacity="0.45"/>')
    out.append(f'<text x="{x + 62}" y="{y}" fill="{FADED_TEXT}">{escape(_("no relation named yet"))}</text>')
    out.append("</g>")
    return out
