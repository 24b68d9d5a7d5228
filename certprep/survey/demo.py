"""Survey data of the demo engagement: people with their roles for processes and for the SMS, a running campaign
with answers in every state (submitted, in progress, not started, flagged for discussion) and a planned interview."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from certprep.catalogue.selectors import lens_processes
from certprep.core.actors import Actor
from certprep.people.models import Person
from certprep.people.rules import canonical_pairs, parse_roles, vocabulary
from certprep.people.services import roles_replace
from certprep.responsibilities.models import MatrixRole
from certprep.responsibilities.services import matrix_from_template, role_holder_add
from certprep.survey.models import Interview, Question, Response
from certprep.survey.services import answers as answer_services
from certprep.survey.services import campaigns as campaign_services
from certprep.survey.services.questionnaires import questionnaire_copy_templates

# name, department, job title, roles as the people import writes them (process codes; each process has
# exactly one owner, and several people may manage, coordinate or carry out a process).
PEOPLE: list[tuple[str, str, str, str]] = [
    ("Zhou Anna", "Quality and Compliance", "SMS manager", "SMS manager; Quality manager; service-reporting: owner"),
    ("Huang Jian", "Executive Office", "General manager", "Top management"),
    ("Sun Mei", "Executive Office", "Deputy general manager, operations", "continuity-availability: owner"),
    ("Liu Yang", "Service Desk", "Service desk lead", "incident: owner, manager"),
    ("Xu Lan", "Service Desk", "Service desk agent", "incident: executor"),
    ("Ma Tao", "Service Desk", "Service desk agent", "incident: executor"),
    ("Gao Bo", "Infrastructure", "Infrastructure manager", "change: owner, manager; release: owner, manager"),
    ("He Ping", "Infrastructure", "Change coordinator", "change: coordinator"),
    ("Lin Xia", "Infrastructure", "Systems engineer", "change: executor; release: executor; configuration: executor"),
    ("Zheng Hao", "Infrastructure", "CMDB administrator", "configuration: owner, manager"),
    ("Wu Qiang", "Operations", "Problem manager", "problem: owner, manager"),
    ("Feng Lei", "Operations", "Capacity analyst", "capacity: owner, manager; continuity-availability: manager"),
    ("Tang Li", "Customer Services", "Account director", "business-relationship: owner, manager; service-level: owner"),
    ("Song Yu", "Customer Services", "Service level manager", "service-level: manager; service-reporting: manager"),
    ("Deng Hui", "Finance", "Finance controller", "budgeting-accounting: owner, manager"),
    ("Cao Min", "Procurement", "Supplier manager", "supplier: owner, manager"),
    ("Peng Jie", "Security", "Information security officer", "information-security: owner, manager"),
    ("Yuan Fei", "Service Desk", "Night shift agent", "incident: executor"),
]

# Answers by person and question key; None marks "leave unanswered".
ANSWERS: dict[str, dict[str, Any]] = {
    "Liu Yang": {
        "definition": "Every call, e-mail and monitoring alert becomes a ticket in Jira Service Management. "
        "We classify by service and priority (P1-P4), resolve or escalate to second line, "
        "and close with the user's confirmation.",
        "owner": "Liu Yang, service desk lead",
        "inputs": [
            {"item": "Calls and e-mails from customer users", "source": "Customers"},
            {"item": "Monitoring alerts", "source": "Zabbix"},
        ],
        "outputs": [
            {"item": "Resolved incidents", "recipient": "Customers"},
            {"item": "Incident records for problem analysis", "recipient": "Problem management"},
        ],
        "procedure-exists": "yes",
        "documents": [{"document": "Incident handling procedure v2.1", "location": "Confluence / SMS / Incident"}],
        "records": "Tickets in Jira, monthly incident report.",
        "tools": [
            {"tool": "Jira Service Management", "use": "tickets and SLA timers"},
            {"tool": "Zabbix", "use": "alerts"},
        ],
        "relations": ["problem", "change", "service-level", "configuration"],
        "maturity": 3,
        "volume": 1850,
        "last-review": "2026-02-15",
    },
    "Xu Lan": {
        "definition": "We take calls, log them and try a first fix from the knowledge base.",
        "inputs": [{"item": "Phone calls", "source": "Users"}, {"item": "Monitoring alerts", "source": "Zabbix"}],
        "procedure-exists": "yes",
        "relations": ["problem", "change"],
        "maturity": 2,
    },
    "Gao Bo": {
        "definition": "Changes are requested in Jira; a weekly meeting approves normal changes. Emergency changes are "
        "approved by phone and recorded afterwards, not always.",
        "owner": "Gao Bo",
        "procedure-exists": "no",
        "records": "Change tickets; meeting notes in e-mail.",
        "relations": ["incident", "release", "configuration"],
        "maturity": 2,
        "volume": 120,
    },
    "Wu Qiang": {
        "definition": "Major incidents get a post-incident review. There is no regular trend analysis yet.",
        "procedure-exists": "no",
        "relations": ["incident", "change"],
        "maturity": 1,
    },
}

FLAGS = {
    ("Gao Bo", "procedure-exists"): "Emergency changes: who may approve them, and how are they recorded?",
    (
        "Wu Qiang",
        "definition",
    ): "I took over problem management last month; does the procedure still name my predecessor?",
}


def load_survey_demo(*, engagement: Any, actor: Actor) -> None:
    """Fill the demo engagement's survey. Does nothing if the engagement already has questionnaires."""
    if engagement.questionnaires.exists():
        return
    questionnaire_copy_templates(engagement=engagement, actor=actor)
    processes = lens_processes()
    words = vocabulary(processes)
    for name, department, title, roles in PEOPLE:
        person = Person.objects.create(
            engagement=engagement,
            name=name,
            department=department,
            job_title=title,
            email=f"{name.lower().replace(' ', '.')}@harbourline.example",
        )
        pairs = canonical_pairs(parse_roles(roles, processes=processes, words=words), [p.code for p in processes])
        roles_replace(person=person, pairs=pairs)
    campaign = campaign_services.campaign_create(
        engagement=engagement,
        actor=actor,
        name="Preliminary survey",
        deadline=timezone.localdate() + datetime.timedelta(days=14),
        questionnaire_ids=list(engagement.questionnaires.values_list("pk", flat=True)),
        message="Please answer from your daily practice; a short, honest answer helps more than a polished one.",
    )
    campaign_services.campaign_send(campaign=campaign, actor=actor, notify=False)
    for name, values in ANSWERS.items():
        for response in Response.objects.filter(
            respondent__campaign=campaign, respondent__person__name=name
        ).select_related("respondent__person", "respondent__campaign__engagement"):
            questions = {q.key: q for q in Question.objects.filter(questionnaire=response.questionnaire)}
            for key, value in values.items():
                question = questions.get(key)
                if question is None:
                    continue
                raw = (
                    [{k: v for k, v in row.items()} for row in value]
                    if isinstance(value, list) and value and isinstance(value[0], dict)
                    else value
                )
                note = FLAGS.get((name, key))
                answer_services.answer_save(
                    respondent=response.respondent,
                    response=response,
                    question=question,
                    raw=str(raw) if isinstance(raw, int) else raw,
                    expected_version=None,
                    flagged=True if note else None,
                    flag_note=note,
                )
            if name == "Liu Yang":
                Response.objects.filter(pk=response.pk).update(status="submitted", submitted_at=timezone.now())
    start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) + datetime.timedelta(days=16)
    interview = Interview.objects.create(
        engagement=engagement,
        title="Change management: approvals and records",
        process_code="change",
        starts_at=start,
        duration_minutes=60,
        location="Shanghai head office, meeting room 3",
        interviewer=actor,
    )
    interview.attendees.set(Person.objects.filter(engagement=engagement, name__in=["Gao Bo", "He Ping"]))


# Matrix columns that are not SMS roles -> people who hold them in the demo. The columns of SMS roles (top
# management, process owner ...) show the people holding those roles in the people list.
ROLE_HOLDERS = {
    "service-desk": ["Xu Lan", "Ma Tao", "Yuan Fei"],
    "supplier-manager": ["Cao Min"],
    "business-relationship-manager": ["Tang Li"],
}


def load_matrix_demo(*, engagement: Any, actor: Actor) -> None:
    """The shipped responsibility matrix with the demo people in its roles. Does nothing if the
    engagement already has a matrix."""
    if MatrixRole.objects.filter(engagement=engagement).exists():
        return
    matrix_from_template(engagement=engagement, actor=actor)
    people = {p.name: p for p in Person.objects.filter(engagement=engagement)}
    for role in MatrixRole.objects.filter(engagement=engagement, key__in=list(ROLE_HOLDERS)):
        for name in ROLE_HOLDERS[role.key]:
            if name in people:
                role_holder_add(role=role, actor=actor, person=people[name])
