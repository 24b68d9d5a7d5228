"""Improvement topics rank by the same priority as the assessment screen: the one normalization of both
scales and the engagement's own weights, on the topics page, in the API and in topic generation."""

from __future__ import annotations

import pytest

from certprep.gaps.selectors.topics import topic_views, with_texts
from certprep.gaps.services import topics as topic_services
from certprep.gaps.services import weights as weight_services
from certprep.gaps.tests.factories import assessment, rate

pytestmark = pytest.mark.django_db


def _points(engagement) -> dict[str, int]:
    views = topic_views(engagement)
    with_texts(views)  # topic_views reads only what ranks the topics
    return {view.topic.group_key: view.points for view in views}


def test_a_topic_follows_the_engagements_weight_of_its_process(engagement, owner, catalogue, client, api_token):
    mixed = assessment(engagement, owner, scale="mixed")
    rate(owner, mixed, "8.5.3", attributes={"1.1": "F"})  # release, capability level 1 of target 3, weight 1
    topic_services.topics_generate(assessment=mixed, actor=owner, grouping="process")
    before = _points(engagement)["release"]
    weight_services.weight_set(engagement=engagement, actor=owner, scope="process", key="release", weight=4)
    after = _points(engagement)["release"]
    assert after > before
    assert after >= 4 * before - 3
    listed = client.get(
        f"/api/v1/engagements/{engagement.pk}/gaps/topics", HTTP_AUTHORIZATION=f"Bearer {api_token(owner)}"
    ).json()
    assert [t["priority_points"] for t in listed if t["group_key"] == "release"] == [after]


def test_gaps_on_the_two_scales_are_compared_as_shares_of_their_targets(engagement, owner, catalogue):
    """Capability 4 of 5 reaches 80 % of its target, compliance 2 of 3 only 67 %: one step short on each
    scale, but the compliance gap is the larger one once both are put on common steps."""
    mixed = assessment(engagement, owner, scale="mixed")
    four = {"1.1": "F", "2.1": "F", "2.2": "F", "3.1": "F", "3.2": "F", "4.1": "F", "4.2": "F"}
    rate(owner, mixed, "8.5.3", attributes=four, target=5)
    rate(owner, mixed, "6.3", level=2, target=3)
    for ref in ("8.5.3", "6.3"):  # the same weight, so only the gaps differ
        urn = mixed.ratings.get(requirement__ref_id=ref).requirement.urn
        weight_services.weight_set(engagement=engagement, actor=owner, scope="requirement", key=urn, weight=4)
    topic_services.topics_generate(assessment=mixed, actor=owner, grouping="clause")
    lines = {line.ref_id: line.points for view in topic_views(engagement) for line in view.lines}
    assert lines["6.3"] > lines["8.5.3"]
