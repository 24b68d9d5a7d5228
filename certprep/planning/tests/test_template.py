"""The shipped plan template: it loads, every task speaks both languages, and a broken file is refused."""

from __future__ import annotations

import re

import pytest
import yaml

from certprep.planning.template import TEMPLATE_FILE, TemplateError, load_template, parse_template

HAN = re.compile(r"[\u4e00-\u9fff]")


def _raw() -> dict:
    return yaml.safe_load(TEMPLATE_FILE.read_bytes())


def test_the_shipped_template_has_the_four_stages_of_a_certification_project() -> None:
    template = load_template()
    assert [stage.key for stage in template.stages] == ["preparation", "gap-analysis", "establishment", "certification"]
    assert [stage.name.en for stage in template.stages][-1] == "Certification audit"
    assert template.stages[-1].name.zh_hans == "认证审核"


def test_every_stage_and_task_has_an_english_and_a_chinese_name() -> None:
    template = load_template()
    texts = [stage.name for stage in template.stages] + [task.name for task in template.tasks]
    texts += [task.name for task in template.process_tasks]
    for text in texts:
        assert text.en.strip(), text
        assert not HAN.search(text.en), text
        assert HAN.search(text.zh_hans), text


def test_the_glossary_terms_are_used_in_chinese() -> None:
    names = {task.key: task.name.zh_hans for task in load_template().tasks}
    assert names["internal-audit"] == "内部审核"
    assert names["management-review"] == "管理评审"
    assert "第一阶段审核" in names["stage1"]
    assert "认证机构" in names["book-audits"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda raw: raw["stages"][0]["tasks"][0]["name"].pop("zh-hans"), "zh-hans"),
        (lambda raw: raw["stages"][0]["tasks"][1].update(after=["nowhere"]), "nowhere"),
        (lambda raw: raw["stages"][0]["tasks"][0].update(after=["survey"]), "not declared before"),
        (lambda raw: raw["stages"][1]["tasks"][2].update(duration=3), "milestone takes 0 days"),
        (lambda raw: raw["process_tasks"][0]["name"].update(en="Design"), "{process}"),
        (lambda raw: raw["stages"][1]["tasks"][0].update(sizing="weekly"), "sizing"),
        (lambda raw: raw["stages"][2]["tasks"][0].update(processes=True), "holds the processes"),
    ],
)
def test_a_broken_template_is_refused_naming_the_problem(change, message) -> None:
    raw = _raw()
    change(raw)
    with pytest.raises(TemplateError, match=re.escape(message)):
        parse_template(yaml.safe_dump(raw, allow_unicode=True))
