"""REST API v1 for the project's organization: the members of the steering committee and the project team, the
meeting series, the decision log and the approvals.

Mounted under /engagements: every path starts with /{engagement_id}/organization. Access is checked as the pages
check it (certprep.organization.access): members read, editors write and approve, owners revoke; anything outside
the caller's engagements is 404. Writes send the version they read; a stale one is refused with 409, and so is an
approval whose digest is no longer the document's."""

from ninja import Router

from certprep.organization.api import approvals, team

router = Router(tags=["organization"])
router.add_router("", team.router)
router.add_router("", approvals.router)
