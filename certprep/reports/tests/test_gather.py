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
