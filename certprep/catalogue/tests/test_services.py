"""Importing frameworks and process lenses into the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certprep.catalogue import services
from certprep.catalogue.importers import FrameworkFileError
from certprep.catalogue.models import Framework, Process, ProcessGroup, ProcessLens, Requirement
from certprep.core.models import AuditEntry

# Imports and reads tested from a fresh installation's empty catalogue (the test database ships with it loaded).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_catalogue")]

SAMPLES = Path(__file__).parent / "samples"
DESK = "urn:certprep-test:risk:req_node:desk-baseline:"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def catalogue_state() -> list[tuple]:
    """Every catalogue row as plain values, to prove a refused import changed nothing."""
    rows: list[tuple] = []
    for model in (Framework, Requirement, ProcessLens, ProcessGroup, Process):
        rows.extend(tuple(row.values()) for row in model.objects.order_by("pk").values())
    rows.extend(Process.requirements.through.objects.order_by("pk").values_list())
    return rows


def generated_framework(count: int, *, version: int = 1) -> bytes:
    """A CISO Assistant-shaped library of `count` nodes: chapters of nine clauses each."""
    lines = [
        "urn: urn:t:library:big",
        "locale: en",
        "ref_id: BIG",
        "name: Big",
        f"version: {version}",
        "objects:",
        "  framework:",
        "    urn: urn:t:framework:big",
        "    ref_id: BIG",
        "    name: Big framework",
        "    requirement_nodes:",
    ]
    for i in range(count):
        lines += [f"    - urn: urn:t:req_node:big:{i}", f"      ref_id: '{i}'", f"      name: Clause {i}"]
        if i % 10:
            lines += [f"      parent_urn: urn:t:req_node:big:{i - i % 10}", "      assessable: true"]
        lines += ["      translations:", "        zh:", f"          name: 条款{i}"]
    return "\n".join(lines).encode()


# --- frameworks -----------------------------------------------------------------------------------------


def test_importing_a_certprep_file_creates_the_framework_and_its_tree(owner):
    result = services.framework_import(data=sample("certprep_small.yaml"), actor=owner)
    assert result.created
    assert result.added == 6
    assert (result.updated, result.retired) == (0, 0)
    framework = result.framework
    assert framework.library_version == 1
    assert framework.source_format == "certprep"
    assert framework.imported_by == owner
    tree = list(framework.requirements.order_by("order"))
    assert [r.ref_id for r in tree] == ["1", "1.1", "1.2", "1.2.1", "2", "2.1"]
    assert [r.order for r in tree] == [0, 1, 2, 3, 4, 5]
    assert tree[3].parent == tree[2]
    assert tree[2].parent == tree[0]
    assert tree[0].parent is None
    assert tree[3].depth == 3
    assert tree[1].translations["zh-hans"]["name"] == "变更请求"


def test_search_text_holds_every_language_in_lowercase():
    framework = services.framework_import(data=sample("certprep_small.yaml")).framework
    clause = framework.requirements.get(ref_id="1.1")
    assert "change requests" in clause.search_text
    assert "变更请求" in clause.search_text
    assert "显示申请人" in clause.search_text
    assert clause.search_text == clause.search_text.lower()


def test_importing_a_ciso_assistant_library_records_its_source_format():
    result = services.framework_import(data=sample("ciso_v1.yaml"))
    assert result.framework.source_format == "ciso-assistant"
    assert result.framework.urn == "urn:certprep-test:risk:framework:desk-baseline"
    assert result.framework.requirements.filter(assessable=True).count() == 5


def test_each_import_is_recorded_once_in_the_audit_trail(owner):
    services.framework_import(data=sample("ciso_v1.yaml"), actor=owner)
    services.framework_import(data=sample("ciso_v2.yaml"), actor=owner)
    entries = list(AuditEntry.objects.filter(object_type="catalogue.framework").order_by("pk"))
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[0].engagement is None
    assert entries[0].actor == owner
    assert entries[1].changes == {
        "version": [None, 2],
        "added": [None, 3],
        "updated": [None, 2],
        "moved": [None, 0],
        "retired": [None, 1],
    }


def test_a_newer_version_updates_in_place_keeping_the_keys_of_surviving_requirements():
    services.framework_import(data=sample("ciso_v1.yaml"))
    before = dict(Requirement.objects.values_list("urn", "pk"))

    result = services.framework_import(data=sample("ciso_v2.yaml"))

    assert not result.created
    assert (result.added, result.updated, result.unchanged, result.retired) == (3, 2, 5, 1)
    after = dict(Requirement.objects.values_list("urn", "pk"))
    for urn, pk in before.items():
        assert after[urn] == pk
    assert result.framework.library_version == 2


def test_a_newer_version_updates_changed_text_and_search_text():
    services.framework_import(data=sample("ciso_v1.yaml"))
    services.framework_import(data=sample("ciso_v2.yaml"))
    clause = Requirement.objects.get(urn=DESK + "c.1")
    assert clause.description.endswith("in person or online.")
    assert "in person or online" in clause.search_text
    assert Requirement.objects.get(urn=DESK + "r.2").name == "Closure confirmed by the user"


def test_a_newer_version_adds_new_requirements_under_existing_and_new_parents():
    services.framework_import(data=sample("ciso_v1.yaml"))
    services.framework_import(data=sample("ciso_v2.yaml"))
    records = Requirement.objects.get(urn=DESK + "records")
    assert Requirement.objects.get(urn=DESK + "r.4").parent == records
    escalation = Requirement.objects.get(urn=DESK + "escalation")
    assert Requirement.objects.get(urn=DESK + "e.1").parent == escalation
    orders = list(Requirement.objects.filter(is_current=True).order_by("order").values_list("ref_id", flat=True))
    assert orders == ["C", "C.1", "C.2", "", "R", "R.1", "R.2", "R.4", "E", "E.1"]


def test_requirements_dropped_by_a_newer_version_are_retired_not_deleted():
    services.framework_import(data=sample("ciso_v1.yaml"))
    pk = Requirement.objects.get(urn=DESK + "r.3").pk
    services.framework_import(data=sample("ciso_v2.yaml"))
    retired = Requirement.objects.get(pk=pk)
    assert retired.is_current is False


def test_a_retired_requirement_coming_back_is_current_again_with_the_same_key():
    services.framework_import(data=sample("ciso_v1.yaml"))
    pk = Requirement.objects.get(urn=DESK + "r.3").pk
    services.framework_import(data=sample("ciso_v2.yaml"))
    services.framework_import(data=sample("ciso_v1.yaml").replace(b"version: 1\n", b"version: 3\n", 1))
    assert Requirement.objects.get(urn=DESK + "r.3").pk == pk
    assert Requirement.objects.get(pk=pk).is_current


def test_an_older_version_is_refused_and_changes_nothing():
    services.framework_import(data=sample("ciso_v2.yaml"))
    state = catalogue_state()
    with pytest.raises(FrameworkFileError) as caught:
        services.framework_import(data=sample("ciso_v1.yaml"))
    assert "version 1" in caught.value.message
    assert "loaded version 2" in caught.value.message
    assert catalogue_state() == state


def test_the_same_version_again_changes_nothing():
    first = services.framework_import(data=sample("ciso_v1.yaml"))
    state = catalogue_state()
    again = services.framework_import(data=sample("ciso_v1.yaml"))
    assert (again.added, again.updated, again.retired, again.unchanged) == (0, 0, 0, 8)
    assert not again.changed
    assert again.framework.pk == first.framework.pk
    assert catalogue_state() == state


def test_a_malformed_file_leaves_the_catalogue_exactly_as_before():
    services.framework_import(data=sample("ciso_v1.yaml"))
    state = catalogue_state()
    broken = sample("ciso_v2.yaml") + b"    - urn: urn:certprep-test:risk:req_node:desk-baseline:late\n      depth: 4\n"
    with pytest.raises(FrameworkFileError):
        services.framework_import(data=broken)
    assert catalogue_state() == state


def test_a_failure_half_way_through_writing_rolls_the_whole_import_back(monkeypatch):
    services.framework_import(data=sample("ciso_v1.yaml"))
    state = catalogue_state()

    def audit_fails(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "audit_record", audit_fails)
    with pytest.raises(RuntimeError):
        services.framework_import(data=sample("ciso_v2.yaml"))
    assert catalogue_state() == state


def test_importing_a_large_framework_takes_a_handful_of_queries():
    data = generated_framework(1200)
    with CaptureQueriesContext(connection) as created:
        result = services.framework_import(data=data)
    assert result.added == 1200
    with CaptureQueriesContext(connection) as updated:
        result = services.framework_import(data=generated_framework(1200, version=2).replace(b"Clause 7\n", b"X\n"))
    assert result.updated == 1
    # Bulk writes: the count depends on batches and tree levels, not on the number of requirements.
    assert len(created.captured_queries) < 30
    assert len(updated.captured_queries) < 30


# --- process lenses -------------------------------------------------------------------------------------


@pytest.fixture
def change_basics():
    return services.framework_import(data=sample("certprep_small.yaml")).framework


def test_a_lens_maps_its_processes_to_the_clauses_it_names(change_basics):
    lens = services.lens_import(data=sample("lens_small.yaml"))
    assert lens.framework == change_basics
    assert [g.code for g in lens.groups.order_by("order")] == ["control", "release"]
    change = lens.processes.get(code="change-management")
    assert sorted(change.requirements.values_list("ref_id", flat=True)) == ["1.1", "1.2.1"]
    assert change.group.code == "control"
    assert change.clause_2011 == "9.2"
    assert change.translations["zh-hans"]["name"] == "变更管理"
    assert AuditEntry.objects.filter(object_type="catalogue.processlens", action="create").count() == 1


def test_a_lens_over_a_framework_not_loaded_is_refused():
    with pytest.raises(FrameworkFileError) as caught:
        services.lens_import(data=sample("lens_small.yaml"))
    assert caught.value.field == "framework"
    assert caught.value.line == 6
    assert "not loaded" in caught.value.message


def test_a_lens_naming_a_clause_the_framework_lacks_is_refused_with_its_line(change_basics):
    state = catalogue_state()
    data = sample("lens_small.yaml").replace(b'"1.2.1"', b'"9.9.9"')
    with pytest.raises(FrameworkFileError) as caught:
        services.lens_import(data=data)
    assert (caught.value.line, caught.value.field) == (18, "processes[0].maps_to[1]")
    assert "no clause 9.9.9" in caught.value.message
    assert catalogue_state() == state


def test_importing_a_lens_twice_changes_nothing(change_basics):
    services.lens_import(data=sample("lens_small.yaml"))
    state = catalogue_state()
    services.lens_import(data=sample("lens_small.yaml"))
    assert catalogue_state() == state


def test_a_newer_lens_updates_processes_in_place_and_drops_removed_ones(change_basics):
    lens = services.lens_import(data=sample("lens_small.yaml"))
    change_pk = lens.processes.get(code="change-management").pk
    newer = sample("lens_small.yaml").replace(b"version: 1", b"version: 2")
    newer = newer.replace(b'maps_to: ["1.1", "1.2.1"]', b'maps_to: ["1.1"]')
    newer = newer[: newer.index(b"  - code: release-management")]
    newer = newer.replace(b"  - {code: release, name: Release process}\n", b"")

    services.lens_import(data=newer)

    change = Process.objects.get(pk=change_pk)
    assert list(change.requirements.values_list("ref_id", flat=True)) == ["1.1"]
    assert list(lens.processes.values_list("code", flat=True)) == ["change-management"]
    assert list(lens.groups.values_list("code", flat=True)) == ["control"]


def test_an_older_lens_is_refused(change_basics):
    services.lens_import(data=sample("lens_small.yaml").replace(b"version: 1", b"version: 2"))
    with pytest.raises(FrameworkFileError) as caught:
        services.lens_import(data=sample("lens_small.yaml"))
    assert "older" in caught.value.message


def test_catalogue_file_import_tells_frameworks_from_lenses():
    result = services.catalogue_file_import(data=sample("certprep_small.yaml"))
    assert isinstance(result, services.ImportResult)
    lens = services.catalogue_file_import(data=sample("lens_small.yaml"))
    assert isinstance(lens, ProcessLens)


def test_a_requirement_moved_under_another_parent_keeps_its_key():
    services.framework_import(data=sample("ciso_v1.yaml"))
    pk = Requirement.objects.get(urn=DESK + "r.2").pk
    moved = sample("ciso_v2.yaml").replace(
        b"parent_urn: urn:certprep-test:risk:req_node:desk-baseline:records\n      ref_id: R.2",
        b"parent_urn: urn:certprep-test:risk:req_node:desk-baseline:contact\n      ref_id: R.2",
    )
    services.framework_import(data=moved)
    clause = Requirement.objects.get(pk=pk)
    assert clause.parent.urn == DESK + "contact"
    assert clause.is_current


def test_a_requirement_that_only_moved_is_reported_moved_not_updated(owner):
    services.framework_import(data=sample("ciso_v1.yaml"))
    moved = sample("ciso_v1.yaml").replace(b"version: 1\n", b"version: 2\n", 1)
    moved = moved.replace(
        b"parent_urn: urn:certprep-test:risk:req_node:desk-baseline:records\n      ref_id: R.2",
        b"parent_urn: urn:certprep-test:risk:req_node:desk-baseline:contact\n      ref_id: R.2",
    )
    assert moved != sample("ciso_v1.yaml")
    result = services.framework_import(data=moved, actor=owner)
    assert (result.added, result.updated, result.moved, result.retired) == (0, 0, 1, 0)
    entry = AuditEntry.objects.filter(object_type="catalogue.framework").order_by("pk").last()
    assert entry.changes["moved"] == [None, 1]
    assert entry.changes["updated"] == [None, 0]


def test_reordering_siblings_moves_only_the_one_taken_out_of_order():
    from certprep.catalogue.tests.libraries import library, node

    def nodes(order):
        return [node("order", "top", ref_id="T", name="Top")] + [
            node("order", ref.lower(), parent="top", assessable=True, ref_id=ref, name=f"Item {ref}") for ref in order
        ]

    services.framework_import(data=library(slug="order", name="Order", nodes=nodes(["T.1", "T.2", "T.3", "T.4"])))
    again = library(slug="order", name="Order", nodes=nodes(["T.1", "T.3", "T.4", "T.2"]), version=2)
    result = services.framework_import(data=again)
    assert (result.updated, result.moved, result.unchanged) == (0, 1, 4)
    inserted = library(slug="order", name="Order", nodes=nodes(["T.0", "T.1", "T.3", "T.4", "T.2"]), version=3)
    result = services.framework_import(data=inserted)
    assert (result.added, result.updated, result.moved, result.unchanged) == (1, 0, 0, 5)


def test_the_api_reports_a_requirement_that_only_moved(client, api_token, django_user_model):
    from django.core.files.uploadedfile import SimpleUploadedFile

    staff = django_user_model.objects.create_user("sam", password="x", is_staff=True)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(staff)}"}
    url = "/api/v1/catalogue/frameworks"
    first = client.post(url, {"file": SimpleUploadedFile("v1.yaml", sample("ciso_v1.yaml"))}, **headers)
    assert first.status_code == 201, first.content
    moved = (
        sample("ciso_v1.yaml")
        .replace(b"version: 1\n", b"version: 2\n", 1)
        .replace(
            b"parent_urn: urn:certprep-test:risk:req_node:desk-baseline:records\n      ref_id: R.2",
            b"parent_urn: urn:certprep-test:risk:req_node:desk-baseline:contact\n      ref_id: R.2",
        )
    )
    again = client.post(url, {"file": SimpleUploadedFile("v2.yaml", moved)}, **headers)
    assert again.status_code == 201, again.content
    assert (again.json()["moved"], again.json()["updated"]) == (1, 0)
