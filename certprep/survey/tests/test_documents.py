"""The interview guide (.docx) and the calendar invitation (.ics), read back with independent readers."""

from __future__ import annotations

import datetime
import io

import docx
import pytest
from icalendar import Calendar

from certprep.survey.documents import guide_docx, interview_ics
from certprep.survey.selectors.interviews import interview_guide
from certprep.survey.tests.interview_world import (
    FULL_ANSWERS,
    campaign,
    interview,
    person,
    process_questionnaire,
    respond,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(engagement, owner, catalogue):
    incident = process_questionnaire(engagement, "incident", "incident management")
    ann = person(engagement, "Ann <script>alert(1)</script>", email="ann@client-a.example")
    nomail = person(engagement, "No Mail", email="")
    respond(
        campaign(engagement),
        ann,
        incident,
        {**FULL_ANSWERS, "definition": "We fix <script>alert('x')</script> things"},
        flags={"definition": "Scope <b>unclear</b>"},
    )
    return interview(
        engagement,
        title="Incident interview",
        attendees=[ann, nomail],
        interviewer=owner,
        starts_at=datetime.datetime(2030, 3, 4, 9, 30, tzinfo=datetime.UTC),
        duration_minutes=90,
        location="Room 4.12",
        call_link="https://meet.example/abc",
    )


def _text(document):
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_the_guide_docx_has_the_details_the_parts_and_the_flagged_question(planned):
    document = docx.Document(io.BytesIO(guide_docx(interview_guide(planned))))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == "Incident interview"
    assert "1. Answers to discuss" in headings
    assert "2. Questions left unanswered" in headings
    assert "4. Current answers" in headings
    assert "5. Open follow-ups of earlier interviews" in headings
    text = _text(document)
    assert "1. How is incident management defined?" in text
    assert "We fix <script>alert('x')</script> things" in text  # user text appears literally
    assert "To discuss: Scope <b>unclear</b>" in text
    meta = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert meta["Place"] == "Room 4.12"
    assert meta["Call link"] == "https://meet.example/abc"
    assert meta["Attendees"] == "Ann <script>alert(1)</script>, No Mail"
    assert "2030" in meta["Date"]


def test_the_invitation_is_one_request_event_with_attendees_and_sequence(planned, owner):
    guide = interview_guide(planned)
    calendar = Calendar.from_ical(interview_ics(guide, url="https://certprep.example/e/1/survey/interviews/1/"))
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"{planned.uid}@certprep"
    assert event["DTSTART"].dt == datetime.datetime(2030, 3, 4, 9, 30, tzinfo=datetime.UTC)
    assert event["DTEND"].dt == datetime.datetime(2030, 3, 4, 11, 0, tzinfo=datetime.UTC)
    assert event["DTSTAMP"].dt.tzinfo is not None
    assert str(event["SUMMARY"]) == "Incident interview"
    assert str(event["LOCATION"]) == "Room 4.12"
    assert str(event["URL"]) == "https://meet.example/abc"
    assert int(event["SEQUENCE"]) == planned.version
    description = str(event["DESCRIPTION"])
    assert "Answers to discuss: 1." in description
    assert "How is incident management defined?" in description
    attendees = event["ATTENDEE"] if isinstance(event["ATTENDEE"], list) else [event["ATTENDEE"]]
    assert [str(a) for a in attendees] == ["mailto:ann@client-a.example"]
    assert attendees[0].params["CN"] == "Ann <script>alert(1)</script>"
    assert str(event["ORGANIZER"]) == f"mailto:{owner.email}"


def test_an_online_interview_uses_the_call_link_as_location_and_a_change_raises_the_sequence(planned):
    planned.location = ""
    planned.version = 3
    [event] = Calendar.from_ical(interview_ics(interview_guide(planned))).walk("VEVENT")
    assert str(event["LOCATION"]) == "https://meet.example/abc"
    assert int(event["SEQUENCE"]) == 3


def test_a_cancelled_interview_is_sent_as_a_cancellation(planned):
    planned.status = "cancelled"
    calendar = Calendar.from_ical(interview_ics(interview_guide(planned)))
    assert calendar["METHOD"] == "CANCEL"
    assert str(calendar.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"


def test_without_an_interviewer_e_mail_there_is_no_organizer(planned):
    planned.interviewer = None
    [event] = Calendar.from_ical(interview_ics(interview_guide(planned))).walk("VEVENT")
    assert "ORGANIZER" not in event
