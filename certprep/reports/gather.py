"""Gathering a report: the sections its parts declared (certprep.core.parts.report_sections), built for one
engagement in one language, with the cover's words, as the `Content` the renderers draw.

A report must come out whatever state the engagement and the installation are in: a section key no part declares
(a part not built yet) gives a section saying it is not available yet, and a section whose build fails is logged
and gives a section saying it could not be written; the other sections still come out."""

from __future__ import annotations

import dataclasses
import datetime
import logging
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from certprep.core.documents import Paragraph, ReportDocument, ReportSection
from certprep.core.parts import report_documents, report_sections
from certprep.engagements.models import Engagement
from certprep.reports.render import Content, Section

logger = logging.getLogger(__name__)


def documents_by_key() -> dict[str, ReportDocument]:
    """The reports the parts declare, by key, in the parts' order."""
    return {document.key: document for document in report_documents()}


def local_day(engagement: Engagement) -> datetime.date:
    """Today where the organization works (the engagement's time zone)."""
    try:
        zone = ZoneInfo(engagement.time_zone)
    except (ValueError, KeyError):
        zone = ZoneInfo("UTC")
    return timezone.now().astimezone(zone).date()


def _missing(key: str) -> Section:
    return Section(
        title=_("Section not available yet"),
        blocks=[
            Paragraph(
                _("This section (%(key)s) is not available yet in this version of certprep.") % {"key": key},
                tone="missing",
            )
        ],
    )


def plain(value: Any) -> Any:
    """`value` with every lazy translation in it made a string in the active language: a block may hold a lazy
    string, which would otherwise be translated when the document is drawn, in whatever language is active there
    (or in another process). Lists, tuples and blocks (dataclasses) are copied where something in them changed."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        items = [plain(item) for item in value]
        if all(new is old for new, old in zip(items, value, strict=True)):
            return value
        return type(value)(items)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changed = {
            f.name: new
            for f in dataclasses.fields(value)
            if f.init and (new := plain(old := getattr(value, f.name))) is not old
        }
        return dataclasses.replace(value, **changed) if changed else value
    return value


def held_by(document: ReportDocument, key: str, documents: Mapping[str, ReportDocument]) -> str:
    """The title (active language) of the report whose workbook holds section `key`'s tables when `document` has
    no workbook of its own: the first tabular report listing the section; empty when none does."""
    if document.tabular:
        return ""
    for other in documents.values():
        if other.tabular and key in other.sections:
            return str(other.title)
    return ""


def _section(engagement: Engagement, key: str, declared: Mapping[str, ReportSection[Any]]) -> Section:
    section = declared.get(key)
    if section is None:
        return _missing(key)
    title = str(section.title)
    try:
        blocks = [plain(block) for block in section.build(engagement)]
    except Exception:
        # One failing section must not cost the whole report: it is logged with its traceback and the report
        # says where something is missing.
        logger.exception("Report section %s failed for engagement %s", key, engagement.pk)
        return Section(
            title=title,
            blocks=[
                Paragraph(
                    _("This section could not be written because of an error; the rest of the report is complete."),
                    tone="warning",
                )
            ],
        )
    return Section(title=title, blocks=blocks)


def gather(
    engagement: Engagement,
    document: ReportDocument,
    language: str,
    *,
    on: datetime.date | None = None,
    declared: Mapping[str, ReportSection[Any]] | None = None,
    memo: dict[tuple[str, str], Section] | None = None,
) -> Content:
    """The content of `document` for `engagement` in `language` ("en", "zh-hans"), dated `on` (today in the
    engagement's zone by default). A build passes one `memo` for all its documents: a section several of them
    carry (the feasibility scheme carries the plan's, the budget's and the vendors') is built once per language."""
    sections = report_sections() if declared is None else declared
    day = on or local_day(engagement)
    memo = {} if memo is None else memo
    documents = documents_by_key()

    def section(key: str) -> Section:
        if (key, language) not in memo:
            memo[key, language] = _section(engagement, key, sections)
        return dataclasses.replace(memo[key, language], held_by=held_by(document, key, documents))

    with translation.override(language):
        return Content(
            title=str(document.title),
            subtitle=engagement.organization_name or engagement.name,
            language=language,
            generated=_("Generated on %(date)s") % {"date": formats.date_format(day, "DATE_FORMAT")},
            sections=[section(key) for key in document.sections],
            contents_label=_("Contents"),
            page_label=_("Page %(page)s of %(pages)s"),
            workbook=document.tabular,
        )
