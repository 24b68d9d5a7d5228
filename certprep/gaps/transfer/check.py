"""Checking a gaps section before anything is written: every reference resolves, nothing unique appears
twice, and every value is one the services would store."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from certprep.catalogue.models import Framework
from certprep.core.errors import ServiceError
from certprep.core.text import CONTROL_CHARACTERS
from certprep.core.transfer import file_content, refuse
from certprep.core.uploads import checked_upload
from certprep.gaps.choices import REQUIREMENT_SCALES, EvidenceKind, Scale
from certprep.gaps.rules import ACHIEVEMENTS, ATTRIBUTE_KEYS, capability_level, scale_max
from certprep.gaps.transfer.common import AnswerKey, Requirements, frameworks_of
from certprep.gaps.transfer.schema import (
    AnswerRef,
    AssessmentPart,
    DocumentPart,
    EvidencePart,
    FilePart,
    GapsPart,
    RatingPart,
    SettingsPart,
    TopicPart,
)
from certprep.survey.transfer import SurveyPart


def once(seen: set[Any], value: Any, field: str, what: str) -> None:
    if value in seen:
        raise refuse(field, _("%(what)s appears twice") % {"what": what})
    seen.add(value)


def _person(ref: int | None, people: int, field: str) -> None:
    if ref is not None and not 0 <= ref < people:
        raise refuse(field, _("no person #%(n)s in the file") % {"n": ref})


def _text(value: str, field: str) -> None:
    """Text of several lines (notes, descriptions) the services would have stored: line breaks and tabs, but
    no other control character. Single-line fields follow SingleLineText when the file is read."""
    if CONTROL_CHARACTERS.search(value):
        raise refuse(field, _("control characters are not allowed"))


def _answer(ref: AnswerRef, answers: set[AnswerKey], field: str) -> None:
    if ref.key() not in answers:
        raise refuse(
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


def decoded(part: FilePart, field: str) -> bytes:
    """The file's bytes after the checks of an upload: size cap, not empty, allowed type judged by the
    content, a clean name; and they must match the size and sha256 the file states."""
    content = file_content(part.content, size=part.size, sha256=part.sha256, field=field)
    try:
        content_type, _sha256, original = checked_upload(SimpleUploadedFile(part.original_name, content))
    except ServiceError as exc:
        raise refuse(f"{field}.content", exc.message) from exc
    if original != part.original_name:
        raise refuse(f"{field}.original_name", _("a file name, not a path"))
    if content_type != part.content_type:
        raise refuse(f"{field}.content_type", _("expected %(type)s") % {"type": content_type})
    return content


def _check_url(url: str, field: str) -> None:
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as exc:
        raise refuse(field, _("Enter a full web address starting with http:// or https://.")) from exc


def rating_scale(rating: RatingPart, assessment_scale: str, field: str) -> str:
    """The scale a rating of the file is on: its own, or (older files) its assessment's."""
    if rating.scale is not None:
        return str(rating.scale)
    if assessment_scale in REQUIREMENT_SCALES:
        return assessment_scale
    raise refuse(f"{field}.scale", _("a rating of an assessment with mixed scales names its scale"))


def _check_rating(rating: RatingPart, scale: str, field: str) -> None:
    top = scale_max(scale)
    if scale == Scale.CAPABILITY:
        for key, value in rating.attributes.items():
            if key not in ATTRIBUTE_KEYS:
                raise refuse(f"{field}.attributes.{key}", _("Unknown process attribute %(key)s.") % {"key": key})
            if value not in ACHIEVEMENTS:
                raise refuse(f"{field}.attributes.{key}", _("Rate a process attribute N, P, L or F."))
        # The level is recomputed from the attribute ratings, never taken from the file.
        expected = capability_level(rating.attributes)
        if rating.level != expected:
            raise refuse(
                f"{field}.level",
                _("the attribute ratings give capability level %(level)s, the file says %(given)s")
                % {"level": "-" if expected is None else expected, "given": rating.level},
            )
    else:
        if rating.attributes:
            raise refuse(
                f"{field}.attributes", _("this requirement is rated on the compliance scale: no attribute ratings")
            )
        if rating.level is not None and not 0 <= rating.level <= top:
            raise refuse(f"{field}.level", _("Choose a step from 0 to %(max)s.") % {"max": top})
    if rating.target is not None and not 1 <= rating.target <= top:
        raise refuse(f"{field}.target", _("The target must be between 1 and %(max)s on this scale.") % {"max": top})
    _text(rating.notes, f"{field}.notes")


