"""Parsing and validation of framework and lens files (no database)."""

from __future__ import annotations

from pathlib import Path

import pytest

from certprep.catalogue.importers import (
    MAX_NODES,
    FrameworkFileError,
    ParsedLens,
    parse_catalogue_file,
    parse_framework_file,
    parse_lens_file,
)

SAMPLES = Path(__file__).parent / "samples"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def refusal(data: bytes) -> FrameworkFileError:
    with pytest.raises(FrameworkFileError) as caught:
        parse_catalogue_file(data)
    return caught.value


def ciso_library(nodes: str) -> bytes:
    head = (
        "urn: urn:t:library:x\nlocale: en\nref_id: X\nname: X\nversion: 1\nobjects:\n  framework:\n"
        "    urn: urn:t:framework:x\n    ref_id: X\n    requirement_nodes:\n"
    )
    return (head + nodes).encode()


# --- certprep format ----------------------------------------------------------------------------------


def test_a_certprep_file_gives_the_tree_in_document_order_with_depths_and_parents():
    parsed = parse_framework_file(sample("certprep_small.yaml"))
    assert parsed.source_format == "certprep"
    assert parsed.urn == "urn:certprep-test:framework:change-basics"
    assert parsed.version == 1
    assert parsed.locale == "en"
    assert [r.ref_id for r in parsed.requirements] == ["1", "1.1", "1.2", "1.2.1", "2", "2.1"]
    assert [r.depth for r in parsed.requirements] == [1, 2, 2, 3, 1, 2]
    by_ref = {r.ref_id: r for r in parsed.requirements}
    assert by_ref["1.2.1"].parent_urn == "urn:certprep-test:framework:change-basics:1.2"
    assert by_ref["1"].parent_urn is None


def test_a_certprep_urn_defaults_to_the_framework_urn_and_the_lowercased_ref_id():
    parsed = parse_framework_file(sample("certprep_small.yaml"))
    by_ref = {r.ref_id: r for r in parsed.requirements}
    assert by_ref["1.1"].urn == "urn:certprep-test:framework:change-basics:1.1"
    assert by_ref["2"].urn == "urn:certprep-test:framework:change-basics:approval"
    assert by_ref["2.1"].parent_urn == "urn:certprep-test:framework:change-basics:approval"


def test_a_certprep_paraphrase_is_stored_as_the_description_in_both_languages():
    parsed = parse_framework_file(sample("certprep_small.yaml"))
    clause = {r.ref_id: r for r in parsed.requirements}["1.1"]
    assert clause.description.startswith("Every change starts as a recorded request")
    assert clause.evidence.startswith("Change records")
    assert clause.assessable is True
    assert clause.weight == 2
    assert clause.translations["zh-hans"]["description"].startswith("每项变更")
    assert clause.translations["zh-hans"]["evidence"].startswith("显示申请人")
    assert set(clause.translations["zh-hans"]) == {"name", "description", "evidence"}


def test_certprep_defaults_are_not_assessable_and_weight_one():
    parsed = parse_framework_file(sample("certprep_small.yaml"))
    chapter = parsed.requirements[0]
    assert chapter.assessable is False
    assert chapter.weight == 1
    assert chapter.evidence == ""


def test_an_unknown_field_in_a_certprep_file_is_refused_so_typos_show():
    data = sample("certprep_small.yaml").replace(b"        assessable: true\n", b"        assesable: true\n", 1)
    error = refusal(data)
    assert error.field == "requirements[0].children[0].assesable"
    assert "unknown field" in error.message


def test_a_weight_outside_one_to_five_is_refused():
    data = sample("certprep_small.yaml").replace(b"weight: 2", b"weight: 9")
    error = refusal(data)
    assert error.field == "requirements[0].children[0].weight"


def test_a_node_with_both_paraphrase_and_description_is_refused():
    data = sample("certprep_small.yaml").replace(
        b"        weight: 2\n", b"        weight: 2\n        description: Also a description.\n"
    )
    assert refusal(data).field == "requirements[0].children[0].description"


# --- CISO Assistant format ------------------------------------------------------------------------------


def test_a_ciso_assistant_library_uses_the_framework_object_urn_and_the_library_version():
    parsed = parse_framework_file(sample("ciso_v1.yaml"))
    assert parsed.source_format == "ciso-assistant"
    assert parsed.urn == "urn:certprep-test:risk:framework:desk-baseline"
    assert parsed.name == "Service desk baseline"
    assert parsed.version == 1
    assert parsed.provider == "certprep tests"
    assert parsed.translations["zh-hans"]["name"] == "服务台基线"
    assert len(parsed.requirements) == 8


