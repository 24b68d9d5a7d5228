"""The plan's links to the gap analysis's improvement topics (certprep.core.parts.LinkFinder): each topic the
plan turned into a task shows that task, its progress and, on the topic's own page, its scheduled dates. The gap
analysis sits below the plan and cannot import it; it asks through certprep.core.parts.part_links."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certprep.core.parts import Link
from certprep.engagements.models import Engagement
from certprep.planning.models import Task
from certprep.planning.selectors.schedule import plan_schedule

TOPIC = "gaps.improvementtopic"


def _facts(task: Task, dates: tuple[str, str] | None) -> list[str]:
    facts = [_("%(n)s%% done") % {"n": task.percent_complete}]
    if dates:
        facts.insert(0, _("%(start)s to %(finish)s") % {"start": dates[0], "finish": dates[1]})
    return facts


def topic_links(
    engagement: Engagement, kind: str, ids: Sequence[int], *, detailed: bool
) -> Mapping[int, Sequence[Link]]:
    """One query for the tasks of these topics; on a topic's own page the plan is scheduled for their dates (a
    fixed number of queries more)."""
    if kind != TOPIC:
        return {}
    tasks = list(
        Task.objects.filter(plan__engagement=engagement, topic_id__in=list(ids))
        .select_related("plan")
        .order_by("order", "pk")
    )
    if not tasks:
        return {}
    dates: dict[int, tuple[str, str]] = {}
    if detailed:
        for row in plan_schedule(tasks[0].plan).rows:
            if row.scheduled is not None:
                start, finish = row.scheduled.start.date(), row.scheduled.finish.date()
                dates[row.task.pk] = (date_format(start), date_format(finish))
    found: dict[int, list[Link]] = {}
    for task in tasks:
        if task.topic_id is None:
            continue
        found.setdefault(task.topic_id, []).append(
            Link(
                kind=gettext_lazy("Plan task"),
                label=task.tr.name,
                url=reverse("planning:plan", args=[engagement.pk]) + f"#task-{task.pk}",
                facts=_facts(task, dates.get(task.pk)),
            )
        )
    return found
