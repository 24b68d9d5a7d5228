"""The current state per process: summaries built from the answers, by topic and kind."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certprep.people.choices import SmsRole
from certprep.survey.choices import ResponseStatus
from certprep.survey.models import Question
from certprep.survey.selectors.state import engagement_state, lens_processes, process_state
from certprep.survey.tests.interview_world import (
    FULL_ANSWERS,
    campaign,
    person,
    process_questionnaire,
    respond,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(engagement, catalogue):
    return process_questionnaire(engagement, "incident", "incident management")


@pytest.fixture
def survey(engagement, incident):
    """Three people answered the incident questionnaire: two submitted, one still in progress."""
    spring = campaign(engagement)
    ann = person(engagement, "Ann Lee", roles=(SmsRole.PROCESS_OWNER,), processes=("incident",))
    bob = person(engagement, "Bob Stone", roles=(SmsRole.PROCESS_EXECUTOR,), processes=("incident",))
    cat = person(engagement, "Cat Wu", roles=(SmsRole.PROCESS_MANAGER,), processes=("incident",))
    respond(spring, ann, incident, FULL_ANSWERS, files={"procedure-file": ["incident-procedure.pdf"]})
    respond(
        spring,
        bob,
        incident,
        {
            "definition": "Restoring service as fast as possible.",
            "inputs": [{"item": "user calls ", "source": "Service desk phone"}, {"item": "E-mails", "source": "Users"}],
            "procedure-exists": "no",
            "relations": ["problem"],
            "owner": "Ann Lee",
            "maturity": 2,
        },
        flags={"procedure-exists": "The procedure is only a draft in the wiki"},
    )
    respond(
        spring,
        cat,
        incident,
        {
            "inputs": [{"item": "Supplier notifications", "source": "Suppliers"}],
            "tools": [{"tool": "jira service management", "use": "SLA clocks"}],
        },
        status=ResponseStatus.IN_PROGRESS,
    )
    return ann, bob, cat


def test_the_summary_merges_table_rows_case_insensitively_and_counts_respondents(engagement, survey):
    state = process_state(engagement, "incident")
    inputs = state.topic("inputs").items
    labels = [i.label for i in inputs]
    assert labels[0] == "User calls"  # named by two respondents: first, with the submitted spelling
    assert inputs[0].count == 2
    assert inputs[0].people == ["Ann Lee", "Bob Stone"]
    assert {d.label: d.values for d in inputs[0].details} == {"Comes from": ["Users", "Service desk phone"]}
    assert set(labels) == {"User calls", "Monitoring alerts", "E-mails", "Supplier notifications"}
    supplier = next(i for i in inputs if i.label == "Supplier notifications")
    assert supplier.draft is True
    assert inputs[0].draft is False
    tools = state.topic("tools").items
    assert len(tools) == 1
    assert tools[0].count == 2
    assert tools[0].draft is False
    assert state.inputs == 4
    assert state.outputs == 1
    assert state.tools == 1
    assert state.documents == 1


def test_definitions_say_who_said_them_and_documents_count_yes_and_no(engagement, survey):
    state = process_state(engagement, "incident")
    definition = next(f for f in state.topic("definition").facts if f.key == "definition")
    assert [(s.person, s.text) for s in definition.answers] == [
        ("Ann Lee", "Everything users report that breaks a service."),
        ("Bob Stone", "Restoring service as fast as possible."),
    ]
    assert state.definition == "Everything users report that breaks a service."
    documents = state.topic("documents")
    procedure = next(f for f in documents.facts if f.key == "procedure-exists")
    assert (procedure.yes, procedure.no) == (1, 1)
    assert documents.facts[0].key == "procedure-exists"  # the preferred key leads its topic
    assert [(f.text, f.person) for f in documents.files] == [("incident-procedure.pdf", "Ann Lee")]
    choice = next(f for f in state.topic("definition").facts if f.key == "priority-model")
    assert choice.answers[0].text == "Impact and urgency matrix"
    maturity = next(f for f in state.topic("other").facts if f.key == "maturity")
    assert maturity.average == 2.5


def test_owners_relations_open_questions_and_counts(engagement, survey):
    state = process_state(engagement, "incident")
    assert state.owner_people == ["Ann Lee"]
    assert state.owner == "Ann Lee"
    owners = state.topic("owners").facts[0]
    assert [s.text for s in owners.answers] == ["Service desk manager", "Ann Lee"]
    related = {r.code: r.count for r in state.topic("relations").related}
    assert related == {"problem": 2, "change": 1}
    assert state.topic("relations").related[0].name == "Problem management"
    assert (state.responses.total, state.responses.submitted, state.responses.in_progress) == (3, 2, 1)
    assert [f.question for f in state.flagged] == ["Is there a documented incident management procedure?"]
    assert state.flagged[0].person == "Bob Stone"
    assert state.flagged[0].answer == "No"
    unanswered = {g.question: g.people for g in state.unanswered}
    assert unanswered["How is incident management defined?"] == ["Cat Wu"]
    assert state.open_questions == 1 + len(state.unanswered)
    assert state.expected == 3 * 15
    assert 0 < state.completeness < 100


def test_an_edited_questionnaire_is_summarised_by_topic_and_kind(engagement, incident):
    Question.objects.create(
        questionnaire=incident,
        key="kit",
        kind="table",
        topic="tools",
        order=999,
        text="Tools?",
        columns=[{"key": "what", "label": "What"}, {"key": "purpose", "label": "Purpose"}],
    )
    respond(
        campaign(engagement),
        person(engagement, "Dan"),
        incident,
        {"kit": [{"what": "Grafana", "purpose": "dashboards"}]},
    )
    tools = process_state(engagement, "incident").topic("tools").items
    assert [(t.label, t.details[0].values) for t in tools] == [("Grafana", ["dashboards"])]


def test_every_process_of_the_lens_is_summarised_in_lens_order_with_the_relations_graph(engagement, survey):
    state = engagement_state(engagement)
    assert [p.code for p in state.processes] == [p.code for p in lens_processes()]
    assert len(state.processes) == 13
    empty = next(p for p in state.processes if p.code == "capacity")
    assert empty.responses.total == 0
    assert empty.completeness is None
    edges = {(e.source, e.target): e.weight for e in state.graph.edges}
    assert edges == {("incident", "problem"): 2, ("incident", "change"): 1}
    assert len(state.relations) == 2


def test_an_unknown_process_has_no_state(engagement, catalogue):
    assert process_state(engagement, "no-such-process") is None


def test_another_engagements_answers_never_count(engagement, outsider, survey):
    other = outsider.memberships.get().engagement
    assert process_state(other, "incident").responses.total == 0


def _respondents(engagement, questionnaire, n):
    spring = campaign(engagement, name=f"Campaign {n}")
    for i in range(n):
        someone = person(engagement, f"Person {n}-{i}", roles=(SmsRole.PROCESS_OWNER,), processes=("incident",))
        respond(
            spring, someone, questionnaire, FULL_ANSWERS, flags={"owner": "check"}, files={"procedure-file": ["p.pdf"]}
        )


def test_the_number_of_queries_does_not_grow_with_respondents(engagement, incident):
    _respondents(engagement, incident, 2)
    with CaptureQueriesContext(connection) as small:
        engagement_state(engagement)
        process_state(engagement, "incident")
    _respondents(engagement, incident, 58)
    with CaptureQueriesContext(connection) as large:
        state = engagement_state(engagement)
        process_state(engagement, "incident")
    assert len(large.captured_queries) == len(small.captured_queries)
    assert state.processes[[p.code for p in state.processes].index("incident")].responses.total == 60
