"""Reading and checking the template file (no database)."""

from __future__ import annotations

import pytest
import yaml

from certprep.responsibilities.choices import PROCESS_CODES, next_letter
from certprep.responsibilities.library import TEMPLATE_PATH, TemplateError, load_template, parse_template


def doc(**overrides):
    data = {
        "format": "certprep.raci/1",
        "version": 1,
        "roles": [{"key": "owner", "name": "Owner"}, {"key": "desk", "name": "Desk"}],
        "processes": {"incident": [{"key": "log", "name": "Log incidents", "raci": {"desk": "R", "owner": "A"}}]},
    }
    data.update(overrides)
    return data


def test_the_small_fixture_parses_with_translations_and_lower_case_letters(small_template):
    assert small_template.version == 3
    assert [r.key for r in small_template.roles] == ["process-owner", "process-manager", "service-desk"]
    log = small_template.activity("incident", "log-classify")
    assert log.translations == {"zh-hans": {"name": "记录并分类事件"}}
    assert small_template.activity("incident", "resolve").raci == {"process-manager": "A", "service-desk": "R"}


def test_the_shipped_template_is_valid_and_every_activity_follows_the_rules():
    template = load_template(TEMPLATE_PATH)
    assert len(template.roles) >= 3
    assert {a.process_code for a in template.activities} <= set(PROCESS_CODES)
    for activity in template.activities:
        letters = list(activity.raci.values())
        assert letters.count("A") == 1, activity.key
        assert "R" in letters, activity.key


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "certprep.questionnaire/1"}, "'format' must be certprep.raci/1"),
        ({"version": 0}, "'version' must be a whole number"),
        ({"roles": []}, "'roles' must be a non-empty list"),
        ({"roles": [{"key": "Owner!", "name": "x"}]}, "roles[1].key: 'Owner!' is not a key"),
        ({"roles": [{"key": "a", "name": "A"}, {"key": "a", "name": "B"}]}, "roles[2]: key 'a' appears twice"),
        ({"roles": [{"key": "a", "name": ""}]}, "roles[1].name: needs a non-empty text"),
        ({"processes": []}, "'processes' must be a mapping"),
        ({"processes": {"knitting": []}}, "processes.knitting: unknown process code"),
        ({"processes": {"incident": [{"key": "x", "name": "X", "raci": {"nobody": "R"}}]}}, "unknown role 'nobody'"),
        (
            {"processes": {"incident": [{"key": "x", "name": "X", "raci": {"desk": "X"}}]}},
            "raci.desk: 'X' is not one of",
        ),
        (
            {"processes": {"incident": [{"key": "x", "name": "X"}, {"key": "x", "name": "Y"}]}},
            "processes.incident[2]: key 'x' appears twice",
        ),
    ],
)
def test_a_malformed_template_names_the_place_of_the_problem(change, message):
    with pytest.raises(TemplateError) as caught:
        parse_template(doc(**change), source="t.yaml")
    assert message in str(caught.value)
    assert str(caught.value).startswith("t.yaml")


def test_a_document_that_is_not_a_mapping_is_refused():
    with pytest.raises(TemplateError, match="not a certprep.raci/1 document"):
        parse_template(["format"], source="t.yaml")


def test_missing_and_broken_files_give_a_clear_error(tmp_path):
    with pytest.raises(TemplateError, match="the file is missing"):
        load_template(tmp_path / "none.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: [unclosed", encoding="utf-8")
    with pytest.raises(TemplateError, match="not valid YAML"):
        load_template(broken)
    unsafe = tmp_path / "unsafe.yaml"
    unsafe.write_text("!!python/object/apply:os.system ['true']", encoding="utf-8")
    with pytest.raises(TemplateError):
        load_template(unsafe)


def test_a_template_roundtrips_through_yaml(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(yaml.safe_dump(doc()), encoding="utf-8")
    assert load_template(path).activity("incident", "log").name == "Log incidents"


@pytest.mark.parametrize(
    ("current", "rasci", "expected"),
    [
        ("", False, "R"),
        ("R", False, "A"),
        ("A", False, "C"),
        ("C", False, "I"),
        ("I", False, ""),
        ("A", True, "S"),
        ("S", True, "C"),
        ("I", True, ""),
        ("S", False, "C"),
    ],
)
def test_a_click_cycles_the_letters(current, rasci, expected):
    assert next_letter(current, rasci=rasci) == expected
