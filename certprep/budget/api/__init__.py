"""REST API v1 for the budget: its settings, day rates, exchange rates, tool options, lines (typed ones written,
derived ones recomputed) and the roll-up. Mounted under /engagements: every path starts with
/{engagement_id}/budget. Access as the pages check it (certprep.budget.access): members read, editors write,
anything outside the caller's engagements is 404. Amounts travel as decimal strings, never floats. Writes send the
version they read; a stale one is 409."""

from ninja import Router

from certprep.budget.api import budget, lines, tools

router = Router(tags=["budget"])
for module in (budget, lines, tools):
    router.add_router("", module.router)
