"""Reading the catalogue: framework list, requirement tree with search and process filter, lenses."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certprep.catalogue import selectors, services
from certprep.catalogue.models import Process

# Imports and reads tested from a fresh installation's empty catalogue (the test database ships with it loaded).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_catalogue")]

SAMPLES = Path(__file__).parent / "samples"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


@pytest.fixture
def change_basics():
    framework = services.framework_import(data=sample("certprep_small.yaml")).framework
    services.lens_import(data=sample("lens_small.yaml"))
    return framework


def refs(requirements) -> list[str]:
    return [requirement.ref_id for requirement in requirements]


def test_frameworks_are_listed_with_their_current_assessable_count(change_basics):
    services.framework_import(data=sample("ciso_v1.yaml"))
    services.framework_import(data=sample("ciso_v2.yaml"))
    counts = {f.urn: f.assessable_count for f in selectors.frameworks_with_counts()}
    assert counts == {
        "urn:certprep-test:framework:change-basics": 3,
        "urn:certprep-test:risk:framework:desk-baseline": 6,
    }


def test_the_tree_is_in_document_order_and_leaves_out_retired_requirements():
    framework = services.framework_import(data=sample("ciso_v1.yaml")).framework
    services.framework_import(data=sample("ciso_v2.yaml"))
    assert refs(selectors.requirement_tree(framework)) == ["C", "C.1", "C.2", "", "R", "R.1", "R.2", "R.4", "E", "E.1"]


def test_search_finds_a_clause_by_a_chinese_word_with_its_ancestors(change_basics):
    assert refs(selectors.requirement_tree(change_basics, q="回退")) == ["1", "1.2", "1.2.1"]


def test_search_finds_a_clause_by_its_ref_id(change_basics):
    assert refs(selectors.requirement_tree(change_basics, q="1.2.1")) == ["1", "1.2", "1.2.1"]


def test_search_ignores_case_and_surrounding_spaces(change_basics):
    assert refs(selectors.requirement_tree(change_basics, q="  ROLLBACK ")) == ["1", "1.2", "1.2.1"]


def test_a_search_that_matches_nothing_gives_an_empty_tree(change_basics):
    assert selectors.requirement_tree(change_basics, q="nothing like this") == []


def test_the_process_filter_keeps_its_mapped_clauses_and_their_ancestors(change_basics):
    process = Process.objects.get(code="change-management")
    assert refs(selectors.requirement_tree(change_basics, process=process)) == ["1", "1.1", "1.2", "1.2.1"]
    assert refs(selectors.requirement_tree(change_basics, process=process, q="rollback")) == ["1", "1.2", "1.2.1"]


def test_tree_nodes_carry_their_processes_for_badges(change_basics):
    nodes = {r.ref_id: r for r in selectors.requirement_tree(change_basics)}
    with CaptureQueriesContext(connection) as queries:
        assert [p.code for p in nodes["1.1"].processes.all()] == ["change-management"]
        assert [p.group.code for p in nodes["2.1"].processes.all()] == ["release"]
    assert len(queries) == 0


def _generated(count: int) -> bytes:
    lines = [
        "format: certprep.framework/1",
        f"urn: urn:t:framework:size{count}",
        "ref_id: S",
        "name: Size",
        "version: 1",
        "requirements:",
    ]
    for chapter in range(count // 10):
        lines += [f"  - ref_id: '{chapter}'", f"    name: Chapter {chapter}", "    children:"]
        lines += [f"      - {{ref_id: '{chapter}.{i}', name: Clause {i}, assessable: true}}" for i in range(9)]
    return "\n".join(lines).encode()


@pytest.mark.parametrize("q", ["", "clause 3"])
def test_the_tree_takes_the_same_number_of_queries_whatever_the_framework_size(q):
    small = services.framework_import(data=_generated(20)).framework
    large = services.framework_import(data=_generated(600)).framework
    counts = []
    for framework in (small, large):
        with CaptureQueriesContext(connection) as queries:
            nodes = selectors.requirement_tree(framework, q=q)
            for node in nodes:
                list(node.processes.all())
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_lenses_for_a_framework_come_with_groups_and_processes(change_basics):
    lenses = list(selectors.lenses_for(change_basics))
    assert [lens.urn for lens in lenses] == ["urn:certprep-test:lens:change-view"]
    with CaptureQueriesContext(connection) as queries:
        assert [g.code for g in lenses[0].groups.all()] == ["control", "release"]
        assert [p.code for p in lenses[0].processes.all()] == ["change-management", "release-management"]
    assert len(queries) == 0
