"""Interview pages: the list with what needs a follow-up, scheduling, editing with the version check,
follow-ups, downloads, and access (viewers read, outsiders get 404)."""

from __future__ import annotations

import datetime
import io
import re

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from certprep.engagements.choices import Role
from certprep.engagements.models import Membership
from certprep.engagements.tests.factories import UserFactory
from certprep.survey.models import FollowUp, Interview
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
def ann(engagement, catalogue):
    incident = process_questionnaire(engagement, "incident", "incident management")
    who = person(engagement, "Ann Lee")
    respond(
        campaign(engagement), who, incident, FULL_ANSWERS, flags={"definition": "Is <i>major</i> incident covered?"}
    )
    return who


@pytest.fixture
def planned(engagement, ann):
    return interview(engagement, attendees=[ann])


@pytest.fixture
def viewer_client(client, engagement):
    user = UserFactory(username="vera")
    Membership.objects.create(engagement=engagement, user=user, role=Role.VIEWER)
    client.force_login(user)
    return client


def _url(name, engagement, *args):
    return reverse(f"survey:{name}", args=[engagement.pk, *args])


def test_the_list_shows_interviews_and_what_needs_a_face_to_face_follow_up(owner_client, engagement, planned, ann):
    response = owner_client.get(_url("interviews", engagement))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Needs a face-to-face follow-up" in page
    assert "Is &lt;i&gt;major&lt;/i&gt; incident covered?" in page
    assert "<i>major</i>" not in page
    # Ann's flagged answer already has its interview: the panel links it instead of offering to schedule one.
    assert _url("interview", engagement, planned.pk) in page
    assert f"?process=incident&amp;attendees={ann.pk}" not in page
    assert "Incident management interview" in page
    assert _url("interview_new", engagement) in page


