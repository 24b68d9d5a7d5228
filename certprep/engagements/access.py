"""The one door to an engagement: membership decides, everyone else gets 404.

Other apps build their own access helper on engagement_for, so a foreign object is never found.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from certprep.core.actors import Visitor
from certprep.core.timezones import activate_engagement_zone
from certprep.engagements.choices import ROLE_RANK, Role
from certprep.engagements.models import Engagement, Membership


def membership_for(user: Visitor, engagement_id: int) -> Membership:
    """The user's membership, or 404 when the user is not a member (or the engagement does not exist)."""
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.select_related("engagement", "engagement__profile")
        .filter(engagement_id=engagement_id, user=user)
        .first()
    )
    if membership is None:
        raise Http404(_("No such engagement."))
    # Whoever opens an engagement sees and types its times in the engagement's own zone.
    activate_engagement_zone(membership.engagement)
    return membership


def engagement_for(user: Visitor, engagement_id: int, *, role: str = Role.VIEWER) -> tuple[Engagement, Membership]:
    """The engagement and the caller's membership; 404 for non-members, 403 when the role is too low."""
    membership = membership_for(user, engagement_id)
    if ROLE_RANK[Role(membership.role)] < ROLE_RANK[Role(role)]:
        raise PermissionDenied(
            _("Your role in this engagement (%(role)s) does not allow this.") % {"role": membership.get_role_display()}
        )
    return membership.engagement, membership


def page_role(request: HttpRequest) -> Role:
    """The role a page asks for: members read it (viewer), sending its form takes an editor."""
    return Role.EDITOR if request.method == "POST" else Role.VIEWER


def engagement_for_page(request: HttpRequest, engagement_id: int) -> tuple[Engagement, Membership]:
    """The engagement of a page members read and editors submit: 404 for non-members, 403 when a viewer posts."""
    return engagement_for(request.user, engagement_id, role=page_role(request))


def can(membership: Membership, role: str) -> bool:
    return ROLE_RANK[Role(membership.role)] >= ROLE_RANK[Role(role)]


# Who may open an import page: one rule for every page that brings a file into an engagement (the people list,
# the responsibility matrix, an assessment workbook, and every import to come). An import page exists to write
# into the engagement, so it is a write page like any other: editors and owners open it; a viewer gets 403 on
# GET and POST alike (and the links to it are not shown to them); a non-member gets 404. A viewer who wants the
# data exports it instead. The engagement import is not behind this door: it writes into a new engagement,
# which the importer owns.
IMPORT_ROLE = Role.EDITOR


def engagement_for_import(user: Visitor, engagement_id: int) -> tuple[Engagement, Membership]:
    """The engagement and the caller's membership for an import page (GET or POST): 404 for non-members,
    403 below the editor role."""
    return engagement_for(user, engagement_id, role=IMPORT_ROLE)


def member_for(user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER) -> tuple[Membership, Membership]:
    """A member of the engagement (with their user) and the caller's own membership; 404 for a member of
    another engagement."""
    engagement, membership = engagement_for(user, engagement_id, role=role)
    member = engagement.memberships.select_related("user").filter(pk=pk).first()
    if member is None:
        raise Http404
    return member, membership
