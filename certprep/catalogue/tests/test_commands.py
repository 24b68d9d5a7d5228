"""The load_catalogue and import_framework management commands."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from certprep.catalogue import selectors
from certprep.catalogue.models import Framework, Process, ProcessLens, Requirement

# The commands are tested from a fresh installation's empty catalogue (the test database ships with it loaded).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_catalogue")]

SAMPLES = Path(__file__).parent / "samples"
ISO_20000 = "urn:certprep:framework:iso-iec-20000-1-2018"


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def snapshot() -> list[tuple]:
    rows: list[tuple] = []
    for model in (Framework, Requirement, ProcessLens, Process):
        rows.extend(tuple(row.values()) for row in model.objects.order_by("pk").values())
    rows.extend(Process.requirements.through.objects.order_by("pk").values_list())
    return rows


def test_the_shipped_catalogue_loads_with_its_lens_mapped_to_the_2018_clauses():
    output = run("load_catalogue")
    framework = Framework.objects.get(urn=ISO_20000)
    assert "created" in output
    assert framework.requirements.filter(assessable=True).count() > 0
    lens = ProcessLens.objects.get(framework=framework)
    assert lens.processes.count() == 13
    for process in lens.processes.all():
        assert process.requirements.exists(), process.code


def test_load_catalogue_twice_changes_nothing():
    run("load_catalogue")
    state = snapshot()
    output = run("load_catalogue")
    assert snapshot() == state
    assert "unchanged" in output


def test_the_shipped_catalogue_is_searchable_in_chinese_and_by_ref_id():
    run("load_catalogue")
    framework = Framework.objects.get(urn=ISO_20000)
    found = [r.ref_id for r in selectors.requirement_tree(framework, q="事件管理")]
    assert "8.6.1" in found
    assert "8.6" in found
    assert "8" in found
    assert "8.6.1" in [r.ref_id for r in selectors.requirement_tree(framework, q="8.6.1")]


def test_import_framework_imports_frameworks_before_lenses_whatever_the_order_given():
    output = run("import_framework", str(SAMPLES / "lens_small.yaml"), str(SAMPLES / "certprep_small.yaml"))
    assert output.index("certprep_small.yaml") < output.index("lens_small.yaml")
    assert ProcessLens.objects.get().framework.urn == "urn:certprep-test:framework:change-basics"


def test_import_framework_reports_a_newer_version_with_its_counts():
    run("import_framework", str(SAMPLES / "ciso_v1.yaml"))
    output = run("import_framework", str(SAMPLES / "ciso_v2.yaml"))
    assert "3 added, 2 updated, 0 moved, 1 retired, 5 unchanged" in output


def test_import_framework_stops_with_the_line_and_field_and_writes_nothing():
    with pytest.raises(CommandError) as caught:
        run("import_framework", str(SAMPLES / "certprep_small.yaml"), str(SAMPLES / "bad_unknown_parent.yaml"))
    assert "bad_unknown_parent.yaml: line 19, field objects.framework.requirement_nodes[1].parent_urn" in str(
        caught.value
    )
    assert not Framework.objects.exists()


def test_import_framework_exits_non_zero_on_a_refused_file(tmp_path):
    from django.core.management import execute_from_command_line

    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["manage.py", "import_framework", str(SAMPLES / "bad_syntax.yaml")])
    assert exited.value.code != 0


def test_import_framework_says_when_a_file_cannot_be_read(tmp_path):
    with pytest.raises(CommandError) as caught:
        run("import_framework", str(tmp_path / "missing.yaml"))
    assert "cannot read" in str(caught.value)
