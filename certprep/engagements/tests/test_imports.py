"""Engagement-file imports as background jobs: the request checks the file's bounds and queues it (nothing stored
when refused), a worker imports it, and the status page (and the API) follow it to done or failed, for the person
who asked only."""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from certprep.core.background import job_begin, recover, sweep
from certprep.engagements import jobs, services, tasks
from certprep.engagements.imports import MAX_OPEN_IMPORTS, import_request
from certprep.engagements.models import Engagement, EngagementImport
from certprep.engagements.tests.factories import UserFactory
from certprep.engagements.transfer import engagement_export

pytestmark = pytest.mark.django_db
IMPORT_PAGE = "/engagements/import/"


def stored(media: Path) -> list[str]:
    return sorted(str(path.relative_to(media)) for path in media.rglob("*") if path.is_file())


@pytest.fixture
def exported(engagement, owner) -> dict:
    services.member_add(
        engagement=engagement, actor=owner, user=UserFactory(username="qm", email="qm@a.example"), role="editor"
    )
    return engagement_export(engagement)


def upload(document: dict | bytes, name: str = "client-a.json") -> SimpleUploadedFile:
    raw = document if isinstance(document, bytes) else json.dumps(document).encode()
    return SimpleUploadedFile(name, raw, content_type="application/json")


def copies() -> int:
    return Engagement.objects.filter(name="Client A preparation").count() - 1


def test_an_upload_is_queued_and_its_status_page_follows_it_to_done(
    owner_client, exported, media, django_capture_on_commit_callbacks
):
    response = owner_client.post(IMPORT_PAGE, {"file": upload(exported)})
    job = EngagementImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/engagements/imports/{job.pk}/"
    assert stored(media) == [job.file.name]
    assert job.file.name.startswith("imports/")
    assert (job.original_name, job.size, job.language) == ("client-a.json", len(json.dumps(exported)), "en")
    assert DBTaskResult.objects.get(id=job.task_result_id).status == "READY"

    page = owner_client.get(response["Location"]).content.decode()
    assert 'data-status="queued"' in page
    assert "Waiting for the background worker to start it." in page
    assert 'hx-trigger="every 2s"' in page  # it asks again while unfinished
    assert copies() == 0

    with django_capture_on_commit_callbacks(execute=True):
        tasks.import_run(job.pk, worker_id="w1")
    copy = EngagementImport.objects.get().engagement
    page = owner_client.get(response["Location"]).content.decode()
    assert 'data-status="done"' in page
    assert "Engagement imported. You are its owner." in page
    assert f'href="/e/{copy.pk}/"' in page
    assert "The file names 1 other member." in page
    assert "hx-trigger" not in page  # finished: no more asking
    assert copies() == 1
    assert stored(media) == []  # the waiting file is removed once imported
    assert EngagementImport.objects.get().file.name == ""


def test_the_status_page_in_chinese(owner_client, exported, media):
    response = owner_client.post(IMPORT_PAGE, {"file": upload(exported)}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = owner_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "正在等待后台任务开始处理。" in page
    assert "Waiting for the background worker" not in page


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "more than 64 levels deep"),
        (b"\xff\xfe{}", "The file is not UTF-8 text."),
        (b'{"format": "certprep.engagement/1",\n "engagement": {', "The file is not valid JSON: line 2"),
    ],
)
def test_a_file_out_of_bounds_is_refused_before_anything_is_stored_or_queued(
    owner_client, client, owner, api_token, media, raw, error
):
    page = owner_client.post(IMPORT_PAGE, {"file": upload(raw)})
    assert page.status_code == 200
    assert "Nothing was imported." in page.content.decode()
    assert error in page.content.decode()
    api = client.post(
        "/api/v1/engagements/import", {"file": upload(raw)}, HTTP_AUTHORIZATION=f"Bearer {api_token(owner)}"
    )
    assert api.status_code == 400
    assert error in api.json()["detail"]
    assert not EngagementImport.objects.exists()
    assert not DBTaskResult.objects.exists()
    assert stored(media) == []


def test_an_error_the_worker_finds_shows_with_its_place_and_nothing_is_imported(
    owner_client, exported, media, django_capture_on_commit_callbacks
):
    exported["profile"]["existing_certifications"] = ["iso99999"]
    response = owner_client.post(IMPORT_PAGE, {"file": upload(exported)})
    job = EngagementImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.import_run(job.pk, worker_id="w1")
    page = owner_client.get(response["Location"]).content.decode()
    assert 'data-status="failed"' in page
    assert "Nothing was imported. The file is not a certprep engagement export: field " in page
    assert "profile.existing_certifications" in page
    assert "hx-trigger" not in page
    assert copies() == 0
    assert stored(media) == []


