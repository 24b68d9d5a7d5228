"""REST API v1 for the vendors: the register (vendors, quotes with the quote check and their 3-year schedule),
the criteria and scores, the comparison and the decisions.

Mounted under /engagements: every path starts with /{engagement_id}/vendor... Access is checked exactly as the
pages check it (certprep.vendors.access): members read, editors write; anything outside the caller's
engagements is 404. Writes send the version they read; a stale one is refused with 409."""

from ninja import Router

from certprep.vendors.api import register, selection

router = Router(tags=["vendors"])
router.add_router("", register.router)
router.add_router("", selection.router)
