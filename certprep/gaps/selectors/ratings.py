"""One requirement's rating as its page and the API show it: the row figures, evidence, the survey answers
that could be linked, its processes and its neighbours in the assessment."""

from __future__ import annotations

from django.db.models import Q

from certprep.catalogue.models import Process
from certprep.catalogue.selectors import PROCESS_LENS_URN
from certprep.gaps.models import Evidence, Rating
from certprep.gaps.selectors.documents import linked_documentation
from certprep.gaps.selectors.lens import process_codes_by_requirement
from certprep.gaps.selectors.screen import Row, row_for
from certprep.gaps.selectors.weights import weights_by_requirement
from certprep.survey.models import Answer

ANSWER_CHOICES_MAX = 300


def rating_row(rating: Rating, *, with_counts: bool = False) -> Row:
    """The screen's figures for one rating (target, gap, priority, weight, processes); with_counts adds how
    many pieces of evidence and topics it has."""
    assessment = rating.assessment
    codes = process_codes_by_requirement(assessment.framework_id)
    weights = weights_by_requirement(assessment.engagement_id, assessment.framework_id, codes=codes)
    if with_counts:
        rating.evidence_count = Evidence.objects.filter(rating=rating).count()  # type: ignore[attr-defined]
        rating.topic_count = rating.topics.count()  # type: ignore[attr-defined]
    return row_for(rating, assessment, codes, weights)


def saved_state_row(rating: Rating) -> Row:
    """The row figures an instant save answers with (no process codes needed: one query fewer)."""
    assessment = rating.assessment
    return row_for(
        rating, assessment, weights=weights_by_requirement(assessment.engagement_id, assessment.framework_id)
    )


def linked_statuses(rating: Rating) -> dict[str, str]:
    """rating id -> documentation status of the assessment's rows that share a checklist item with this one."""
    return linked_documentation(rating)


def evidence_of(rating: Rating) -> list[Evidence]:
    """A rating's evidence in the order it was added, with what each shows (the answer and its respondent)."""
    return list(
        rating.evidence.select_related("answer__question", "answer__response__respondent__person", "added_by").order_by(
            "added_at", "id"
        )
    )


def answer_choices(rating: Rating) -> list[tuple[int, str]]:
    """Survey answers worth linking as evidence: those to the questionnaires of the requirement's processes and
    to the management-system questionnaire (at most ANSWER_CHOICES_MAX)."""
    codes = process_codes_by_requirement(rating.assessment.framework_id).get(rating.requirement_id, [])
    answers = (
        Answer.objects.filter(
            response__questionnaire__engagement_id=rating.assessment.engagement_id, value__isnull=False
        )
        .filter(Q(response__questionnaire__process_code__in=codes) | Q(response__questionnaire__kind="management"))
        .select_related("question", "response__respondent__person", "response__questionnaire")
        .order_by("response__questionnaire__key", "question__order", "pk")[:ANSWER_CHOICES_MAX]
    )
    choices = []
    for answer in answers:
        value = answer.value
        text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        label = f"{answer.response.respondent.person.name} · {answer.question.tr.text[:80]} → {text[:60]}"
        choices.append((answer.pk, label))
    return choices


def process_names(rating: Rating) -> list[str]:
    """The names of the lens processes the requirement maps to (their codes when a process is unknown)."""
    codes = process_codes_by_requirement(rating.assessment.framework_id).get(rating.requirement_id, [])
    names = {p.code: p.tr.name for p in Process.objects.filter(lens__urn=PROCESS_LENS_URN, code__in=codes)}
    return [names.get(code, code) for code in codes]


def neighbours(rating: Rating) -> tuple[int | None, int | None, int, int]:
    """The previous and next rating of the assessment in clause order, this one's position (from 1) and the
    number of ratings."""
    siblings = list(
        Rating.objects.filter(assessment_id=rating.assessment_id)
        .order_by("requirement__order", "pk")
        .values_list("pk", flat=True)
    )
    position = siblings.index(rating.pk)
    previous_id = siblings[position - 1] if position > 0 else None
    next_id = siblings[position + 1] if position + 1 < len(siblings) else None
    return previous_id, next_id, position + 1, len(siblings)
