"""A part that declares a report for the reports app's tests: real sections built from the engagement (its
organization name, words from the message catalogue so Chinese comes out in zh), a table for the workbook, a
chart, a section that always fails and a key no part declares. Tests add it to CERTPREP_ENGAGEMENT_PARTS."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certprep.core.documents import Block, Figure, Heading, KeyFigures, Paragraph, ReportDocument, ReportSection, Table
from certprep.core.parts import EngagementPart
from certprep.engagements.models import Engagement
from certprep.reports.models import ReportBuild

# What the section saw of the build while the worker ran it: (status, steps_done) at each call.
SEEN: list[tuple[str, int]] = []

CHART = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100" width="200" height="100" role="img">'
    '<title>Bars</title><rect x="10" y="40" width="40" height="60" fill="#1d4e89"/>'
    '<rect x="80" y="20" width="40" height="80" fill="#2a9d8f"/></svg>'
)


def _overview(engagement: Engagement) -> Sequence[Block]:
    SEEN.extend(ReportBuild.objects.filter(engagement=engagement).values_list("status", "steps_done"))
    return [
        Paragraph(f"{engagement.organization_name} <b>&amp; {_('Budget')}</b>", tone="lead"),
        Heading(_("Vendors")),
        KeyFigures([(_("Budget"), "125,000.00 CNY")]),
        Figure(CHART, caption=_("Budget")),
    ]


def _table(engagement: Engagement) -> Sequence[Block]:
    return [
        Table(
            columns=[_("Vendors"), _("Budget")],
            rows=[["Acme Certification", "42"]],
            numeric=frozenset({1}),
            sheet="Sample",
        )
    ]


def _broken(engagement: Engagement) -> Sequence[Block]:
    raise RuntimeError("sample section is broken")


part = EngagementPart[Engagement](
    key="sample_reports",
    report_sections=(
        ReportSection[Engagement](key="sample.overview", title=gettext_lazy("Budget"), build=_overview),
        ReportSection[Engagement](key="sample.table", title=gettext_lazy("Vendors"), build=_table),
        ReportSection[Engagement](key="sample.broken", title=gettext_lazy("Reports"), build=_broken),
    ),
    report_documents=(
        ReportDocument(
            key="sample",
            title=gettext_lazy("Budget"),
            description=gettext_lazy("Vendors"),
            sections=["sample.overview", "sample.table", "sample.broken", "sample.not_built_yet"],
            tabular=True,
        ),
        ReportDocument(
            key="sample_brief",
            title=gettext_lazy("Vendors"),
            description=gettext_lazy("Budget"),
            sections=["sample.overview"],
        ),
    ),
)
