"""Reads for answering and reading one response: its questions grouped by section, with the answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Q
from django.utils.translation import gettext

from certprep.core.rows import json_read, loaded
from certprep.survey.answers import display_value, is_answered
from certprep.survey.choices import QuestionKind, ResponseStatus
from certprep.survey.models import Answer, Attachment, Question, Respondent, Response
from certprep.survey.selectors.tracking import process_names


@dataclass
class Item:
    question: Question
    answer: Answer | None
    attachments: list[Attachment]
    choices: list[tuple[str, str]]
    columns: list[tuple[str, str]]

    @property
    def value(self) -> Any:
        return self.answer.value if self.answer else None

    @property
    def version(self) -> int:
        return self.answer.version if self.answer else 0

    @property
    def answered(self) -> bool:
        return is_answered(self.question.kind, self.value, len(self.attachments))

    @property
    def selected(self) -> list[str]:
        value = self.value
        if isinstance(value, list):
            return [str(v) for v in value]
        return [] if value is None else [str(value)]

    @property
    def rows(self) -> list[dict[str, str]]:
        """Table rows to show: the answer's rows plus one empty row to type into."""
        rows = list(self.value or []) if self.question.kind == QuestionKind.TABLE else []
        return [*rows, {}]

    @property
    def row_cells(self) -> list[list[tuple[str, str, str]]]:
        """Per row, (column key, column label, text) so templates need no dictionary lookups."""
        return [[(key, label, str(row.get(key, ""))) for key, label in self.columns] for row in self.rows]

    @property
    def text(self) -> str:
        return display_value(self.question.kind, self.value, labels=dict(self.choices))


@dataclass
class Section:
    title: str
    items: list[Item] = field(default_factory=list)


@dataclass
class Sheet:
    sections: list[Section]
    answered: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


def response_sheet(response: Response) -> Sheet:
    """The questions of the response's questionnaire with this response's answers (4 queries)."""
    questions = list(response.questionnaire.questions.order_by("order", "id"))
    answers = {a.question_id: a for a in Answer.objects.filter(response=response).prefetch_related("attachments")}
    names = list(process_names().items())
    sections: list[Section] = []
    answered = 0
    for question in questions:
        answer = answers.get(question.pk)
        if question.kind == QuestionKind.PROCESS_REF:
            own = response.questionnaire.process_code
            choices = [(code, name) for code, name in names if code != own]
        elif question.kind == QuestionKind.YES_NO:
            choices = [("yes", gettext("Yes")), ("no", gettext("No"))]
        elif question.kind == QuestionKind.SCALE:
            choices = [(str(n), str(n)) for n in range(6)]
        else:
            choices = question.option_labels()
        item = Item(
            question=question,
            answer=answer,
            attachments=list(answer.attachments.all()) if answer else [],
            choices=choices,
            columns=question.column_labels(),
        )
        answered += item.answered
        title = question.tr.section
        if not sections or sections[-1].title != title:
            sections.append(Section(title=title))
        sections[-1].items.append(item)
    return Sheet(sections=sections, answered=answered, total=len(questions))


def question_of(response: Response, question_id: int) -> Question | None:
    """The question `question_id` of the response's questionnaire, or None (removed since the page was opened).
    Written out in SQL for the autosave, like the link's check (services.answers): it reads what a save
    needs (its kind, options and columns); any other field is read when first used."""
    with connection.cursor() as cursor:
        cursor.execute(_QUESTION, [question_id, response.questionnaire_id])
        row = cursor.fetchone()
    if row is None:
        return None
    kind, options, columns = row
    return loaded(
        Question,
        id=question_id,
        questionnaire_id=response.questionnaire_id,
        kind=kind,
        options=json_read(Question, "options", options),
        columns=json_read(Question, "columns", columns),
    )


_QUESTION = "SELECT kind, options, columns FROM survey_question WHERE id = %s AND questionnaire_id = %s"


def respondent_home(respondent: Respondent) -> list[Response]:
    """The respondent's questionnaires with their progress."""
    responses: list[Response] = list(
        respondent.responses.select_related("questionnaire")
        .annotate(
            question_count=Count("questionnaire__questions", distinct=True),
            answer_count=Count("answers", filter=Q(answers__value__isnull=False), distinct=True),
        )
        .order_by("questionnaire__order", "pk")
    )
    return responses


def all_submitted(responses: list[Response]) -> bool:
    return bool(responses) and all(r.status == ResponseStatus.SUBMITTED for r in responses)
