"""Improvement topics with the priority their requirements give them (a fixed number of queries)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch

from certprep.core.wording import labelled
from certprep.engagements.models import Engagement
from certprep.gaps.models import Assessment, ImprovementTopic, Rating
from certprep.gaps.rules import HIGH_FROM, MEDIUM_FROM, gap, priority_band, priority_points
from certprep.gaps.selectors.documents import attach_documentation
from certprep.gaps.selectors.lens import process_codes_by_requirement
from certprep.gaps.suggestion_rules import Rule, load_rules, matches, questionnaire_applies
from certprep.survey.models import Answer

BAND_ORDER = {"high": 0, "medium": 1, "low": 2, None: 3}


@dataclass
class Line:
    rating: Rating
    gap: int | None
    points: int


@dataclass
class TopicView:
    topic: ImprovementTopic
    lines: list[Line] = field(default_factory=list)
    points: int = 0
    priority: str | None = None
    evidence: int = 0


def topic_views(engagement: Engagement, *, topic_ids: list[int] | None = None) -> list[TopicView]:
    ratings = (
        Rating.objects.select_related("requirement", "assessment")
        .defer("requirement__description", "requirement__evidence", "requirement__search_text", "notes")
        .annotate(evidence_total=Count("evidence"))
        .order_by("requirement__order")
    )
    qs = (
        ImprovementTopic.objects.filter(engagement=engagement)
        .select_related("owner", "assessment")
        .prefetch_related(Prefetch("ratings", queryset=ratings))
    )
    if topic_ids is not None:
        qs = qs.filter(pk__in=topic_ids)
    topics = list(qs)
    attach_documentation([r for topic in topics for r in topic.ratings.all()], engagement.pk)
    views = []
    for topic in topics:
        view = TopicView(topic=topic)
        for rating in topic.ratings.all():
            target = rating.target or rating.assessment.default_target
            rating_gap = gap(rating.level, target)
            points = priority_points(
                rating_gap=rating_gap, documentation=rating.documentation, weight=rating.requirement.weight
            )
            view.lines.append(Line(rating=rating, gap=rating_gap, points=points))
            view.evidence += rating.evidence_total  # type: ignore[attr-defined]
        view.points = max((line.points for line in view.lines), default=0)
        view.priority = priority_band(view.points)
        views.append(view)
    views.sort(key=lambda v: (BAND_ORDER[v.priority], -v.points, v.topic.due_date or _FAR, v.topic.pk))
    return views


class _Far:
    def __lt__(self, other: Any) -> bool:
        return False

    def __gt__(self, other: Any) -> bool:
        return True


_FAR: Any = _Far()
RULE = {"high": HIGH_FROM, "medium": MEDIUM_FROM}


@dataclass(frozen=True)
class SurveyReason:
    """A survey answer behind a gap: the rule that read it, who answered and for which process."""

    rule: Rule
    person: str
    process_code: str

    def text(self, language: str, process_names: dict[str, str]) -> str:
        reason = self.rule.reason_in(language).replace(
            "{process}", process_names.get(self.process_code, self.process_code)
        )
        return labelled(self.person, reason)


def survey_reasons(assessment: Assessment, ratings: Iterable[Rating]) -> dict[int, list[SurveyReason]]:
    """rating id -> the survey answers that speak to its requirement (through the suggestion rules), whether
    or not their suggestion was taken: what the respondents said behind a gap. Two queries."""
    rules = load_rules()
    if not rules:
        return {}
    by_requirement = {r.requirement_id: r for r in ratings}
    by_ref = {r.requirement.ref_id: r.requirement_id for r in by_requirement.values()}
    by_process: dict[str, list[int]] = {}
    for requirement_id, codes in process_codes_by_requirement(assessment.framework_id).items():
        for code in codes:
            by_process.setdefault(code, []).append(requirement_id)
    answers = (
        Answer.objects.filter(
            response__questionnaire__engagement_id=assessment.engagement_id,
            question__key__in={rule.question for rule in rules},
        )
        .exclude(value__isnull=True)
        .select_related("question", "response__questionnaire", "response__respondent__person")
        .order_by("pk")
    )
    result: dict[int, list[SurveyReason]] = {}
    for answer in answers:
        questionnaire = answer.response.questionnaire
        template = questionnaire.template_key or questionnaire.key
        for rule in rules:
            if rule.question != answer.question.key or not questionnaire_applies(rule, template):
                continue
            if not matches(rule, answer.value):
                continue
            if rule.requirements == "process":
                targets = by_process.get(questionnaire.process_code, [])
            else:
                targets = [by_ref[ref] for ref in rule.requirements if ref in by_ref]
            said = SurveyReason(rule, answer.response.respondent.person.name, questionnaire.process_code)
            for requirement_id in targets:
                rating = by_requirement.get(requirement_id)
                if rating is not None and said not in result.setdefault(rating.pk, []):
                    result[rating.pk].append(said)
    return result


PICKER_RESULTS = 50  # requirements a picker search lists at most


def requirement_choices(engagement: Engagement) -> list[tuple[int, str]]:
    """The requirements a topic can name: the ratings of the engagement's latest assessment, in clause order,
    as (rating id, "ref name") (one query)."""
    latest = Assessment.objects.filter(engagement=engagement).order_by("-assessed_on", "-pk").first()
    if latest is None:
        return []
    rows = (
        Rating.objects.filter(assessment=latest)
        .select_related("requirement")
        .only("pk", "requirement__ref_id", "requirement__name", "requirement__translations")
        .order_by("requirement__order", "pk")
    )
    return [(r.pk, f"{r.requirement.ref_id} {r.requirement.tr.name}".strip()) for r in rows]


def requirement_search(
    choices: list[tuple[int, str]], query: str, *, exclude: Iterable[int] = (), limit: int = PICKER_RESULTS
) -> tuple[list[tuple[int, str]], int]:
    """The choices whose reference or name contains every word of `query` (any case), without `exclude`:
    the first `limit` of them and how many there are in all."""
    words = query.casefold().split()
    if not words:
        return [], 0
    skipped = set(exclude)
    found = [(pk, label) for pk, label in choices if pk not in skipped and all(w in label.casefold() for w in words)]
    return found[:limit], len(found)
