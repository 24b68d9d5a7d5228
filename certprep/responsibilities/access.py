"""The one door to the responsibility matrix's objects, for pages and API alike.

`role_for` and `activity_for` check the membership through engagements.access.engagement_for (404 for
non-members, 403 when the role is too low) and return the object with the caller's membership; a role or
activity of another engagement, or none at all, is 404. The `_in` functions find one in an engagement
already opened; `holder_in` finds a person of the engagement named in a path.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from certprep.core.actors import Visitor
from certprep.core.api_refs import body_ref, engagement_ref, path_ref
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.engagements.models import Engagement, Membership
from certprep.people.models import Person
from certprep.responsibilities.models import Activity, MatrixRole
from certprep.responsibilities.selectors import roles_with_holders


def role_in(engagement: Engagement, pk: int, *, with_holders: bool = False) -> MatrixRole:
    """A column of the matrix; with_holders prefetches its own holders (as roles_with_holders does)."""
    queryset = roles_with_holders(engagement) if with_holders else MatrixRole.objects.filter(engagement=engagement)
    role = path_ref(queryset, pk)
    role.engagement = engagement
    return role


def activity_in(engagement: Engagement, pk: int) -> Activity:
    return engagement_ref(Activity.objects.prefetch_related("assignments"), engagement, pk)


def person_in(engagement: Engagement, pk: int) -> Person:
    """A person of the engagement a path names (a holder to remove)."""
    return path_ref(Person.objects.filter(engagement=engagement), pk)


def person_named(engagement: Engagement, pk: int, *, field: str = "person") -> Person:
    """A person of the engagement a body names (a holder to add), refused as input otherwise."""
    return body_ref(
        Person.objects.filter(engagement=engagement),
        pk,
        field=field,
        message=_("No person with this id in this engagement."),
    )


def role_for(
    user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER, with_holders: bool = False
) -> tuple[MatrixRole, Membership]:
    engagement, membership = engagement_for(user, engagement_id, role=role)
    return role_in(engagement, pk, with_holders=with_holders), membership


def activity_for(user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER) -> tuple[Activity, Membership]:
    engagement, membership = engagement_for(user, engagement_id, role=role)
    return activity_in(engagement, pk), membership


def cell_for(
    user: Visitor, engagement_id: int, activity_id: int, role_id: int
) -> tuple[Activity, MatrixRole, Membership]:
    """The activity and the role of one cell, for an editor."""
    engagement, membership = engagement_for(user, engagement_id, role=Role.EDITOR)
    return activity_in(engagement, activity_id), role_in(engagement, role_id), membership
