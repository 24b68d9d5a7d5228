"""The outline of a framework: where each requirement sits, what heading it falls under, what a clause
filter means, and the part of a large tree one page shows. Every read is a fixed number of queries.

Real frameworks differ in shape: NIST SP 800-53 has families `AC` over controls `AC-2` and enhancements
`AC-2(1)`, ISO/IEC 27001:2022 has `core` and `annex-a` top nodes, NZISM v3 has chapters and sections with
neither reference nor name, only a description. Nothing here assumes dotted numbers.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, prefetch_related_objects

from certprep.catalogue.models import Framework, Process, Requirement
from certprep.catalogue.search import text_matches
from certprep.core.languages import translated

# --- the outline of a framework: clauses, their headings and the nodes under them ------------------------

HEADING_CHARS = 80  # a heading named from its description is cut to this length


@dataclass(frozen=True)
class OutlineNode:
    """A requirement as the outline of its framework needs it: where it sits and what names it."""

    pk: int
    parent_id: int | None
    ref_id: str
    name: str
    description: str

    @property
    def named(self) -> bool:
        """Whether the node has a reference or a name (NZISM's chapters and sections have neither)."""
        return bool(self.ref_id or self.name)

    @property
    def label(self) -> str:
        """How people call the node: "8.5.1 Change management policy", "AC", or, for a node with only a
        description, the start of its description (up to its first full stop, colon or semicolon, at most
        HEADING_CHARS characters)."""
        if self.named:
            return f"{self.ref_id} {self.name}".strip()
        text = " ".join(self.description.split())
        sentence = re.split(r"[.:;。：；]\s*", text, maxsplit=1)[0]
        if len(sentence) > HEADING_CHARS:
            sentence = sentence[: HEADING_CHARS - 1].rstrip() + "…"
        return sentence


def outline(framework_id: int) -> dict[int, OutlineNode]:
    """Every requirement of a framework (current or not) as outline nodes, names and descriptions in the
    active language (one query)."""
    nodes: dict[int, OutlineNode] = {}
    rows = Requirement.objects.filter(framework_id=framework_id).values_list(
        "pk", "parent_id", "ref_id", "name", "description", "translations"
    )
    for pk, parent_id, ref_id, name, description, translations in rows:
        nodes[pk] = OutlineNode(
            pk,
            parent_id,
            ref_id,
            translated(translations, "name") or name,
            translated(translations, "description") or description,
        )
    return nodes


def heading_of(nodes: dict[int, OutlineNode], pk: int) -> OutlineNode | None:
    """The heading a requirement is grouped under: its nearest ancestor with a reference or a name, else its
    nearest ancestor with a description; the requirement itself when it has no parent."""
    node = nodes.get(pk)
    if node is None:
        return None
    described: OutlineNode | None = None
    ancestor = nodes.get(node.parent_id) if node.parent_id is not None else None
    for _step in range(64):  # the importer refuses deeper files; this only stops a corrupt loop
        if ancestor is None:
            break
        if ancestor.named:
            return ancestor
        if described is None and ancestor.description.strip():
            described = ancestor
        ancestor = nodes.get(ancestor.parent_id) if ancestor.parent_id is not None else None
    if described is not None:
        return described
    return node if node.parent_id is None else None


def clause_requirement_ids(*, framework_id: int, clause: str) -> list[int]:
    """The requirements a clause filter means: the nodes whose reference is `clause` and everything under
    them in the tree (NIST's `AC` holds `AC-2` and `AC-2(1)`, ISO 27001's `core` holds `4.1`), plus, for
    frameworks listed flat, the references that continue it with a dot (`8` holds `8.5.1`). One query."""
    wanted = clause.strip().casefold()
    if not wanted:
        return []
    rows = list(
        Requirement.objects.filter(framework_id=framework_id)
        .order_by("order", "pk")
        .values_list("pk", "parent_id", "ref_id")
    )
    children: dict[int, list[int]] = defaultdict(list)
    found: list[int] = []
    for pk, parent_id, ref_id in rows:
        if parent_id is not None:
            children[parent_id].append(pk)
        folded = ref_id.casefold()
        if folded == wanted or folded.startswith(wanted + "."):
            found.append(pk)
    under: set[int] = set()
    stack = list(found)
    while stack:
        pk = stack.pop()
        if pk not in under:
            under.add(pk)
            stack.extend(children.get(pk, ()))
    return [pk for pk, _parent, _ref in rows if pk in under]


# --- one page of a framework's tree -------------------------------------------------------------------

WHOLE_TREE_UP_TO = 400  # a tree (or a filtered part of one) this small is shown whole
PAGE_NODES = 200  # otherwise a page shows at most this many nodes


@dataclass(frozen=True)
class Section:
    """A top-level node of a large tree, as the table of contents lists it."""

    pk: int
    label: str
    nodes: int  # in its subtree, itself included


@dataclass
class TreePage:
    """What the catalogue page shows of a framework: the visible nodes and how to reach the others."""

    nodes: list[Requirement]
    match_count: int  # assessable requirements matching the filter, on every page
    sections: list[Section]  # the table of contents of a large unfiltered tree, else empty
    section: int | None  # the top-level node shown
    page: int
    pages: int
    shown_from: int  # 1-based positions of the first and last node shown, of `total`
    shown_to: int
    total: int


def _label(ref_id: str, name: str, description: str) -> str:
    return OutlineNode(0, None, ref_id, name, description).label


def tree_page(
    framework: Framework, *, q: str = "", process: Process | None = None, section: int | None = None, page: int = 1
) -> TreePage:
    """The part of a framework's current requirements one page shows, in document order, each with its
    `processes` prefetched.

    With `q` (text in any language, ref_id included) or `process`, the matching requirements and their
    ancestors, so the tree still reads from the top. A tree of more than WHOLE_TREE_UP_TO nodes is shown a
    top-level section at a time (unfiltered) or PAGE_NODES nodes at a time (filtered, and inside a large
    section). Five queries at most, however large the framework.
    """
    rows = list(
        Requirement.objects.filter(framework=framework, is_current=True)
        .order_by("order", "pk")
        .values_list("pk", "parent_id", "assessable")
    )
    parent_of = {pk: parent_id for pk, parent_id, _a in rows}
    order = [pk for pk, _p, _a in rows]
    assessable = {pk for pk, _p, is_assessable in rows if is_assessable}
    wanted: set[int] | None = None
    query = q.strip().lower()
    if query:
        matches = Requirement.objects.filter(text_matches("search_text", query), framework=framework, is_current=True)
        wanted = set(matches.values_list("pk", flat=True))
    if process is not None:
        mapped = set(process.requirements.filter(framework=framework).values_list("pk", flat=True))
        wanted = mapped if wanted is None else wanted & mapped
    tops_wanted: list[int] = []
    size: dict[int, int] = defaultdict(int)
    current: int | None = None
    if wanted is not None:
        shown: set[int] = set()
        for wanted_pk in wanted:
            pk: int | None = wanted_pk
            while pk is not None and pk not in shown and pk in parent_of:
                shown.add(pk)
                pk = parent_of[pk]
        listed = [pk for pk in order if pk in shown]
        match_count = len(wanted & assessable)
    elif len(order) <= WHOLE_TREE_UP_TO:
        listed = order
        match_count = len(assessable)
    else:
        top_of: dict[int, int] = {}
        for pk in order:  # a parent comes before its children in document order
            parent = parent_of[pk]
            top_of[pk] = top_of.get(parent, pk) if parent is not None else pk
        for pk in order:
            size[top_of[pk]] += 1
        tops = [pk for pk in order if parent_of[pk] is None]
        current = section if section in size else (tops[0] if tops else None)
        listed = [pk for pk in order if top_of[pk] == current]
        match_count = len(assessable)
        tops_wanted = tops
    total = len(listed)
    pages = max(1, -(-total // PAGE_NODES)) if total > WHOLE_TREE_UP_TO else 1
    page = min(max(1, page), pages)
    if pages > 1:
        listed = listed[(page - 1) * PAGE_NODES : page * PAGE_NODES]
    # One query for the nodes shown and, in a large tree, the top-level nodes the contents name.
    by_pk = {r.pk: r for r in Requirement.objects.filter(pk__in={*listed, *tops_wanted})}
    nodes = [by_pk[pk] for pk in listed if pk in by_pk]
    sections = [
        Section(pk=pk, label=_label(top.ref_id, top.tr.name, top.tr.description), nodes=size[pk])
        for pk in tops_wanted
        if (top := by_pk.get(pk)) is not None
    ]
    prefetch_related_objects(
        nodes, Prefetch("processes", queryset=Process.objects.select_related("group").order_by("order"))
    )
    start = (page - 1) * PAGE_NODES if pages > 1 else 0
    return TreePage(
        nodes=nodes,
        match_count=match_count,
        sections=sections,
        section=current,
        page=page,
        pages=pages,
        shown_from=start + 1 if nodes else 0,
        shown_to=start + len(nodes),
        total=total,
    )
