"""REST API v1 for the reports: the documents on offer, report builds (ask for one, follow its progress, delete
it) and their files.

Mounted under /engagements: every path starts with /{engagement_id}/reports. Access is checked exactly as the
pages check it (certprep.reports.access): members read and download, editors build and delete; anything outside
the caller's engagements is 404. A delete may send the version it read; a stale one is refused with 409."""

from ninja import Router

from certprep.reports.api import builds

router = Router(tags=["reports"])
router.add_router("", builds.router)
