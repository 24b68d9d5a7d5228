"""Suggestions for the gap analysis drawn from survey answers: offered to the assessor, never applied.

Each shipped rule (certprep/gaps/data/suggestions.yaml) reads one answer and proposes a documentation
status or a rating for the requirements it concerns. A suggestion disappears once it is accepted or
dismissed, or when the rating already holds what it proposes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from certprep.catalogue.models import Process
from certprep.catalogue.selectors import PROCESS_LENS_URN
from certprep.gaps.choices import LEGACY_DOCUMENTATION, Compliance, Documentation, Scale
from certprep.gaps.models import Assessment, Decision, Rating
from certprep.gaps.rules import capability_level, clean_attributes
from certprep.gaps.selectors.documents import attach_documentation
from certprep.gaps.selectors.lens import process_codes_by_requirement
from certprep.gaps.suggestion_rules import (
    MATURITY_TO_COMPLIANCE,
    Rule,
    load_rules,
    matches,
    maturity_attributes,
    questionnaire_applies,
)
from certprep.survey.models import Answer


@dataclass(frozen=True)
class Suggestion:
    key: str  # "<rule key>:<answer id>", unique per rating
    rating_id: int
    field: str  # documentation | level | attributes
    value: Any
    value_label: str
    reason: str
    answer: Answer

    @property
    def answer_text(self) -> str:
        value = self.answer.value
        if isinstance(value, list):
            return ", ".join(
                str(v) if not isinstance(v, dict) else " / ".join(str(x) for x in v.values()) for v in value
            )
        return "" if value is None else str(value)


def _proposal(rule: Rule, answer: Answer, scale: str) -> tuple[str, Any, str] | None:
    kind, value = rule.suggest
    if kind == "documentation":
        value = LEGACY_DOCUMENTATION.get(value, value)
        return "documentation", value, str(Documentation(value).label)
    if kind == "compliance":
        if scale != Scale.COMPLIANCE:
            return None
        return "level", int(value), str(Compliance(int(value)).label)
    if kind == "from_maturity":
        raw = answer.value
        if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not 0 <= raw <= 5:
            return None
        maturity = int(raw)
        if scale == Scale.COMPLIANCE:
            level = MATURITY_TO_COMPLIANCE[maturity]
            return "level", level, str(Compliance(level).label)
        attributes = maturity_attributes(maturity)
        label = _("Capability level %(level)s (%(attributes)s)") % {
            "level": maturity,
            "attributes": " ".join(f"PA{k}={v}" for k, v in attributes.items() if v != "N"),
        }
        return "attributes", attributes, label
    return None


def _already(rating: Rating, field: str, value: Any) -> bool:
    if field == "documentation":
        return rating.documentation == value
    if field == "level":
        return rating.level == value
    return clean_attributes(rating.attributes or {}) == clean_attributes(value) or rating.level == capability_level(
        value
    )


def suggestions_for(assessment: Assessment, ratings: Iterable[Rating] | None = None) -> dict[int, list[Suggestion]]:
    """rating id -> open suggestions, from every answered survey question a rule reads (a fixed number of
    queries). `ratings` may be given when the caller already holds them (with their requirements)."""
    rules = load_rules()
    if not rules:
        return {}
    if ratings is None:
        ratings = list(assessment.ratings.select_related("requirement"))
        attach_documentation(ratings, assessment.engagement_id)
    by_requirement = {r.requirement_id: r for r in ratings}
    by_ref: dict[str, int] = {}
    for rating in by_requirement.values():
        by_ref.setdefault(rating.requirement.ref_id, rating.requirement_id)
    codes = process_codes_by_requirement(assessment.framework_id)
    by_process: dict[str, list[int]] = {}
    for requirement_id, process_codes in codes.items():
        for code in process_codes:
            by_process.setdefault(code, []).append(requirement_id)
    names = {p.code: p.tr.name for p in Process.objects.filter(lens__urn=PROCESS_LENS_URN)}
    decided = set(Decision.objects.filter(rating__assessment=assessment).values_list("rating_id", "key"))
    answers = (
        Answer.objects.filter(
            response__questionnaire__engagement_id=assessment.engagement_id,
            question__key__in={rule.question for rule in rules},
        )
        .exclude(value__isnull=True)
        .select_related("question", "response__questionnaire", "response__respondent__person")
        .order_by("pk")
    )
    language = get_language() or "en"
    result: dict[int, list[Suggestion]] = {}
    for answer in answers:
        questionnaire = answer.response.questionnaire
        template = questionnaire.template_key or questionnaire.key
        for rule in rules:
            if (
                rule.question != answer.question.key
                or not questionnaire_applies(rule, template)
                or not matches(rule, answer.value)
            ):
                continue
            if rule.requirements == "process":
                targets = by_process.get(questionnaire.process_code, [])
            else:
                targets = [by_ref[ref] for ref in rule.requirements if ref in by_ref]
            reason = rule.reason_in(language).replace(
                "{process}", names.get(questionnaire.process_code, questionnaire.process_code)
            )
            key = f"{rule.key}:{answer.pk}"
            for requirement_id in targets:
                target = by_requirement.get(requirement_id)
                if target is None or (target.pk, key) in decided:
                    continue
                proposal = _proposal(rule, answer, target.scale)
                if proposal is None or _already(target, proposal[0], proposal[1]):
                    continue
                field, value, label = proposal
                result.setdefault(target.pk, []).append(
                    Suggestion(
                        key=key,
                        rating_id=target.pk,
                        field=field,
                        value=value,
                        value_label=label,
                        reason=reason,
                        answer=answer,
                    )
                )
    return result