def _check_evidence(evidence: EvidencePart, answers: set[AnswerKey], linked: set[AnswerKey], field: str) -> None:
    if evidence.kind != EvidenceKind.LINK and evidence.url:
        raise refuse(f"{field}.url", _("only link evidence carries a link"))
    if evidence.kind != EvidenceKind.FILE and evidence.file is not None:
        raise refuse(f"{field}.file", _("only file evidence carries a file"))
    if evidence.kind != EvidenceKind.ANSWER and evidence.answer is not None:
        raise refuse(f"{field}.answer", _("only answer evidence refers to an answer"))
    if evidence.kind == EvidenceKind.LINK:
        _check_url(evidence.url, f"{field}.url")
    elif evidence.kind == EvidenceKind.FILE:
        if evidence.file is None:
            raise refuse(f"{field}.file", _("file evidence without its file"))
        decoded(evidence.file, f"{field}.file")
    elif evidence.answer is not None:  # None: the answer was deleted after it was linked
        _answer(evidence.answer, answers, f"{field}.answer")
        once(linked, evidence.answer.key(), f"{field}.answer", _("the answer"))


def _check_settings(settings: SettingsPart) -> None:
    if settings.default_target > scale_max(settings.scale):
        raise refuse(
            "gaps.settings.default_target",
            _("The target must be between 1 and %(max)s on this scale.") % {"max": scale_max(settings.scale)},
        )
    if settings.sms_operating_since and settings.sms_operating_since > timezone.localdate():
        raise refuse("gaps.settings.sms_operating_since", _("The SMS cannot have started in the future."))


def _check_assessment_head(
    part: GapsPart, index: int, assessment: AssessmentPart, frameworks: dict[str, Framework]
) -> Framework:
    """The assessment's framework is installed, its target fits its scale, it starts from a sibling."""
    field = f"gaps.assessments.{index}"
    framework = frameworks.get(assessment.framework)
    if framework is None:
        raise refuse(
            f"{field}.framework",
            _("the framework %(urn)s is not installed here; load it into the catalogue first")
            % {"urn": assessment.framework},
        )
    if assessment.default_target > scale_max(assessment.scale):
        raise refuse(
            f"{field}.default_target",
            _("The target must be between 1 and %(max)s on this scale.") % {"max": scale_max(assessment.scale)},
        )
    if assessment.based_on is not None:
        if not 0 <= assessment.based_on < len(part.assessments) or assessment.based_on == index:
            raise refuse(f"{field}.based_on", _("no other assessment #%(n)s in the file") % {"n": assessment.based_on})
        source = part.assessments[assessment.based_on]
        if source.framework != assessment.framework or source.scale != assessment.scale:
            raise refuse(
                f"{field}.based_on",
                _("A reassessment can only start from an assessment of the same framework and scale."),
            )
    return framework


