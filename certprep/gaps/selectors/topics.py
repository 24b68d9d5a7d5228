"""Improvement topics with the priority their requirements give them (a fixed number of queries)."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count

from certprep.core.wording import labelled
from certprep.engagements.models import Engagement
from certprep.gaps.models import Assessment, Evidence, ImprovementTopic, Rating
from certprep.gaps.rules import DOCUMENTATION_GAPS, HIGH_FROM, MEDIUM_FROM, gap, priority_band, requirement_points
from certprep.gaps.selectors.lens import process_codes_by_requirement
from certprep.gaps.selectors.weights import EngagementWeights
from certprep.gaps.suggestion_rules import Rule, load_rules, matches, questionnaire_applies
from certprep.survey.models import Answer

BAND_ORDER = {"high": 0, "medium": 1, "low": 2, None: 3}


@dataclass
class Line:
    """One requirement of a topic as the list shows it: its rating, reference and priority points."""

    rating_id: int
    ref_id: str
    gap: int | None
    points: int


@dataclass(frozen=True)
class TopicHead:
    """What ranks and filters a topic: read as a plain row for every topic; the topics shown are then read
    whole (with_texts)."""

    pk: int
    status: str
    due_date: datetime.date | None


@dataclass
class TopicView:
    topic: ImprovementTopic | TopicHead
    lines: list[Line] = field(default_factory=list)
    points: int = 0
    priority: str | None = None
    evidence: int = 0

    @property
    def shown_lines(self) -> list[Line]:
        """The requirements the list names; the rest are counted (see `more`)."""
        return self.lines[:LINES_SHOWN]

    @property
    def more(self) -> int:
        return max(0, len(self.lines) - LINES_SHOWN)


LINES_SHOWN = 12  # requirements named per topic in the list


def topic_views(engagement: Engagement, *, topic_ids: list[int] | None = None) -> list[TopicView]:
    """The engagement's topics by priority, each with its requirements' figures. The requirements are read
    as plain rows (no model per rating): five queries, however many topics and requirements there are."""
    # Only what ranks and filters the topics is read here; the topics shown get the rest from with_texts.
    qs = ImprovementTopic.objects.filter(engagement=engagement)
    if topic_ids is not None:
        qs = qs.filter(pk__in=topic_ids)
    views = {
        pk: TopicView(topic=TopicHead(pk, status, due))
        for pk, status, due in qs.values_list("pk", "status", "due_date")
    }
    evidence = dict(
        Evidence.objects.filter(rating__assessment__engagement=engagement)
        .values("rating_id")
        .annotate(n=Count("pk"))
        .values_list("rating_id", "n")
    )
    weights = EngagementWeights(engagement.pk)
    points_of = functools.cache(_points)  # many requirements share their figures: each set is computed once
    rows, documentation = _link_rows(engagement.pk)
    for row in rows:
        topic_id, rating_id, level, target, default_target, weight, requirement_id, ref_id, scale, framework_id = row
        view = views.get(topic_id)
        if view is None:  # a topic not asked for (topic_ids)
            continue
        weight = weights.of(requirement_id=requirement_id, framework_id=framework_id, catalogue_weight=weight)
        points = points_of(level, target, default_target, scale, documentation.get(requirement_id, ""), weight)
        view.lines.append(
            Line(rating_id=rating_id, ref_id=ref_id, gap=gap(level, target or default_target), points=points)
        )
        view.evidence += evidence.get(rating_id, 0)
    ordered = list(views.values())
    for view in ordered:
        view.points = max((line.points for line in view.lines), default=0)
        view.priority = priority_band(view.points)
    ordered.sort(key=lambda v: (BAND_ORDER[v.priority], -v.points, v.topic.due_date or _FAR, v.topic.pk))
    return ordered


# Every requirement linked to a topic, with what ranks it, as plain rows (the ORM's row building cost more
# than the query at 6,000 links), and the requirements whose documentation still needs work: one of their
# checklist items is missing, a draft, in review or not controlled (rules.documentation_gap).
_LINK_ROWS = """
    SELECT l.improvementtopic_id, l.rating_id, r.level, r.target, a.default_target, q.weight, q.id, q.ref_id,
           r.scale, a.framework_id
      FROM gaps_improvementtopic_ratings l
      JOIN gaps_improvementtopic t ON t.id = l.improvementtopic_id
      JOIN gaps_rating r ON r.id = l.rating_id
      JOIN gaps_assessment a ON a.id = r.assessment_id
      JOIN catalogue_requirement q ON q.id = r.requirement_id
     WHERE t.engagement_id = %s
     ORDER BY q."order", l.rating_id
"""
_DOCUMENTATION_GAPS = """
    SELECT x.requirement_id, MAX(i.status)
      FROM gaps_documentitem_requirements x
      JOIN gaps_documentitem i ON i.id = x.documentitem_id
     WHERE i.engagement_id = %s AND i.status IN ({statuses})
     GROUP BY x.requirement_id
"""


def _link_rows(engagement_id: int) -> tuple[list[tuple[Any, ...]], dict[int, str]]:
    """The link rows, and requirement id -> a status of its documentation that needs work."""
    statuses = [str(status) for status in DOCUMENTATION_GAPS]
    with connection.cursor() as cursor:
        cursor.execute(_LINK_ROWS, [engagement_id])
        rows = cursor.fetchall()
        cursor.execute(
            _DOCUMENTATION_GAPS.format(statuses=", ".join(["%s"] * len(statuses))), [engagement_id, *statuses]
        )
        return rows, dict(cursor.fetchall())


def _points(
    level: int | None, target: int | None, default_target: int, scale: str, documentation: str, weight: int
) -> int:
    return requirement_points(
        level=level,
        target=target,
        default_target=default_target,
        scale=scale,
        documentation=documentation,
        weight=weight,
    )


def with_texts(views: Iterable[TopicView]) -> None:
    """Read the topics about to be shown whole, with their owner and their texts in every language (one
    query); topic_views reads only what ranks them."""
    listed = list(views)
    full = ImprovementTopic.objects.filter(pk__in=[view.topic.pk for view in listed]).select_related("owner")
    by_pk = {topic.pk: topic for topic in full}
    for view in listed:
        view.topic = by_pk.get(view.topic.pk, view.topic)


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
