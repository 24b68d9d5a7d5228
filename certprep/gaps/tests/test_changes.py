"""Partial updates read one way (certprep.gaps.changes): which fields reach the service and what null means,
for the API's PATCH, the screen's instant save and the forms alike."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from certprep.core.errors import ServiceError
from certprep.gaps.changes import (
    already_holds,
    document_changes,
    posted_rating_fields,
    posted_version,
    rating_changes,
    topic_changes,
)
from certprep.gaps.tests.world import gap_world
from certprep.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(engagement, owner, catalogue):
    return gap_world(engagement, owner)


def test_null_clears_level_target_and_assessor_but_leaves_the_texts(world, owner):
    rating = world["rating"]
    changes = rating_changes(
        rating, {"level": None, "target": None, "owner": None, "documentation": None, "notes": None, "attributes": None}
    )
    assert changes == {"level": None, "target": None, "owner": None}


def test_a_field_not_sent_is_not_changed_and_an_assessor_is_a_member(world, owner, outsider):
    rating = world["rating"]
    assert rating_changes(rating, {"notes": "seen"}) == {"notes": "seen"}
    assert rating_changes(rating, {"owner": owner.pk}) == {"owner": owner}
    with pytest.raises(ServiceError) as caught:
        rating_changes(rating, {"owner": outsider.pk})
    assert caught.value.field == "owner"


def test_the_instant_save_posts_numbers_as_text_and_one_attribute(world):
    posted = QueryDict("version=3&level=&target=2&attr=2.1&value=l&notes=x")
    assert posted_version(posted) == 3
    assert posted_rating_fields(posted) == {"level": None, "target": 2, "attributes": {"2.1": "l"}, "notes": "x"}
    with pytest.raises(ServiceError) as caught:
        posted_rating_fields(QueryDict("target=two"))
    assert caught.value.field == "target"
    with pytest.raises(ServiceError, match="which version"):
        posted_version(QueryDict("level=1"))


def test_a_stale_page_asking_for_what_is_stored_is_recognized(world):
    rating = world["rating"]  # level 1, documentation missing, no target, no notes
    assert already_holds(rating, {"level": 1, "documentation": "missing", "notes": "  "})
    assert not already_holds(rating, {"level": 2})
    assert not already_holds(rating, {})


def test_topic_and_checklist_owners_are_people_of_the_engagement(world, engagement, owner):
    ann = Person.objects.create(engagement=engagement, name="Ann")
    changes = topic_changes(engagement, {"owner": ann.pk, "due_date": None, "title": None, "ratings": None})
    assert changes == {"owner": ann, "due_date": None}
    assert topic_changes(engagement, {"ratings": [world["rating"].pk]})["ratings"] == [world["rating"]]
    assert document_changes(engagement, {"owner": None, "review_date": None, "status": None}) == {
        "owner": None,
        "review_date": None,
    }
    with pytest.raises(ServiceError) as caught:
        document_changes(engagement, {"owner": 999_999})
    assert caught.value.field == "owner"
