"""What the organization app contributes to an engagement (see certprep/core/parts.py): the steering committee
and project team, their meetings in the calendar feed, the decision log and the approvals."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy

from certprep.core.parts import DashboardCard, EngagementPart, FileSection, Handovers, MenuEntry
from certprep.engagements.models import Engagement
from certprep.gaps.parts import FILE_TOPICS_COUNT
from certprep.organization.api import router
from certprep.organization.calendar import meeting_events
from certprep.organization.demo import load_organization_demo
from certprep.organization.models import ProjectMember
from certprep.organization.report import SECTIONS
from certprep.organization.selectors.approvals import CHANGED, NEVER, approval_states
from certprep.organization.transfer import (
    OrganizationPart,
    organization_check,
    organization_export,
    organization_import,
)
from certprep.people.handovers import FILE_PEOPLE, FILE_PEOPLE_COUNT, file_people_ids
from certprep.planning.parts import FILE_TASKS_COUNT


def _export(engagement: Engagement) -> dict[str, Any]:
    return organization_export(engagement, people=file_people_ids(engagement))


def _check(section: OrganizationPart, handovers: Handovers) -> None:
    organization_check(
        section,
        people=handovers.get(FILE_PEOPLE_COUNT),
        topics=handovers.get(FILE_TOPICS_COUNT),
        tasks=handovers.get(FILE_TASKS_COUNT),
    )


def _load(engagement: Engagement, section: OrganizationPart, handovers: Handovers) -> None:
    organization_import(
        engagement=engagement, part=section, people=handovers.get(FILE_PEOPLE) or [], members=handovers.members
    )


def _status(engagement: Engagement) -> Mapping[str, object]:
    """How many people sit in the bodies, how many documents await their first approval and how many changed
    since approval (one query, plus each approvable document's own fixed number)."""
    states = approval_states(engagement)
    return {
        "members": ProjectMember.objects.filter(engagement=engagement).values("person").distinct().count(),
        "pending": sum(1 for s in states if s.state == NEVER and s.figures),
        "changed": sum(1 for s in states if s.state == CHANGED),
    }


part = EngagementPart[Engagement](
    key="organization",
    demo=load_organization_demo,
    section=FileSection(schema=OrganizationPart, export=_export, check=_check, load=_load),
    card=DashboardCard(template="organization/partials/dashboard_card.html", status=_status),
    menu=MenuEntry(label=gettext_lazy("Project organization"), url_name="organization:overview", active="organization"),
    calendar=meeting_events,
    routers=(router,),
    report_sections=SECTIONS,
)
