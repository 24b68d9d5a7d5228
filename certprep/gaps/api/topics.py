"""Improvement topics: generated from the gaps, added, changed, merged, split and deleted."""

import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from certprep.core.actors import SignedInRequest
from certprep.core.api_errors import READ, VERSIONED, WRITE
from certprep.core.schemas import Choice, InputSchema, IsoDate
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.gaps.access import assessment_for, person_named, ratings_named, topic_for, topics_named
from certprep.gaps.api.common import BASE, VERSION_HELP, GapPersonRef, person_ref, sent
from certprep.gaps.changes import topic_changes
from certprep.gaps.choices import TopicStatus
from certprep.gaps.models import ImprovementTopic
from certprep.gaps.rules import priority_band
from certprep.gaps.selectors.topic_details import topic_points, topic_with_ratings, topics_with_ratings
from certprep.gaps.selectors.weights import EngagementWeights
from certprep.gaps.services import topics as services

router = Router()

TopicStatusIn = Choice[TopicStatus]


class GapTopicRequirementOut(Schema):
    rating_id: int
    ref_id: str
    name: str


class GapTopicOut(Schema):
    id: int
    title: str
    description: str
    assessment_id: int | None
    grouping: str = Field(description="process, clause or custom.")
    group_key: str = Field(description="The process code or clause it was generated for.")
    owner: GapPersonRef | None = Field(description="A person of the organization.")
    due_date: datetime.date | None
    status: str
    priority_points: int = Field(description="The highest priority points of its requirements.")
    priority: str | None
    requirements: list[GapTopicRequirementOut]
    version: int


class GapTopicIn(InputSchema):
    title: str = Field(min_length=1, max_length=300)
    description: str = Field("", max_length=20_000)
    rating_ids: list[int] = Field(default_factory=list, max_length=1000, description="Ratings of this engagement.")
    owner_id: int | None = Field(None, ge=1, description="A person of this engagement.")
    due_date: IsoDate | None = None
    status: TopicStatusIn = TopicStatus.OPEN


class GapTopicPatch(InputSchema):
    version: int = Field(ge=1, description=VERSION_HELP)
    title: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = Field(None, max_length=20_000)
    rating_ids: list[int] | None = Field(None, max_length=1000, description="Replaces the requirements.")
    owner_id: int | None = Field(None, ge=1, description="A person of this engagement; null: nobody.")
    due_date: IsoDate | None = None
    status: TopicStatusIn | None = None


class GapTopicGenerateIn(InputSchema):
    grouping: Literal["process", "clause"] = "process"


class GapTopicMergeIn(InputSchema):
    topic_ids: list[int] = Field(min_length=2, max_length=100, description="The first (lowest id) is kept.")
    title: str | None = Field(None, min_length=1, max_length=300, description="Empty: the kept topic's title.")


class GapTopicSplitIn(InputSchema):
    version: int = Field(ge=1, description="The topic's version you read; a stale one is refused with 409.")
    rating_ids: list[int] = Field(min_length=1, max_length=1000, description="Requirements moved to the new topic.")
    title: str = Field(min_length=1, max_length=300)


def topic_out(topic: ImprovementTopic, weights: EngagementWeights | None = None) -> dict[str, Any]:
    """A topic read by selectors.topic_details, with its priority under the engagement's weights."""
    points = topic_points(topic, weights or EngagementWeights(topic.engagement_id))
    return {
        "id": topic.pk,
        "title": topic.title,
        "description": topic.description,
        "assessment_id": topic.assessment_id,
        "grouping": topic.grouping,
        "group_key": topic.group_key,
        "owner": person_ref(topic.owner if topic.owner_id else None),
        "due_date": topic.due_date,
        "status": topic.status,
        "priority_points": points,
        "priority": priority_band(points),
        "requirements": [
            {"rating_id": r.pk, "ref_id": r.requirement.ref_id, "name": r.requirement.tr.name}
            for r in topic.ratings.all()
        ],
        "version": topic.version,
    }


def _topics_out(topics: list[ImprovementTopic]) -> list[dict[str, Any]]:
    weights = EngagementWeights(topics[0].engagement_id) if topics else None
    return [topic_out(topic, weights) for topic in topics]


