"""REST API v1 for the implementation plan: the plan, its tasks with their schedule, the dependencies and the
working calendar; one module each.

Mounted under /engagements: every path starts with /{engagement_id}/plan. Access is checked exactly as the
pages check it (certprep.planning.access): members read, editors write; anything outside the caller's
engagements is 404. Writes send the version they read; a stale one is refused with 409."""

from ninja import Router

from certprep.planning.api import audits as audits_api
from certprep.planning.api import baselines as baselines_api
from certprep.planning.api import calendar, dependencies, plan, tasks
from certprep.planning.api import excel as excel_api
from certprep.planning.api import exchange as exchange_api
from certprep.planning.api import feed as feed_api
from certprep.planning.api import gantt as gantt_api
from certprep.planning.api import resources as resources_api
from certprep.planning.api import risk as risk_api

router = Router(tags=["implementation plan"])
for module in (plan, tasks, dependencies, calendar, resources_api, excel_api, feed_api, gantt_api, exchange_api):
    router.add_router("", module.router)
router.add_router("", audits_api.router)
router.add_router("", baselines_api.router)
router.add_router("", risk_api.router)
