"""The gap analysis's one door (certprep.gaps.access): members find their engagement's objects, everyone else
finds nothing (404), a role too low is refused (403), and ids a body names are refused as input (400)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from certprep.core.errors import ServiceError
from certprep.engagements.choices import Role
from certprep.gaps import access
from certprep.gaps.tests.factories import another_engagement, member
from certprep.gaps.tests.world import gap_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(engagement, owner, catalogue):
    return gap_world(engagement, owner)


LOOKUPS = [
    (access.assessment_for, "assessment"),
    (access.rating_for, "rating"),
    (access.evidence_for, "evidence"),
    (access.topic_for, "topic"),
    (access.document_for, "item"),
]


@pytest.mark.parametrize(("lookup", "name"), LOOKUPS)
def test_a_member_finds_the_object_with_the_engagement_shared(lookup, name, world, engagement, owner):
    found, membership = lookup(owner, engagement.pk, world[name].pk)
    assert found.pk == world[name].pk
    assert membership.user == owner


@pytest.mark.parametrize(("lookup", "name"), LOOKUPS)
def test_an_outsider_finds_nothing(lookup, name, world, engagement, outsider):
    with pytest.raises(Http404):
        lookup(outsider, engagement.pk, world[name].pk)


@pytest.mark.parametrize(("lookup", "name"), LOOKUPS)
def test_an_object_of_another_engagement_is_not_found_through_this_one(lookup, name, world, engagement, owner):
    other = another_engagement(owner, "Client C")
    with pytest.raises(Http404):
        lookup(owner, other.pk, world[name].pk)


@pytest.mark.parametrize(("lookup", "name"), LOOKUPS)
def test_a_viewer_reads_but_may_not_write(lookup, name, world, engagement, owner):
    viewer = member(engagement, owner, "vera")
    found, _membership = lookup(viewer, engagement.pk, world[name].pk)
    assert found.pk == world[name].pk
    with pytest.raises(PermissionDenied):
        lookup(viewer, engagement.pk, world[name].pk, role=Role.EDITOR)


@pytest.mark.parametrize("pk", [0, -1, 2**63, 10**30])
def test_an_id_no_database_holds_is_not_found(pk, world, engagement, owner):
    with pytest.raises(Http404):
        access.rating_for(owner, engagement.pk, pk)


def test_only_a_stored_file_is_handed_out(world, engagement, owner):
    assert access.evidence_file_for(owner, engagement.pk, world["evidence"].pk).pk == world["evidence"].pk
    link = world["rating"].evidence.create(kind="link", url="https://example.com/a", title="A")
    with pytest.raises(Http404):
        access.evidence_file_for(owner, engagement.pk, link.pk)


def test_ids_a_body_names_are_refused_as_input_naming_the_field(world, engagement, owner):
    other = another_engagement(owner, "Client C")
    with pytest.raises(ServiceError) as caught:
        access.ratings_named(other, [world["rating"].pk, 999_999])
    assert caught.value.field == "ratings"
    assert f"{world['rating'].pk}, 999999" in caught.value.message
    with pytest.raises(ServiceError) as caught:
        access.assessment_named(other, world["assessment"].pk, field="based_on")
    assert caught.value.field == "based_on"
    with pytest.raises(ServiceError) as caught:
        access.framework_named("urn:nothing:here")
    assert caught.value.field == "framework"
    assert access.person_named(engagement, None) is None
    assert [r.pk for r in access.ratings_named(engagement, [world["rating"].pk])] == [world["rating"].pk]
