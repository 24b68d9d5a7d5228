"""API input is taken as the JSON it is: no number becomes a date, no text a number, no string or list an
object, no misspelt field is ignored, nothing a database cannot store gets through; and an id in a body
that names nothing of the engagement is refused as bad input naming the field (400), not as a missing page."""

from __future__ import annotations

import json

import pytest

from certprep.engagements.models import Engagement
from certprep.gaps.models import ImprovementTopic
from certprep.gaps.tests.world import gap_world
from certprep.responsibilities.models import MatrixRole
from certprep.responsibilities.services import matrix_from_template
from certprep.survey.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(client, owner, api_token):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(owner)}"}

    def send(method, path, body=None, *, raw=None):
        if method == "get":
            return client.get(f"/api/v1{path}", **headers)
        data = raw if raw is not None else json.dumps(body)
        return getattr(client, method)(f"/api/v1{path}", data, content_type="application/json", **headers)

    return send


def assert_error(response, status, field=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["detail"]
    assert body["field"] == field
    return body


def test_a_number_is_not_a_date(send, engagement):
    created = send("post", "/engagements", {"name": "Epoch", "organization_name": "Org", "target_stage1_date": 0})
    assert_error(created, 422, "target_stage1_date")
    assert not Engagement.objects.filter(name="Epoch").exists()
    changed = send("patch", f"/engagements/{engagement.pk}", {"version": engagement.version, "target_stage1_date": 0})
    assert_error(changed, 422, "target_stage1_date")
    engagement.refresh_from_db()
    assert engagement.target_stage1_date is None


def test_a_date_is_iso_text_and_a_moment_carries_its_offset(send, engagement):
    ok = send(
        "patch", f"/engagements/{engagement.pk}", {"version": engagement.version, "target_stage1_date": "2030-01-31"}
    )
    assert ok.status_code == 200
    assert ok.json()["target_stage1_date"] == "2030-01-31"
    for text in ("1700000000", "2030-01-31T00:00:00", "31.01.2030"):
        refused = send("patch", f"/engagements/{engagement.pk}", {"version": 2, "target_stage1_date": text})
        assert_error(refused, 422, "target_stage1_date")
    interviews = f"/engagements/{engagement.pk}/interviews"
    assert_error(send("post", interviews, {"starts_at": "2030-05-06T10:00:00"}), 422, "starts_at")
    assert send("post", interviews, {"starts_at": "2030-05-06T10:00:00+02:00"}).status_code == 201


def test_a_bare_string_is_no_topic(send, owner, engagement, catalogue):
    gap_world(engagement, owner)
    before = ImprovementTopic.objects.count()
    assert_error(send("post", f"/engagements/{engagement.pk}/gaps/topics", "AAA"), 422)
    assert_error(send("post", f"/engagements/{engagement.pk}/gaps/topics", ["AAA"]), 422)
    assert ImprovementTopic.objects.count() == before


def test_a_list_of_nulls_generates_no_topics(send, owner, engagement, catalogue):
    assessment = gap_world(engagement, owner)["assessment"]
    before = ImprovementTopic.objects.count()
    response = send(
        "post", f"/engagements/{engagement.pk}/gaps/assessments/{assessment.pk}/topics/generate", [None, None]
    )
    assert_error(response, 422)
    assert ImprovementTopic.objects.count() == before


def test_text_is_not_a_number_nor_a_number_a_flag(send, engagement):
    assert_error(send("patch", f"/engagements/{engagement.pk}", {"version": "1", "name": "Renamed"}), 422, "version")
    matrix = f"/engagements/{engagement.pk}/matrix/settings"
    assert_error(send("patch", matrix, {"version": 1, "rasci": 1}), 422, "rasci")
    engagement.refresh_from_db()
    assert engagement.name == "Client A preparation"


def test_a_whole_number_may_be_written_with_a_fraction(send, engagement):
    response = send("patch", f"/engagements/{engagement.pk}", {"version": 1.0, "name": "Renamed"})
    assert response.status_code == 200
    assert response.json()["name"] == "Renamed"
    assert send("patch", f"/engagements/{engagement.pk}", raw='{"version": 2e0, "name": "Again"}').status_code == 200
    # A number wider than any stored integer stays a number, however it is written; it is not an id.
    huge = send("patch", f"/engagements/{engagement.pk}", raw='{"version": 1e999999999, "name": "Huge"}')
    assert_error(huge, 422, "version")


def test_a_misspelt_field_is_refused_not_ignored(send):
    response = send("post", "/engagements", {"name": "Typo", "organisation_name": "Org", "organization_name": "Org"})
    assert_error(response, 422, "organisation_name")
    assert not Engagement.objects.filter(name="Typo").exists()


def test_what_no_database_stores_is_refused_as_input(send, engagement):
    assert_error(send("post", "/engagements", {"name": "A\x00B", "organization_name": "Org"}), 422, "name")
    holders = f"/engagements/{engagement.pk}/matrix/roles/1/holders"
    assert_error(send("post", holders, {"person_id": 2**64}), 422, "person_id")
    assert_error(send("get", f"/engagements/{engagement.pk}/people?q=a%00b"), 422, "q")


# --- ids in a body -------------------------------------------------------------------------------------------


def test_an_unknown_person_in_a_body_answers_400_naming_the_field(send, owner, engagement, outsider):
    matrix_from_template(engagement=engagement, actor=owner)
    role = MatrixRole.objects.filter(engagement=engagement).first()
    holders = f"/engagements/{engagement.pk}/matrix/roles/{role.pk}/holders"
    assert_error(send("post", holders, {"person_id": 987654321}), 400, "person_id")
    theirs = Person.objects.create(engagement=Engagement.objects.get(memberships__user=outsider), name="Theirs")
    assert_error(send("post", holders, {"person_id": theirs.pk}), 400, "person_id")


def test_an_unknown_owner_or_requirement_in_a_topic_answers_400_naming_the_field(send, owner, engagement, catalogue):
    gap_world(engagement, owner)
    topics = f"/engagements/{engagement.pk}/gaps/topics"
    assert_error(send("post", topics, {"title": "X", "owner_id": 987654321}), 400, "owner_id")
    body = assert_error(send("post", topics, {"title": "X", "rating_ids": [987654321]}), 400, "rating_ids")
    assert "987654321" in body["detail"]
    assert_error(send("post", f"{topics}/merge", {"topic_ids": [987654321, 987654322]}), 400, "topic_ids")


def test_an_unknown_attendee_of_an_interview_answers_400_naming_the_field(send, engagement):
    body = {"starts_at": "2030-05-06T10:00:00Z", "attendee_ids": [987654321]}
    assert_error(send("post", f"/engagements/{engagement.pk}/interviews", body), 400, "attendee_ids")
