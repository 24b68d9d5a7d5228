"""The interview guide generated from the answers, and what needs a face-to-face follow-up."""

from __future__ import annotations

import datetime
from urllib.parse import parse_qs

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certprep.survey.choices import ResponseStatus
from certprep.survey.models import FollowUp
from certprep.survey.selectors.interviews import (
    follow_up_needs,
    interview_guide,
    interview_rows,
    many_missing,
    next_working_morning,
)
from certprep.survey.tests.interview_world import (
    FULL_ANSWERS,
    campaign,
    interview,
    management_questionnaire,
    person,
    process_questionnaire,
    respond,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(engagement, catalogue):
    incident = process_questionnaire(engagement, "incident", "incident management")
    spring = campaign(engagement)
    ann, bob, cat = person(engagement, "Ann"), person(engagement, "Bob"), person(engagement, "Cat")
    respond(
        spring,
        ann,
        incident,
        {**FULL_ANSWERS, "procedure-exists": "no", "definition": "Fixing <script>things</script>"},
        flags={"definition": "Scope unclear: which services?", "inputs": "Ask about monitoring"},
    )
    respond(spring, bob, incident, {"definition": "Restore service"}, status=ResponseStatus.IN_PROGRESS)
    respond(spring, cat, incident, {}, status=ResponseStatus.NOT_STARTED)
    return {"incident": incident, "campaign": spring, "ann": ann, "bob": bob, "cat": cat}


def test_the_guide_starts_with_the_flagged_answers_then_gaps_then_noes(engagement, setup):
    guide = interview_guide(interview(engagement, attendees=[setup["ann"], setup["bob"]]))
    assert guide.subject == "Incident management"
    assert not guide.fallback
    assert guide.respondents == ["Ann", "Bob"]
    assert [q.question for q in guide.flagged] == [
        "How is incident management defined?",
        "What does incident management receive?",
    ]
    first = guide.flagged[0].answers[0]
    assert (first.person, first.answer, first.note) == (
        "Ann",
        "Fixing <script>things</script>",
        "Scope unclear: which services?",
    )
    assert (
        guide.flagged[1].answers[0].answer == "User calls (Comes from: Users)\nMonitoring alerts (Comes from: Zabbix)"
    )
    unanswered = {q.question: [a.person for a in q.answers] for q in guide.unanswered}
    assert unanswered["Upload the incident management procedure."] == ["Ann", "Bob"]
    assert unanswered["Who owns incident management?"] == ["Bob"]
    assert "How is incident management defined?" not in unanswered
    assert [q.question for q in guide.answered_no] == ["Is there a documented incident management procedure?"]
    digest = {q.question: [(a.person, a.answer, a.draft) for a in q.answers] for q in guide.digest}
    assert digest["How is incident management defined?"][1] == ("Bob", "Restore service", True)
    assert digest["Which processes does incident management exchange with?"] == [
        ("Ann", "Problem management, Change management", False)
    ]
    assert guide.flagged_count == 2
    assert guide.missing_count == sum(len(q.answers) for q in guide.unanswered)
    assert guide.first_items(2) == ["How is incident management defined?", "What does incident management receive?"]


def test_the_guide_falls_back_to_every_response_when_no_attendee_answered(engagement, setup):
    dan = person(engagement, "Dan")
    guide = interview_guide(interview(engagement, attendees=[dan]))
    assert guide.fallback is True
    assert guide.respondents == ["Ann", "Bob", "Cat"]
    assert guide.not_started == ["Cat"]
    assert guide.flagged


def test_the_guide_uses_only_the_attendees_answers(engagement, setup):
    guide = interview_guide(interview(engagement, attendees=[setup["bob"]]))
    assert guide.respondents == ["Bob"]
    assert guide.flagged == []
    assert all(a.person == "Bob" for q in guide.unanswered for a in q.answers)


def test_a_management_interview_uses_the_management_questionnaire(engagement, setup):
    management = management_questionnaire(engagement)
    respond(setup["campaign"], setup["ann"], management, {"objectives": "Win tenders", "org-chart": "no"})
    guide = interview_guide(interview(engagement, process_code="", attendees=[setup["ann"]]))
    assert guide.subject == "Management system"
    assert guide.questionnaires == ["Management system questionnaire"]
    assert [q.question for q in guide.answered_no] == ["Is there an up-to-date organization chart?"]
    assert [q.question for q in guide.unanswered] == ["Are internal audits carried out?"]


def test_open_follow_ups_of_earlier_interviews_on_the_process_come_along(engagement, setup):
    earlier = interview(engagement, title="First round", starts_at=timezone.now() - datetime.timedelta(days=10))
    FollowUp.objects.create(
        interview=earlier, text="Send the priority matrix", owner=setup["ann"], due_date=datetime.date(2030, 1, 1)
    )
    FollowUp.objects.create(interview=earlier, text="Already done", done=True)
    other_process = interview(engagement, process_code="change", starts_at=timezone.now() - datetime.timedelta(days=5))
    FollowUp.objects.create(interview=other_process, text="Not about incidents")
    current = interview(engagement, attendees=[setup["ann"]])
    FollowUp.objects.create(interview=current, text="Agreed today")
    guide = interview_guide(current)
    assert [(f.text, f.owner, f.interview) for f in guide.follow_ups] == [
        ("Send the priority matrix", "Ann", "First round")
    ]


def test_follow_up_needs_list_flagged_answers_and_processes_missing_many_answers(engagement, setup, owner):
    needs = follow_up_needs(engagement)
    assert [(r.person, r.question, r.note) for r in needs.flagged] == [
        ("Ann", "How is incident management defined?", "Scope unclear: which services?"),
        ("Ann", "What does incident management receive?", "Ask about monitoring"),
    ]
    assert parse_qs(needs.flagged[0].schedule) == {"process": ["incident"], "attendees": [str(setup["ann"].pk)]}
    [missing] = needs.missing
    assert missing.process_code == "incident"
    assert missing.subject == "Incident management"
    assert missing.expected == 2 * 15
    assert missing.missing > 10
    assert missing.people == ["Ann", "Bob"]
    assert parse_qs(missing.schedule)["attendees"] == [f"{setup['ann'].pk},{setup['bob'].pk}"]


def test_many_missing_needs_a_share_and_a_minimum():
    assert many_missing(5, 10)
    assert not many_missing(1, 2)
    assert not many_missing(2, 100)
    assert not many_missing(0, 0)


def test_the_list_splits_upcoming_and_past_with_open_follow_up_counts(engagement, setup):
    past = interview(engagement, title="Past", starts_at=timezone.now() - datetime.timedelta(days=3))
    FollowUp.objects.create(interview=past, text="Open")
    FollowUp.objects.create(interview=past, text="Closed", done=True)
    interview(engagement, title="Soon", process_code="", attendees=[setup["ann"]])
    upcoming, done = interview_rows(engagement)
    assert [i.title for i in upcoming] == ["Soon"]
    assert upcoming[0].subject == "Management system"
    assert [i.title for i in done] == ["Past"]
    assert done[0].open_follow_ups == 1


def _many(engagement, setup, n):
    spring = campaign(engagement, name=f"Round {n}")
    people = []
    for i in range(n):
        someone = person(engagement, f"P{n}-{i}")
        respond(
            spring,
            someone,
            setup["incident"],
            {"definition": "x", "inputs": [{"item": "a", "source": "b"}]},
            flags={"definition": "?"},
        )
        people.append(someone)
        planned = interview(engagement, title=f"I{n}-{i}", attendees=[someone])
        FollowUp.objects.create(interview=planned, text="t", owner=someone)
    return people


def test_reads_do_not_grow_with_respondents(engagement, setup):
    people = _many(engagement, setup, 2)
    target = interview(engagement, attendees=people)
    with CaptureQueriesContext(connection) as small:
        follow_up_needs(engagement)
        interview_rows(engagement)
        interview_guide(target)
    people += _many(engagement, setup, 58)
    target.attendees.set(people)
    with CaptureQueriesContext(connection) as large:
        needs = follow_up_needs(engagement)
        interview_rows(engagement)
        guide = interview_guide(target)
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(needs.flagged) > 60
    assert len(guide.respondents) == 60


@pytest.mark.parametrize(
    ("now", "day"),
    [
        (datetime.datetime(2031, 4, 7, 16, 30, tzinfo=datetime.UTC), datetime.date(2031, 4, 8)),  # Mon -> Tue
        (datetime.datetime(2031, 4, 11, 9, 0, tzinfo=datetime.UTC), datetime.date(2031, 4, 14)),  # Fri -> Mon
        (datetime.datetime(2031, 4, 12, 9, 0, tzinfo=datetime.UTC), datetime.date(2031, 4, 14)),  # Sat -> Mon
        (datetime.datetime(2031, 4, 13, 23, 59, tzinfo=datetime.UTC), datetime.date(2031, 4, 14)),  # Sun -> Mon
    ],
)
def test_a_new_interview_is_proposed_for_the_next_working_morning(now, day):
    proposed = next_working_morning(now)
    assert (proposed.date(), proposed.time(), proposed.tzinfo) == (day, datetime.time(10, 0), None)
