"""The Chinese a reader sees: full-width punctuation, no bare "SMS", one word per meaning where a msgid had two,
lists joined with 、, and a search that understands the words ITIL-trained readers type.

The terms themselves are checked against docs/glossary.md in test_glossary.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
import yaml
from django.utils import translation
from django.utils.translation import pgettext

from certprep.catalogue import selectors
from certprep.core.templatetags.certprep_tags import audit_value, field_label
from certprep.core.wording import in_parentheses, join_entries, join_names, labelled
from certprep.survey.answers import display_value
from certprep.survey.relations import MapNode, build_graph, render_svg

ROOT = Path(__file__).resolve().parents[3]
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
DATA = sorted([*ROOT.glob("certprep/*/data/*.yaml"), *ROOT.glob("certprep/survey/data/questionnaires/*.yaml")])

CJK = "\u3400-\u4dbf\u4e00-\u9fff"
FULL_WIDTH = "\u3000-\u303f\uff00-\uffef"  # 。、「」 and ：；（）， …
# ASCII punctuation touching a Chinese character or a full-width sign: "李伟: 答复", "A,B", "(您)", '"名称"：'.
HALF_WIDTH = re.compile(f'[{CJK}{FULL_WIDTH}][,;:!?()"]|[,;:!?()"][{CJK}{FULL_WIDTH}]|[{CJK}] [,;:!?)]')
BARE_SMS = re.compile(f"[{CJK}]\\s*SMS|SMS\\s*[{CJK}]")
# Where a half-width sign is the subject of the sentence, not its punctuation.
LITERAL_SIGNS = {
    "Holders (e-mail or name; separated by ;)",
    "Send the version you read (?version=): deleting an engagement needs it.",  # the query parameter as typed
}


def _catalogue_texts() -> list[tuple[str, str]]:
    po = polib.pofile(str(PO))
    return [
        (entry.msgid, text)
        for entry in po.translated_entries()
        for text in [entry.msgstr, *entry.msgstr_plural.values()]
        if text
    ]


def _data_texts() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []

    def walk(node: object, path: str, chinese: bool) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{path}.{key}", chinese or key == "zh-hans")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{path}[{index}]", chinese)
        elif chinese and isinstance(node, str):
            found.append((path, node))

    for path in DATA:
        walk(yaml.safe_load(path.read_text(encoding="utf-8")), path.name, False)
    return found


def test_the_catalogue_uses_full_width_punctuation_in_chinese():
    wrong = [
        (msgid, text) for msgid, text in _catalogue_texts() if HALF_WIDTH.search(text) and msgid not in LITERAL_SIGNS
    ]
    assert not wrong, wrong[:10]


def test_the_shipped_data_uses_full_width_punctuation_and_spaces_latin_words_in_chinese():
    texts = _data_texts()
    assert len(texts) > 500
    wrong = [(path, text) for path, text in texts if HALF_WIDTH.search(text)]
    assert not wrong, wrong[:10]
    glued = re.compile(f"[{CJK}][A-Za-z0-9]|[A-Za-z0-9][{CJK}]")
    unspaced = [(path, text) for path, text in texts if glued.search(text)]
    assert not unspaced, unspaced[:10]


def test_chinese_text_never_says_a_bare_sms():
    """Chinese readers take "SMS" for 短信: Chinese text says 服务管理体系 (an English example may keep it)."""
    wrong = [text for _msgid, text in _catalogue_texts() if BARE_SMS.search(text)]
    wrong += [text for _path, text in _data_texts() if BARE_SMS.search(text)]
    assert not wrong, wrong[:10]
    with translation.override("zh-hans"):
        assert translation.gettext("People in SMS scope") == "服务管理体系范围内人数"


def test_one_msgid_no_longer_carries_two_meanings_in_the_audit_trail():
    """`key` (an identifier field vs the catalogue's badge) and `updated` (a time field vs an import count)."""
    from certprep.core.models import AuditEntry
    from certprep.gaps.models import DocumentItem

    entry = AuditEntry(object_type="engagements.engagement", changes={"updated": [None, 3]})
    with translation.override("zh-hans"):
        assert field_label(entry, "updated") == "更新"
        assert str(DocumentItem._meta.get_field("updated_at").verbose_name) == "更新时间"
        assert str(DocumentItem._meta.get_field("created_at").verbose_name) == "创建时间"
        assert str(DocumentItem._meta.get_field("key").verbose_name) == "标识"
        assert pgettext("badge", "key") == "重点"


def test_lists_labels_and_asides_follow_the_language():
    with translation.override("zh-hans"):
        assert join_names(["李伟", "张敏"]) == "李伟、张敏"
        assert labelled("李伟", "已批准") == "李伟：已批准"
        assert in_parentheses("草稿") == "（草稿）"
        assert audit_value(["a", "b"]) == "a、b"
        assert join_entries(["a, b", "c"]) == "a, b；c"
        assert display_value(
            "multiple_choice", ["catalogue", "sla"], labels={"catalogue": "服务目录", "sla": "服务级别协议"}
        ) == ("服务目录、服务级别协议")
    with translation.override("en"):
        assert join_names(["Li Wei", "Zhang Min"]) == "Li Wei, Zhang Min"
        assert labelled("Li Wei", "approved") == "Li Wei: approved"
        assert in_parentheses("draft") == "(draft)"


def test_the_relation_map_reads_as_chinese_sentences():
    nodes = [
        MapNode("incident", "事件管理", "resolution", "解决过程"),
        MapNode("problem", "问题管理", "resolution", "解决过程"),
        MapNode("capacity", "容量管理", "delivery", "服务交付过程"),
        MapNode("supplier", "供方管理", "relationship", "关系过程"),
    ]
    graph = build_graph(nodes, {"incident": {"problem": 3}, "problem": {"incident": 2}})
    with translation.override("zh-hans"):
        svg = render_svg(graph)
    assert "事件管理 → 问题管理：3 名填写人提及；问题管理 → 事件管理：2 名填写人提及" in svg
    assert "没有任何关系的过程：容量管理、供方管理。" in svg
    assert "; " not in svg.split("<defs>")[0].split("</title>", 1)[1]


@pytest.mark.django_db
def test_the_catalogue_search_understands_itil_wording(catalogue):
    """供应商 finds 供方管理, 事件管理流程 finds 事件管理: the words ITIL-trained readers type."""

    def refs(q: str) -> list[str]:
        return [r.ref_id for r in selectors.requirement_tree(catalogue, q=q)]

    assert "8.3.4" in refs("供应商")
    assert "8.3.4" in refs("供方")
    assert "8.6.1" in refs("事件管理流程")
    assert "8.4.3" in refs("能力管理")
    assert refs("没有这个词") == []


# Punctuation a template puts next to a translated string stays half-width on a Chinese page: it belongs
# inside the msgid ("Typical evidence:", "(you)", "your role: %(role)s"), and lists use |join_names.
TEMPLATE_GLUE = re.compile(
    r"\{% (?:translate|trans) [^%]*%\}[:;]"  # {% translate "Draft scope" %}:
    r"|\(\{% (?:translate|trans|blocktranslate)"  # ({% translate "you" %})
    r"|endblocktranslate %\}\)"  # ...{% endblocktranslate %})
    r"|\|join:\s*[\"'][,;] "  # {{ names|join:", " }} (a URL's join:',' is no list in a sentence)
    r"|forloop\.last %\}[,;]"  # {% if not forloop.last %}, {% endif %}
)


def test_templates_keep_punctuation_inside_the_msgids():
    found = []
    for path in sorted(ROOT.glob("certprep/**/templates/**/*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if TEMPLATE_GLUE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {TEMPLATE_GLUE.search(line).group(0)}")
    assert not found, found


def test_the_template_check_finds_what_the_review_found():
    for old in (
        '<strong>{% translate "Typical evidence" %}:</strong>',
        '<span class="muted">({% translate "you" %})</span>',
        "({% blocktranslate count n=process.files %}{{ n }} file{% plural %}{{ n }} files{% endblocktranslate %})",
        '({% translate "not answered by" %} {{ gap.people|join:", " }})',
        "{{ line.ref_id }}</a>{% if not forloop.last %}, {% endif %}",
    ):
        assert TEMPLATE_GLUE.search(old), old


def test_the_people_import_reads_itil_wording_and_the_old_unspaced_names():
    """The lens now writes "IT 服务的预算和核算"; a list typed before, or by an ITIL-trained reader, still reads."""
    from certprep.catalogue.selectors import lens_processes
    from certprep.people.rules import parse_roles

    text = (
        "IT服务的预算和核算：所有者；供应商管理：经理；事件管理流程：协调员；"
        "变更管理：流程所有者；能力管理：过程执行人员"
    )
    assert parse_roles(text, processes=lens_processes()) == [
        ("process_owner", "budgeting-accounting"),
        ("process_manager", "supplier"),
        ("process_coordinator", "incident"),
        ("process_owner", "change"),
        ("process_executor", "capacity"),
    ]


@pytest.mark.django_db
def test_the_matrix_legend_explains_accountable_as_the_one_who_answers_for_it(owner_client, owner, engagement):
    """A cell says 批准; the legend says 批准（最终负责）, so A is not read as a mere sign-off."""
    from django.urls import reverse

    from certprep.responsibilities.services import matrix_from_template

    matrix_from_template(engagement=engagement, actor=owner)
    owner_client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    page = owner_client.get(reverse("responsibilities:matrix", args=[engagement.pk])).content.decode()
    legend = page.split('class="raci-legend', 1)[1].split("</p>", 1)[0]
    assert "批准（最终负责）" in legend
    assert "负责" in legend


@pytest.mark.django_db
def test_the_assessment_screen_search_understands_itil_wording(engagement, owner, catalogue):
    from certprep.gaps.selectors.screen import Filters, screen
    from certprep.gaps.tests.factories import assessment

    baseline = assessment(engagement, owner)

    def refs(q: str) -> list[str]:
        return [row.rating.requirement.ref_id for row in screen(baseline, Filters(q=q), user=owner).rows]

    assert "8.3.4.1" in refs("供应商")
    assert refs("供应商") == refs("供方")
    assert "8.6.1" in refs("事件管理流程")
