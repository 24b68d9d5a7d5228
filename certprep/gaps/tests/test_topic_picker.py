"""The topic form's requirement picker: a search and check boxes instead of a 1,200-line multiple choice,
working without JavaScript (Find posts the form) and as a fragment the page's script asks for."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certprep.gaps.models import ImprovementTopic
from certprep.gaps.services import topics as topic_services
from certprep.gaps.tests.factories import assessment, sized_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def big(owner, engagement, catalogue):
    return assessment(engagement, owner, framework=sized_framework(1200, name="BIG"), name="Big")


def test_the_topic_form_has_no_multiple_select_and_lists_only_the_chosen_requirements(
    owner, owner_client, engagement, big
):
    chosen = list(big.ratings.order_by("requirement__order")[:2])
    topic = topic_services.topic_create(engagement=engagement, actor=owner, title="Speed up", ratings=chosen)
    page = owner_client.get(reverse("gaps:topic_edit", args=[engagement.pk, topic.pk])).content.decode()
    assert "<select multiple" not in page
    assert "multiple>" not in page
    assert page.count('name="ratings"') == 2
    assert 'id="picker-q"' in page
    assert 'name="find_requirements"' in page


def test_finding_and_adding_requirements_works_without_javascript(owner, owner_client, engagement, big):
    url = reverse("gaps:topic_create", args=[engagement.pk])
    first = big.ratings.order_by("requirement__order").select_related("requirement").first()
    ref = first.requirement.ref_id
    found = owner_client.post(url, {"title": "New", "status": "open", "q": ref, "find_requirements": "1"})
    assert found.status_code == 200
    assert not ImprovementTopic.objects.exists()
    page = found.content.decode()
    assert f'value="{first.pk}"' in page
    assert 'value="New"' in page
    saved = owner_client.post(url, {"title": "New", "status": "open", "ratings": [first.pk]})
    assert saved.status_code == 302
    assert list(ImprovementTopic.objects.get().ratings.all()) == [first]


def test_unticking_a_requirement_takes_it_out_of_the_topic(owner, owner_client, engagement, big):
    chosen = list(big.ratings.order_by("requirement__order")[:2])
    topic = topic_services.topic_create(engagement=engagement, actor=owner, title="Two", ratings=chosen)
    owner_client.post(
        reverse("gaps:topic_edit", args=[engagement.pk, topic.pk]),
        {"expected_version": topic.version, "title": "Two", "status": "open", "ratings": [chosen[1].pk]},
    )
    assert list(topic.ratings.all()) == [chosen[1]]


def test_the_search_fragment_lists_matches_without_the_chosen_ones_in_fixed_queries(
    owner, owner_client, engagement, big
):
    url = reverse("gaps:topic_requirements", args=[engagement.pk])
    ratings = list(big.ratings.order_by("requirement__order").select_related("requirement")[:3])
    ref = ratings[0].requirement.ref_id
    with CaptureQueriesContext(connection) as few:
        page = owner_client.get(url, {"q": ref}).content.decode()
    assert f'value="{ratings[0].pk}"' in page
    excluded = owner_client.get(url, {"q": ref, "exclude": str(ratings[0].pk)}).content.decode()
    assert f'value="{ratings[0].pk}"' not in excluded
    with CaptureQueriesContext(connection) as many:
        everything = owner_client.get(url, {"q": "requirement"}).content.decode()
    assert everything.count('name="ratings"') == 50
    assert "of 1200" in everything.replace(",", "")
    assert len(few) == len(many)


def test_a_viewer_cannot_search_the_picker(engagement, owner, big, client):
    from certprep.gaps.tests.factories import member

    viewer = member(engagement, owner, "vera", role="viewer")
    client.force_login(viewer)
    assert client.get(reverse("gaps:topic_requirements", args=[engagement.pk]), {"q": "1"}).status_code == 403
