"""Writing the gaps section: built through the same part models an import validates against."""

from __future__ import annotations

import base64
import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from certprep.core.actors import Actor
from certprep.core.transfer import group_by, stored_bytes
from certprep.engagements.models import Engagement
from certprep.gaps.choices import (
    AssessmentKind,
    AssessmentStatus,
    DocumentKind,
    DocumentStatus,
    EvidenceKind,
    Scale,
    Stage1Item,
    SuggestionDecision,
    TopicGrouping,
    TopicStatus,
)
from certprep.gaps.models import Assessment, Decision, DocumentItem, Evidence, GapSettings, ImprovementTopic, Rating
from certprep.gaps.transfer.common import AnswerKey, answer_keys
from certprep.gaps.transfer.schema import (
    EXPORT_EXCLUDE,
    AnswerRef,
    AssessmentPart,
    DecisionPart,
    DocumentPart,
    DocumentRequirementRef,
    EvidencePart,
    FilePart,
    GapsPart,
    RatingPart,
    RequirementRef,
    SettingsPart,
    TopicPart,
    TopicRatingRef,
)

# A decision on a suggestion is stored under "<rule key>:<answer id>".
SUGGESTION_KEY = re.compile(r"^(?P<rule>.+):(?P<answer>[0-9]+)$")


def _username(user: Actor | None) -> str | None:
    return user.get_username() if user is not None else None


def _answer_ref(key: AnswerKey) -> AnswerRef:
    campaign, person, questionnaire, question = key
    return AnswerRef(campaign=campaign, person=person, questionnaire=questionnaire, question=question)


class _Ratings:
    """The ratings of the engagement with their evidence and decisions, read in a fixed number of queries."""

    def __init__(self, engagement: Engagement, people: Sequence[int]) -> None:
        self.by_assessment = group_by(
            Rating.objects.filter(assessment__engagement=engagement)
            .select_related("requirement", "owner", "rated_by")
            .order_by("requirement__order", "id"),
            "assessment_id",
        )
        evidence = list(
            Evidence.objects.filter(rating__assessment__engagement=engagement)
            .select_related("added_by")
            .order_by("added_at", "id")
        )
        decisions = list(
            Decision.objects.filter(rating__assessment__engagement=engagement)
            .select_related("decided_by")
            .order_by("decided_at", "id")
        )
        keys = {d.pk: SUGGESTION_KEY.match(d.key) for d in decisions}
        wanted = {e.answer_id for e in evidence if e.answer_id is not None} | {
            int(match["answer"]) for match in keys.values() if match is not None
        }
        self.answers = answer_keys(engagement, people, wanted)
        self.evidence = group_by(evidence, "rating_id")
        self.decisions: dict[int, list[DecisionPart]] = defaultdict(list)
        for d in decisions:
            match = keys[d.pk]
            if match is None or int(match["answer"]) not in self.answers:
                continue  # about an answer deleted since: it can never be offered again, so nothing to keep
            self.decisions[d.rating_id].append(
                DecisionPart(
                    rule=match["rule"],
                    answer=_answer_ref(self.answers[int(match["answer"])]),
                    decision=SuggestionDecision(d.decision),
                    decided_by=_username(d.decided_by),
                    decided_at=d.decided_at,
                )
            )

    def evidence_part(self, e: Evidence) -> EvidencePart:
        file = None
        if e.kind == EvidenceKind.FILE and e.file:
            file = FilePart(
                original_name=e.original_name,
                content_type=e.content_type,
                size=e.size or 0,
                sha256=e.sha256,
                content=base64.b64encode(stored_bytes(e.file, e.original_name)).decode("ascii"),
            )
        return EvidencePart(
            kind=EvidenceKind(e.kind),
            title=e.title,
            url=e.url,
            file=file,
            answer=_answer_ref(self.answers[e.answer_id]) if e.answer_id in self.answers else None,
            added_by=_username(e.added_by),
            added_at=e.added_at,
        )

    def parts(self, assessment_id: int) -> list[RatingPart]:
        return [
            RatingPart(
                requirement=RequirementRef(urn=r.requirement.urn, ref_id=r.requirement.ref_id),
                scale=r.scale,
                attributes=dict(r.attributes or {}),
                level=r.level,
                target=r.target,
                notes=r.notes,
                owner=_username(r.owner),
                rated_by=_username(r.rated_by),
                rated_at=r.rated_at,
                evidence=[self.evidence_part(e) for e in self.evidence.get(r.pk, [])],
                decisions=self.decisions.get(r.pk, []),
            )
            for r in self.by_assessment.get(assessment_id, [])
        ]


