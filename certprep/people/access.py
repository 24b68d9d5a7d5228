"""The door to the people of an engagement, for pages and API alike: a person of another engagement is not
found (404), a role too low for the request is refused (403), as engagements.access decides."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from certprep.core.actors import Visitor
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.engagements.models import Membership
from certprep.people.models import Person


def person_for(user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER) -> tuple[Person, Membership]:
    """The person `pk` of the engagement, with the caller's membership (its engagement is the person's)."""
    engagement, membership = engagement_for(user, engagement_id, role=role)
    person = get_object_or_404(Person.objects.prefetch_related("role_assignments"), pk=pk, engagement=engagement)
    person.engagement = engagement
    return person, membership
