"""Test data for the interview and current-state tests (no tests here): questionnaires shaped like the shipped
ones, people, a campaign and responses with answers, all written with the models directly."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.utils import timezone

from certprep.survey.choices import InterviewStatus, QuestionnaireKind, ResponseStatus
from certprep.survey.models import (
    Answer,
    Attachment,
    Campaign,
    Interview,
    Person,
    Question,
    Questionnaire,
    Respondent,
    Response,
)

PROCESS_QUESTIONS: list[dict[str, Any]] = [
    {
        "key": "definition",
        "kind": "long_text",
        "topic": "definition",
        "required": True,
        "text": "How is {name} defined?",
    },
    {
        "key": "inputs",
        "kind": "table",
        "topic": "inputs",
        "required": True,
        "text": "What does {name} receive?",
        "columns": [{"key": "item", "label": "Input"}, {"key": "source", "label": "Comes from"}],
    },
    {
        "key": "outputs",
        "kind": "table",
        "topic": "outputs",
        "required": True,
        "text": "What does {name} produce?",
        "columns": [{"key": "item", "label": "Output"}, {"key": "recipient", "label": "Goes to"}],
    },
    {
        "key": "procedure-exists",
        "kind": "yes_no",
        "topic": "documents",
        "required": True,
        "text": "Is there a documented {name} procedure?",
    },
    {
        "key": "documents",
        "kind": "table",
        "topic": "documents",
        "text": "Which documents does {name} use?",
        "columns": [{"key": "document", "label": "Document"}, {"key": "location", "label": "Where it is kept"}],
    },
    {"key": "records", "kind": "long_text", "topic": "documents", "text": "Which {name} records do you keep?"},
    {"key": "procedure-file", "kind": "attachment", "topic": "documents", "text": "Upload the {name} procedure."},
    {
        "key": "tools",
        "kind": "table",
        "topic": "tools",
        "text": "Which tools support {name}?",
        "columns": [{"key": "tool", "label": "Tool"}, {"key": "use", "label": "What it is used for"}],
    },
    {
        "key": "relations",
        "kind": "process_ref",
        "topic": "relations",
        "text": "Which processes does {name} exchange with?",
    },
    {"key": "relations-detail", "kind": "long_text", "topic": "relations", "text": "Describe the handovers."},
    {"key": "owner", "kind": "short_text", "topic": "owners", "required": True, "text": "Who owns {name}?"},
    {"key": "maturity", "kind": "scale", "topic": "other", "required": True, "text": "How mature is {name}?"},
    {"key": "volume", "kind": "number", "topic": "other", "text": "How many per month?"},
    {"key": "last-review", "kind": "date", "topic": "other", "text": "When was {name} last reviewed?"},
    {
        "key": "priority-model",
        "kind": "single_choice",
        "topic": "definition",
        "text": "How is priority set?",
        "options": [
            {"value": "none", "label": "No formal priority"},
            {"value": "impact-urgency", "label": "Impact and urgency matrix"},
        ],
    },
]

MANAGEMENT_QUESTIONS: list[dict[str, Any]] = [
    {
        "key": "objectives",
        "kind": "long_text",
        "topic": "other",
        "required": True,
        "text": "Why does the organization seek certification?",
    },
    {
        "key": "org-chart",
        "kind": "yes_no",
        "topic": "other",
        "required": True,
        "text": "Is there an up-to-date organization chart?",
    },
    {
        "key": "internal-audit",
        "kind": "yes_no",
        "topic": "other",
        "required": True,
        "text": "Are internal audits carried out?",
    },
]


def process_questionnaire(engagement: Any, code: str = "incident", name: str = "incident management") -> Questionnaire:
    questionnaire = Questionnaire.objects.create(
        engagement=engagement,
        key=f"process-{code}",
        kind=QuestionnaireKind.PROCESS,
        process_code=code,
        title=f"{name.capitalize()} questionnaire",
        order=10,
    )
    Question.objects.bulk_create(
        Question(
            questionnaire=questionnaire,
            order=(n + 1) * 10,
            key=q["key"],
            kind=q["kind"],
            topic=q["topic"],
            required=q.get("required", False),
            text=q["text"].format(name=name),
            columns=q.get("columns", []),
            options=q.get("options", []),
        )
        for n, q in enumerate(PROCESS_QUESTIONS)
    )
    return questionnaire


def management_questionnaire(engagement: Any) -> Questionnaire:
    questionnaire = Questionnaire.objects.create(
        engagement=engagement,
        key="management-system",
        kind=QuestionnaireKind.MANAGEMENT,
        title="Management system questionnaire",
    )
    for n, q in enumerate(MANAGEMENT_QUESTIONS):
        Question.objects.create(questionnaire=questionnaire, order=n, **q)
    return questionnaire


def person(
    engagement: Any,
    name: str,
    *,
    email: str | None = None,
    roles: tuple[str, ...] = (),
    processes: tuple[str, ...] = (),
) -> Person:
    from certprep.survey.tests.factories import person as person_with_roles

    return person_with_roles(engagement, name, email=email, roles=list(roles), processes=list(processes), department="")


def campaign(engagement: Any, name: str = "Spring survey") -> Campaign:
    return Campaign.objects.create(
        engagement=engagement, name=name, deadline=timezone.localdate() + datetime.timedelta(days=14)
    )


def respond(
    campaign: Campaign,
    who: Person,
    questionnaire: Questionnaire,
    answers: dict[str, Any] | None = None,
    *,
    status: str = ResponseStatus.SUBMITTED,
    flags: dict[str, str] | None = None,
    files: dict[str, list[str]] | None = None,
) -> Response:
    """A response of `who` with answers by question key; `flags` marks answers for discussion (key -> note)."""
    respondent, _created = Respondent.objects.get_or_create(
        campaign=campaign, person=who, defaults={"token_hash": secrets.token_hex(32)}
    )
    response = Response.objects.create(respondent=respondent, questionnaire=questionnaire, status=status)
    questions = {q.key: q for q in questionnaire.questions.all()}
    flags = flags or {}
    files = files or {}
    for key in dict.fromkeys([*(answers or {}), *flags, *files]):
        answer = Answer.objects.create(
            response=response,
            question=questions[key],
            value=(answers or {}).get(key),
            flagged=key in flags,
            flag_note=flags.get(key, ""),
        )
        for name in files.get(key, []):
            Attachment.objects.create(
                answer=answer,
                file=f"survey/test/{secrets.token_hex(8)}",
                original_name=name,
                content_type="application/pdf",
                size=100,
                sha256="0" * 64,
            )
    return response


def interview(
    engagement: Any, *, process_code: str = "incident", attendees: list[Person] = (), **fields: Any
) -> Interview:  # type: ignore[assignment]
    values: dict[str, Any] = {
        "title": "Incident management interview",
        "starts_at": timezone.now() + datetime.timedelta(days=3),
        "duration_minutes": 90,
        "location": "Room 4.12",
        "status": InterviewStatus.PLANNED,
    }
    values.update(fields)
    created = Interview.objects.create(engagement=engagement, process_code=process_code, **values)
    created.attendees.set(attendees)
    return created


FULL_ANSWERS: dict[str, Any] = {
    "definition": "Everything users report that breaks a service.",
    "inputs": [{"item": "User calls", "source": "Users"}, {"item": "Monitoring alerts", "source": "Zabbix"}],
    "outputs": [{"item": "Resolved incidents", "recipient": "Users"}],
    "procedure-exists": "yes",
    "documents": [{"document": "Incident procedure", "location": "Wiki"}],
    "records": "Tickets in the service desk tool.",
    "tools": [{"tool": "Jira Service Management", "use": "Tickets"}],
    "relations": ["problem", "change"],
    "relations-detail": "Recurring incidents go to problem management.",
    "owner": "Service desk manager",
    "maturity": 3,
    "volume": 420,
    "last-review": "2025-01-15",
    "priority-model": "impact-urgency",
}