def _assessments(engagement: Engagement, people: Sequence[int]) -> tuple[list[AssessmentPart], dict[int, int]]:
    """The assessments in date order with their ratings, and each one's position (`#n`) in the file."""
    assessments = list(
        Assessment.objects.filter(engagement=engagement)
        .select_related("framework", "created_by")
        .order_by("assessed_on", "id")
    )
    position = {a.pk: index for index, a in enumerate(assessments)}
    ratings = _Ratings(engagement, people)
    parts = [
        AssessmentPart(
            name=a.name,
            framework=a.framework.urn,
            kind=AssessmentKind(a.kind),
            scale=Scale(a.scale),
            default_target=a.default_target,
            assessed_on=a.assessed_on,
            status=AssessmentStatus(a.status),
            based_on=position.get(a.based_on_id) if a.based_on_id is not None else None,
            created_by=_username(a.created_by),
            ratings=ratings.parts(a.pk),
        )
        for a in assessments
    ]
    return parts, position


def _topics(engagement: Engagement, assessment_ref: dict[int, int], person_ref: dict[int, int]) -> list[TopicPart]:
    topics = list(ImprovementTopic.objects.filter(engagement=engagement).select_related("created_by").order_by("id"))
    linked: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for topic_id, assessment_id, order, urn in ImprovementTopic.ratings.through.objects.filter(
        improvementtopic__engagement=engagement
    ).values_list(
        "improvementtopic_id", "rating__assessment_id", "rating__requirement__order", "rating__requirement__urn"
    ):
        linked[topic_id].append((assessment_ref[assessment_id], order, urn))
    return [
        TopicPart(
            title=t.title,
            description=t.description,
            grouping=TopicGrouping(t.grouping),
            group_key=t.group_key,
            owner=person_ref[t.owner_id] if t.owner_id is not None else None,
            due_date=t.due_date,
            status=TopicStatus(t.status),
            assessment=assessment_ref[t.assessment_id] if t.assessment_id is not None else None,
            ratings=[TopicRatingRef(assessment=index, requirement=urn) for index, _order, urn in sorted(linked[t.pk])],
            created_by=_username(t.created_by),
        )
        for t in topics
    ]


def _documents(engagement: Engagement, person_ref: dict[int, int]) -> list[DocumentPart]:
    documents = DocumentItem.objects.filter(engagement=engagement).prefetch_related("requirements__framework")
    return [
        DocumentPart(
            key=d.key,
            kind=DocumentKind(d.kind),
            clause=d.clause,
            name=d.name,
            description=d.description,
            stage1=Stage1Item(d.stage1) if d.stage1 else "",
            translations=d.translations or {},
            status=DocumentStatus(d.status),
            requirements=[
                DocumentRequirementRef(framework=q.framework.urn, urn=q.urn, ref_id=q.ref_id)
                for q in sorted(d.requirements.all(), key=lambda q: (q.framework_id, q.order, q.pk))
            ],
            owner=person_ref[d.owner_id] if d.owner_id is not None else None,
            location=d.location,
            review_date=d.review_date,
            notes=d.notes,
            order=d.order,
        )
        for d in documents.order_by("order", "id")
    ]


def gaps_export(engagement: Engagement, *, people: Sequence[int]) -> dict[str, Any]:
    """The gap analysis of the engagement as JSON-ready data; `people` lists the person ids in the order of
    the survey section (the engagement export checks the files' size). The number of queries does not
    depend on the amount of data."""
    person_ref = {pk: index for index, pk in enumerate(people)}
    settings = GapSettings.objects.filter(engagement=engagement).first()
    assessments, assessment_ref = _assessments(engagement, people)
    part = GapsPart(
        settings=(
            SettingsPart(
                scale=Scale(settings.scale),
                default_target=settings.default_target,
                sms_operating_since=settings.sms_operating_since,
            )
            if settings is not None
            else None
        ),
        assessments=assessments,
        topics=_topics(engagement, assessment_ref, person_ref),
        documents=_documents(engagement, person_ref),
    )
    return part.model_dump(mode="json", exclude=EXPORT_EXCLUDE)
