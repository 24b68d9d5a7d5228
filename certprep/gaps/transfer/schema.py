"""The parts of the gaps section of an engagement file: what an export writes and an import validates."""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict

from certprep.core.schemas import Choice
from certprep.core.text import SingleLineText
from certprep.gaps.choices import (
    AssessmentKind,
    AssessmentStatus,
    Documentation,
    DocumentKind,
    DocumentStatus,
    EvidenceKind,
    Scale,
    Stage1Item,
    SuggestionDecision,
    TopicGrouping,
    TopicStatus,
)
from certprep.gaps.rules import ATTRIBUTE_KEYS
from certprep.gaps.services.documents import MAX_REQUIREMENTS_PER_ITEM
from certprep.gaps.services.ratings import MAX_EVIDENCE_PER_RATING

# Numbers are taken as they are: "3" or true is not a level.
Int = Annotated[int, Strict()]
KEY_PATTERN = r"^[-a-zA-Z0-9_]+$"
NOTES_MAX = 20_000
ORDER_MAX = 2_147_483_647
# The scale a requirement is rated on (an assessment's may also be mixed).
RequirementScale = Literal["capability", "compliance"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AnswerRef(_Strict):
    campaign: Int = Field(ge=0)
    person: Int = Field(ge=0)
    questionnaire: str = Field(min_length=1, max_length=80)
    question: str = Field(min_length=1, max_length=80)

    def key(self) -> tuple[int, int, str, str]:
        return (self.campaign, self.person, self.questionnaire, self.question)


class SettingsPart(_Strict):
    scale: Choice[Scale] = Scale.COMPLIANCE
    default_target: Int = Field(3, ge=1, le=5)
    sms_operating_since: datetime.date | None = None


class RequirementRef(_Strict):
    urn: str = Field(min_length=1, max_length=300)
    ref_id: str = Field("", max_length=100)


# Names, titles, places and keys shown as text are single lines (core.text.SingleLineText): bidirectional
# controls are dropped and a line break or another control character is refused, naming the field's path.
# Notes and descriptions may hold line breaks (see check.py).


class FilePart(_Strict):
    original_name: SingleLineText = Field(min_length=1, max_length=255)
    content_type: str = Field(min_length=1, max_length=100)
    size: Int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    content: str


class EvidencePart(_Strict):
    kind: Choice[EvidenceKind]
    title: SingleLineText = Field("", max_length=300)
    url: SingleLineText = Field("", max_length=1000)
    file: FilePart | None = None
    answer: AnswerRef | None = None
    added_by: str | None = Field(None, max_length=150)
    added_at: datetime.datetime | None = None


class DecisionPart(_Strict):
    rule: SingleLineText = Field(min_length=1, max_length=180)
    answer: AnswerRef
    decision: Choice[SuggestionDecision]
    decided_by: str | None = Field(None, max_length=150)
    decided_at: datetime.datetime | None = None


class RatingPart(_Strict):
    requirement: RequirementRef
    scale: RequirementScale | None = None  # None (older files): the assessment's scale
    attributes: dict[str, str] = Field(default_factory=dict, max_length=len(ATTRIBUTE_KEYS))
    level: Int | None = Field(None, ge=0, le=5)
    target: Int | None = Field(None, ge=1, le=5)
    # Older files only: the status now lives on the documents; "controlled" was the former name of approved.
    documentation: Choice[Documentation] | Literal["controlled"] = Documentation.UNKNOWN
    notes: str = Field("", max_length=NOTES_MAX)
    owner: str | None = Field(None, max_length=150)
    rated_by: str | None = Field(None, max_length=150)
    rated_at: datetime.datetime | None = None
    evidence: list[EvidencePart] = Field(default_factory=list, max_length=MAX_EVIDENCE_PER_RATING)
    decisions: list[DecisionPart] = Field(default_factory=list, max_length=10_000)


class AssessmentPart(_Strict):
    name: SingleLineText = Field(min_length=1, max_length=200)
    framework: str = Field(min_length=1, max_length=255)
    kind: Choice[AssessmentKind] = AssessmentKind.BASELINE
    scale: Choice[Scale]
    default_target: Int = Field(3, ge=1, le=5)
    assessed_on: datetime.date
    status: Choice[AssessmentStatus] = AssessmentStatus.OPEN
    based_on: Int | None = Field(None, ge=0)
    created_by: str | None = Field(None, max_length=150)
    ratings: list[RatingPart] = Field(default_factory=list, max_length=10_000)


class TopicRatingRef(_Strict):
    assessment: Int = Field(ge=0)
    requirement: str = Field(min_length=1, max_length=300)


class TopicPart(_Strict):
    title: SingleLineText = Field(min_length=1, max_length=300)
    description: str = Field("", max_length=20_000)
    grouping: Choice[TopicGrouping] = TopicGrouping.CUSTOM
    group_key: SingleLineText = Field("", max_length=100)
    owner: Int | None = Field(None, ge=0)
    due_date: datetime.date | None = None
    status: Choice[TopicStatus] = TopicStatus.OPEN
    assessment: Int | None = Field(None, ge=0)
    ratings: list[TopicRatingRef] = Field(default_factory=list, max_length=10_000)
    created_by: str | None = Field(None, max_length=150)


class DocumentRequirementRef(RequirementRef):
    framework: str = Field(min_length=1, max_length=255)


class DocumentPart(_Strict):
    key: str = Field(min_length=1, max_length=80, pattern=KEY_PATTERN)
    kind: Choice[DocumentKind] = DocumentKind.DOCUMENT
    clause: SingleLineText = Field("", max_length=20)
    name: SingleLineText = Field(min_length=1, max_length=300)
    description: str = Field("", max_length=20_000)
    stage1: Choice[Stage1Item] | Literal[""] = ""
    translations: dict[
        Annotated[str, Field(min_length=1, max_length=20)],
        dict[Literal["name", "description"], Annotated[str, Field(max_length=20_000)]],
    ] = Field(default_factory=dict, max_length=50)
    status: Choice[DocumentStatus] = DocumentStatus.UNKNOWN
    requirements: list[DocumentRequirementRef] | None = Field(None, max_length=MAX_REQUIREMENTS_PER_ITEM)
    owner: Int | None = Field(None, ge=0)
    location: SingleLineText = Field("", max_length=500)
    review_date: datetime.date | None = None
    notes: str = Field("", max_length=NOTES_MAX)
    order: Int = Field(0, ge=0, le=ORDER_MAX)


class GapsPart(_Strict):
    settings: SettingsPart | None = None
    assessments: list[AssessmentPart] = Field(default_factory=list, max_length=1_000)
    topics: list[TopicPart] = Field(default_factory=list, max_length=10_000)
    documents: list[DocumentPart] = Field(default_factory=list, max_length=10_000)


# What an export leaves out: the documentation status of a rating is read from older files only.
EXPORT_EXCLUDE = {"assessments": {"__all__": {"ratings": {"__all__": {"documentation"}}}}}
