"""The suggestion rules and the documented-information checklist: shipped data checked against the shipped
questionnaires and catalogue, and the pure loader and matcher (no database)."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from certprep.gaps.suggestion_rules import (
    MATURITY_TO_COMPLIANCE,
    RULES_PATH,
    Rule,
    load_rules,
    matches,
    maturity_attributes,
    parse_rules,
    questionnaire_applies,
)

ROOT = Path(__file__).resolve().parents[2]  # certprep/
CHECKLIST_PATH = ROOT / "gaps" / "data" / "documented-information.yaml"
CATALOGUE_PATH = ROOT / "catalogue" / "data" / "iso20000-1-2018.yaml"
LENS_PATH = ROOT / "catalogue" / "data" / "processes-2005.yaml"
QUESTIONNAIRES = ROOT / "survey" / "data" / "questionnaires"
STAGE1 = {"scope", "policy", "plan", "internal-audit", "management-review"}
HAN = re.compile(r"[\u4e00-\u9fff]")


def read(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def assessable_refs() -> set[str]:
    refs: set[str] = set()

    def walk(nodes: list[dict[str, Any]]) -> None:
        for node in nodes:
            if node.get("assessable"):
                refs.add(str(node["ref_id"]))
            walk(node.get("children") or [])

    walk(read(CATALOGUE_PATH)["requirements"])
    return refs


def questionnaires() -> dict[str, dict[str, Any]]:
    """template key -> {question key: question}"""
    result = {}
    for path in sorted(QUESTIONNAIRES.glob("*.yaml")):
        data = read(path)
        result[data["key"]] = {q["key"]: q for q in data["questions"]}
    return result


def lens_clauses() -> dict[str, list[str]]:
    return {p["code"]: [str(c) for c in p["maps_to"]] for p in read(LENS_PATH)["processes"]}


def questions_for(rule: Rule, templates: dict[str, dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    keys = [k for k in templates if questionnaire_applies(rule, k)]
    assert keys, f"{rule.key}: no shipped questionnaire '{rule.questionnaire}'"
    found = []
    for key in keys:
        assert rule.question in templates[key], f"{rule.key}: {key} has no question '{rule.question}'"
        found.append((key, templates[key][rule.question]))
    return found


def rule_doc(**overrides: Any) -> dict[str, Any]:
    rule = {
        "key": "sample",
        "questionnaire": "process",
        "question": "procedure-exists",
        "when": {"equals": False},
        "requirements": "process",
        "suggest": {"documentation": "missing"},
        "reason": "Nothing written for {process}.",
        "translations": {"zh-hans": {"reason": "{process}没有成文程序。"}},
    }
    rule.update(overrides)
    return {"format": "certprep.gap-suggestions/1", "version": 1, "rules": [rule]}


def one(**overrides: Any) -> Rule:
    return parse_rules(rule_doc(**overrides))[0]


def rule_when(condition: dict[str, Any]) -> Rule:
    return one(when=condition)


# --- The shipped rules ---------------------------------------------------------------------------------


def test_the_shipped_rules_load_and_are_cached():
    rules = load_rules()
    assert len(rules) >= 40
    assert load_rules() is rules
    assert load_rules(RULES_PATH) == rules
    assert len({r.key for r in rules}) == len(rules)


def test_every_question_and_option_a_rule_uses_exists_with_a_fitting_kind():
    templates = questionnaires()
    for rule in load_rules():
        kind, expected = rule.condition
        for template_key, question in questions_for(rule, templates):
            where = f"{rule.key} on {template_key}.{rule.question}"
            options = {str(o["value"]) for o in question.get("options") or []}
            qkind = question["kind"]
            assert qkind not in ("attachment", "process_ref"), f"{where}: no answer value to read"
            if kind == "equals":
                if isinstance(expected, bool):
                    assert qkind == "yes_no", where
                elif isinstance(expected, str):
                    assert qkind == "single_choice", where
                    assert expected in options, where
                else:
                    assert qkind in ("scale", "number"), where
            elif kind == "in":
                assert qkind == "single_choice", where
                assert set(expected) <= options, f"{where}: {set(expected) - options}"
            elif kind in ("lte", "gte"):
                assert qkind in ("scale", "number"), where
                if qkind == "scale":
                    assert 0 <= expected <= 5, where
            elif kind in ("contains", "not_contains"):
                assert qkind == "multiple_choice", where
                assert expected in options, where
            elif kind == "empty":
                assert qkind in ("date", "short_text", "long_text", "table"), where
            if rule.suggest[0] == "from_maturity":
                assert qkind == "scale", where
                assert kind == "answered", where


def test_every_clause_the_rules_suggest_for_is_assessable():
    refs = assessable_refs()
    lens = lens_clauses()
    for rule in load_rules():
        if rule.requirements == "process":
            assert rule.questionnaire.startswith("process"), rule.key
            codes = list(lens) if rule.questionnaire == "process" else [rule.questionnaire.removeprefix("process-")]
            for code in codes:
                assert code in lens, f"{rule.key}: unknown process {code}"
                assert set(lens[code]) <= refs, f"{rule.key}: {code} maps to a clause that is not assessable"
        else:
            assert set(rule.requirements) <= refs, f"{rule.key}: {set(rule.requirements) - refs}"


def test_every_shipped_rule_has_a_chinese_reason():
    for rule in load_rules():
        chinese = rule.translations.get("zh-hans", {}).get("reason", "")
        assert HAN.search(chinese), rule.key
        assert rule.reason_in("zh-hans") == chinese
        assert ("{process}" in chinese) == ("{process}" in rule.reason), rule.key


def test_every_process_questionnaire_gets_a_maturity_and_a_procedure_rule():
    rules = load_rules()
    process_keys = [k for k in questionnaires() if k.startswith("process-")]
    assert len(process_keys) == 13
    for key in process_keys:
        applying = [r for r in rules if questionnaire_applies(r, key)]
        assert any(r.suggest == ("from_maturity", True) for r in applying), key
        assert any(r.question == "procedure-exists" and r.suggest == ("documentation", "missing") for r in applying), (
            key
        )


def test_the_management_system_rules_cover_the_main_signals():
    by_key = {r.key: r for r in load_rules()}
    never = by_key["internal-audit-never"]
    assert never.questionnaire == "management-system"
    assert never.condition == ("equals", "never")
    assert never.requirements == ("9.2",)
    assert never.suggest == ("compliance", 0)
    assert by_key["internal-audit-never-records"].suggest == ("documentation", "missing")
    assert by_key["no-training-plan"].requirements == ("7.2",)
    assert by_key["no-training-plan"].suggest == (
        "compliance",
        1,
    )
    assert by_key["no-improvement-register"].requirements == ("10.2",)
    assert by_key["internal-audit-no-date"].condition == ("empty", True)
    docs_rules = {r.condition[1]: r for r in load_rules() if r.question == "docs-existing"}
    assert {"scope", "policy", "plan", "catalogue", "sla", "change-policy", "security-policy"} <= set(docs_rules)
    assert all(r.condition[0] == "not_contains" for r in docs_rules.values())


def test_a_shipped_rule_fires_on_a_stored_no():
    rule = next(r for r in load_rules() if r.key == "incident-procedure-missing")
    assert matches(rule, "no")
    assert not matches(rule, "yes")
    assert not matches(rule, None)
    assert questionnaire_applies(rule, "process-incident")
    assert not questionnaire_applies(rule, "process-change")


# --- The shipped documented-information checklist ------------------------------------------------------


def checklist() -> dict[str, Any]:
    return read(CHECKLIST_PATH)


def test_the_checklist_is_well_formed():
    data = checklist()
    assert data["format"] == "certprep.documented-information/1"
    assert data["version"] == 1
    items = data["items"]
    assert 35 <= len(items) <= 55
    keys = [i["key"] for i in items]
    assert len(set(keys)) == len(keys)
    allowed = {"key", "kind", "clause", "requirements", "name", "description", "stage1", "translations"}
    for item in items:
        assert set(item) <= allowed, item["key"]
        assert item["clause"] in item["requirements"], item["key"]
        assert re.match(r"^[a-z0-9][a-z0-9-]*$", item["key"]), item["key"]
        assert item["kind"] in ("document", "record"), item["key"]
        assert isinstance(item["clause"], str), item["key"]
        assert item["name"].strip(), item["key"]
        assert len(item["description"]) >= 40, item["key"]


def test_every_checklist_clause_is_assessable():
    refs = assessable_refs()
    for item in checklist()["items"]:
        assert item["clause"] in refs, f"{item['key']}: {item['clause']}"


def test_every_checklist_item_has_a_chinese_name_and_description():
    for item in checklist()["items"]:
        chinese = item["translations"]["zh-hans"]
        assert set(chinese) == {"name", "description"}, item["key"]
        assert HAN.search(chinese["name"]), item["key"]
        assert HAN.search(chinese["description"]), item["key"]


def test_the_stage1_tags_point_at_the_right_items():
    tagged: dict[str, set[str]] = {}
    for item in checklist()["items"]:
        if "stage1" in item:
            assert item["stage1"] in STAGE1, item["key"]
            tagged.setdefault(item["stage1"], set()).add(item["key"])
    assert tagged == {
        "scope": {"sms-scope"},
        "policy": {"service-management-policy", "service-management-objectives"},
        "plan": {"service-management-plan"},
        "internal-audit": {"internal-audit-programme", "internal-audit-results"},
        "management-review": {"management-review-results"},
    }


def test_the_checklist_covers_the_documents_and_records_of_the_domain_notes():
    by_clause: dict[tuple[str, str], int] = {}
    for item in checklist()["items"]:
        by_clause[(item["kind"], item["clause"])] = by_clause.get((item["kind"], item["clause"]), 0) + 1
    documents = [
        "4.3",
        "5.2.1",
        "6.2",
        "6.3",
        "8.5.1.1",
        "8.7.3.1",
        "8.7.2",
        "8.2.2",
        "8.2.4",
        "8.3.3",
        "8.3.4.1",
        "8.3.4.2",
    ]
    records = ["7.2", "8.2.6", "8.3.2", "8.3.4.1", "8.5.1.2", "8.6.1", "8.6.2", "8.6.3", "8.7.1", "8.7.2", "8.7.3.3"]
    records += ["9.1", "9.2", "9.3", "10.1", "10.2"]
    for clause in documents:
        assert ("document", clause) in by_clause, f"no document for {clause}"
    for clause in records:
        assert ("record", clause) in by_clause, f"no record for {clause}"


def test_every_lens_process_has_documented_information_in_the_checklist():
    clauses = {item["clause"] for item in checklist()["items"] if item["kind"] == "document"}
    for code, mapped in lens_clauses().items():
        assert clauses & set(mapped), f"no document for process {code}"


# --- Matching ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "hits", "misses"),
    [
        ({"equals": False}, [False, "no", "No"], [True, "yes", 0, "", None, "false"]),
        ({"equals": True}, [True, "yes"], [False, "no", 1, None]),
        ({"equals": "never"}, ["never"], ["yearly", ["never"], None, ""]),
        ({"equals": 0}, [0, 0.0], [False, "0", 1, None]),
        ({"in": ["none", "judgement"]}, ["none", "judgement"], ["impact-urgency", None, "", ["none"]]),
        ({"lte": 1}, [0, 1, 0.5, -2], [2, 1.5, True, False, "1", None]),
        ({"gte": 4}, [4, 5, 4.5], [3, 3.9, "5", None, True]),
        ({"contains": "none"}, [["none"], ["test", "none"]], [["test"], [], None, "none"]),
        (
            {"not_contains": "scope"},
            [["policy"], ["plan", "sla"]],
            [["scope"], ["policy", "scope"], [], None, "policy"],
        ),
        ({"empty": True}, [None, "", "   \n", [], {}], ["2024-03-01", "x", [{"document": "SOP"}], 0, False]),
        ({"answered": True}, [0, 3, "x", ["a"], [{"a": "b"}], False, "no"], [None, "", "  ", []]),
    ],
)
def test_each_condition_matches_the_right_values(condition, hits, misses):
    rule = rule_when(condition)
    for value in hits:
        assert matches(rule, value), (condition, value)
    for value in misses:
        assert not matches(rule, value), (condition, value)


def test_questionnaire_applies_to_every_process_or_exactly_one_template():
    every = one()
    assert questionnaire_applies(every, "process-incident")
    assert questionnaire_applies(every, "process-continuity-availability")
    assert not questionnaire_applies(every, "management-system")
    assert not questionnaire_applies(every, "process")
    exact = one(questionnaire="management-system", requirements=["9.2"], reason="No audit.", translations=None)
    assert questionnaire_applies(exact, "management-system")
    assert not questionnaire_applies(exact, "process-incident")


def test_the_reason_follows_the_language_and_falls_back_to_english():
    rule = one()
    for language in ("zh-hans", "zh-Hans", "zh", "zh_CN", "ZH-HANS"):
        assert rule.reason_in(language) == "{process}没有成文程序。"
    for language in ("en", "de", "", "fr-ca"):
        assert rule.reason_in(language) == "Nothing written for {process}."
    assert one(translations=None).reason_in("zh-hans") == "Nothing written for {process}."


def test_a_rule_keeps_clause_refs_as_a_tuple_and_in_values_hashable():
    rule = one(
        questionnaire="process-incident",
        question="priority-model",
        when={"in": ["none", "judgement"]},
        requirements=["8.6.1"],
    )
    assert rule.requirements == ("8.6.1",)
    assert rule.condition == ("in", ("none", "judgement"))
    assert hash(rule)


# --- Malformed rules -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"when": {"matches": "x"}}, "when"),
        ({"when": {"equals": False, "empty": True}}, "when"),
        ({"when": {}}, "when"),
        ({"when": "no"}, "when"),
        ({"when": {"in": []}}, "when"),
        ({"when": {"lte": "3"}}, "when"),
        ({"when": {"gte": True}}, "when"),
        ({"when": {"contains": ["a"]}}, "when"),
        ({"when": {"empty": False}}, "when"),
        ({"when": {"equals": None}}, "when"),
        ({"suggest": {"rating": 2}}, "suggest"),
        ({"suggest": {"documentation": "missing", "compliance": 0}}, "suggest"),
        ({"suggest": {"documentation": "lost"}}, "suggest"),
        ({"suggest": {"compliance": 4}}, "suggest"),
        ({"suggest": {"compliance": True}}, "suggest"),
        ({"suggest": {"from_maturity": False}}, "suggest"),
        ({"requirements": []}, "requirements"),
        ({"requirements": [9.2]}, "requirements"),
        ({"requirements": ["9.2", "9.2"]}, "requirements"),
        ({"requirements": "everything"}, "requirements"),
        ({"questionnaire": "management-system", "reason": "x", "translations": None}, "requirements"),
        ({"reason": ""}, "reason"),
        ({"reason": "Nothing for {proces}."}, "reason"),
        ({"questionnaire": "management-system", "requirements": ["9.2"]}, "reason"),
        ({"translations": {"zh-hans": {"name": "x"}}}, "translations"),
        ({"translations": {"zh-hans": {"reason": "没有成文程序。"}}}, "translations"),
        ({"priority": "high"}, "unknown field"),
        ({"question": None}, "question"),
    ],
)
def test_a_malformed_rule_is_rejected_naming_its_key_and_field(overrides, field):
    with pytest.raises(ValueError, match="sample") as caught:
        parse_rules(rule_doc(**overrides))
    assert field in str(caught.value)


def test_a_rule_without_a_required_field_is_rejected():
    doc = rule_doc()
    del doc["rules"][0]["suggest"]
    with pytest.raises(ValueError, match=r"'sample'.*missing field\(s\) suggest"):
        parse_rules(doc)


def test_a_duplicate_key_is_rejected():
    doc = rule_doc()
    doc["rules"].append(copy.deepcopy(doc["rules"][0]))
    with pytest.raises(ValueError, match=r"'sample'.*twice"):
        parse_rules(doc)


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ([], r"expected a mapping at the top"),
        ({"format": "certprep.framework/1", "version": 1, "rules": []}, r"'format' must be"),
        ({"format": "certprep.gap-suggestions/1", "version": 2, "rules": [{}]}, r"'version' must be one of"),
        ({"format": "certprep.gap-suggestions/1", "version": 1, "rules": []}, r"'rules' must be a non-empty list"),
        ({"format": "certprep.gap-suggestions/1", "version": 1, "rules": ["x"]}, r"rules\[1\]: must be a mapping"),
        (
            {"format": "certprep.gap-suggestions/1", "version": 1, "rules": [{"key": "Bad Key"}]},
            r"rules\[1\]\.key: 'Bad Key' is not a key",
        ),
    ],
)
def test_a_malformed_document_is_rejected(doc, message):
    with pytest.raises(ValueError, match=message):
        parse_rules(doc)


def test_a_rules_file_is_read_from_a_path(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(rule_doc(), allow_unicode=True), encoding="utf-8")
    assert [r.key for r in load_rules(path)] == ["sample"]
    path.write_text("rules: [unclosed", encoding="utf-8")
    with pytest.raises(ValueError, match="not valid YAML"):
        load_rules(path)
    with pytest.raises(ValueError, match="missing"):
        load_rules(tmp_path / "absent.yaml")


# --- Maturity ------------------------------------------------------------------------------------------

LEVELS = {1: ("1.1",), 2: ("2.1", "2.2"), 3: ("3.1", "3.2"), 4: ("4.1", "4.2"), 5: ("5.1", "5.2")}


def capability(ratings: dict[str, str]) -> int:
    """ISO/IEC 33020: a level is reached when its attributes are at least L and every lower level's are F."""
    reached = 0
    for level in sorted(LEVELS):
        own_ok = all(ratings[a] in ("L", "F") for a in LEVELS[level])
        lower_ok = all(ratings[a] == "F" for lower in range(1, level) for a in LEVELS[lower])
        if own_ok and lower_ok:
            reached = level
        else:
            break
    return reached


