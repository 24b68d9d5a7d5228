"""Every answer of the engagement's campaigns as a flat list, for analysis (the API's answers listing)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from certprep.engagements.models import Engagement
from certprep.survey.models import Answer


@dataclass(frozen=True)
class AnswerFilters:
    """Which answers to list: of one campaign, questionnaire or process (its code), flagged or not."""

    campaign_id: int | None = None
    questionnaire_id: int | None = None
    process: str = ""
    flagged: bool | None = None


def answers_of(engagement: Engagement, filters: AnswerFilters = AnswerFilters()) -> QuerySet[Answer]:
    """The engagement's answers with their question, questionnaire and respondent, ordered by campaign,
    questionnaire, question and respondent."""
    answers = Answer.objects.filter(response__respondent__campaign__engagement=engagement).select_related(
        "question", "response__questionnaire", "response__respondent__person"
    )
    if filters.campaign_id is not None:
        answers = answers.filter(response__respondent__campaign_id=filters.campaign_id)
    if filters.questionnaire_id is not None:
        answers = answers.filter(response__questionnaire_id=filters.questionnaire_id)
    if filters.process:
        answers = answers.filter(response__questionnaire__process_code=filters.process)
    if filters.flagged is not None:
        answers = answers.filter(flagged=filters.flagged)
    return answers.order_by(
        "response__respondent__campaign_id",
        "response__questionnaire__order",
        "response__questionnaire_id",
        "question__order",
        "question_id",
        "response__respondent__person__name",
        "pk",
    )


def flagged_count(engagement: Engagement) -> int:
    """How many answers are marked to discuss face to face."""
    return Answer.objects.filter(response__respondent__campaign__engagement=engagement, flagged=True).count()
