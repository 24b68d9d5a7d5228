"""The one door to the reports' objects, for pages and API alike: the engagement through
engagements.access.engagement_for (404 for non-members, 403 when the role is too low), then the build or file
within it; one of another engagement, or none at all, is 404."""

from __future__ import annotations

from certprep.core.actors import Visitor
from certprep.core.api_refs import engagement_ref, path_ref
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.engagements.models import Membership
from certprep.reports.models import ReportBuild, ReportFile


def build_for(user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER) -> tuple[ReportBuild, Membership]:
    engagement, membership = engagement_for(user, engagement_id, role=role)
    build = engagement_ref(ReportBuild, engagement, pk)
    return build, membership


def file_for(user: Visitor, engagement_id: int, pk: int) -> tuple[ReportFile, Membership]:
    """A report file of the engagement, checked every time it is downloaded (members only)."""
    engagement, membership = engagement_for(user, engagement_id)
    report = path_ref(ReportFile.objects.filter(build__engagement=engagement).select_related("build"), pk)
    report.build.engagement = engagement
    return report, membership
