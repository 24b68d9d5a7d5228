"""The gap analysis's section of the whole-engagement export file (feature I2).

Its settings, the assessments with every rating, the rating's evidence (files in base64) and the
decisions on suggestions, the improvement topics and the documented-information checklist. Objects
refer to one another by position or key inside the file, never by database id:

- a framework and a requirement by URN (a requirement also carries its reference, used when this
  installation's catalogue knows the framework but not the URN);
- an assessment as `#n` in `assessments`, a rating by its assessment and requirement URN;
- a person as `#n` in the survey section's `people`;
- a survey answer by the path the survey section nests it under: campaign `#n` in `campaigns`, the
  respondent's person, the questionnaire key and the question key;
- a user by user name; only the engagement's members are matched, anyone else is left empty.

A decision on a suggestion is stored under "<rule key>:<answer id>"; the file carries the rule key and
the answer reference, so the decision follows the answer to its new id. A decision about an answer that
was deleted can never apply again and is not carried.

`gaps_check` refuses a file whose references do not resolve or whose values the services would refuse
(for instance a capability level that does not follow from the attribute ratings) before anything is
written; `gaps_import` then writes everything with bulk inserts inside the caller's transaction.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from typing import Annotated, Any, Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, Strict

from certprep.catalogue.models import Framework, Requirement
from certprep.core.errors import ServiceError
from certprep.core.text import CONTROL_CHARACTERS, SingleLineText
from certprep.core.uploads import MAX_ATTACHMENT_BYTES, checked_upload, store_file
from certprep.engagements.models import Engagement
from certprep.gaps.choices import (
    LEGACY_DOCUMENTATION,
    REQUIREMENT_SCALES,
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
from certprep.gaps.models import (
    Assessment,
    Decision,
    DocumentItem,
    Evidence,
    GapSettings,
    ImprovementTopic,
    Rating,
)
from certprep.gaps.rules import ACHIEVEMENTS, ATTRIBUTE_KEYS, capability_level, clean_attributes, scale_max
from certprep.gaps.services.documents import (
    MAX_REQUIREMENTS_PER_ITEM,
    documentation_from_ratings,
    link_by_clause,
)
from certprep.gaps.services.ratings import MAX_EVIDENCE_PER_RATING
from certprep.people.models import Person
from certprep.survey.models import Answer, Campaign
from certprep.survey.transfer import SurveyPart

ScaleName: Any = Literal[tuple(Scale.values)]
AssessmentKindName: Any = Literal[tuple(AssessmentKind.values)]
AssessmentStatusName: Any = Literal[tuple(AssessmentStatus.values)]
# Older files stored a documentation status per rating, with "controlled" for what is now "approved".
DocumentationName: Any = Literal[(*Documentation.values, *LEGACY_DOCUMENTATION)]
RatingScaleName: Any = Literal[tuple(REQUIREMENT_SCALES)]
EvidenceKindName: Any = Literal[tuple(EvidenceKind.values)]
DecisionName: Any = Literal[tuple(SuggestionDecision.values)]
TopicGroupingName: Any = Literal[tuple(TopicGrouping.values)]
TopicStatusName: Any = Literal[tuple(TopicStatus.values)]
DocumentKindName: Any = Literal[tuple(DocumentKind.values)]
DocumentStatusName: Any = Literal[tuple(DocumentStatus.values)]
Stage1Name: Any = Literal[tuple(Stage1Item.values)]

# Numbers are taken as they are: "3" or true is not a level.
Int = Annotated[int, Strict()]
_KEY = r"^[-a-zA-Z0-9_]+$"
_SUGGESTION_KEY = re.compile(r"^(?P<rule>.+):(?P<answer>[0-9]+)$")
NOTES_MAX = 20_000
ORDER_MAX = 2_147_483_647


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
    scale: ScaleName = "compliance"
    default_target: Int = Field(3, ge=1, le=5)
    sms_operating_since: datetime.date | None = None


class RequirementRef(_Strict):
    urn: str = Field(min_length=1, max_length=300)
    ref_id: str = Field("", max_length=100)


# Names, titles, places and keys shown as text are single lines (core.text.SingleLineText): bidirectional
# controls are dropped and a line break or another control character is refused, naming the field's path.
# Notes and descriptions may hold line breaks (see _text).


class FilePart(_Strict):
    original_name: SingleLineText = Field(min_length=1, max_length=255)
    content_type: str = Field(min_length=1, max_length=100)
    size: Int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    content: str


class EvidencePart(_Strict):
    kind: EvidenceKindName
    title: SingleLineText = Field("", max_length=300)
    url: SingleLineText = Field("", max_length=1000)
    file: FilePart | None = None
    answer: AnswerRef | None = None
    added_by: str | None = Field(None, max_length=150)
    added_at: datetime.datetime | None = None


class DecisionPart(_Strict):
    rule: SingleLineText = Field(min_length=1, max_length=180)
    answer: AnswerRef
    decision: DecisionName
    decided_by: str | None = Field(None, max_length=150)
    decided_at: datetime.datetime | None = None


class RatingPart(_Strict):
    requirement: RequirementRef
    scale: RatingScaleName | None = None  # None (older files): the assessment's scale
    attributes: dict[str, str] = Field(default_factory=dict, max_length=len(ATTRIBUTE_KEYS))
    level: Int | None = Field(None, ge=0, le=5)
    target: Int | None = Field(None, ge=1, le=5)
    documentation: DocumentationName = ""  # older files only: the status now lives on the documents
    notes: str = Field("", max_length=NOTES_MAX)
    owner: str | None = Field(None, max_length=150)
    rated_by: str | None = Field(None, max_length=150)
    rated_at: datetime.datetime | None = None
    evidence: list[EvidencePart] = Field(default_factory=list, max_length=MAX_EVIDENCE_PER_RATING)
    decisions: list[DecisionPart] = Field(default_factory=list, max_length=10_000)


class AssessmentPart(_Strict):
    name: SingleLineText = Field(min_length=1, max_length=200)
    framework: str = Field(min_length=1, max_length=255)
    kind: AssessmentKindName = "baseline"
    scale: ScaleName
    default_target: Int = Field(3, ge=1, le=5)
    assessed_on: datetime.date
    status: AssessmentStatusName = "open"
    based_on: Int | None = Field(None, ge=0)
    created_by: str | None = Field(None, max_length=150)
    ratings: list[RatingPart] = Field(default_factory=list, max_length=10_000)


class TopicRatingRef(_Strict):
    assessment: Int = Field(ge=0)
    requirement: str = Field(min_length=1, max_length=300)


class TopicPart(_Strict):
    title: SingleLineText = Field(min_length=1, max_length=300)
    description: str = Field("", max_length=20_000)
    grouping: TopicGroupingName = "custom"
    group_key: SingleLineText = Field("", max_length=100)
    owner: Int | None = Field(None, ge=0)
    due_date: datetime.date | None = None
    status: TopicStatusName = "open"
    assessment: Int | None = Field(None, ge=0)
    ratings: list[TopicRatingRef] = Field(default_factory=list, max_length=10_000)
    created_by: str | None = Field(None, max_length=150)


class DocumentRequirementRef(RequirementRef):
    framework: str = Field(min_length=1, max_length=255)


class DocumentPart(_Strict):
    key: str = Field(min_length=1, max_length=80, pattern=_KEY)
    kind: DocumentKindName = "document"
    clause: SingleLineText = Field("", max_length=20)
    name: SingleLineText = Field(min_length=1, max_length=300)
    description: str = Field("", max_length=20_000)
    stage1: Stage1Name | Literal[""] = ""
    translations: dict[
        Annotated[str, Field(min_length=1, max_length=20)],
        dict[Literal["name", "description"], Annotated[str, Field(max_length=20_000)]],
    ] = Field(default_factory=dict, max_length=50)
    status: DocumentStatusName = ""
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


# ------------------------------------------------------------------------------------------- shared


AnswerKey = tuple[int, int, str, str]


def _answer_keys(
    engagement: Engagement, people: Sequence[int], answer_ids: Iterable[int] | None
) -> dict[int, AnswerKey]:
    """answer id -> (campaign #, person #, questionnaire key, question key), numbered like the survey section
    (campaigns by creation, people in `people`'s order). Two queries whatever the number of answers."""
    campaign_ref = {
        pk: index
        for index, pk in enumerate(
            Campaign.objects.filter(engagement=engagement).order_by("created_at", "id").values_list("pk", flat=True)
        )
    }
    person_ref = {pk: index for index, pk in enumerate(people)}
    answers = Answer.objects.filter(response__respondent__campaign__engagement=engagement)
    if answer_ids is not None:
        answers = answers.filter(pk__in=list(answer_ids))
    return {
        pk: (campaign_ref[campaign_id], person_ref[person_id], questionnaire, question)
        for pk, campaign_id, person_id, questionnaire, question in answers.values_list(
            "pk",
            "response__respondent__campaign_id",
            "response__respondent__person_id",
            "response__questionnaire__key",
            "question__key",
        )
    }


class _Requirements:
    """The requirements of some frameworks, found by URN, else by an unambiguous reference."""

    def __init__(self, frameworks: Iterable[Framework]) -> None:
        self.by_urn: dict[tuple[int, str], int] = {}
        by_ref: dict[tuple[int, str], list[int]] = defaultdict(list)
        for pk, framework_id, urn, ref_id in Requirement.objects.filter(
            framework__in=[f.pk for f in frameworks]
        ).values_list("pk", "framework_id", "urn", "ref_id"):
            self.by_urn[(framework_id, urn)] = pk
            if ref_id:
                by_ref[(framework_id, ref_id)].append(pk)
        self.by_ref = {key: pks[0] for key, pks in by_ref.items() if len(pks) == 1}

    def resolve(self, framework: Framework, ref: RequirementRef) -> int | None:
        found = self.by_urn.get((framework.pk, ref.urn))
        if found is None and ref.ref_id:
            found = self.by_ref.get((framework.pk, ref.ref_id))
        return found


def _frameworks(part: GapsPart) -> dict[str, Framework]:
    urns = {a.framework for a in part.assessments} | {r.framework for d in part.documents for r in d.requirements or ()}
    return {f.urn: f for f in Framework.objects.filter(urn__in=urns)}


# ---------------------------------------------------------------------------------------------- export


def _iso(value: datetime.date | datetime.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _username(user: Any) -> str | None:
    return user.get_username() if user is not None else None


def _group(rows: Iterable[Any], key: str) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[getattr(row, key)].append(row)
    return grouped


def _read(evidence: Evidence) -> bytes:
    try:
        with evidence.file.open("rb") as handle:
            return handle.read()
    except (OSError, ValueError) as exc:
        raise ServiceError(
            _("The evidence file %(name)s is missing from the file store; the engagement cannot be exported whole.")
            % {"name": evidence.original_name}
        ) from exc


def _answer_ref(key: AnswerKey) -> dict[str, Any]:
    campaign, person, questionnaire, question = key
    return {"campaign": campaign, "person": person, "questionnaire": questionnaire, "question": question}


def gaps_export(engagement: Engagement, *, people: Sequence[int]) -> dict[str, Any]:
    """The gap analysis of the engagement as JSON-ready data; `people` lists the person ids in the order of
    the survey section (the engagement export checks the files' size). The number of queries does not
    depend on the amount of data."""
    person_ref = {pk: index for index, pk in enumerate(people)}
    gap_settings = GapSettings.objects.filter(engagement=engagement).first()
    assessments = list(
        Assessment.objects.filter(engagement=engagement)
        .select_related("framework", "created_by")
        .order_by("assessed_on", "id")
    )
    assessment_ref = {a.pk: index for index, a in enumerate(assessments)}
    ratings = _group(
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
    parsed_keys = {d.pk: _SUGGESTION_KEY.match(d.key) for d in decisions}
    wanted = {e.answer_id for e in evidence if e.answer_id is not None} | {
        int(match["answer"]) for match in parsed_keys.values() if match is not None
    }
    answer_key = _answer_keys(engagement, people, wanted)
    topics = list(ImprovementTopic.objects.filter(engagement=engagement).select_related("created_by").order_by("id"))
    topic_ratings: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for topic_id, assessment_id, order, urn in ImprovementTopic.ratings.through.objects.filter(
        improvementtopic__engagement=engagement
    ).values_list(
        "improvementtopic_id", "rating__assessment_id", "rating__requirement__order", "rating__requirement__urn"
    ):
        topic_ratings[topic_id].append((assessment_ref[assessment_id], order, urn))
    documents = list(
        DocumentItem.objects.filter(engagement=engagement)
        .prefetch_related("requirements__framework")
        .order_by("order", "id")
    )

    def evidence_data(e: Evidence) -> dict[str, Any]:
        file = None
        if e.kind == EvidenceKind.FILE and e.file:
            file = {
                "original_name": e.original_name,
                "content_type": e.content_type,
                "size": e.size or 0,
                "sha256": e.sha256,
                "content": base64.b64encode(_read(e)).decode("ascii"),
            }
        return {
            "kind": e.kind,
            "title": e.title,
            "url": e.url,
            "file": file,
            "answer": _answer_ref(answer_key[e.answer_id]) if e.answer_id in answer_key else None,
            "added_by": _username(e.added_by),
            "added_at": _iso(e.added_at),
        }

    evidence_by_rating = _group(evidence, "rating_id")
    decisions_by_rating: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for d in decisions:
        match = parsed_keys[d.pk]
        if match is None or int(match["answer"]) not in answer_key:
            continue  # about an answer deleted since: it can never be offered again, so nothing to keep
        decisions_by_rating[d.rating_id].append(
            {
                "rule": match["rule"],
                "answer": _answer_ref(answer_key[int(match["answer"])]),
                "decision": d.decision,
                "decided_by": _username(d.decided_by),
                "decided_at": _iso(d.decided_at),
            }
        )

    return {
        "settings": (
            {
                "scale": gap_settings.scale,
                "default_target": gap_settings.default_target,
                "sms_operating_since": _iso(gap_settings.sms_operating_since),
            }
            if gap_settings is not None
            else None
        ),
        "assessments": [
            {
                "name": a.name,
                "framework": a.framework.urn,
                "kind": a.kind,
                "scale": a.scale,
                "default_target": a.default_target,
                "assessed_on": a.assessed_on.isoformat(),
                "status": a.status,
                "based_on": assessment_ref.get(a.based_on_id) if a.based_on_id is not None else None,
                "created_by": _username(a.created_by),
                "ratings": [
                    {
                        "requirement": {"urn": r.requirement.urn, "ref_id": r.requirement.ref_id},
                        "scale": r.scale,
                        "attributes": dict(r.attributes or {}),
                        "level": r.level,
                        "target": r.target,
                        "notes": r.notes,
                        "owner": _username(r.owner),
                        "rated_by": _username(r.rated_by),
                        "rated_at": _iso(r.rated_at),
                        "evidence": [evidence_data(e) for e in evidence_by_rating.get(r.pk, [])],
                        "decisions": decisions_by_rating.get(r.pk, []),
                    }
                    for r in ratings.get(a.pk, [])
                ],
            }
            for a in assessments
        ],
        "topics": [
            {
                "title": t.title,
                "description": t.description,
                "grouping": t.grouping,
                "group_key": t.group_key,
                "owner": person_ref[t.owner_id] if t.owner_id is not None else None,
                "due_date": _iso(t.due_date),
                "status": t.status,
                "assessment": assessment_ref[t.assessment_id] if t.assessment_id is not None else None,
                "ratings": [
                    {"assessment": index, "requirement": urn} for index, _order, urn in sorted(topic_ratings[t.pk])
                ],
                "created_by": _username(t.created_by),
            }
            for t in topics
        ],
        "documents": [
            {
                "key": d.key,
                "kind": d.kind,
                "clause": d.clause,
                "name": d.name,
                "description": d.description,
                "stage1": d.stage1,
                "translations": d.translations or {},
                "status": d.status,
                "requirements": [
                    {"framework": q.framework.urn, "urn": q.urn, "ref_id": q.ref_id}
                    for q in sorted(d.requirements.all(), key=lambda q: (q.framework_id, q.order, q.pk))
                ],
                "owner": person_ref[d.owner_id] if d.owner_id is not None else None,
                "location": d.location,
                "review_date": _iso(d.review_date),
                "notes": d.notes,
                "order": d.order,
            }
            for d in documents
        ],
    }


# ---------------------------------------------------------------------------------------------- import


def _refuse(field: str, message: str) -> ServiceError:
    return ServiceError(
        _("The file is not consistent: %(field)s: %(msg)s") % {"field": field, "msg": message}, field=field
    )


def _once(seen: set[Any], value: Any, field: str, what: str) -> None:
    if value in seen:
        raise _refuse(field, _("%(what)s appears twice") % {"what": what})
    seen.add(value)


def _person(ref: int | None, people: int, field: str) -> None:
    if ref is not None and not 0 <= ref < people:
        raise _refuse(field, _("no person #%(n)s in the file") % {"n": ref})


def _text(value: str, field: str) -> None:
    """Text of several lines (notes, descriptions) the services would have stored: line breaks and tabs, but
    no other control character. Single-line fields follow SingleLineText when the file is read."""
    if CONTROL_CHARACTERS.search(value):
        raise _refuse(field, _("control characters are not allowed"))


def _answer(ref: AnswerRef, answers: set[AnswerKey], field: str) -> None:
    if ref.key() not in answers:
        raise _refuse(
            field,
            _(
                "no answer of person #%(person)s to %(questionnaire)s / %(question)s "
                "in campaign #%(campaign)s in the file"
            )
            % {
                "person": ref.person,
                "questionnaire": ref.questionnaire,
                "question": ref.question,
                "campaign": ref.campaign,
            },
        )


def _survey_answers(survey: SurveyPart | None) -> set[AnswerKey]:
    if survey is None:
        return set()
    return {
        (c_index, respondent.person, response.questionnaire, answer.question)
        for c_index, campaign in enumerate(survey.campaigns)
        for respondent in campaign.respondents
        for response in respondent.responses
        for answer in response.answers
    }


def _decoded(part: FilePart, field: str) -> bytes:
    """The file's bytes after the checks of an upload: size cap, not empty, allowed type judged by the
    content, a clean name; and they must match the size and sha256 the file states."""
    try:
        content = base64.b64decode(part.content, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _refuse(f"{field}.content", _("not base64")) from exc
    if len(content) != part.size or hashlib.sha256(content).hexdigest() != part.sha256:
        raise _refuse(f"{field}.content", _("the content does not match its size and sha256"))
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise _refuse(f"{field}.size", _("The file is larger than 10 MB."))
    try:
        content_type, _sha256, original = checked_upload(SimpleUploadedFile(part.original_name, content))
    except ServiceError as exc:
        raise _refuse(f"{field}.content", exc.message) from exc
    if original != part.original_name:
        raise _refuse(f"{field}.original_name", _("a file name, not a path"))
    if content_type != part.content_type:
        raise _refuse(f"{field}.content_type", _("expected %(type)s") % {"type": content_type})
    return content


def _check_url(url: str, field: str) -> None:
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as exc:
        raise _refuse(field, _("Enter a full web address starting with http:// or https://.")) from exc


def _rating_scale(rating: RatingPart, assessment_scale: str, field: str) -> str:
    """The scale a rating of the file is on: its own, or (older files) its assessment's."""
    if rating.scale is not None:
        return str(rating.scale)
    if assessment_scale in REQUIREMENT_SCALES:
        return assessment_scale
    raise _refuse(f"{field}.scale", _("a rating of an assessment with mixed scales names its scale"))


def _check_rating(rating: RatingPart, scale: str, field: str) -> None:
    top = scale_max(scale)
    if scale == Scale.CAPABILITY:
        for key, value in rating.attributes.items():
            if key not in ATTRIBUTE_KEYS:
                raise _refuse(f"{field}.attributes.{key}", _("Unknown process attribute %(key)s.") % {"key": key})
            if value not in ACHIEVEMENTS:
                raise _refuse(f"{field}.attributes.{key}", _("Rate a process attribute N, P, L or F."))
        # The level is recomputed from the attribute ratings, never taken from the file.
        expected = capability_level(rating.attributes)
        if rating.level != expected:
            raise _refuse(
                f"{field}.level",
                _("the attribute ratings give capability level %(level)s, the file says %(given)s")
                % {"level": "-" if expected is None else expected, "given": rating.level},
            )
    else:
        if rating.attributes:
            raise _refuse(
                f"{field}.attributes", _("this requirement is rated on the compliance scale: no attribute ratings")
            )
        if rating.level is not None and not 0 <= rating.level <= top:
            raise _refuse(f"{field}.level", _("Choose a step from 0 to %(max)s.") % {"max": top})
    if rating.target is not None and not 1 <= rating.target <= top:
        raise _refuse(f"{field}.target", _("The target must be between 1 and %(max)s on this scale.") % {"max": top})
    _text(rating.notes, f"{field}.notes")


def _check_evidence(evidence: EvidencePart, answers: set[AnswerKey], linked: set[AnswerKey], field: str) -> None:
    if evidence.kind != EvidenceKind.LINK and evidence.url:
        raise _refuse(f"{field}.url", _("only link evidence carries a link"))
    if evidence.kind != EvidenceKind.FILE and evidence.file is not None:
        raise _refuse(f"{field}.file", _("only file evidence carries a file"))
    if evidence.kind != EvidenceKind.ANSWER and evidence.answer is not None:
        raise _refuse(f"{field}.answer", _("only answer evidence refers to an answer"))
    if evidence.kind == EvidenceKind.LINK:
        _check_url(evidence.url, f"{field}.url")
    elif evidence.kind == EvidenceKind.FILE:
        if evidence.file is None:
            raise _refuse(f"{field}.file", _("file evidence without its file"))
        _decoded(evidence.file, f"{field}.file")
    elif evidence.answer is not None:  # None: the answer was deleted after it was linked
        _answer(evidence.answer, answers, f"{field}.answer")
        _once(linked, evidence.answer.key(), f"{field}.answer", _("the answer"))


def gaps_check(part: GapsPart, *, survey: SurveyPart | None) -> None:
    """Every reference of the gaps section resolves, nothing unique appears twice and every value is one the
    services would store; else a ServiceError naming the field (e.g. gaps.assessments.0.ratings.3.level).
    `survey` is the file's survey section: its people and answers are what the gaps section refers to."""
    people = len(survey.people) if survey is not None else 0
    answers = _survey_answers(survey)
    if part.settings is not None:
        settings = part.settings
        if settings.default_target > scale_max(settings.scale):
            raise _refuse(
                "gaps.settings.default_target",
                _("The target must be between 1 and %(max)s on this scale.") % {"max": scale_max(settings.scale)},
            )
        if settings.sms_operating_since and settings.sms_operating_since > timezone.localdate():
            raise _refuse("gaps.settings.sms_operating_since", _("The SMS cannot have started in the future."))
    frameworks = _frameworks(part)
    requirements = _Requirements(frameworks.values())
    rated: list[set[str]] = []
    for a_index, assessment in enumerate(part.assessments):
        field = f"gaps.assessments.{a_index}"
        framework = frameworks.get(assessment.framework)
        if framework is None:
            raise _refuse(
                f"{field}.framework",
                _("the framework %(urn)s is not installed here; load it into the catalogue first")
                % {"urn": assessment.framework},
            )
        if assessment.default_target > scale_max(assessment.scale):
            raise _refuse(
                f"{field}.default_target",
                _("The target must be between 1 and %(max)s on this scale.") % {"max": scale_max(assessment.scale)},
            )
        if assessment.based_on is not None:
            if not 0 <= assessment.based_on < len(part.assessments) or assessment.based_on == a_index:
                raise _refuse(
                    f"{field}.based_on", _("no other assessment #%(n)s in the file") % {"n": assessment.based_on}
                )
            source = part.assessments[assessment.based_on]
            if source.framework != assessment.framework or source.scale != assessment.scale:
                raise _refuse(
                    f"{field}.based_on",
                    _("A reassessment can only start from an assessment of the same framework and scale."),
                )
        urns: set[str] = set()
        requirement_ids: set[int] = set()
        for r_index, rating in enumerate(assessment.ratings):
            r_field = f"{field}.ratings.{r_index}"
            found = requirements.resolve(framework, rating.requirement)
            if found is None:
                raise _refuse(
                    f"{r_field}.requirement",
                    _("no requirement %(urn)s (%(ref)s) in the framework %(framework)s here")
                    % {"urn": rating.requirement.urn, "ref": rating.requirement.ref_id, "framework": framework.urn},
                )
            _once(urns, rating.requirement.urn, f"{r_field}.requirement", rating.requirement.urn)
            _once(requirement_ids, found, f"{r_field}.requirement", rating.requirement.urn)
            _check_rating(rating, _rating_scale(rating, assessment.scale, r_field), r_field)
            linked: set[AnswerKey] = set()
            for e_index, evidence in enumerate(rating.evidence):
                _check_evidence(evidence, answers, linked, f"{r_field}.evidence.{e_index}")
            decided: set[tuple[str, AnswerKey]] = set()
            for d_index, decision in enumerate(rating.decisions):
                d_field = f"{r_field}.decisions.{d_index}"
                _answer(decision.answer, answers, f"{d_field}.answer")
                _once(decided, (decision.rule, decision.answer.key()), d_field, _("the decision"))
        rated.append(urns)
    for t_index, topic in enumerate(part.topics):
        field = f"gaps.topics.{t_index}"
        _text(topic.description, f"{field}.description")
        _person(topic.owner, people, f"{field}.owner")
        if topic.assessment is not None and not 0 <= topic.assessment < len(part.assessments):
            raise _refuse(f"{field}.assessment", _("no assessment #%(n)s in the file") % {"n": topic.assessment})
        seen: set[tuple[int, str]] = set()
        for k_index, ref in enumerate(topic.ratings):
            k_field = f"{field}.ratings.{k_index}"
            if not 0 <= ref.assessment < len(part.assessments):
                raise _refuse(f"{k_field}.assessment", _("no assessment #%(n)s in the file") % {"n": ref.assessment})
            if ref.requirement not in rated[ref.assessment]:
                raise _refuse(
                    f"{k_field}.requirement",
                    _("assessment #%(n)s in the file does not rate %(urn)s")
                    % {"n": ref.assessment, "urn": ref.requirement},
                )
            _once(seen, (ref.assessment, ref.requirement), k_field, ref.requirement)
    keys: set[str] = set()
    for d_index, document in enumerate(part.documents):
        field = f"gaps.documents.{d_index}"
        _once(keys, document.key, f"{field}.key", document.key)
        for name in ("description", "notes"):
            _text(getattr(document, name), f"{field}.{name}")
        _person(document.owner, people, f"{field}.owner")
        for q_index, evidenced in enumerate(document.requirements or ()):
            in_framework = frameworks.get(evidenced.framework)
            if in_framework is None or requirements.resolve(in_framework, evidenced) is None:
                raise _refuse(
                    f"{field}.requirements.{q_index}",
                    _("no requirement %(urn)s (%(ref)s) in the framework %(framework)s here")
                    % {"urn": evidenced.urn, "ref": evidenced.ref_id, "framework": evidenced.framework},
                )


def gaps_import(*, engagement: Engagement, part: GapsPart, people: Sequence[Person], members: Collection[str]) -> None:
    """Write a checked gaps section into the (new) engagement; `people` in the survey section's order
    (already imported), `members` the user names that are members of the engagement once it is imported:
    only they are matched as assessors and authors. Runs inside the caller's transaction."""
    names = {a.created_by for a in part.assessments} | {t.created_by for t in part.topics}
    for a_part in part.assessments:
        for r in a_part.ratings:
            names |= {r.owner, r.rated_by}
            names |= {e.added_by for e in r.evidence} | {d.decided_by for d in r.decisions}
    wanted = [n for n in names if n and n in members]
    users = {u.get_username(): u for u in get_user_model().objects.filter(username__in=wanted)}

    def user(name: str | None) -> Any:
        return users.get(name) if name else None

    if part.settings is not None:
        GapSettings.objects.update_or_create(engagement=engagement, defaults=part.settings.model_dump())

    frameworks = _frameworks(part)
    requirements = _Requirements(frameworks.values())
    assessments = Assessment.objects.bulk_create(
        [
            Assessment(
                engagement=engagement,
                framework=frameworks[a.framework],
                created_by=user(a.created_by),
                **a.model_dump(exclude={"framework", "based_on", "created_by", "ratings"}),
            )
            for a in part.assessments
        ],
        batch_size=1000,
    )
    based = []
    for created_assessment, a in zip(assessments, part.assessments, strict=True):
        if a.based_on is not None:
            created_assessment.based_on = assessments[a.based_on]
            based.append(created_assessment)
    Assessment.objects.bulk_update(based, ["based_on"], batch_size=1000)

    rating_rows: list[Rating] = []
    rating_parts: list[RatingPart] = []
    rating_by_ref: dict[tuple[int, str], Rating] = {}
    for a_index, (assessment, a) in enumerate(zip(assessments, part.assessments, strict=True)):
        framework = frameworks[a.framework]
        for r in a.ratings:
            scale = _rating_scale(r, a.scale, f"gaps.assessments.{a_index}.ratings")
            attributes = clean_attributes(r.attributes) if scale == Scale.CAPABILITY else {}
            requirement_id = requirements.resolve(framework, r.requirement)
            if requirement_id is None:  # gaps_check refuses this before anything is written
                raise _refuse(f"gaps.assessments.{a_index}.ratings", r.requirement.urn)
            rating_row = Rating(
                assessment=assessment,
                requirement_id=requirement_id,
                scale=scale,
                attributes=attributes,
                level=capability_level(attributes) if scale == Scale.CAPABILITY else r.level,
                target=r.target,
                notes=r.notes,
                owner=user(r.owner),
                rated_by=user(r.rated_by),
                rated_at=r.rated_at,
            )
            rating_rows.append(rating_row)
            rating_parts.append(r)
            rating_by_ref[(a_index, r.requirement.urn)] = rating_row
    ratings = Rating.objects.bulk_create(rating_rows, batch_size=1000)

    answer_id = {key: pk for pk, key in _answer_keys(engagement, [p.pk for p in people], None).items()}
    decision_rows: list[Decision] = []
    decision_stamps: list[datetime.datetime | None] = []
    for rating, r in zip(ratings, rating_parts, strict=True):
        for d in r.decisions:
            decision_rows.append(
                Decision(
                    rating=rating,
                    key=f"{d.rule}:{answer_id[d.answer.key()]}",
                    decision=d.decision,
                    decided_by=user(d.decided_by),
                )
            )
            decision_stamps.append(d.decided_at)
    _stamped(Decision.objects.bulk_create(decision_rows, batch_size=1000), decision_stamps, "decided_at")

    topics = ImprovementTopic.objects.bulk_create(
        [
            ImprovementTopic(
                engagement=engagement,
                assessment=assessments[t.assessment] if t.assessment is not None else None,
                owner=people[t.owner] if t.owner is not None else None,
                created_by=user(t.created_by),
                **t.model_dump(exclude={"assessment", "owner", "created_by", "ratings"}),
            )
            for t in part.topics
        ],
        batch_size=1000,
    )
    through = ImprovementTopic.ratings.through
    through.objects.bulk_create(
        [
            through(improvementtopic=topic, rating=rating_by_ref[(ref.assessment, ref.requirement)])
            for topic, t in zip(topics, part.topics, strict=True)
            for ref in t.ratings
        ],
        batch_size=1000,
    )
    documents = DocumentItem.objects.bulk_create(
        [
            DocumentItem(
                engagement=engagement,
                owner=people[d.owner] if d.owner is not None else None,
                **d.model_dump(exclude={"owner", "requirements"}),
            )
            for d in part.documents
        ],
        batch_size=1000,
    )
    links = DocumentItem.requirements.through
    links.objects.bulk_create(
        [
            links(documentitem_id=item.pk, requirement_id=requirements.resolve(frameworks[ref.framework], ref))
            for item, d in zip(documents, part.documents, strict=True)
            for ref in d.requirements or ()
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    # An older file: its documents name no requirements and its ratings carry the documentation status.
    older = [item for item, d in zip(documents, part.documents, strict=True) if d.requirements is None]
    if older:
        link_by_clause(engagement=engagement, items=older)
    legacy: dict[int, list[tuple[str, str]]] = defaultdict(list)
    ordered = sorted(
        zip(ratings, rating_parts, strict=True),
        key=lambda pair: (pair[0].assessment.assessed_on, pair[0].assessment.pk),
        reverse=True,
    )
    for rating, r in ordered:
        if r.documentation:
            legacy[rating.requirement_id].append(
                (LEGACY_DOCUMENTATION.get(r.documentation, r.documentation), rating.assessment.name)
            )
    if legacy:
        documentation_from_ratings(engagement=engagement, statuses=legacy)

    # Evidence last: its files go to the file store, which the transaction cannot roll back (see store_file).
    evidence_rows: list[Evidence] = []
    evidence_stamps: list[datetime.datetime | None] = []
    for rating, r in zip(ratings, rating_parts, strict=True):
        for e in r.evidence:
            evidence_row = Evidence(
                rating=rating,
                kind=e.kind,
                title=e.title,
                url=e.url,
                answer_id=answer_id[e.answer.key()] if e.answer is not None else None,
                added_by=user(e.added_by),
            )
            if e.file is not None:
                evidence_row.original_name = e.file.original_name
                evidence_row.content_type = e.file.content_type
                evidence_row.size = e.file.size
                evidence_row.sha256 = e.file.sha256
                store_file(evidence_row.file, base64.b64decode(e.file.content))  # removed if the import fails
            evidence_rows.append(evidence_row)
            evidence_stamps.append(e.added_at)
    created = Evidence.objects.bulk_create(evidence_rows, batch_size=1000)
    _stamped(created, evidence_stamps, "added_at")


def _stamped(rows: Sequence[Any], stamps: Sequence[datetime.datetime | None], field: str) -> None:
    """The time is set on insert; put back the one from the file."""
    changed = []
    for row, stamp in zip(rows, stamps, strict=True):
        if stamp is not None:
            setattr(row, field, stamp)
            changed.append(row)
    if changed:
        type(changed[0])._default_manager.bulk_update(changed, [field], batch_size=1000)
