"""The one door to the plan's objects, for pages and API alike.

Each `<object>_for(user, engagement_id, pk, role=...)` checks the membership through
engagements.access.engagement_for (404 for non-members, 403 when the role is too low) and returns the object
with the caller's membership; an object of another engagement, or none at all, is 404. The `<object>_in`
functions find an object of an engagement already opened. `<object>_named` read ids a request body or form
names: refused as input (400 naming the field), never 404.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from certprep.core.actors import Visitor
from certprep.core.api_refs import body_ref, path_ref
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.engagements.models import Engagement, Membership
from certprep.planning.models import Calendar, Dependency, Plan, Task


def plan_in(engagement: Engagement) -> Plan:
    """The engagement's plan; 404 while it has none (generate it first)."""
    plan = Plan.objects.filter(engagement=engagement).first()
    if plan is None:
        raise Http404
    plan.engagement = engagement
    return plan


def task_in(engagement: Engagement, pk: int) -> Task:
    task = path_ref(Task.objects.filter(plan__engagement=engagement).select_related("plan"), pk)
    task.plan.engagement = engagement
    return task


def dependency_in(engagement: Engagement, pk: int) -> Dependency:
    dependency = path_ref(
        Dependency.objects.filter(plan__engagement=engagement).select_related("plan", "predecessor", "successor"), pk
    )
    dependency.plan.engagement = engagement
    dependency.successor.plan = dependency.plan
    return dependency


def calendar_in(engagement: Engagement) -> Calendar:
    """The engagement's working calendar; one with the defaults (Monday to Friday, no country), unsaved, when it
    has none yet."""
    calendar = Calendar.objects.filter(engagement=engagement).first() or Calendar(engagement=engagement)
    calendar.engagement = engagement
    return calendar


def plan_for(user: Visitor, engagement_id: int, *, role: str = Role.VIEWER) -> tuple[Plan, Membership]:
    engagement, membership = engagement_for(user, engagement_id, role=role)
    return plan_in(engagement), membership


def task_for(user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER) -> tuple[Task, Membership]:
    engagement, membership = engagement_for(user, engagement_id, role=role)
    return task_in(engagement, pk), membership


def dependency_for(
    user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER
) -> tuple[Dependency, Membership]:
    engagement, membership = engagement_for(user, engagement_id, role=role)
    return dependency_in(engagement, pk), membership


def task_named(engagement: Engagement, pk: int, *, field: str) -> Task:
    """A task of the engagement's plan that a body names (a predecessor, a successor)."""
    return body_ref(
        Task.objects.filter(plan__engagement=engagement).select_related("plan"),
        pk,
        field=field,
        message=_("No task with this id in this engagement's plan."),
    )
