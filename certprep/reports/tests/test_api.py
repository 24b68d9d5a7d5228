"""The reports' API: the documents on offer, a build asked for (validated against the declared documents) and
followed, its files downloaded; a stale version refused (409); viewers read but cannot build; outsiders 404."""

from __future__ import annotations

import json

import pytest

from certprep.engagements import services
from certprep.engagements.tests.factories import UserFactory
from certprep.reports.models import ReportBuild
from certprep.reports.tests.world import finished_build

pytestmark = pytest.mark.django_db
E = "/api/v1/engagements/{}/reports"


@pytest.fixture
def call(client, owner, api_token):
    def call(method, path, body=None, *, user=None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(user or owner)}"}
        data = json.dumps(body) if body is not None else None
        return getattr(client, method)(path, data=data, content_type="application/json", **headers)

    return call


def test_the_documents_on_offer(call, engagement, sample_parts):
    answer = call("get", E.format(engagement.pk) + "/documents")
    assert answer.status_code == 200
    sample = next(d for d in answer.json() if d["key"] == "sample")
    assert sample == {
        "key": "sample",
        "title": "Budget",
        "description": "Vendors",
        "sections": ["sample.overview", "sample.table", "sample.broken", "sample.not_built_yet"],
        "formats": ["docx", "pdf", "xlsx"],
    }
    brief = next(d for d in answer.json() if d["key"] == "sample_brief")
    assert brief["formats"] == ["docx", "pdf"]


def test_a_build_asked_for_and_followed(call, engagement, sample_parts, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        made = call("post", E.format(engagement.pk) + "/builds", {"documents": ["sample"], "languages": ["zh-hans"]})
    assert made.status_code == 201
    body = made.json()
    assert body["status"] == "queued"
    assert body["progress"] == {"done": 0, "total": 3, "current_step": ""}
    assert body["files"] == []
    one = call("get", E.format(engagement.pk) + f"/builds/{body['id']}").json()
    assert one["documents"] == ["sample"]
    assert one["languages"] == ["zh-hans"]
    assert ReportBuild.objects.get(pk=body["id"]).task_result_id


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"documents": ["nope"], "languages": ["en"]}, "documents"),
        ({"documents": ["sample"], "languages": ["fr"]}, "languages"),
    ],
)
def test_a_build_of_an_unknown_document_or_language_is_refused(call, engagement, sample_parts, payload, field):
    answer = call("post", E.format(engagement.pk) + "/builds", payload)
    assert answer.status_code == 400
    assert answer.json()["field"] == field
    assert not ReportBuild.objects.exists()


def test_builds_newest_first_with_their_files_and_a_download(call, client, engagement, media):
    older = finished_build(engagement)
    newer = finished_build(engagement, files=2, data=b"%PDF-1.7 newer")
    listed = call("get", E.format(engagement.pk) + "/builds").json()
    assert [b["id"] for b in listed] == [newer.pk, older.pk]
    files = listed[0]["files"]
    assert [(f["name"], f["format"], f["size"]) for f in files] == [
        ("doc0-en.pdf", "pdf", 14),
        ("doc1-en.pdf", "pdf", 14),
    ]
    got = call("get", files[0]["download"])
    assert got.status_code == 200
    assert b"".join(got.streaming_content) == b"%PDF-1.7 newer"
    assert got["Content-Type"] == "application/pdf"
    assert got["Content-Disposition"].startswith("attachment;")


def test_delete_with_a_stale_version_is_409_and_with_the_read_one_deletes(call, engagement, media):
    build = finished_build(engagement)
    path = E.format(engagement.pk) + f"/builds/{build.pk}"
    assert call("delete", path + f"?version={build.version + 1}").status_code == 409
    assert call("delete", path + f"?version={build.version}").status_code == 204
    assert call("get", path).status_code == 404


def test_a_viewer_reads_but_cannot_build_or_delete(call, engagement, owner, sample_parts, media):
    viewer = UserFactory(username="vera")
    services.member_add(engagement=engagement, actor=owner, user=viewer, role="viewer")
    build = finished_build(engagement)
    assert call("get", E.format(engagement.pk) + "/builds", user=viewer).status_code == 200
    made = call(
        "post", E.format(engagement.pk) + "/builds", {"documents": ["sample"], "languages": ["en"]}, user=viewer
    )
    assert made.status_code == 403
    assert call("delete", E.format(engagement.pk) + f"/builds/{build.pk}", user=viewer).status_code == 403
    assert ReportBuild.objects.count() == 1


def test_an_outsider_gets_404_for_builds_and_files(call, engagement, outsider, media):
    build = finished_build(engagement)
    report = build.files.get()
    own = outsider.memberships.get().engagement
    for path in (
        E.format(engagement.pk) + "/builds",
        E.format(engagement.pk) + "/documents",
        E.format(engagement.pk) + f"/builds/{build.pk}",
        E.format(engagement.pk) + f"/files/{report.pk}",
        E.format(own.pk) + f"/builds/{build.pk}",
        E.format(own.pk) + f"/files/{report.pk}",
    ):
        assert call("get", path, user=outsider).status_code == 404, path
    assert call("delete", E.format(own.pk) + f"/builds/{build.pk}", user=outsider).status_code == 404
    assert ReportBuild.objects.filter(pk=build.pk).exists()
