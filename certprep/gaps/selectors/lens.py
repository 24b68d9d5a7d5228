"""The 13-process lens seen from a framework's requirements, and the clause each requirement sits under."""

from __future__ import annotations

from dataclasses import dataclass

from certprep.catalogue.models import Process, Requirement
from certprep.catalogue.selectors import PROCESS_LENS_URN


def processes() -> list[Process]:
    """The processes of the lens, in lens order (one query)."""
    return list(Process.objects.filter(lens__urn=PROCESS_LENS_URN).order_by("order"))


def process_codes_by_requirement(framework_id: int) -> dict[int, list[str]]:
    """requirement id -> codes of the lens processes it maps to, in lens order (one query)."""
    through = Process.requirements.through
    rows = (
        through.objects.filter(process__lens__urn=PROCESS_LENS_URN, requirement__framework_id=framework_id)
        .order_by("process__order")
        .values_list("requirement_id", "process__code")
    )
    result: dict[int, list[str]] = {}
    for requirement_id, code in rows:
        result.setdefault(requirement_id, []).append(code)
    return result


@dataclass(frozen=True)
class Node:
    pk: int
    parent_id: int | None
    ref_id: str
    name: str
    depth: int


def tree(framework_id: int) -> dict[int, Node]:
    """Every requirement of a framework as light nodes (one query), to find clauses and parents."""
    rows = Requirement.objects.filter(framework_id=framework_id).values_list(
        "pk", "parent_id", "ref_id", "name", "depth", "translations"
    )
    nodes: dict[int, Node] = {}
    from django.utils.translation import get_language

    lang = (get_language() or "en").lower()
    for pk, parent_id, ref_id, name, depth, translations in rows:
        localized = ""
        for key in (lang, lang.split("-")[0]):
            localized = ((translations or {}).get(key) or {}).get("name") or localized
        nodes[pk] = Node(pk, parent_id, ref_id, localized or name, depth)
    return nodes


def top_clause(nodes: dict[int, Node], pk: int) -> Node | None:
    """The top-level node above (or at) a requirement, e.g. clause 8 for 8.5.1.2."""
    node = nodes.get(pk)
    seen = 0
    while node is not None and node.parent_id is not None and seen < 50:
        node = nodes.get(node.parent_id)
        seen += 1
    return node


def parent_clause(nodes: dict[int, Node], pk: int) -> Node | None:
    """The node a requirement sits under (itself when it is top level)."""
    node = nodes.get(pk)
    if node is None:
        return None
    return nodes.get(node.parent_id) if node.parent_id is not None else node
