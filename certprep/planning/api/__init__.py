"""REST API v1 for the implementation plan: the plan, its tasks with their schedule, the dependencies and the
working calendar; one module each.

Mounted under /engagements: every path starts with /{engagement_id}/plan. Access is checked exactly as the
pages check it (certprep.planning.access): members read, editors write; anything outside the caller's
engagements is 404. Writes send the version they read; a stale one is refused with 409."""

from ninja import Router

from certprep.planning.api import calendar, dependencies, plan, tasks

router = Router(tags=["implementation plan"])
for module in (plan, tasks, dependencies, calendar):
    router.add_router("", module.router)