def test_the_worker_answers_in_the_language_the_import_was_asked_in(
    owner_client, exported, media, django_capture_on_commit_callbacks
):
    exported["profile"]["existing_certifications"] = ["iso99999"]
    response = owner_client.post(IMPORT_PAGE, {"file": upload(exported)}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    job = EngagementImport.objects.get()
    assert job.language == "zh-hans"
    tasks.import_run(job.pk, worker_id="w1")
    job.refresh_from_db()
    assert job.message.startswith(
        "文件不是 certprep 认证项目导出文件：字段 profile.existing_certifications"
    )  # made in the worker, in the requester's language
    page = owner_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "未导入任何内容。" in page


def test_nobody_but_the_requester_sees_an_import(owner, outsider_client, outsider, client, api_token, exported, media):
    job = import_request(raw=json.dumps(exported).encode(), name="e.json", actor=owner)
    assert outsider_client.get(f"/engagements/imports/{job.pk}/").status_code == 404
    api = client.get(f"/api/v1/engagements/imports/{job.pk}", HTTP_AUTHORIZATION=f"Bearer {api_token(outsider)}")
    assert api.status_code == 404
    client.logout()
    assert client.get(f"/engagements/imports/{job.pk}/").status_code == 302  # to the sign-in page


def test_an_import_older_than_a_week_is_shown_no_more(owner_client, owner, exported, media):
    job = import_request(raw=json.dumps(exported).encode(), name="e.json", actor=owner)
    assert owner_client.get(f"/engagements/imports/{job.pk}/").status_code == 200
    EngagementImport.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    assert owner_client.get(f"/engagements/imports/{job.pk}/").status_code == 404


def test_a_person_has_at_most_three_imports_waiting(owner_client, client, owner, api_token, exported, media):
    for _n in range(MAX_OPEN_IMPORTS):
        assert owner_client.post(IMPORT_PAGE, {"file": upload(exported)}).status_code == 302
    refused = owner_client.post(IMPORT_PAGE, {"file": upload(exported)}).content.decode()
    assert "Nothing was imported. You have 3 imports waiting or running" in refused
    api = client.post(
        "/api/v1/engagements/import", {"file": upload(exported)}, HTTP_AUTHORIZATION=f"Bearer {api_token(owner)}"
    )
    assert api.status_code == 400
    assert "You have 3 imports waiting or running" in api.json()["detail"]
    assert EngagementImport.objects.count() == MAX_OPEN_IMPORTS
    assert len(stored(media)) == MAX_OPEN_IMPORTS
    EngagementImport.objects.filter(pk=EngagementImport.objects.first().pk).update(status="done")
    assert owner_client.post(IMPORT_PAGE, {"file": upload(exported)}).status_code == 302  # one finished: room again
    # The API's description says the same limit.
    description = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/engagements/import"]["post"]
    assert f"At most {MAX_OPEN_IMPORTS} of your imports wait or run at once" in description["description"]


def test_the_api_answers_202_and_follows_the_import_to_done(
    client, owner, api_token, exported, media, django_capture_on_commit_callbacks
):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(owner)}"}
    response = client.post("/api/v1/engagements/import", {"file": upload(exported)}, **headers)
    assert response.status_code == 202
    body = response.json()
    job = EngagementImport.objects.get()
    assert body["id"] == job.pk
    assert (body["status"], body["url"], body["engagement_id"], body["suggested_invitations"], body["message"]) == (
        "queued",
        f"/api/v1/engagements/imports/{job.pk}",
        None,
        [],
        "",
    )
    assert client.get(body["url"], **headers).json()["status"] == "queued"
    with django_capture_on_commit_callbacks(execute=True):
        tasks.import_run(job.pk, worker_id="w1")
    done = client.get(body["url"], **headers).json()
    assert (done["status"], done["suggested_invitations"], done["message"]) == ("done", ["qm"], "")
    engagement = client.get(f"/api/v1/engagements/{done['engagement_id']}", **headers).json()
    assert (engagement["name"], engagement["my_role"]) == ("Client A preparation", "owner")