def _check_ratings(
    assessment: AssessmentPart, field: str, framework: Framework, requirements: Requirements, answers: set[AnswerKey]
) -> set[str]:
    """Each rating names a requirement of the framework once and holds what the services store; returns the
    URNs the assessment rates."""
    urns: set[str] = set()
    requirement_ids: set[int] = set()
    for r_index, rating in enumerate(assessment.ratings):
        r_field = f"{field}.ratings.{r_index}"
        found = requirements.resolve(framework, rating.requirement)
        if found is None:
            raise refuse(
                f"{r_field}.requirement",
                _("no requirement %(urn)s (%(ref)s) in the framework %(framework)s here")
                % {"urn": rating.requirement.urn, "ref": rating.requirement.ref_id, "framework": framework.urn},
            )
        once(urns, rating.requirement.urn, f"{r_field}.requirement", rating.requirement.urn)
        once(requirement_ids, found, f"{r_field}.requirement", rating.requirement.urn)
        _check_rating(rating, rating_scale(rating, assessment.scale, r_field), r_field)
        linked: set[AnswerKey] = set()
        for e_index, evidence in enumerate(rating.evidence):
            _check_evidence(evidence, answers, linked, f"{r_field}.evidence.{e_index}")
        decided: set[tuple[str, AnswerKey]] = set()
        for d_index, decision in enumerate(rating.decisions):
            d_field = f"{r_field}.decisions.{d_index}"
            _answer(decision.answer, answers, f"{d_field}.answer")
            once(decided, (decision.rule, decision.answer.key()), d_field, _("the decision"))
    return urns


def _check_topic(topic: TopicPart, field: str, people: int, rated: list[set[str]]) -> None:
    _text(topic.description, f"{field}.description")
    _person(topic.owner, people, f"{field}.owner")
    if topic.assessment is not None and not 0 <= topic.assessment < len(rated):
        raise refuse(f"{field}.assessment", _("no assessment #%(n)s in the file") % {"n": topic.assessment})
    seen: set[tuple[int, str]] = set()
    for k_index, ref in enumerate(topic.ratings):
        k_field = f"{field}.ratings.{k_index}"
        if not 0 <= ref.assessment < len(rated):
            raise refuse(f"{k_field}.assessment", _("no assessment #%(n)s in the file") % {"n": ref.assessment})
        if ref.requirement not in rated[ref.assessment]:
            raise refuse(
                f"{k_field}.requirement",
                _("assessment #%(n)s in the file does not rate %(urn)s")
                % {"n": ref.assessment, "urn": ref.requirement},
            )
        once(seen, (ref.assessment, ref.requirement), k_field, ref.requirement)


def _check_document(
    document: DocumentPart, field: str, people: int, frameworks: dict[str, Framework], requirements: Requirements
) -> None:
    for name in ("description", "notes"):
        _text(getattr(document, name), f"{field}.{name}")
    _person(document.owner, people, f"{field}.owner")
    for q_index, evidenced in enumerate(document.requirements or ()):
        in_framework = frameworks.get(evidenced.framework)
        if in_framework is None or requirements.resolve(in_framework, evidenced) is None:
            raise refuse(
                f"{field}.requirements.{q_index}",
                _("no requirement %(urn)s (%(ref)s) in the framework %(framework)s here")
                % {"urn": evidenced.urn, "ref": evidenced.ref_id, "framework": evidenced.framework},
            )


def gaps_check(part: GapsPart, *, survey: SurveyPart | None) -> None:
    """Every reference of the gaps section resolves, nothing unique appears twice and every value is one the
    services would store; else a ServiceError naming the field (e.g. gaps.assessments.0.ratings.3.level).
    `survey` is the file's survey section: its people and answers are what the gaps section refers to."""
    people = len(survey.people) if survey is not None else 0
    answers = _survey_answers(survey)
    if part.settings is not None:
        _check_settings(part.settings)
    frameworks = frameworks_of(part)
    requirements = Requirements(frameworks.values())
    rated: list[set[str]] = []
    for index, assessment in enumerate(part.assessments):
        framework = _check_assessment_head(part, index, assessment, frameworks)
        rated.append(_check_ratings(assessment, f"gaps.assessments.{index}", framework, requirements, answers))
    for index, topic in enumerate(part.topics):
        _check_topic(topic, f"gaps.topics.{index}", people, rated)
    keys: set[str] = set()
    for index, document in enumerate(part.documents):
        field = f"gaps.documents.{index}"
        once(keys, document.key, f"{field}.key", document.key)
        _check_document(document, field, people, frameworks, requirements)
