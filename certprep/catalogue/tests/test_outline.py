"""The outline of real-shaped frameworks: natural reference order, what a clause filter means, the heading a
requirement falls under, and the part of a large tree one catalogue page shows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certprep.catalogue.models import Requirement
from certprep.catalogue.outline import clause_requirement_ids, heading_of, outline, tree_page
from certprep.catalogue.refs import ref_sort_key, sorted_refs
from certprep.catalogue.services import framework_import
from certprep.catalogue.tests.libraries import iso27001_like, nist_like, nzism_like

pytestmark = pytest.mark.django_db


def test_references_sort_naturally_whatever_their_shape():
    refs = ["A", "10", "AC-10", "4.10", "4.9", "AC-2(1)", "AC-2", "annex-a", "core", "", "A.5.10", "A.5.2", "4"]
    assert sorted_refs(refs) == [
        "",
        "4",
        "4.9",
        "4.10",
        "10",
        "A",
        "A.5.2",
        "A.5.10",
        "AC-2",
        "AC-2(1)",
        "AC-10",
        "annex-a",
        "core",
    ]


def test_any_two_references_compare():
    # The dashboard's old key compared 4 with "AC" and failed with a TypeError.
    assert ref_sort_key("4") < ref_sort_key("AC")
    assert ref_sort_key("8.5.1") < ref_sort_key("8.A")


def refs_of(pks: list[int]) -> list[str]:
    by_pk = dict(Requirement.objects.filter(pk__in=pks).values_list("pk", "ref_id"))
    return [by_pk[pk] for pk in pks]


def test_a_nist_family_holds_its_controls_and_their_enhancements():
    framework = framework_import(data=nist_like(controls=2, enhancements=1)).framework
    assert refs_of(clause_requirement_ids(framework_id=framework.pk, clause="AC")) == [
        "AC",
        "AC-1",
        "AC-1(1)",
        "AC-2",
        "AC-2(1)",
    ]
    assert refs_of(clause_requirement_ids(framework_id=framework.pk, clause="ac-2")) == ["AC-2", "AC-2(1)"]
    assert clause_requirement_ids(framework_id=framework.pk, clause="ZZ") == []


def test_iso_27001_core_holds_the_clauses_under_it():
    framework = framework_import(data=iso27001_like()).framework
    found = refs_of(clause_requirement_ids(framework_id=framework.pk, clause="core"))
    assert found[0] == "core"
    assert {"4", "4.1", "6.2"} <= set(found)
    assert "A.5.1" not in found


def test_a_requirement_under_unnamed_parents_is_headed_by_their_description():
    framework = framework_import(data=nzism_like(nodes=30)).framework
    nodes = outline(framework.pk)
    paragraph = Requirement.objects.get(framework=framework, ref_id="1.1.1.C01")
    control = heading_of(nodes, paragraph.pk)
    assert control is not None
    assert control.label == "1.1.1"
    section = heading_of(nodes, Requirement.objects.get(framework=framework, ref_id="1.1.1").pk)
    assert section is not None
    assert section.label == "Information security governance, section 1"


def test_a_large_framework_shows_one_section_and_a_table_of_contents():
    framework = framework_import(data=nzism_like(nodes=1200)).framework
    shown = tree_page(framework)
    assert len(shown.sections) > 1
    assert shown.section == shown.sections[0].pk
    assert len(shown.nodes) == shown.sections[0].nodes < 1200
    assert shown.sections[0].label.startswith("Information security governance")
    second = tree_page(framework, section=shown.sections[1].pk)
    assert second.nodes[0].pk == shown.sections[1].pk


def test_a_search_looks_through_every_section_and_pages_long_results():
    framework = framework_import(data=nzism_like(nodes=1200)).framework
    found = tree_page(framework, q="paragraph 1 of control")
    assert not found.sections
    assert found.total > 200
    assert found.pages > 1
    assert len(found.nodes) == 200
    last = tree_page(framework, q="paragraph 1 of control", page=found.pages)
    assert last.nodes
    assert last.shown_to == found.total
    assert found.match_count == sum(
        1 for node in Requirement.objects.filter(framework=framework, ref_id__endswith="C01")
    )


@pytest.mark.parametrize("query", ["", "?q=physical", "?section=0&page=2"])
def test_the_catalogue_page_of_a_large_framework_runs_the_same_queries_at_two_sizes(admin_client, query):
    counts = []
    for size, slug in ((600, "small"), (3000, "large")):
        data = nzism_like(nodes=size).replace(b"nzism-like", f"nzism-{slug}".encode())
        framework = framework_import(data=data).framework
        url = reverse("catalogue:detail", args=[framework.pk]) + query
        with CaptureQueriesContext(connection) as captured:
            response = admin_client.get(url)
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_the_catalogue_page_of_a_5880_node_framework_renders_a_section_not_the_whole_tree(admin_client):
    framework = framework_import(data=nzism_like(nodes=5880)).framework
    page = admin_client.get(reverse("catalogue:detail", args=[framework.pk])).content.decode()
    assert page.count('class="node ') < 400
    assert "Contents:" in page
    assert 'aria-current="page"' in page
    found = admin_client.get(reverse("catalogue:detail", args=[framework.pk]), {"q": "cryptography"}).content.decode()
    assert "Cryptography" in found
    assert "Contents:" not in found
