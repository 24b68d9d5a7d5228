"""API for interviews, follow-ups, the guide and the current state, through the project's API."""

from __future__ import annotations

import datetime

import pytest

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

PREFIX = "/api/v1/engagements"

pytestmark = pytest.mark.django_db


def auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def ann(engagement, catalogue):
    incident = process_questionnaire(engagement, "incident", "incident management")
    who = person(engagement, "Ann")
    respond(campaign(engagement), who, incident, FULL_ANSWERS, flags={"definition": "Scope?"})
    return who


@pytest.fixture
def token(owner, api_token):
    return api_token(owner)


def test_create_list_get_patch_and_delete_an_interview(client, engagement, ann, owner, token):
    base = f"{PREFIX}/{engagement.pk}/interviews"
    created = client.post(
        base,
        {
            "process_code": "incident",
            "starts_at": "2030-05-06T10:00:00Z",
            "duration_minutes": 45,
            "attendee_ids": [ann.pk],
            "interviewer_id": owner.pk,
            "call_link": "https://meet.example/x",
        },
        content_type="application/json",
        **auth(token),
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["title"] == "Interview: Incident management"
    assert body["attendees"] == [{"id": ann.pk, "name": "Ann", "email": ann.email}]
    assert body["ends_at"].startswith("2030-05-06T10:45")
    assert body["version"] == 1
    iid = body["id"]
    assert [i["id"] for i in client.get(base, **auth(token)).json()] == [iid]
    assert client.get(f"{base}/{iid}", **auth(token)).json()["interviewer_id"] == owner.pk
    patched = client.patch(
        f"{base}/{iid}",
        {"version": 1, "status": "held", "minutes": "Done."},
        content_type="application/json",
        **auth(token),
    )
    assert patched.status_code == 200
    assert patched.json()["status"] == "held"
    assert patched.json()["version"] == 2
    stale = client.patch(
        f"{base}/{iid}", {"version": 1, "title": "Lost"}, content_type="application/json", **auth(token)
    )
    assert stale.status_code == 409
    assert "Someone else changed this" in stale.json()["detail"]
    assert client.delete(f"{base}/{iid}", **auth(token)).status_code == 204
    assert not Interview.objects.exists()


def test_invalid_input_is_refused_with_the_field(client, engagement, ann, outsider, token):
    base = f"{PREFIX}/{engagement.pk}/interviews"
    foreign = person(outsider.memberships.get().engagement, "Foreign")
    bad_link = client.post(
        base,
        {"starts_at": "2030-05-06T10:00:00Z", "call_link": "javascript:alert(1)"},
        content_type="application/json",
        **auth(token),
    )
    assert bad_link.status_code == 400
    assert bad_link.json()["field"] == "call_link"
    foreign_attendee = client.post(
        base,
        {"starts_at": "2030-05-06T10:00:00Z", "attendee_ids": [foreign.pk]},
        content_type="application/json",
        **auth(token),
    )
    assert foreign_attendee.status_code == 400
    assert foreign_attendee.json()["field"] == "attendee_ids"
    short = client.post(
        base,
        {"starts_at": "2030-05-06T10:00:00Z", "duration_minutes": 2},
        content_type="application/json",
        **auth(token),
    )
    assert short.status_code == 422
    no_start = client.post(base, {"title": "x"}, content_type="application/json", **auth(token))
    assert no_start.status_code == 422
    assert not Interview.objects.exists()


def test_follow_ups_and_the_guide(client, engagement, ann, token):
    planned = interview(engagement, attendees=[ann])
    base = f"{PREFIX}/{engagement.pk}/interviews/{planned.pk}"
    added = client.post(
        f"{base}/follow-ups",
        {"text": "Send matrix", "owner_id": ann.pk, "due_date": "2030-01-31"},
        content_type="application/json",
        **auth(token),
    )
    assert added.status_code == 201
    assert added.json()["owner"] == "Ann"
    assert added.json()["done"] is False
    assert [f["text"] for f in client.get(f"{base}/follow-ups", **auth(token)).json()] == ["Send matrix"]
    guide = client.get(f"{base}/guide", **auth(token))
    assert guide.status_code == 200
    data = guide.json()
    assert data["subject"] == "Incident management"
    assert data["flagged_count"] == 1
    assert data["flagged"][0]["question"] == "How is incident management defined?"
    assert data["flagged"][0]["answers"][0]["note"] == "Scope?"


def test_the_state_of_every_process_and_of_one(client, engagement, ann, token):
    response = client.get(f"{PREFIX}/{engagement.pk}/state", **auth(token))
    assert response.status_code == 200
    body = response.json()
    assert len(body["processes"]) == 13
    incident = next(p for p in body["processes"] if p["code"] == "incident")
    assert incident["counts"]["inputs"] == 2
    assert incident["responses"]["submitted"] == 1
    assert {(r["source"], r["target"]) for r in body["relations"]} == {("incident", "problem"), ("incident", "change")}
    one = client.get(f"{PREFIX}/{engagement.pk}/state/incident", **auth(token))
    assert one.status_code == 200
    assert one.json()["name"] == "Incident management"
    assert one.json()["topics"][0]["topic"] == "definition"
    assert client.get(f"{PREFIX}/{engagement.pk}/state/astrology", **auth(token)).status_code == 404


def test_viewers_read_but_cannot_write(client, engagement, ann, api_token):
    viewer = UserFactory(username="vera")
    Membership.objects.create(engagement=engagement, user=viewer, role=Role.VIEWER)
    token = api_token(viewer)
    planned = interview(engagement)
    base = f"{PREFIX}/{engagement.pk}/interviews"
    assert client.get(base, **auth(token)).status_code == 200
    assert (
        client.post(
            base, {"starts_at": "2030-05-06T10:00:00Z"}, content_type="application/json", **auth(token)
        ).status_code
        == 403
    )
    assert client.delete(f"{base}/{planned.pk}", **auth(token)).status_code == 403
    assert (
        client.post(
            f"{base}/{planned.pk}/follow-ups", {"text": "x"}, content_type="application/json", **auth(token)
        ).status_code
        == 403
    )


def test_outsiders_get_404_everywhere(client, engagement, ann, outsider, api_token):
    token = api_token(outsider)
    planned = interview(engagement, attendees=[ann])
    FollowUp.objects.create(interview=planned, text="x")
    base = f"{PREFIX}/{engagement.pk}"
    for url in (
        f"{base}/interviews",
        f"{base}/interviews/{planned.pk}",
        f"{base}/interviews/{planned.pk}/follow-ups",
        f"{base}/interviews/{planned.pk}/guide",
        f"{base}/state",
        f"{base}/state/incident",
    ):
        assert client.get(url, **auth(token)).status_code == 404, url
    assert (
        client.post(
            f"{base}/interviews", {"starts_at": "2030-05-06T10:00:00Z"}, content_type="application/json", **auth(token)
        ).status_code
        == 404
    )
    assert (
        client.patch(
            f"{base}/interviews/{planned.pk}",
            {"version": 1, "title": "x"},
            content_type="application/json",
            **auth(token),
        ).status_code
        == 404
    )
    assert client.delete(f"{base}/interviews/{planned.pk}", **auth(token)).status_code == 404
    assert (
        client.post(
            f"{base}/interviews/{planned.pk}/follow-ups", {"text": "x"}, content_type="application/json", **auth(token)
        ).status_code
        == 404
    )
    assert Interview.objects.filter(pk=planned.pk, title="Incident management interview").exists()


def test_an_interview_of_another_engagement_is_404_through_mine(client, engagement, outsider, owner, token):
    foreign = interview(outsider.memberships.get().engagement)
    assert client.get(f"{PREFIX}/{engagement.pk}/interviews/{foreign.pk}", **auth(token)).status_code == 404
    assert client.delete(f"{PREFIX}/{engagement.pk}/interviews/{foreign.pk}", **auth(token)).status_code == 404


def test_requests_without_a_token_get_401(client, engagement):
    assert client.get(f"{PREFIX}/{engagement.pk}/interviews").status_code == 401


def test_dates_round_trip_in_utc(client, engagement, ann, token):
    created = client.post(
        f"{PREFIX}/{engagement.pk}/interviews",
        {"starts_at": "2030-05-06T12:00:00+02:00"},
        content_type="application/json",
        **auth(token),
    )
    assert created.status_code == 201
    assert Interview.objects.get().starts_at == datetime.datetime(2030, 5, 6, 10, 0, tzinfo=datetime.UTC)