def test_ciso_assistant_nodes_without_name_or_ref_id_are_kept():
    parsed = parse_framework_file(sample("ciso_v1.yaml"))
    note = next(r for r in parsed.requirements if r.urn.endswith("c.2.note"))
    assert note.ref_id == ""
    assert note.name == ""
    assert note.description == "Out-of-hours calls go to an answering service."
    unnamed = next(r for r in parsed.requirements if r.ref_id == "R.1")
    assert unnamed.name == ""
    assert unnamed.assessable


def test_ciso_assistant_urns_are_compared_without_regard_to_case():
    parsed = parse_framework_file(sample("ciso_v1.yaml"))
    note = next(r for r in parsed.requirements if r.urn.endswith("c.2.note"))
    assert note.parent_urn == "urn:certprep-test:risk:req_node:desk-baseline:c.2"
    assert note.depth == 3


def test_ciso_assistant_typical_evidence_becomes_evidence_and_extra_fields_are_ignored():
    parsed = parse_framework_file(sample("ciso_v1.yaml"))
    clause = next(r for r in parsed.requirements if r.ref_id == "C.1")
    assert clause.evidence.startswith("Intranet page")
    assert clause.translations["zh-hans"] == {
        "name": "单一联络点",
        "description": "用户通过一个公布的渠道联系服务台。",
        "evidence": "列出服务台电话和门户的内网页面。",
    }


def test_ciso_assistant_null_translations_are_dropped_and_zh_means_simplified_chinese():
    parsed = parse_framework_file(sample("ciso_v1.yaml"))
    chapter = parsed.requirements[0]
    assert chapter.translations == {"zh-hans": {"name": "联络"}}


def test_ciso_assistant_weights_above_five_are_capped():
    parsed = parse_framework_file(sample("ciso_v1.yaml"))
    weights = {r.ref_id: r.weight for r in parsed.requirements}
    assert weights["R.2"] == 3
    assert weights["R.3"] == 5


def test_a_missing_depth_is_computed_from_the_parent():
    parsed = parse_framework_file(sample("ciso_v1.yaml"))
    assert next(r for r in parsed.requirements if r.ref_id == "C.2").depth == 2


def test_a_quoted_ciso_assistant_version_is_read_as_a_number():
    data = sample("ciso_v1.yaml").replace(b"version: 1\n", b"version: '4'\n", 1)
    assert parse_framework_file(data).version == 4


def test_a_library_without_a_framework_is_refused():
    data = b"urn: urn:t:library:m\nlocale: en\nref_id: M\nname: M\nversion: 1\nobjects:\n  risk_matrix: {}\n"
    error = refusal(data)
    assert error.field == "objects"
    assert "no framework" in error.message


# --- malformed files: line and field of the first error ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "line", "field", "words"),
    [
        ("bad_syntax.yaml", 9, None, "not valid YAML"),
        ("bad_alias.yaml", 8, None, "anchors"),
        ("bad_unknown_parent.yaml", 19, "objects.framework.requirement_nodes[1].parent_urn", "must appear earlier"),
        ("bad_missing_name.yaml", 12, "requirements[0].children[1].name", "required"),
        ("bad_missing_urn.yaml", 15, "objects.framework.requirement_nodes[1].urn", "required"),
        ("bad_duplicate_urn.yaml", 19, "objects.framework.requirement_nodes[2].urn", "used twice"),
        ("bad_wrong_type.yaml", 12, "requirements[0].children[0].assessable", "true or false"),
        ("bad_depth.yaml", 16, "objects.framework.requirement_nodes[1].depth", "expected 2"),
    ],
)
def test_a_malformed_file_is_refused_with_the_line_and_field_of_its_first_error(name, line, field, words):
    error = refusal(sample(name))
    assert (error.line, error.field) == (line, field)
    assert words in error.message
    assert error.message.startswith(f"line {line}")
    if field:
        assert f"field {field}:" in error.message


def test_the_unknown_parent_message_names_the_parent_and_the_rule():
    error = refusal(sample("bad_unknown_parent.yaml"))
    assert error.message == (
        "line 19, field objects.framework.requirement_nodes[1].parent_urn: unknown parent "
        "urn:certprep-test:risk:req_node:bad-parent:b (it must appear earlier in the file)"
    )


def test_an_alias_bomb_is_refused_before_it_expands():
    bomb = b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
    bomb += b"c: [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n" * 1
    assert refusal(bomb).line == 1