@pytest.mark.parametrize("level", range(6))
def test_maturity_attributes_give_exactly_that_capability_level(level):
    ratings = maturity_attributes(level)
    assert set(ratings) == {"1.1", "2.1", "2.2", "3.1", "3.2", "4.1", "4.2", "5.1", "5.2"}
    assert set(ratings.values()) <= {"N", "P", "L", "F"}
    assert capability(ratings) == level


def test_maturity_attributes_follow_the_documented_pattern():
    assert maturity_attributes(0) == dict.fromkeys(["1.1"], "P") | dict.fromkeys(
        ["2.1", "2.2", "3.1", "3.2", "4.1", "4.2", "5.1", "5.2"], "N"
    )
    assert maturity_attributes(3) == {
        "1.1": "F", "2.1": "F", "2.2": "F", "3.1": "L", "3.2": "L", "4.1": "N", "4.2": "N", "5.1": "N", "5.2": "N",
    }  # fmt: skip
    assert set(maturity_attributes(5).values()) == {"F", "L"}


@pytest.mark.parametrize("level", [-1, 6, 2.0, True, "3", None])
def test_maturity_attributes_reject_a_level_outside_0_to_5(level):
    with pytest.raises(ValueError, match="capability level must be a whole number from 0 to 5"):
        maturity_attributes(level)


def test_maturity_maps_to_compliance_monotonically_over_the_whole_scale():
    assert dict(MATURITY_TO_COMPLIANCE) == {0: 0, 1: 1, 2: 1, 3: 2, 4: 3, 5: 3}
    values = [MATURITY_TO_COMPLIANCE[level] for level in range(6)]
    assert values == sorted(values)
    with pytest.raises(TypeError):
        MATURITY_TO_COMPLIANCE[0] = 3  # type: ignore[index]
