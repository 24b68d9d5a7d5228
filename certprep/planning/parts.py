"""The plan's part of an engagement (certprep.core.parts): its section of the engagement file, its demo, its
step on the dashboard and its API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy

from certprep.core.parts import DashboardCard, EngagementPart, FileSection, Handover, Handovers, MenuEntry
from certprep.engagements.models import Engagement
from certprep.gaps.parts import FILE_TOPICS_COUNT
from certprep.people.handovers import FILE_PEOPLE, FILE_PEOPLE_COUNT, file_people_ids
from certprep.planning.api import router
from certprep.planning.approval import plan_approvable
from certprep.planning.demo import load_plan_demo
from certprep.planning.models import Task
from certprep.planning.report import DOCUMENT, SECTIONS
from certprep.planning.selectors.feed import plan_events
from certprep.planning.topic_links import topic_links
from certprep.planning.transfer import PlanPart, plan_check, plan_export, plan_import


def _export(engagement: Engagement) -> dict[str, Any]:
    return plan_export(engagement, people=file_people_ids(engagement))


# How many tasks the file's plan section has: the sections after it name a task by its position there.
FILE_TASKS_COUNT: Handover[int] = Handover("plan tasks in the file")


def _check(section: PlanPart, handovers: Handovers) -> None:
    plan_check(section, people=handovers.get(FILE_PEOPLE_COUNT), topics=handovers.get(FILE_TOPICS_COUNT))
    handovers.give(FILE_TASKS_COUNT, len(section.tasks))


def _load(engagement: Engagement, section: PlanPart, handovers: Handovers) -> None:
    plan_import(engagement=engagement, part=section, people=handovers.get(FILE_PEOPLE) or [])


def _status(engagement: Engagement) -> Mapping[str, object]:
    """How many tasks the plan has (summary tasks included) and how many are finished; one query."""
    counts = Task.objects.filter(plan__engagement=engagement).aggregate(
        tasks=Count("pk"), done=Count("pk", filter=Q(percent_complete=100))
    )
    return {"tasks": counts["tasks"], "done": counts["done"]}


part = EngagementPart[Engagement](
    key="plan",
    section=FileSection(schema=PlanPart, export=_export, check=_check, load=_load),
    demo=load_plan_demo,
    card=DashboardCard(template="planning/partials/dashboard_card.html", status=_status),
    routers=(router,),
    menu=MenuEntry(label=gettext_lazy("Plan"), url_name="planning:plan", active="plan"),
    links=topic_links,
    calendar=plan_events,
    approvables=(plan_approvable,),
    report_sections=SECTIONS,
    report_documents=(DOCUMENT,),
)
