"""What the reports app contributes to an engagement (see certprep/core/parts.py): its page in the menu, its
card on the dashboard, its section of the engagement file (the builds' records), its demo pack and its API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy

from certprep.core.parts import DashboardCard, EngagementPart, FileSection, Handovers, MenuEntry
from certprep.engagements.models import Engagement
from certprep.reports.api import router
from certprep.reports.demo import load_reports_demo
from certprep.reports.selectors.builds import last_build
from certprep.reports.transfer import ReportsPart, reports_check, reports_export, reports_import


def _check(section: ReportsPart, handovers: Handovers) -> None:
    reports_check(section)


def _load(engagement: Engagement, section: ReportsPart, handovers: Handovers) -> None:
    reports_import(engagement=engagement, part=section, members=handovers.members)


def _status(engagement: Engagement) -> Mapping[str, Any]:
    """The last build's state and date; one query at any size."""
    return {"last": last_build(engagement)}


part = EngagementPart[Engagement](
    key="reports",
    section=FileSection(schema=ReportsPart, export=reports_export, check=_check, load=_load),
    demo=load_reports_demo,
    card=DashboardCard(template="reports/partials/dashboard_card.html", status=_status),
    menu=MenuEntry(label=gettext_lazy("Reports"), url_name="reports:overview", active="reports"),
    routers=(router,),
)
