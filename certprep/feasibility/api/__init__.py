"""REST API v1 for the feasibility scheme, mounted under /engagements: every path starts with
/{engagement_id}/feasibility. Members read, editors write, anything outside the caller's engagements is 404;
writes send the version they read, a stale one is 409."""

from ninja import Router

from certprep.feasibility.api import benefits, scheme

router = Router(tags=["feasibility"])
for module in (scheme, benefits):
    router.add_router("", module.router)
