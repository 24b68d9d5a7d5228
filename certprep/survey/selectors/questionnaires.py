"""Reads of the engagement's questionnaires and their questions, for the pages and the API alike."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, QuerySet

from certprep.engagements.models import Engagement
from certprep.survey.models import Question, Questionnaire


def questionnaires_of(engagement: Engagement, *, ids: Iterable[int] | None = None) -> QuerySet[Questionnaire]:
    """The engagement's questionnaires in order (only those of `ids` when given), each with `question_count`
    (one query)."""
    questionnaires = Questionnaire.objects.filter(engagement=engagement)
    if ids is not None:
        questionnaires = questionnaires.filter(pk__in=list(ids))
    return questionnaires.annotate(question_count=Count("questions")).order_by("order", "id")


def questions_of(questionnaire_id: int) -> QuerySet[Question]:
    """A questionnaire's questions in order."""
    return Question.objects.filter(questionnaire_id=questionnaire_id).order_by("order", "id")


def questionnaire_ids_in(engagement: Engagement, ids: list[int]) -> set[int]:
    """The ids among `ids` that are questionnaires of the engagement."""
    return set(Questionnaire.objects.filter(engagement=engagement, pk__in=ids).values_list("pk", flat=True))
