"""Gathering a report's content: every declared section built in the report's language, a key no part declares
and a failing section each give a section that says so, and the cover's words are in the report's language."""

from __future__ import annotations

import datetime
import logging

import pytest

from certprep.core.documents import Paragraph
from certprep.reports.gather import documents_by_key, gather

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 12, 7)


def test_it_builds_each_declared_section_in_order_and_marks_what_is_missing(engagement, sample_parts, caplog):
    document = documents_by_key()["sample"]
    with caplog.at_level(logging.ERROR, logger="certprep.reports.gather"):
        content = gather(engagement, document, "en", on=DAY)
    assert content.title == "Budget"
    assert content.subtitle == "Client A Ltd"
    assert content.language == "en"
    assert content.generated == "Generated on 7 Dec 2026"
    assert content.contents_label == "Contents"
    assert content.page_label == "Page %(page)s of %(pages)s"
    assert [s.title for s in content.sections] == ["Budget", "Vendors", "Reports", "Section not available yet"]
    overview = content.sections[0].blocks
    assert overview[0] == Paragraph("Client A Ltd <b>&amp; Budget</b>", tone="lead")
    # The failing section is logged with its traceback and says it could not be written; the rest came out.
    broken = content.sections[2].blocks
    assert broken == [
        Paragraph(
            "This section could not be written because of an error; the rest of the report is complete.",
            tone="warning",
        )
    ]
    assert any("sample.broken" in r.getMessage() and r.exc_info for r in caplog.records)
    missing = content.sections[3].blocks
    assert missing == [
        Paragraph(
            "This section (sample.not_built_yet) is not available yet in this version of certprep.", tone="missing"
        )
    ]


def test_it_writes_the_report_in_chinese(engagement, sample_parts):
    content = gather(engagement, documents_by_key()["sample"], "zh-hans", on=DAY)
    assert content.title == "预算"
    assert content.language == "zh-hans"
    assert content.generated == "生成于 2026年12月7日"
    assert content.contents_label == "目录"
    assert content.page_label == "第 %(page)s 页，共 %(pages)s 页"
    assert [s.title for s in content.sections] == ["预算", "机构选择", "报告", "本节暂不可用"]
    assert content.sections[0].blocks[0] == Paragraph("Client A Ltd <b>&amp; 预算</b>", tone="lead")
    assert "本节因出错未能生成" in content.sections[2].blocks[0].text  # type: ignore[union-attr]


def test_the_active_language_is_left_as_it_was(engagement, sample_parts):
    from django.utils import translation

    with translation.override("en"):
        gather(engagement, documents_by_key()["sample"], "zh-hans", on=DAY)
        assert translation.get_language() == "en"


def test_a_section_two_reports_carry_is_built_once_per_language_with_one_memo(engagement, sample_parts):
    from certprep.reports.tests.world import finished_build

    finished_build(engagement)  # the sample section notes the builds it sees: one note per call
    memo: dict = {}
    declared = documents_by_key()
    sample_parts.SEEN.clear()
    first = gather(engagement, declared["sample"], "en", on=DAY, memo=memo)
    brief = gather(engagement, declared["sample_brief"], "en", on=DAY, memo=memo)
    assert len(sample_parts.SEEN) == 1  # sample.overview's builder ran once for both reports
    assert brief.sections[0].blocks == first.sections[0].blocks
    gather(engagement, declared["sample_brief"], "zh-hans", on=DAY, memo=memo)
    assert len(sample_parts.SEEN) == 2  # and once more in Chinese


def test_a_report_without_a_workbook_names_the_report_whose_workbook_holds_a_section(engagement, sample_parts):
    declared = documents_by_key()
    assert gather(engagement, declared["sample_brief"], "en", on=DAY).sections[0].held_by == "Budget"
    assert gather(engagement, declared["sample_brief"], "zh-hans", on=DAY).sections[0].held_by == "预算"
    # The tabular report holds its own tables: its sections name no other report.
    assert {s.held_by for s in gather(engagement, declared["sample"], "en", on=DAY).sections} == {""}


def test_lazy_words_in_blocks_are_written_in_the_reports_language_when_gathered() -> None:
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    from certprep.core.documents import KeyFigures, Table
    from certprep.reports.gather import plain

    blocks = [
        Table([gettext_lazy("Budget"), "Days"], [[gettext_lazy("Vendors"), "3"]], caption=gettext_lazy("Reports")),
        KeyFigures([(gettext_lazy("Budget"), "1")]),
    ]
    with translation.override("zh-hans"):
        made = plain(blocks)
    with translation.override("en"):  # drawn later, in whatever language is active there: still Chinese
        table, figures = made
        assert table.columns == ["预算", "Days"]
        assert table.rows == [["机构选择", "3"]]
        assert table.caption == "报告"
        assert figures.items == [("预算", "1")]
        assert all(type(text) is str for text in [*table.columns, *table.rows[0], table.caption])
