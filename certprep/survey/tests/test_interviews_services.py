"""Scheduling interviews and recording follow-ups: validation, versioned edits and the audit trail."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from certprep.core.errors import ConflictError, ServiceError
from certprep.core.models import AuditEntry
from certprep.engagements.tests.factories import UserFactory
from certprep.survey.models import FollowUp, Interview
from certprep.survey.services import interviews as services
from certprep.survey.tests.interview_world import person

pytestmark = pytest.mark.django_db


def _data(**overrides):
    data = {
        "title": "Incident interview",
        "process_code": "incident",
        "starts_at": timezone.now() + datetime.timedelta(days=2),
        "duration_minutes": 60,
        "location": "Room 1",
        "call_link": "",
        "attendees": [],
        "interviewer": None,
    }
    data.update(overrides)
    return data


def test_an_interview_is_scheduled_with_its_attendees_and_audited(engagement, owner, catalogue):
    ann = person(engagement, "Ann")
    interview = services.interview_create(
        engagement=engagement,
        actor=owner,
        data=_data(attendees=[ann], interviewer=owner, call_link="https://meet.example/abc"),
    )
    assert list(interview.attendees.all()) == [ann]
    assert interview.status == "planned"
    assert interview.version == 1
    assert interview.interviewer == owner
    entry = AuditEntry.objects.filter(object_type="survey.interview").get()
    assert entry.action == "create"
    assert entry.changes["attendees"] == [None, ["Ann"]]


def test_the_title_defaults_to_the_process(engagement, owner, catalogue):
    interview = services.interview_create(engagement=engagement, actor=owner, data=_data(title=""))
    assert interview.title == "Interview: Incident management"
    management = services.interview_create(engagement=engagement, actor=owner, data=_data(title=" ", process_code=""))
    assert management.title == "Interview: Management system"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"starts_at": None}, "starts_at"),
        ({"duration_minutes": 4}, "duration_minutes"),
        ({"duration_minutes": 601}, "duration_minutes"),
        ({"call_link": "javascript:alert(1)"}, "call_link"),
        ({"call_link": "ftp://files.example/x"}, "call_link"),
        ({"process_code": "astrology"}, "process_code"),
        ({"status": "postponed"}, "status"),
        ({"title": "x" * 201}, "title"),
        ({"starts_at": datetime.datetime(9999, 12, 31, 23, 0, tzinfo=datetime.UTC)}, "starts_at"),
        ({"attendees": [10**30]}, "attendees"),
        ({"attendees": ["abc"]}, "attendees"),
        ({"interviewer": 10**30}, "interviewer"),
    ],
)
def test_it_refuses_invalid_interviews(engagement, owner, catalogue, overrides, field):
    with pytest.raises(ServiceError) as error:
        services.interview_create(engagement=engagement, actor=owner, data=_data(**overrides))
    assert error.value.field == field
    assert not Interview.objects.exists()


def test_it_rejects_attendees_and_interviewers_of_another_engagement(engagement, owner, outsider, catalogue):
    foreign = person(outsider.memberships.get().engagement, "Foreign")
    with pytest.raises(ServiceError) as error:
        services.interview_create(engagement=engagement, actor=owner, data=_data(attendees=[foreign]))
    assert error.value.field == "attendees"
    with pytest.raises(ServiceError):
        services.interview_create(engagement=engagement, actor=owner, data=_data(attendees=[foreign.pk]))
    with pytest.raises(ServiceError) as error:
        services.interview_create(engagement=engagement, actor=owner, data=_data(interviewer=outsider))
    assert error.value.field == "interviewer"
    with pytest.raises(ServiceError):
        services.interview_create(engagement=engagement, actor=owner, data=_data(interviewer=UserFactory().pk))


def test_an_edit_bumps_the_version_and_a_stale_edit_is_refused(engagement, owner, catalogue):
    ann, bob = person(engagement, "Ann"), person(engagement, "Bob")
    interview = services.interview_create(engagement=engagement, actor=owner, data=_data(attendees=[ann]))
    services.interview_update(
        interview=interview, actor=owner, expected_version=1, data={"attendees": [ann, bob], "minutes": "Agreed."}
    )
    interview.refresh_from_db()
    assert interview.version == 2
    assert interview.minutes == "Agreed."
    assert {p.name for p in interview.attendees.all()} == {"Ann", "Bob"}
    change = AuditEntry.objects.filter(object_type="survey.interview", action="update").get()
    assert change.changes["attendees"] == [["Ann"], ["Ann", "Bob"]]
    stale = Interview.objects.get(pk=interview.pk)
    with pytest.raises(ConflictError):
        services.interview_update(interview=stale, actor=owner, expected_version=1, data={"title": "Lost"})
    interview.refresh_from_db()
    assert interview.title == "Incident interview"
    assert interview.version == 2


def test_an_edit_cannot_empty_the_title_or_start(engagement, owner, catalogue):
    interview = services.interview_create(engagement=engagement, actor=owner, data=_data())
    with pytest.raises(ServiceError):
        services.interview_update(interview=interview, actor=owner, expected_version=1, data={"title": ""})
    with pytest.raises(ServiceError):
        services.interview_update(interview=interview, actor=owner, expected_version=1, data={"starts_at": None})


def test_follow_ups_are_added_toggled_and_deleted_with_an_audit_trail(engagement, owner, outsider, catalogue):
    interview = services.interview_create(engagement=engagement, actor=owner, data=_data())
    ann = person(engagement, "Ann")
    follow_up = services.followup_add(
        interview=interview,
        actor=owner,
        text=" Send the escalation matrix ",
        owner=ann,
        due_date=datetime.date(2030, 1, 31),
    )
    assert follow_up.text == "Send the escalation matrix"
    assert follow_up.owner == ann
    assert services.followup_toggle(follow_up=follow_up, actor=owner).done is True
    assert services.followup_toggle(follow_up=follow_up, actor=owner).done is False
    services.followup_delete(follow_up=follow_up, actor=owner)
    assert not FollowUp.objects.exists()
    actions = list(
        AuditEntry.objects.filter(object_type="survey.followup").order_by("id").values_list("action", flat=True)
    )
    assert actions == ["create", "update", "update", "delete"]
    with pytest.raises(ServiceError):
        services.followup_add(interview=interview, actor=owner, text="  ")
    foreign = person(outsider.memberships.get().engagement, "Foreign")
    with pytest.raises(ServiceError) as error:
        services.followup_add(interview=interview, actor=owner, text="x", owner=foreign.pk)
    assert error.value.field == "owner"


def test_deleting_an_interview_removes_its_follow_ups_and_is_audited(engagement, owner, catalogue):
    interview = services.interview_create(engagement=engagement, actor=owner, data=_data())
    services.followup_add(interview=interview, actor=owner, text="Call back")
    services.interview_delete(interview=interview, actor=owner)
    assert not Interview.objects.exists()
    assert not FollowUp.objects.exists()
    assert AuditEntry.objects.filter(object_type="survey.interview", action="delete").exists()
