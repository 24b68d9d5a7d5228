"""The gap-analysis API: settings, assessments, ratings with evidence and suggestions, improvement topics,
the documented-information checklist and the workbook; who may do what, stale versions, bad input, and
query counts that do not grow with the data."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from certprep.core.models import AuditEntry
from certprep.engagements import services as engagement_services
from certprep.engagements.tests.factories import EngagementFactory, UserFactory
from certprep.gaps.models import Assessment, DocumentItem, Evidence, ImprovementTopic, Rating
from certprep.gaps.services import assessments as assessment_services
from certprep.gaps.services import ratings as rating_services
from certprep.gaps.services import topics as topic_services
from certprep.survey.models import Person, Response
from certprep.survey.services import answers as answer_services
from certprep.survey.tests.factories import person, sent_campaign

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 64


def auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


class Api:
    def __init__(self, client, headers):
        self.client, self.headers = client, headers

    def get(self, path, **params):
        return self.client.get(path, params, **self.headers)

    def send(self, method, path, data=None):
        return getattr(self.client, method)(path, data or {}, content_type="application/json", **self.headers)

    def upload(self, path, data):
        return self.client.post(path, data, **self.headers)


@pytest.fixture
def api(client, owner, api_token):
    return Api(client, auth(api_token(owner)))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def base(engagement):
    return f"/api/v1/engagements/{engagement.pk}/gaps"


def field_refused(response):
    """The field a 400 names: an id in the body that names nothing of the engagement is bad input, not 404."""
    assert response.status_code == 400, response.content
    return response.json()["field"]


def create_assessment(engagement, owner, name="Baseline", **kw):
    return assessment_services.assessment_create(
        engagement=engagement, actor=owner, name=name, assessed_on=datetime.date(2025, 1, 15), **kw
    )


def use_scale(engagement, owner, scale):
    current = assessment_services.settings_for(engagement)
    assessment_services.settings_update(
        engagement=engagement,
        actor=owner,
        expected_version=current.version,
        scale=scale,
        default_target=3,
        sms_operating_since=None,
    )


@pytest.fixture
def assessment(engagement, owner, catalogue):
    """A compliance-scale baseline over ISO/IEC 20000-1:2018."""
    use_scale(engagement, owner, "compliance")
    return create_assessment(engagement, owner)


@pytest.fixture
def capability(engagement, owner, catalogue):
    """A capability-scale assessment."""
    use_scale(engagement, owner, "capability")
    return create_assessment(engagement, owner, name="Capability")


def rating(assessment, ref_id):
    return Rating.objects.select_related("assessment__engagement", "requirement").get(
        assessment=assessment, requirement__ref_id=ref_id
    )


def rate(actor, assessment, ref_id, **changes):
    found = rating(assessment, ref_id)
    return rating_services.rating_update(rating=found, actor=actor, expected_version=found.version, **changes)


def new_user(username: str) -> Any:
    return UserFactory(username=username)


def other_engagement(user: Any) -> Any:
    """An engagement `owner` is not a member of."""
    return EngagementFactory(owner=user, name="Client B preparation", organization_name="Client B Ltd")


def viewer_of(engagement, owner, username="vera"):
    user = new_user(username)
    engagement_services.member_add(engagement=engagement, actor=owner, user=user, role="viewer")
    return user


def maturity_answer(engagement, owner, value=2):
    """A sent incident campaign where Alice rated the maturity of incident management."""
    person(engagement, "Alice A", roles=["process_manager"], processes=["incident"])
    campaign, _tokens = sent_campaign(engagement, owner, keys=("process-incident",))
    response = Response.objects.select_related("respondent").get(respondent__campaign=campaign)
    question = response.questionnaire.questions.get(key="maturity")
    return answer_services.answer_save(
        respondent=response.respondent, response=response, question=question, raw=value, expected_version=None
    ).answer


# --- settings ------------------------------------------------------------------------------------------


def test_settings_are_read_and_replaced_with_the_version_you_read(api, engagement):
    url = f"{base(engagement)}/settings"
    assert api.get(url).json() == {
        "scale": "mixed",
        "default_target": 3,
        "sms_operating_since": None,
        "version": 1,
    }
    body = {"version": 1, "scale": "capability", "default_target": 4, "sms_operating_since": "2025-01-01"}
    saved = api.send("put", url, body)
    assert saved.status_code == 200
    assert saved.json() == {**body, "version": 2}
    stale = api.send("put", url, {**body, "default_target": 3})
    assert stale.status_code == 409
    assert "version 1" in stale.json()["detail"]
    too_high = api.send("put", url, {"version": 2, "scale": "compliance", "default_target": 4})
    assert too_high.status_code == 400
    assert too_high.json()["field"] == "default_target"
    future = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    ahead = api.send("put", url, {**body, "version": 2, "sms_operating_since": future})
    assert ahead.status_code == 400
    assert ahead.json()["field"] == "sms_operating_since"
    assert api.send("put", url, {**body, "version": 2, "scale": "stars"}).status_code == 422


# --- assessments ---------------------------------------------------------------------------------------


def test_assessments_are_created_listed_changed_and_deleted(api, engagement, owner, outsider, catalogue):
    url = f"{base(engagement)}/assessments"
    created = api.send("post", url, {"name": "  Baseline  2025 ", "assessed_on": "2025-01-15"})
    assert created.status_code == 201
    first = created.json()
    assert first["name"] == "Baseline 2025"
    assert first["kind"] == "baseline"
    assert first["scale"] == "mixed"
    assert first["status"] == "open"
    assert first["framework_urn"] == "urn:certprep:framework:iso-iec-20000-1-2018"
    assert first["requirements"] == Rating.objects.filter(assessment_id=first["id"]).count() > 40
    assert first["rated"] == 0
    assert first["created_by"] == "olivia"
    assert first["version"] == 1

    rate(owner, Assessment.objects.get(pk=first["id"]), "6.3", level=2, notes="Copied along")
    again = api.send("post", url, {"name": "Reassessment", "assessed_on": "2025-06-01", "based_on_id": first["id"]})
    assert again.status_code == 201
    second = again.json()
    assert second["kind"] == "reassessment"
    assert second["based_on_id"] == first["id"]
    assert second["rated"] == 1
    assert rating(Assessment.objects.get(pk=second["id"]), "6.3").notes == "Copied along"

    unknown = api.send("post", url, {"name": "X", "assessed_on": "2025-01-15", "framework_urn": "urn:nothing"})
    assert unknown.status_code == 400
    assert unknown.json()["field"] == "framework_urn"
    foreign = create_assessment(other_engagement(outsider), outsider, name="Theirs")
    based_on_foreign = api.send("post", url, {"name": "X", "assessed_on": "2025-01-15", "based_on_id": foreign.pk})
    assert based_on_foreign.status_code == 400
    assert based_on_foreign.json()["field"] == "based_on_id"
    target = api.send("post", url, {"name": "X", "assessed_on": "2025-01-15", "default_target": 5})
    assert target.status_code == 400
    assert target.json()["field"] == "default_target"
    assert api.send("post", url, {"name": "", "assessed_on": "2025-01-15"}).status_code == 422

    listed = api.get(url).json()
    assert [a["name"] for a in listed] == ["Baseline 2025", "Reassessment"]
    one = f"{url}/{first['id']}"
    assert api.get(one).json()["rated"] == 1

    closed = api.send("patch", one, {"version": 1, "name": "Baseline (final)", "status": "closed"})
    assert closed.status_code == 200
    assert closed.json()["name"] == "Baseline (final)"
    assert closed.json()["status"] == "closed"
    assert closed.json()["version"] == 2
    stale = api.send("patch", one, {"version": 1, "name": "Lost"})
    assert stale.status_code == 409
    assert "Someone else changed this" in stale.json()["detail"]
    assert Assessment.objects.get(pk=first["id"]).name == "Baseline (final)"
    assert api.send("patch", one, {"version": 2, "status": "archived"}).status_code == 422

    assert api.send("delete", one).status_code == 204
    assert api.get(one).status_code == 404
    assert not Rating.objects.filter(assessment_id=first["id"]).exists()
    assert AuditEntry.objects.filter(object_type="gaps.assessment", action="delete").exists()


def test_sync_adds_rows_for_requirements_the_assessment_lacks(api, engagement, assessment):
    rating(assessment, "8.6.1").delete()
    url = f"{base(engagement)}/assessments/{assessment.pk}/sync"
    assert api.send("post", url).json() == {"added": 1}
    assert api.send("post", url).json() == {"added": 0}
    assert Rating.objects.filter(assessment=assessment, requirement__ref_id="8.6.1").exists()


# --- ratings -------------------------------------------------------------------------------------------


def test_the_ratings_list_is_paginated_in_clause_order_with_each_rows_figures(api, engagement, owner, assessment):
    rate(owner, assessment, "8.6.1", level=1, documentation="missing", notes="Ad hoc only", owner=owner)
    Evidence.objects.create(rating=rating(assessment, "8.6.1"), kind="link", url="https://example.com", title="x")
    url = f"{base(engagement)}/assessments/{assessment.pk}/ratings"
    page = api.get(url, limit=5).json()
    total = assessment.ratings.count()
    assert page["count"] == total
    assert len(page["items"]) == 5
    assert [item["requirement"]["ref_id"] for item in page["items"]] == ["4.1", "4.2", "4.3", "4.4", "5.1"]
    assert len(api.get(url, limit=5, offset=total - 2).json()["items"]) == 2

    item = next(i for i in api.get(url, limit=200).json()["items"] if i["requirement"]["ref_id"] == "8.6.1")
    requirement = rating(assessment, "8.6.1").requirement
    assert item["requirement"] == {
        "id": requirement.pk,
        "ref_id": "8.6.1",
        "name": requirement.name,
        "weight": requirement.weight,
        "is_current": True,
    }
    assert item["level"] == 1
    assert item["target"] is None
    assert item["effective_target"] == 3
    assert item["gap"] == 2
    assert item["documentation"] == "missing"
    assert item["notes"] == "Ad hoc only"
    assert item["owner"] == {"id": owner.pk, "username": "olivia"}
    assert item["evidence_count"] == 1
    assert item["topic_count"] == 0
    assert item["priority_points"] == requirement.weight * 3
    assert item["priority"] == "high"
    assert item["processes"] == ["incident"]
    assert item["rated_at"]
    assert item["attributes"] == {}
    assert item["version"] == 2


def test_the_ratings_list_filters_like_the_screen(api, engagement, owner, assessment):
    rate(owner, assessment, "8.6.1", level=1, notes="Tickets pile up", owner=owner)
    rate(owner, assessment, "8.6.2", level=3)
    rate(owner, assessment, "4.1", documentation="missing")
    url = f"{base(engagement)}/assessments/{assessment.pk}/ratings"

    def refs(**params):
        response = api.get(url, limit=1000, **params)
        assert response.status_code == 200, response.json()
        return [item["requirement"]["ref_id"] for item in response.json()["items"]]

    assert refs(clause="8.6") == ["8.6.1", "8.6.2", "8.6.3"]
    assert refs(process="incident") == ["8.6.1", "8.6.2"]
    assert refs(rating="rated") == ["8.6.1", "8.6.2"]
    assert len(refs(rating="unrated")) == assessment.ratings.count() - 2
    assert refs(rating="gap") == ["4.1", "8.6.1"]
    assert refs(rating="met") == ["8.6.2"]
    assert refs(rating="3") == ["8.6.2"]
    assert refs(owner="me") == ["8.6.1"]
    assert refs(owner=str(owner.pk)) == ["8.6.1"]
    assert "8.6.1" not in refs(owner="none")
    assert refs(documentation="missing") == ["4.1"]
    assert "4.1" not in refs(documentation="unknown")
    assert refs(q="tickets pile") == ["8.6.1"]
    gaps = api.get(url, limit=1, rating="gap").json()
    assert gaps["count"] == 2
    assert len(gaps["items"]) == 1
    assert api.get(url, rating="7").status_code == 422
    assert api.get(url, owner="someone").status_code == 422
    assert api.get(url, limit=0).status_code == 422


def test_the_ratings_list_query_count_does_not_grow_with_the_ratings(api, engagement, owner, assessment):
    for n, found in enumerate(assessment.ratings.select_related("assessment__engagement", "requirement")):
        rating_services.rating_update(
            rating=found, actor=owner, expected_version=found.version, level=n % 4, owner=owner
        )
        if n % 3 == 0:
            Evidence.objects.create(rating=found, kind="link", url="https://example.com", title=f"e{n}")
    url = f"{base(engagement)}/assessments/{assessment.pk}/ratings"

    def queries(**params):
        with CaptureQueriesContext(connection) as ctx:
            response = api.get(url, **params)
        assert response.status_code == 200
        return len(ctx.captured_queries), len(response.json()["items"])

    api.get(f"{base(engagement)}/settings")  # warm up: the token records its last use on the first request
    small, few = queries(limit=3)
    large, many = queries(limit=1000)
    assert few == 3
    assert many == assessment.ratings.count()
    assert small == large <= 10
    gap_small, _n = queries(limit=3, rating="gap")
    gap_large, _n = queries(limit=1000, rating="gap")
    assert gap_small == gap_large


def test_a_compliance_rating_is_patched_with_the_version_you_read(api, engagement, owner, assessment):
    found = rating(assessment, "8.6.1")
    url = f"{base(engagement)}/ratings/{found.pk}"
    assert api.get(url).json()["version"] == 1
    saved = api.send(
        "patch",
        url,
        {"version": 1, "level": 2, "target": 3, "documentation": "draft", "notes": "Seen", "owner_id": owner.pk},
    )
    assert saved.status_code == 200
    body = saved.json()
    assert body["level"] == 2
    assert body["target"] == 3
    assert body["gap"] == 1
    assert body["documentation"] == "draft"
    assert body["owner"] == {"id": owner.pk, "username": "olivia"}
    assert body["version"] == 2
    assert body["rated_at"]

    stale = api.send("patch", url, {"version": 1, "level": 3})
    assert stale.status_code == 409
    assert "version 2" in stale.json()["detail"]
    assert Rating.objects.get(pk=found.pk).level == 2

    only_notes = api.send("patch", url, {"version": 2, "notes": "Still seen"})
    assert only_notes.json()["level"] == 2
    assert only_notes.json()["owner"] is not None
    cleared = api.send("patch", url, {"version": 3, "level": None, "target": None, "owner_id": None})
    body = cleared.json()
    assert body["level"] is None
    assert body["target"] is None
    assert body["owner"] is None
    assert body["notes"] == "Still seen"

    attributes = api.send("patch", url, {"version": 4, "attributes": {"1.1": "F"}})
    assert attributes.status_code == 400
    assert attributes.json()["field"] == "attributes"
    too_high = api.send("patch", url, {"version": 4, "level": 4})
    assert too_high.status_code == 400
    assert too_high.json()["field"] == "level"
    stranger = api.send("patch", url, {"version": 4, "owner_id": new_user("stranger").pk})
    assert stranger.status_code == 400
    assert stranger.json()["field"] == "owner_id"
    assert api.send("patch", url, {"version": 4, "documentation": "lost"}).status_code == 422
    assert api.send("patch", url, {"level": 1}).status_code == 422


def test_a_capability_rating_takes_attribute_ratings_and_derives_the_level(api, engagement, capability):
    found = rating(capability, "8.6.1")
    url = f"{base(engagement)}/ratings/{found.pk}"
    saved = api.send("patch", url, {"version": 1, "attributes": {"1.1": "F", "2.1": "L", "2.2": "l"}})
    assert saved.status_code == 200
    assert saved.json()["attributes"] == {"1.1": "F", "2.1": "L", "2.2": "L"}
    assert saved.json()["level"] == 2
    cleared = api.send("patch", url, {"version": 2, "attributes": {"2.1": ""}})
    assert cleared.json()["attributes"] == {"1.1": "F", "2.2": "L"}
    assert cleared.json()["level"] == 1
    typed = api.send("patch", url, {"version": 3, "level": 3})
    assert typed.status_code == 400
    assert typed.json()["field"] == "level"
    unknown = api.send("patch", url, {"version": 3, "attributes": {"9.9": "F"}})
    assert unknown.status_code == 400
    assert unknown.json()["field"] == "attributes"
    assert api.send("patch", url, {"version": 3, "attributes": {"1.1": "X"}}).status_code == 400


def test_a_closed_assessment_refuses_rating_changes(api, engagement, owner, assessment):
    assessment_services.assessment_update(assessment=assessment, actor=owner, expected_version=1, status="closed")
    found = rating(assessment, "8.6.1")
    refused = api.send("patch", f"{base(engagement)}/ratings/{found.pk}", {"version": 1, "level": 2})
    assert refused.status_code == 400
    assert "closed" in refused.json()["detail"]
    link = api.send("post", f"{base(engagement)}/ratings/{found.pk}/evidence/link", {"url": "https://example.com"})
    assert link.status_code == 400


# --- evidence ------------------------------------------------------------------------------------------


def test_links_and_survey_answers_are_added_as_evidence(api, engagement, owner, outsider, assessment):
    found = rating(assessment, "8.6.1")
    url = f"{base(engagement)}/ratings/{found.pk}/evidence"
    link = api.send("post", f"{url}/link", {"url": "https://intranet.example/incident", "title": "Procedure"})
    assert link.status_code == 201
    assert link.json()["kind"] == "link"
    assert link.json()["title"] == "Procedure"
    assert link.json()["added_by"] == "olivia"
    bad = api.send("post", f"{url}/link", {"url": "javascript:alert(1)"})
    assert bad.status_code == 400
    assert bad.json()["field"] == "url"

    answer = maturity_answer(engagement, owner)
    linked = api.send("post", f"{url}/answer", {"answer_id": answer.pk})
    assert linked.status_code == 201
    assert linked.json()["kind"] == "answer"
    assert linked.json()["answer_id"] == answer.pk
    assert linked.json()["title"].startswith("Alice A: ")
    twice = api.send("post", f"{url}/answer", {"answer_id": answer.pk})
    assert twice.status_code == 400
    assert twice.json()["field"] == "answer_id"
    theirs = maturity_answer(other_engagement(outsider), outsider)
    assert field_refused(api.send("post", f"{url}/answer", {"answer_id": theirs.pk})) == "answer_id"

    listed = api.get(url).json()
    assert [e["kind"] for e in listed] == ["link", "answer"]
    assert api.get(f"{base(engagement)}/ratings/{found.pk}").json()["evidence_count"] == 2
    assert api.get(f"{base(engagement)}/evidence/{listed[0]['id']}/download").status_code == 404
    assert api.send("delete", f"{base(engagement)}/evidence/{listed[0]['id']}").status_code == 204
    assert [e["kind"] for e in api.get(url).json()] == ["answer"]


def test_a_pdf_is_uploaded_and_downloaded_as_an_attachment(api, engagement, assessment, media):
    found = rating(assessment, "8.6.1")
    url = f"{base(engagement)}/ratings/{found.pk}/evidence/file"
    uploaded = api.upload(url, {"file": SimpleUploadedFile("procedure.pdf", PDF), "title": "Incident procedure"})
    assert uploaded.status_code == 201, uploaded.json()
    body = uploaded.json()
    assert body["kind"] == "file"
    assert body["file_name"] == "procedure.pdf"
    assert body["title"] == "Incident procedure"
    assert body["content_type"] == "application/pdf"
    assert body["size"] == len(PDF)
    assert len(body["sha256"]) == 64
    stored = Evidence.objects.get(pk=body["id"]).file.name
    assert "procedure" not in str(stored)

    download = api.get(f"{base(engagement)}/evidence/{body['id']}/download")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment")
    assert "procedure.pdf" in str(download["Content-Disposition"])
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "application/pdf"

    assert api.send("delete", f"{base(engagement)}/evidence/{body['id']}").status_code == 204
    assert not Evidence.objects.filter(pk=body["id"]).exists()


def test_a_renamed_program_is_refused_as_evidence(api, engagement, assessment, media):
    found = rating(assessment, "8.6.1")
    url = f"{base(engagement)}/ratings/{found.pk}/evidence/file"
    renamed = api.upload(url, {"file": SimpleUploadedFile("report.pdf", EXE)})
    assert renamed.status_code == 400
    assert "does not match" in renamed.json()["detail"]
    program = api.upload(url, {"file": SimpleUploadedFile("setup.exe", EXE)})
    assert program.status_code == 400
    assert "cannot be attached" in program.json()["detail"]
    assert api.upload(url, {"title": "no file"}).status_code == 422
    assert not Evidence.objects.exists()


# --- suggestions ---------------------------------------------------------------------------------------


def test_suggestions_from_survey_answers_are_listed_accepted_and_dismissed(api, engagement, owner, assessment):
    answer = maturity_answer(engagement, owner, value=2)
    first, second = rating(assessment, "8.6.1"), rating(assessment, "8.6.2")
    url = f"{base(engagement)}/ratings/{first.pk}/suggestions"
    listed = api.get(url).json()
    assert len(listed) == 1
    suggestion = listed[0]
    assert suggestion["field"] == "level"
    assert suggestion["value"] == 1
    assert suggestion["value_label"] == "Initial"
    assert suggestion["key"] == f"process-maturity:{answer.pk}"
    assert suggestion["reason"]
    assert suggestion["answer"]["id"] == answer.pk
    assert suggestion["answer"]["question_key"] == "maturity"
    assert suggestion["answer"]["respondent"] == "Alice A"
    assert suggestion["answer"]["value"] == 2
    assert suggestion["answer"]["question_text"]

    stale = api.send("post", f"{url}/accept", {"key": suggestion["key"], "version": 7})
    assert stale.status_code == 409
    accepted = api.send("post", f"{url}/accept", {"key": suggestion["key"], "version": 1})
    assert accepted.status_code == 200
    assert accepted.json()["level"] == 1
    assert accepted.json()["evidence_count"] == 1
    assert accepted.json()["version"] == 2
    assert api.get(url).json() == []
    again = api.send("post", f"{url}/accept", {"key": suggestion["key"], "version": 2})
    assert again.status_code == 400

    other = f"{base(engagement)}/ratings/{second.pk}/suggestions"
    assert len(api.get(other).json()) == 1
    assert api.send("post", f"{other}/dismiss", {"key": suggestion["key"]}).status_code == 204
    assert api.get(other).json() == []
    assert api.send("post", f"{other}/dismiss", {"key": suggestion["key"]}).status_code == 400
    assert Rating.objects.get(pk=second.pk).level is None


# --- improvement topics --------------------------------------------------------------------------------


def test_topics_are_generated_from_the_gaps_with_their_priority(api, engagement, owner, assessment):
    rate(owner, assessment, "8.6.1", level=0)
    rate(owner, assessment, "8.6.2", level=2)
    rate(owner, assessment, "8.5.1.1", level=2, documentation="controlled")
    url = f"{base(engagement)}/assessments/{assessment.pk}/topics/generate"
    generated = api.send("post", url, {"grouping": "process"})
    assert generated.status_code == 200
    by_key = {t["group_key"]: t for t in generated.json()}
    assert set(by_key) == {"incident", "change"}
    incident = by_key["incident"]
    assert [r["ref_id"] for r in incident["requirements"]] == ["8.6.1", "8.6.2"]
    weight = rating(assessment, "8.6.1").requirement.weight
    assert incident["priority_points"] == weight * 3
    assert incident["priority"] == "high"
    assert incident["grouping"] == "process"
    assert incident["assessment_id"] == assessment.pk
    assert api.send("post", url, {"grouping": "process"}).json() == []
    assert api.send("post", url, {"grouping": "alphabet"}).status_code == 422

    listed = api.get(f"{base(engagement)}/topics").json()
    assert {t["id"] for t in listed} == {t["id"] for t in generated.json()}


def test_topics_are_created_changed_merged_split_and_deleted(api, engagement, owner, outsider, assessment):
    theirs = person(other_engagement(outsider), "Theo", roles=[])
    dee = person(engagement, "Dee", roles=[])
    first, second, third = (rating(assessment, ref) for ref in ("8.6.1", "8.6.2", "8.6.3"))
    url = f"{base(engagement)}/topics"
    created = api.send(
        "post",
        url,
        {
            "title": "Write the incident procedure",
            "description": "With priorities",
            "rating_ids": [second.pk, first.pk],
            "owner_id": dee.pk,
            "due_date": "2025-09-30",
        },
    )
    assert created.status_code == 201
    topic = created.json()
    assert [r["ref_id"] for r in topic["requirements"]] == ["8.6.1", "8.6.2"]
    assert topic["owner"] == {"id": dee.pk, "name": "Dee"}
    assert topic["due_date"] == "2025-09-30"
    assert topic["status"] == "open"
    assert topic["grouping"] == "custom"
    assert topic["priority"] is None
    assert field_refused(api.send("post", url, {"title": "X", "owner_id": theirs.pk})) == "owner_id"
    foreign_rating = create_assessment(other_engagement(outsider), outsider).ratings.first()
    assert field_refused(api.send("post", url, {"title": "X", "rating_ids": [foreign_rating.pk]})) == "rating_ids"
    assert api.send("post", url, {"title": "", "rating_ids": []}).status_code == 422

    one = f"{url}/{topic['id']}"
    changed = api.send("patch", one, {"version": 1, "status": "in_progress", "owner_id": None})
    assert changed.status_code == 200
    assert changed.json()["status"] == "in_progress"
    assert changed.json()["owner"] is None
    assert changed.json()["due_date"] == "2025-09-30"
    assert changed.json()["version"] == 2
    stale = api.send("patch", one, {"version": 1, "title": "Lost"})
    assert stale.status_code == 409
    assert "Someone else changed this" in stale.json()["detail"]
    moved = api.send("patch", one, {"version": 2, "rating_ids": [first.pk, second.pk, third.pk], "due_date": None})
    assert [r["ref_id"] for r in moved.json()["requirements"]] == ["8.6.1", "8.6.2", "8.6.3"]
    assert moved.json()["due_date"] is None
    assert field_refused(api.send("patch", one, {"version": 3, "owner_id": theirs.pk})) == "owner_id"

    split = api.send("post", f"{one}/split", {"version": 3, "rating_ids": [third.pk], "title": "Problem management"})
    assert split.status_code == 201
    assert [r["ref_id"] for r in split.json()["requirements"]] == ["8.6.3"]
    assert [r["ref_id"] for r in api.get(one).json()["requirements"]] == ["8.6.1", "8.6.2"]
    assert api.get(one).json()["version"] == 4
    stale = api.send("post", f"{one}/split", {"version": 3, "rating_ids": [second.pk], "title": "Late"})
    assert stale.status_code == 409
    assert "Someone else changed this" in stale.json()["detail"]
    refused = api.send("post", f"{one}/split", {"version": 4, "rating_ids": [first.pk, second.pk], "title": "All"})
    assert refused.status_code == 400
    assert refused.json()["field"] == "rating_ids"
    assert api.send("post", f"{one}/split", {"rating_ids": [second.pk], "title": "No version"}).status_code == 422

    merged = api.send("post", f"{url}/merge", {"topic_ids": [topic["id"], split.json()["id"]], "title": "Incidents"})
    assert merged.status_code == 200
    assert merged.json()["id"] == topic["id"]
    assert merged.json()["title"] == "Incidents"
    assert [r["ref_id"] for r in merged.json()["requirements"]] == ["8.6.1", "8.6.2", "8.6.3"]
    assert not ImprovementTopic.objects.filter(pk=split.json()["id"]).exists()
    assert api.send("post", f"{url}/merge", {"topic_ids": [topic["id"], topic["id"]]}).status_code == 400
    assert field_refused(api.send("post", f"{url}/merge", {"topic_ids": [topic["id"], 999_999]})) == "topic_ids"

    assert api.send("delete", one).status_code == 204
    assert api.get(one).status_code == 404


def test_the_topics_list_query_count_does_not_grow_with_the_topics(api, engagement, owner, assessment):
    def make(n):
        ratings = list(assessment.ratings.select_related("assessment", "requirement").order_by("pk"))
        for i in range(n):
            topic_services.topic_create(
                engagement=engagement,
                actor=owner,
                title=f"Topic {i}",
                ratings=ratings[i * 3 : i * 3 + 3],
                owner=person(engagement, f"Owner {i}", roles=[]),
            )

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            response = api.get(f"{base(engagement)}/topics")
        assert response.status_code == 200
        return len(ctx.captured_queries), len(response.json())

    api.get(f"{base(engagement)}/settings")  # warm up: the token records its last use on the first request
    make(1)
    small, few = queries()
    ImprovementTopic.objects.all().delete()
    Person.objects.filter(engagement=engagement).delete()
    make(12)
    large, many = queries()
    assert (few, many) == (1, 12)
    assert small == large <= 8


# --- documented information ----------------------------------------------------------------------------


def test_the_documented_information_checklist_is_loaded_and_kept(api, engagement, outsider):
    url = f"{base(engagement)}/documents"
    loaded = api.send("post", f"{url}/load")
    assert loaded.status_code == 200
    added = loaded.json()["added"]
    assert added > 10
    assert DocumentItem.objects.filter(engagement=engagement).count() == added
    assert api.send("post", f"{url}/load").json() == {"added": 0}
    listed = api.get(url).json()
    assert len(listed) == added
    assert {item["kind"] for item in listed} == {"document", "record"}

    created = api.send("post", url, {"name": "Supplier register", "kind": "record", "clause": "8.3.4.1"})
    assert created.status_code == 201
    item = created.json()
    assert item["key"] == "supplier-register"
    assert item["status"] == ""
    assert item["owner"] is None
    assert api.send("post", url, {"name": "X", "kind": "poster"}).status_code == 422

    dee = person(engagement, "Dee", roles=[])
    one = f"{url}/{item['id']}"
    changed = api.send(
        "patch",
        one,
        {"version": 1, "status": "approved", "owner_id": dee.pk, "location": "DMS", "review_date": "2026-01-31"},
    )
    assert changed.status_code == 200
    body = changed.json()
    assert body["status"] == "approved"
    assert body["owner"] == {"id": dee.pk, "name": "Dee"}
    assert body["location"] == "DMS"
    assert body["review_date"] == "2026-01-31"
    assert body["version"] == 2
    stale = api.send("patch", one, {"version": 1, "notes": "Lost"})
    assert stale.status_code == 409
    assert "Someone else changed this" in stale.json()["detail"]
    cleared = api.send("patch", one, {"version": 2, "owner_id": None, "review_date": None, "name": "Suppliers"})
    assert cleared.json()["owner"] is None
    assert cleared.json()["review_date"] is None
    assert cleared.json()["name"] == "Suppliers"
    assert cleared.json()["location"] == "DMS"
    theirs = person(other_engagement(outsider), "Theo", roles=[])
    assert field_refused(api.send("patch", one, {"version": 3, "owner_id": theirs.pk})) == "owner_id"
    assert api.get(one).json()["name"] == "Suppliers"

    assert api.send("delete", one).status_code == 204
    assert api.get(one).status_code == 404


# --- the workbook --------------------------------------------------------------------------------------


def test_an_assessment_goes_out_as_a_workbook_and_comes_back(api, engagement, owner, assessment):
    rate(owner, assessment, "8.6.1", level=1, notes="Incidents logged by phone")
    url = f"{base(engagement)}/assessments/{assessment.pk}"
    exported = api.get(f"{url}/export.xlsx")
    assert exported.status_code == 200
    assert exported["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert exported["Content-Disposition"].startswith("attachment")

    unchanged = api.upload(f"{url}/import", {"file": SimpleUploadedFile("gap.xlsx", exported.content)})
    assert unchanged.status_code == 200, unchanged.json()
    assert unchanged.json() == {"ratings": 0, "links_added": 0, "links_changed": 0, "links_removed": 0}

    book = load_workbook(io.BytesIO(exported.content))
    sheet = book["Ratings"]
    header = [cell.value for cell in sheet[1]]
    row = next(cells for cells in sheet.iter_rows(min_row=2) if cells[header.index("Reference")].value == "8.6.1")
    row[header.index("Rating (0-3)")].value = 2
    row[header.index("Notes")].value = "Incident procedure approved in March"
    edited = io.BytesIO()
    book.save(edited)
    imported = api.upload(f"{url}/import", {"file": SimpleUploadedFile("gap.xlsx", edited.getvalue())})
    assert imported.status_code == 200, imported.json()
    assert imported.json() == {"ratings": 1, "links_added": 0, "links_changed": 0, "links_removed": 0}
    shown = api.get(f"{base(engagement)}/ratings/{rating(assessment, '8.6.1').pk}").json()
    assert (shown["level"], shown["notes"], shown["gap"]) == (2, "Incident procedure approved in March", 1)
    assert rating(assessment, "8.6.2").level is None  # the rows not edited stay as they were


def test_a_workbook_import_refuses_what_is_not_a_workbook(api, engagement, assessment):
    url = f"{base(engagement)}/assessments/{assessment.pk}/import"
    refused = api.upload(url, {"file": SimpleUploadedFile("gap.xlsx", b"not a workbook")})
    assert refused.status_code == 400


# --- access --------------------------------------------------------------------------------------------


@pytest.fixture
def world(engagement, owner, assessment, media):
    """One of every gap-analysis object of `engagement`."""
    found = rating(assessment, "8.6.1")
    upload = SimpleUploadedFile("procedure.pdf", PDF)
    evidence = rating_services.evidence_add_file(rating=found, actor=owner, upload=upload)
    dee = person(engagement, "Dee", roles=[])
    topic = topic_services.topic_create(engagement=engagement, actor=owner, title="Incidents", ratings=[found])
    other = topic_services.topic_create(engagement=engagement, actor=owner, title="Other", ratings=[])
    from certprep.gaps.services.documents import document_create

    item = document_create(engagement=engagement, actor=owner, name="Incident procedure", kind="document")
    return {
        "assessment": assessment,
        "rating": found,
        "evidence": evidence,
        "person": dee,
        "topic": topic,
        "other": other,
        "item": item,
    }


def every_call(engagement, w):
    """(method, path, body, is_write) for every endpoint."""
    b = base(engagement)
    a, r, e, t, i = (w[k].pk for k in ("assessment", "rating", "evidence", "topic", "item"))
    return [
        ("get", f"{b}/settings", None, False),
        ("put", f"{b}/settings", {"version": 1, "scale": "compliance", "default_target": 3}, True),
        ("get", f"{b}/assessments", None, False),
        ("post", f"{b}/assessments", {"name": "X", "assessed_on": "2025-01-01"}, True),
        ("get", f"{b}/assessments/{a}", None, False),
        ("patch", f"{b}/assessments/{a}", {"version": 1, "name": "X"}, True),
        ("post", f"{b}/assessments/{a}/sync", None, True),
        ("get", f"{b}/assessments/{a}/ratings", None, False),
        ("post", f"{b}/assessments/{a}/topics/generate", {"grouping": "clause"}, True),
        ("get", f"{b}/ratings/{r}", None, False),
        ("patch", f"{b}/ratings/{r}", {"version": 1, "level": 1}, True),
        ("get", f"{b}/ratings/{r}/evidence", None, False),
        ("post", f"{b}/ratings/{r}/evidence/link", {"url": "https://example.com"}, True),
        ("post", f"{b}/ratings/{r}/evidence/answer", {"answer_id": 1}, True),
        ("upload", f"{b}/ratings/{r}/evidence/file", {"file": SimpleUploadedFile("a.pdf", PDF)}, True),
        ("get", f"{b}/evidence/{e}/download", None, False),
        ("get", f"{b}/ratings/{r}/suggestions", None, False),
        ("post", f"{b}/ratings/{r}/suggestions/accept", {"key": "k:1", "version": 1}, True),
        ("post", f"{b}/ratings/{r}/suggestions/dismiss", {"key": "k:1"}, True),
        ("get", f"{b}/topics", None, False),
        ("post", f"{b}/topics", {"title": "X"}, True),
        ("get", f"{b}/topics/{t}", None, False),
        ("patch", f"{b}/topics/{t}", {"version": 1, "title": "X"}, True),
        ("post", f"{b}/topics/merge", {"topic_ids": [t, w["other"].pk]}, True),
        ("post", f"{b}/topics/{t}/split", {"version": 1, "rating_ids": [r], "title": "X"}, True),
        ("get", f"{b}/documents", None, False),
        ("post", f"{b}/documents/load", None, True),
        ("post", f"{b}/documents", {"name": "X", "kind": "record"}, True),
        ("get", f"{b}/documents/{i}", None, False),
        ("patch", f"{b}/documents/{i}", {"version": 1, "notes": "X"}, True),
        ("get", f"{b}/assessments/{a}/export.xlsx", None, False),
        ("upload", f"{b}/assessments/{a}/import", {"file": SimpleUploadedFile("a.xlsx", b"x")}, True),
        ("delete", f"{b}/evidence/{e}", None, True),
        ("delete", f"{b}/topics/{t}", None, True),
        ("delete", f"{b}/documents/{i}", None, True),
        ("delete", f"{b}/assessments/{a}", None, True),
    ]


def workbook_module():
    import importlib.util

    return importlib.util.find_spec("certprep.gaps.spreadsheet") is not None


def call(api, method, path, body):
    if method == "get":
        return api.get(path)
    if method == "upload":
        return api.upload(path, body)
    return api.send(method, path, body)


def test_an_outsider_gets_404_on_every_endpoint(client, outsider, api_token, engagement, world):
    outsider_api = Api(client, auth(api_token(outsider)))
    for method, path, body, _write in every_call(engagement, world):
        response = call(outsider_api, method, path, body)
        assert response.status_code == 404, (method, path, response.status_code)
    assert Assessment.objects.filter(pk=world["assessment"].pk).exists()
    assert Evidence.objects.count() == 1
    assert ImprovementTopic.objects.count() == 2


def test_a_viewer_reads_but_gets_403_on_every_write(client, owner, api_token, engagement, world):
    viewer_api = Api(client, auth(api_token(viewer_of(engagement, owner))))
    for method, path, body, write in every_call(engagement, world):
        if path.endswith("export.xlsx") and not workbook_module():
            continue  # the workbook module is not there yet
        response = call(viewer_api, method, path, body)
        expected = 403 if write else 200
        assert response.status_code == expected, (method, path, response.status_code)
    assert Evidence.objects.count() == 1
    assert ImprovementTopic.objects.count() == 2
    assert not AuditEntry.objects.filter(actor__username="vera").exists()


def test_another_engagements_objects_are_404_through_yours(api, engagement, owner, outsider, catalogue):
    theirs = other_engagement(outsider)
    mine = create_assessment(engagement, owner)
    foreign = create_assessment(theirs, outsider, name="Theirs")
    foreign_rating = rating(foreign, "8.6.1")
    evidence = rating_services.evidence_add_link(rating=foreign_rating, actor=outsider, url="https://example.com")
    topic = topic_services.topic_create(engagement=theirs, actor=outsider, title="Theirs")
    from certprep.gaps.services.documents import document_create

    item = document_create(engagement=theirs, actor=outsider, name="Theirs", kind="record")
    b = base(engagement)
    assert api.get(f"{b}/assessments/{foreign.pk}").status_code == 404
    assert api.get(f"{b}/assessments/{foreign.pk}/ratings").status_code == 404
    assert api.get(f"{b}/ratings/{foreign_rating.pk}").status_code == 404
    assert api.send("patch", f"{b}/ratings/{foreign_rating.pk}", {"version": 1, "level": 1}).status_code == 404
    assert api.get(f"{b}/evidence/{evidence.pk}/download").status_code == 404
    assert api.send("delete", f"{b}/evidence/{evidence.pk}").status_code == 404
    assert api.get(f"{b}/topics/{topic.pk}").status_code == 404
    assert api.get(f"{b}/documents/{item.pk}").status_code == 404
    assert (
        field_refused(api.send("post", f"{b}/topics", {"title": "X", "rating_ids": [foreign_rating.pk]}))
        == "rating_ids"
    )
    assert api.get(f"{b}/assessments/{mine.pk}").status_code == 200
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_without_a_token_the_api_answers_401(client, engagement):
    assert client.get(f"{base(engagement)}/settings").status_code == 401