@router.get(
    BASE + "/topics",
    response={200: list[GapTopicOut], **READ},
    summary="The improvement topics with their requirements and priority",
)
def topic_list(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return _topics_out(topics_with_ratings(engagement))


@router.post(BASE + "/topics", response={201: GapTopicOut, **WRITE}, summary="Add an improvement topic (editors)")
def topic_create(request: SignedInRequest, engagement_id: int, payload: GapTopicIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    topic = services.topic_create(
        engagement=engagement,
        actor=request.user,
        title=payload.title,
        description=payload.description,
        ratings=ratings_named(engagement, payload.rating_ids),
        owner=person_named(engagement, payload.owner_id),
        due_date=payload.due_date,
        status=payload.status,
    )
    return Status(201, topic_out(topic_with_ratings(engagement, topic.pk)))


@router.post(
    BASE + "/assessments/{assessment_id}/topics/generate",
    response={200: list[GapTopicOut], **WRITE},
    summary="One topic per process or clause for the gaps no topic covers yet (editors); returns the new ones",
)
def topic_generate(
    request: SignedInRequest, engagement_id: int, assessment_id: int, payload: GapTopicGenerateIn
) -> Any:
    assessment, _m = assessment_for(request.user, engagement_id, assessment_id, role=Role.EDITOR)
    created = services.topics_generate(assessment=assessment, actor=request.user, grouping=payload.grouping)
    return _topics_out(topics_with_ratings(assessment.engagement, topic_ids=[t.pk for t in created]))


@router.post(
    BASE + "/topics/merge",
    response={200: GapTopicOut, **WRITE},
    summary="Fold several topics into the first (editors); the others are deleted",
)
def topic_merge(request: SignedInRequest, engagement_id: int, payload: GapTopicMergeIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    topics = topics_named(engagement, payload.topic_ids)
    kept = services.topic_merge(topics=topics, actor=request.user, title=payload.title)
    return topic_out(topic_with_ratings(engagement, kept.pk))


@router.get(BASE + "/topics/{topic_id}", response={200: GapTopicOut, **READ}, summary="One improvement topic")
def topic_get(request: HttpRequest, engagement_id: int, topic_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return topic_out(topic_with_ratings(engagement, topic_id))


@router.patch(
    BASE + "/topics/{topic_id}",
    response={200: GapTopicOut, **VERSIONED},
    summary="Change a topic (editors; send the version you read; null clears owner_id and due_date)",
)
def topic_patch(request: SignedInRequest, engagement_id: int, topic_id: int, payload: GapTopicPatch) -> Any:
    topic, _m = topic_for(request.user, engagement_id, topic_id, role=Role.EDITOR)
    changes = topic_changes(topic.engagement, sent(payload, {"owner_id": "owner", "rating_ids": "ratings"}))
    services.topic_update(topic=topic, actor=request.user, expected_version=payload.version, **changes)
    return topic_out(topic_with_ratings(topic.engagement, topic_id))


@router.delete(BASE + "/topics/{topic_id}", response={204: None, **WRITE}, summary="Delete a topic (editors)")
def topic_delete(request: SignedInRequest, engagement_id: int, topic_id: int) -> Any:
    topic, _m = topic_for(request.user, engagement_id, topic_id, role=Role.EDITOR)
    services.topic_delete(topic=topic, actor=request.user)
    return Status(204, None)


@router.post(
    BASE + "/topics/{topic_id}/split",
    response={201: GapTopicOut, **VERSIONED},
    summary=(
        "Move some requirements of a topic to a new topic (editors; send the version you read); returns the new topic"
    ),
)
def topic_split(request: SignedInRequest, engagement_id: int, topic_id: int, payload: GapTopicSplitIn) -> Any:
    topic, _m = topic_for(request.user, engagement_id, topic_id, role=Role.EDITOR)
    new = services.topic_split(
        topic=topic,
        actor=request.user,
        expected_version=payload.version,
        ratings=ratings_named(topic.engagement, payload.rating_ids),
        title=payload.title,
    )
    return Status(201, topic_out(topic_with_ratings(topic.engagement, new.pk)))