def test_deep_nesting_is_refused_without_crashing_the_parser():
    error = refusal(b"a: " + b"[" * 200_000 + b"]" * 200_000)
    assert error.line == 1
    assert "nested" in error.message


def test_a_file_that_is_not_utf8_is_refused_with_its_line():
    data = "format: certprep.framework/1\nname: Café\n".encode("latin-1")
    error = refusal(data)
    assert error.line == 2
    assert "UTF-8" in error.message


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.CERTPREP_MAX_FRAMEWORK_FILE_BYTES = 100
    error = refusal(sample("certprep_small.yaml"))
    assert "largest file accepted" in error.message


def test_a_file_with_too_many_nodes_is_refused():
    node = "    - urn: urn:t:n:{i}\n      depth: 1\n"
    data = ciso_library("".join(node.format(i=i) for i in range(MAX_NODES + 1)))
    error = refusal(data)
    assert error.field == "objects.framework.requirement_nodes"
    assert str(MAX_NODES) in error.message


def test_overlong_names_and_ref_ids_are_refused():
    error = refusal(ciso_library(f"    - urn: urn:t:n:1\n      ref_id: {'x' * 101}\n"))
    assert error.field == "objects.framework.requirement_nodes[0].ref_id"
    error = refusal(ciso_library(f"    - urn: urn:t:n:1\n      name: {'x' * 501}\n"))
    assert error.field == "objects.framework.requirement_nodes[0].name"
    error = refusal(ciso_library(f"    - urn: urn:t:n:{'x' * 300}\n"))
    assert error.field == "objects.framework.requirement_nodes[0].urn"


def test_a_list_where_text_is_expected_is_refused():
    error = refusal(ciso_library("    - urn: urn:t:n:1\n      name: [a, b]\n"))
    assert error.field == "objects.framework.requirement_nodes[0].name"
    assert error.line == 12


def test_a_field_given_twice_is_refused():
    error = refusal(ciso_library("    - urn: urn:t:n:1\n      name: a\n      name: b\n"))
    assert (error.line, error.field) == (13, "objects.framework.requirement_nodes[0].name")


def test_numbers_are_taken_as_written_in_text_fields():
    parsed = parse_framework_file(ciso_library("    - urn: urn:t:n:1\n      ref_id: 4.10\n"))
    assert parsed.requirements[0].ref_id == "4.10"


def test_a_file_of_another_kind_is_refused():
    assert "neither" in refusal(b"hello: world\n").message
    assert "empty" in refusal(b"").message
    assert "unknown format" in refusal(b"format: something/2\n").message


# --- lens format ----------------------------------------------------------------------------------------


def test_a_lens_file_gives_groups_and_processes_with_their_clause_references():
    lens = parse_lens_file(sample("lens_small.yaml"))
    assert lens.framework_urn == "urn:certprep-test:framework:change-basics"
    assert [g.code for g in lens.groups] == ["control", "release"]
    change = lens.processes[0]
    assert change.group == "control"
    assert change.clause_2011 == "9.2"
    assert [m.ref_id for m in change.maps_to] == ["1.1", "1.2.1"]
    assert change.maps_to[1].field == "processes[0].maps_to[1]"
    assert change.maps_to[1].line == 18
    assert change.translations == {"zh-hans": {"name": "变更管理"}}


def test_a_lens_process_in_an_undeclared_group_is_refused():
    data = sample("lens_small.yaml").replace(b"group: release", b"group: nowhere")
    error = refusal(data)
    assert error.field == "processes[1].group"
    assert "unknown group" in error.message


def test_a_lens_file_is_not_a_framework_file_and_the_reverse():
    assert isinstance(parse_catalogue_file(sample("lens_small.yaml")), ParsedLens)
    with pytest.raises(FrameworkFileError):
        parse_framework_file(sample("lens_small.yaml"))
    with pytest.raises(FrameworkFileError):
        parse_lens_file(sample("certprep_small.yaml"))


def test_a_control_character_is_refused_with_its_line():
    error = refusal(b"format: certprep.framework/1\nname: bell\x07\n")
    assert error.line == 2
    assert "not valid YAML" in error.message


def test_a_file_with_too_many_values_is_refused_before_it_is_built(monkeypatch):
    monkeypatch.setattr("certprep.catalogue.importers.MAX_YAML_VALUES", 50)
    error = refusal(sample("ciso_v1.yaml"))
    assert "more than 50 values" in error.message
    assert error.line > 1


def test_a_multi_document_file_is_refused():
    error = refusal(sample("certprep_small.yaml") + b"---\nformat: certprep.lens/1\n")
    assert "not valid YAML" in error.message