def test_the_list_query_count_does_not_grow_with_interviews(owner_client, engagement, ann):
    def add(n):
        for i in range(n):
            created = interview(engagement, title=f"Round {n}-{i}", attendees=[ann])
            FollowUp.objects.create(interview=created, text="Call back", owner=ann)

    add(2)
    with CaptureQueriesContext(connection) as small:
        owner_client.get(_url("interviews", engagement))
    add(30)
    with CaptureQueriesContext(connection) as large:
        response = owner_client.get(_url("interviews", engagement))
    assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_new_form_is_pre_filled_from_the_query(owner_client, engagement, ann, outsider):
    foreign = person(outsider.memberships.get().engagement, "Foreign")
    response = owner_client.get(
        _url("interview_new", engagement) + f"?process=incident&attendees={ann.pk},{foreign.pk}"
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["process_code"] == "incident"
    assert form.initial["attendees"] == [ann.pk]
    page = response.content.decode()
    assert re.search(rf'<input[^>]*value="{ann.pk}"[^>]*checked', page)
    assert re.search(r'<option value="incident" selected>', page)
    assert "Foreign" not in page


def test_an_interview_on_a_process_invites_the_people_who_run_it_by_default(owner_client, engagement, catalogue):
    from certprep.survey.tests.factories import person as holder

    owner = holder(engagement, "Olga Owner", pairs=[("process_owner", "incident")])
    coordinator = holder(engagement, "Carl Coordinator", pairs=[("process_coordinator", "incident")])
    holder(engagement, "Eve Executor", pairs=[("process_executor", "incident")])
    holder(engagement, "Chang Owner", pairs=[("process_owner", "change")])
    response = owner_client.get(_url("interview_new", engagement) + "?process=incident")
    assert sorted(response.context["form"].initial["attendees"]) == sorted([owner.pk, coordinator.pk])
    chosen = owner_client.get(_url("interview_new", engagement) + f"?process=incident&attendees={owner.pk}")
    assert chosen.context["form"].initial["attendees"] == [owner.pk]


def test_scheduling_creates_the_interview_and_keeps_the_input_on_errors(owner_client, engagement, ann, owner):
    url = _url("interview_new", engagement)
    bad = owner_client.post(
        url,
        {
            "title": "Kick-off",
            "process_code": "incident",
            "starts_at": "",
            "duration_minutes": "3",
            "call_link": "javascript:alert(1)",
            "attendees": [ann.pk],
        },
    )
    assert bad.status_code == 200
    assert not Interview.objects.exists()
    assert 'value="Kick-off"' in bad.content.decode()
    assert set(bad.context["form"].errors) >= {"starts_at", "duration_minutes", "call_link"}
    ok = owner_client.post(
        url,
        {
            "title": "",
            "process_code": "incident",
            "starts_at": "2030-05-06T10:00",
            "duration_minutes": "45",
            "location": "Room 2",
            "call_link": "https://meet.example/x",
            "attendees": [ann.pk],
            "interviewer": owner.pk,
        },
    )
    created = Interview.objects.get()
    assert ok.status_code == 302
    assert ok["Location"] == _url("interview", engagement, created.pk)
    assert created.title == "Interview: Incident management"
    assert created.duration_minutes == 45
    assert list(created.attendees.all()) == [ann]
    assert timezone.localtime(created.starts_at).hour == 10


def test_the_interview_page_shows_the_guide_and_saves_with_a_version_check(owner_client, engagement, planned):
    url = _url("interview", engagement, planned.pk)
    page = owner_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Interview guide" in html
    assert "1. Answers to discuss" in html
    assert "How is incident management defined?" in html
    assert "Is &lt;i&gt;major&lt;/i&gt; incident covered?" in html
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data["starts_at"] = timezone.localtime(planned.starts_at).strftime("%Y-%m-%dT%H:%M")
    data["attendees"] = [p.pk for p in planned.attendees.all()]
    data["interviewer"] = ""
    data.update(status="held", minutes="Agreed to write the procedure.")
    saved = owner_client.post(url, data)
    assert saved.status_code == 302
    planned.refresh_from_db()
    assert planned.status == "held"
    assert planned.version == 2
    stale = owner_client.post(url, {**data, "minutes": "Overwritten?"})
    assert stale.status_code == 200
    assert "Someone else changed this" in stale.content.decode()
    assert "Overwritten?" in stale.content.decode()  # what was typed is kept
    planned.refresh_from_db()
    assert planned.minutes == "Agreed to write the procedure."


def test_follow_ups_are_added_toggled_and_deleted(owner_client, engagement, planned, ann):
    add = owner_client.post(
        _url("followup_add", engagement, planned.pk),
        {"text": "Send <b>matrix</b>", "owner": ann.pk, "due_date": "2030-01-31"},
    )
    assert add.status_code == 302
    follow_up = FollowUp.objects.get()
    assert follow_up.owner == ann
    assert follow_up.due_date == datetime.date(2030, 1, 31)
    fragment = owner_client.post(_url("followup_toggle", engagement, follow_up.pk), HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert 'id="follow-ups"' in fragment.content.decode()
    assert "Send &lt;b&gt;matrix&lt;/b&gt;" in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.done is True
    empty = owner_client.post(_url("followup_add", engagement, planned.pk), {"text": ""}, HTTP_HX_REQUEST="true")
    assert empty.status_code == 200
    assert "This field is required" in empty.content.decode()
    assert owner_client.post(_url("followup_delete", engagement, follow_up.pk)).status_code == 302
    assert not FollowUp.objects.exists()


def test_deleting_an_interview(owner_client, engagement, planned):
    response = owner_client.post(_url("interview_delete", engagement, planned.pk))
    assert response.status_code == 302
    assert response["Location"] == _url("interviews", engagement)
    assert not Interview.objects.exists()


def test_the_guide_downloads_as_docx(owner_client, engagement, planned):
    response = owner_client.get(_url("interview_guide", engagement, planned.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert 'filename="interview-' in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment")
    document = docx.Document(io.BytesIO(response.content))
    assert any(p.text == "1. Answers to discuss" for p in document.paragraphs)
    assert any("How is incident management defined?" in p.text for p in document.paragraphs)


def test_the_invitation_downloads_as_ics(owner_client, engagement, planned):
    response = owner_client.get(_url("interview_ics", engagement, planned.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment")
    assert ".ics" in response["Content-Disposition"]
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["UID"]) == f"{planned.uid}@certprep"
    assert "/survey/interviews/" in str(event["DESCRIPTION"])


def test_viewers_read_but_cannot_change(viewer_client, engagement, planned):
    assert viewer_client.get(_url("interviews", engagement)).status_code == 200
    page = viewer_client.get(_url("interview", engagement, planned.pk))
    assert page.status_code == 200
    assert page.context["form"] is None
    assert "read-only" in page.content.decode()
    assert viewer_client.get(_url("interview_guide", engagement, planned.pk)).status_code == 200
    assert viewer_client.get(_url("interview_new", engagement)).status_code == 403
    assert viewer_client.post(_url("interview", engagement, planned.pk), {"title": "x"}).status_code == 403
    assert viewer_client.post(_url("interview_delete", engagement, planned.pk)).status_code == 403
    assert viewer_client.post(_url("followup_add", engagement, planned.pk), {"text": "x"}).status_code == 403
    assert Interview.objects.filter(pk=planned.pk).exists()
    assert not FollowUp.objects.exists()


def test_outsiders_get_404_everywhere(outsider_client, engagement, planned):
    follow_up = FollowUp.objects.create(interview=planned, text="Call back")
    gets = [
        _url("interviews", engagement),
        _url("interview_new", engagement),
        _url("interview", engagement, planned.pk),
        _url("interview_guide", engagement, planned.pk),
        _url("interview_ics", engagement, planned.pk),
    ]
    for url in gets:
        assert outsider_client.get(url).status_code == 404, url
    posts = [
        _url("interview", engagement, planned.pk),
        _url("interview_delete", engagement, planned.pk),
        _url("followup_add", engagement, planned.pk),
        _url("followup_toggle", engagement, follow_up.pk),
        _url("followup_delete", engagement, follow_up.pk),
    ]
    for url in posts:
        assert outsider_client.post(url, {"text": "x"}).status_code == 404, url
    assert Interview.objects.filter(pk=planned.pk).exists()
    assert FollowUp.objects.filter(pk=follow_up.pk, done=False).exists()


def test_an_interview_of_another_engagement_is_404_inside_mine(owner_client, engagement, outsider):
    other = outsider.memberships.get().engagement
    foreign = interview(other)
    foreign_follow_up = FollowUp.objects.create(interview=foreign, text="x")
    assert owner_client.get(_url("interview", engagement, foreign.pk)).status_code == 404
    assert owner_client.get(_url("interview_ics", engagement, foreign.pk)).status_code == 404
    assert owner_client.post(_url("followup_toggle", engagement, foreign_follow_up.pk)).status_code == 404
    assert owner_client.post(_url("interview_delete", engagement, foreign.pk)).status_code == 404


def test_two_mark_done_clicks_from_the_same_page_leave_the_follow_up_done(owner_client, engagement, catalogue):
    from django.utils import timezone

    from certprep.survey.models import FollowUp, Interview

    interview = Interview.objects.create(
        engagement=engagement, title="I", process_code="incident", starts_at=timezone.now()
    )
    follow_up = FollowUp.objects.create(interview=interview, text="Send the escalation matrix")
    url = _url("followup_toggle", engagement, follow_up.pk)
    owner_client.post(url, {"done": "1"})
    owner_client.post(url, {"done": "1"})  # a second editor, same page loaded before the first click
    follow_up.refresh_from_db()
    assert follow_up.done
