"""The answers of a campaign as an Excel workbook: one sheet per questionnaire, a row per respondent and
a column per question, for analysis offline. Text is neutralized against formula injection."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from certprep.core.spreadsheets import neutralize
from certprep.survey.answers import display_value
from certprep.survey.models import Answer, Campaign, Question, Response
from certprep.survey.selectors.tracking import process_names

SHEET_TITLE_MAX = 31  # Excel's limit
FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def _sheet_title(text: str, taken: set[str]) -> str:
    base = text.translate(FORBIDDEN).strip()[: SHEET_TITLE_MAX - 4] or "Sheet"
    title, n = base, 1
    while title in taken:
        n += 1
        title = f"{base} ({n})"
    taken.add(title)
    return title


def campaign_answers_workbook(campaign: Campaign) -> bytes:
    """The workbook's bytes. Five queries whatever the number of respondents."""
    questionnaires = list(campaign.questionnaires.order_by("order", "id"))
    questions: dict[int, list[Question]] = {}
    for question in Question.objects.filter(questionnaire__in=questionnaires).order_by("order", "id"):
        questions.setdefault(question.questionnaire_id, []).append(question)
    responses = list(
        Response.objects.filter(respondent__campaign=campaign)
        .select_related("respondent__person")
        .order_by("respondent__person__name", "pk")
    )
    answers = {(a.response_id, a.question_id): a for a in Answer.objects.filter(response__in=responses)}
    names = process_names()
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    bold = Font(bold=True)
    for questionnaire in questionnaires:
        sheet = workbook.create_sheet(_sheet_title(str(questionnaire), taken))
        own = questions.get(questionnaire.pk, [])
        labels = {q.pk: dict(q.option_labels()) | names for q in own}
        header = [_("Respondent"), _("Department"), _("E-mail"), _("Status"), _("Submitted"), *(q.tr.text for q in own)]
        sheet.append([neutralize(h) for h in header])
        for cell in sheet[1]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for response in (r for r in responses if r.questionnaire_id == questionnaire.pk):
            person = response.respondent.person
            row: list[Any] = [
                person.name, person.department, person.email, response.get_status_display(),
                response.submitted_at.replace(tzinfo=None) if response.submitted_at else None,
            ]  # fmt: skip
            for question in own:
                answer = answers.get((response.pk, question.pk))
                text = display_value(question.kind, answer.value, labels=labels[question.pk]) if answer else ""
                if answer and answer.flagged:
                    marked = _("%(answer)s [discuss: %(note)s]") % {"answer": text, "note": answer.flag_note}
                    text = marked.strip()
                row.append(text)
            sheet.append([neutralize(v) for v in row])
        sheet.freeze_panes = "B2"
        for index in range(1, len(header) + 1):
            sheet.column_dimensions[get_column_letter(index)].width = 18 if index <= 5 else 40
    if not questionnaires:
        workbook.create_sheet(_("Answers"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