def test_a_stopped_worker_s_import_is_restarted_then_failed_after_two_attempts(
    owner_client, owner, exported, media, settings, django_capture_on_commit_callbacks
):
    settings.CERTPREP_TASK_STALE_SECONDS = 2
    job = import_request(raw=json.dumps(exported).encode(), name="e.json", actor=owner)
    long_ago = timezone.now() - datetime.timedelta(seconds=10)

    assert job_begin(job, worker_id="killed-1", task_id=job.task_result_id)
    EngagementImport.objects.filter(pk=job.pk).update(heartbeat_at=long_ago)
    assert recover([jobs.KIND]).restarted == [("engagement_import", job.pk)]
    job.refresh_from_db()
    assert (job.status, job.attempts, job.worker_stopped) == ("queued", 1, True)
    assert "restarted (attempt 2 of 2)" in job.message
    page = owner_client.get(f"/engagements/imports/{job.pk}/").content.decode()
    assert 'data-status="queued"' in page
    assert "restarted (attempt 2 of 2)" in page
    assert stored(media) == [job.file.name]  # kept for the retry

    assert job_begin(job, worker_id="killed-2", task_id=job.task_result_id)
    EngagementImport.objects.filter(pk=job.pk).update(heartbeat_at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        page = owner_client.get(f"/engagements/imports/{job.pk}/").content.decode()  # the page recovers it
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("failed", 2)
    assert 'data-status="failed"' in page
    assert "Nothing was imported. The worker stopped while running this; it was tried 2 times." in page
    assert stored(media) == []  # the last attempt's file removed
    assert copies() == 0


def test_a_worker_whose_import_was_recovered_under_it_leaves_no_engagement(owner, exported, media, monkeypatch):
    job = import_request(raw=json.dumps(exported).encode(), name="e.json", actor=owner)
    real_done = tasks.job_done

    def recovered_meanwhile(job, **values):
        # The engagement is written; a recovery took the job for stopped and queued it again before this end.
        assert Engagement.objects.filter(name="Client A preparation").count() == 2
        EngagementImport.objects.filter(pk=job.pk).update(status="queued", attempts=0)
        real_done(job, **values)

    monkeypatch.setattr(tasks, "job_done", recovered_meanwhile)
    assert tasks.import_run(job.pk, worker_id="late") is None
    assert copies() == 0  # rolled back with the job's end: the retry imports it once
    job.refresh_from_db()
    # Not done (the stand-in recovery ran in the import's transaction here, so it was undone with it too).
    assert job.status == "running"
    assert stored(media) == [job.file.name]  # kept for the retry


@pytest.mark.django_db(transaction=True)
def test_the_worker_takes_the_queued_import_after_the_commit(owner, exported, media):
    job = import_request(raw=json.dumps(exported).encode(), name="e.json", actor=owner)
    call_command("worker", batch=True, reload=False, startup_delay=False, verbosity=0, worker_id="worker-i")
    job.refresh_from_db()
    assert (job.status, job.attempts, job.worker_id, job.suggested) == ("done", 1, "worker-i", ["qm"])
    assert job.engagement is not None
    assert list(job.engagement.memberships.values_list("user__username", flat=True)) == ["olivia"]
    assert DBTaskResult.objects.get(id=job.task_result_id).status == "SUCCESSFUL"
    assert stored(media) == []


def _done_import(owner, engagement, suggested: int) -> EngagementImport:
    return EngagementImport.objects.create(
        requested_by=owner,
        original_name="e.json",
        size=2,
        language="en",
        status="done",
        engagement=engagement,
        suggested=[f"member{n}" for n in range(suggested)],
    )


def test_the_status_page_and_api_read_as_little_with_many_imports_and_names(
    owner_client, client, owner, engagement, api_token
):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(owner)}"}

    def queries(job: EngagementImport) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as page:
            assert owner_client.get(f"/engagements/imports/{job.pk}/").status_code == 200
        with CaptureQueriesContext(connection) as api:
            assert client.get(f"/api/v1/engagements/imports/{job.pk}", **headers).status_code == 200
        return len(page), len(api)

    first = _done_import(owner, engagement, 1)
    queries(first)  # the session's and the token's first use write their bookkeeping once
    small = queries(first)
    for _n in range(30):
        _done_import(owner, engagement, 0)
    assert queries(_done_import(owner, engagement, 500)) == small


def test_the_worker_s_sweep_clears_imports_no_longer_shown_and_files_no_import_names(
    owner, exported, media, django_capture_on_commit_callbacks
):
    """What the worker clears hourly: a finished import older than a week goes with its row; a waiting import's file
    stays whatever its age; a file no import names goes once it is an hour old (its requester was deleted with the
    import waiting), a younger one stays (its import's row may not have committed yet)."""

    old_done, waiting = (import_request(raw=json.dumps(exported).encode(), name="a.json", actor=owner) for _ in "ab")
    EngagementImport.objects.filter(pk=old_done.pk).update(
        status="done", created_at=timezone.now() - datetime.timedelta(days=8)
    )
    EngagementImport.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    gone_user = UserFactory(username="left")
    orphan = import_request(raw=b'{"format": "certprep-engagement"}', name="b.json", actor=gone_user)
    fresh_orphan = import_request(raw=b'{"format": "certprep-engagement"}', name="c.json", actor=gone_user)
    with django_capture_on_commit_callbacks(execute=True):
        gone_user.delete()  # the account deleted (by an administrator) with its imports waiting
    hour_ago = (timezone.now() - datetime.timedelta(hours=2)).timestamp()
    os.utime(media / orphan.file.name, (hour_ago, hour_ago))
    os.utime(media / old_done.file.name, (hour_ago, hour_ago))

    removed = sweep()

    assert removed["engagement_import"] == 2  # the old import's row and the aged orphan file
    assert list(EngagementImport.objects.values_list("pk", flat=True)) == [waiting.pk]
    assert stored(media) == sorted([waiting.file.name, fresh_orphan.file.name])
    assert sweep()["engagement_import"] == 0  # nothing more to clear
