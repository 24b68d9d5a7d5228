"""The matrix's one door (certprep.responsibilities.access): members find their engagement's roles and
activities, everyone else finds nothing (404), a viewer may not edit a cell (403)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from certprep.core.errors import ServiceError
from certprep.engagements import services as engagement_services
from certprep.engagements.choices import Role
from certprep.engagements.tests.factories import UserFactory
from certprep.responsibilities import access
from certprep.responsibilities.models import Activity, MatrixRole

pytestmark = pytest.mark.django_db


def test_members_find_roles_and_activities_outsiders_nothing(seeded, owner, outsider):
    role = MatrixRole.objects.filter(engagement=seeded).first()
    activity = Activity.objects.filter(engagement=seeded).first()
    found, membership = access.role_for(owner, seeded.pk, role.pk, with_holders=True)
    assert (found, membership.user) == (role, owner)
    assert access.activity_for(owner, seeded.pk, activity.pk)[0] == activity
    for lookup, pk in ((access.role_for, role.pk), (access.activity_for, activity.pk)):
        with pytest.raises(Http404):
            lookup(outsider, seeded.pk, pk)
        with pytest.raises(Http404):
            lookup(owner, seeded.pk, pk + 10_000)


def test_a_cell_is_for_editors(seeded, owner):
    viewer = UserFactory(username="vera")
    engagement_services.member_add(engagement=seeded, actor=owner, user=viewer, role=Role.VIEWER)
    role = MatrixRole.objects.filter(engagement=seeded).first()
    activity = Activity.objects.filter(engagement=seeded).first()
    assert access.cell_for(owner, seeded.pk, activity.pk, role.pk)[:2] == (activity, role)
    with pytest.raises(PermissionDenied):
        access.cell_for(viewer, seeded.pk, activity.pk, role.pk)


def test_a_person_named_in_a_body_is_refused_as_input(seeded, outsider):
    with pytest.raises(ServiceError) as caught:
        access.person_named(seeded, 999_999)
    assert caught.value.field == "person"
    with pytest.raises(Http404):
        access.person_in(seeded, 999_999)
