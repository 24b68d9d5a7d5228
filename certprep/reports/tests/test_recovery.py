"""Builds whose worker stopped: the stale rule as a pure function, the recovery on the real database (queued again
once with its files removed and a new task, failed with a message after the last attempt, the task rows failed
too), two recoveries at once queueing the build once, a worker whose build was recovered under it stopping, and
the reports page never showing such a build "running". Real worker processes killed mid-build:
test_recovery_worker.py."""

from __future__ import annotations

import contextlib
import datetime
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from hypothesis import given
from hypothesis import strategies as st

from certprep.core.background import is_stale, job_enqueue, recover
from certprep.reports.jobs import BUILD
from certprep.reports.models import ReportBuild
from certprep.reports.services import drawing
from certprep.reports.services.builds import build_request
from certprep.reports.services.recovery import MAX_ATTEMPTS
from certprep.reports.services.run import build_run
from certprep.reports.tests.world import finished_build

NOW = datetime.datetime(2026, 12, 7, 12, 0, tzinfo=datetime.UTC)
LIMIT = 120.0


@dataclass(frozen=True)
class Outcome:
    """One recovery of the report builds, by the builds' ids."""

    restarted: list[int]
    failed: list[int]


def builds_recover(**options: Any) -> Outcome:
    recovered = recover([BUILD], **options)
    assert {key for key, _id in recovered.restarted + recovered.failed} <= {"reports.build"}
    return Outcome([job for _k, job in recovered.restarted], [job for _k, job in recovered.failed])


def test_a_heartbeat_within_the_limit_is_fresh_and_one_past_it_is_stale():
    assert not is_stale(NOW - datetime.timedelta(seconds=119), now=NOW, limit=LIMIT)
    assert not is_stale(NOW - datetime.timedelta(seconds=120), now=NOW, limit=LIMIT)
    assert is_stale(NOW - datetime.timedelta(seconds=121), now=NOW, limit=LIMIT)
    assert is_stale(None, now=NOW, limit=LIMIT)  # running without a sign of life at all


@given(
    age=st.timedeltas(min_value=datetime.timedelta(hours=-1), max_value=datetime.timedelta(days=2)),
    limit=st.floats(min_value=0.5, max_value=86400, allow_nan=False),
)
def test_a_heartbeat_newer_than_the_limit_is_never_stale_and_an_older_one_always(age, limit):
    stale = is_stale(NOW - age, now=NOW, limit=limit)
    if age <= datetime.timedelta(seconds=limit):
        assert not stale
    if age > datetime.timedelta(seconds=limit, milliseconds=1):
        assert stale


def _abandoned(engagement, *, attempts: int = 1, seconds_ago: float = 600) -> ReportBuild:
    """A build a worker was writing (one file stored) when it stopped `seconds_ago`; its task row left running."""
    build = finished_build(engagement)
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [build.pk], "kwargs": {}},
        task_path="certprep.reports.tasks.build_reports",
        backend_name="default",
        status="RUNNING",
        worker_ids=["worker-a"],
        started_at=timezone.now(),
    )
    ReportBuild.objects.filter(pk=build.pk).update(
        status="running",
        steps_done=1,
        steps_total=2,
        current_step="doc1:en:pdf",
        attempts=attempts,
        worker_id="worker-a",
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=seconds_ago),
        task_result_id=str(task.id),
    )
    build.refresh_from_db()
    # A file the worker stored and was killed before recording (a file is stored before its row commits).
    default_storage.save(f"reports/{engagement.pk}/{build.pk}/doc1-en.pdf", ContentFile(b"%PDF-1.7 half"))
    return build


@pytest.mark.django_db
def test_an_abandoned_build_is_queued_again_without_its_files_and_its_task_fails(
    engagement, media, django_capture_on_commit_callbacks
):
    build = _abandoned(engagement)
    stored = media / build.files.get().file.name
    old_task = build.task_result_id
    assert stored.exists()

    with django_capture_on_commit_callbacks(execute=True):
        recovered = builds_recover()

    assert recovered.restarted == [build.pk]
    assert recovered.failed == []
    build.refresh_from_db()
    assert build.status == "queued"
    assert (build.steps_done, build.current_step, build.heartbeat_at, build.started_at) == (0, "", None, None)
    assert build.worker_stopped
    assert build.message == "The worker stopped while writing this build; it was restarted (attempt 2 of 2)."
    assert not build.files.exists()
    assert not stored.exists()
    assert not any((media / "reports").rglob("*.pdf"))  # the unrecorded file too
    failed = DBTaskResult.objects.get(id=old_task)
    assert failed.status == "FAILED"
    assert failed.finished_at is not None
    assert failed.exception_class_path == "certprep.core.background.WorkerStopped"
    assert failed.task_result.errors[0].traceback == build.message
    new = DBTaskResult.objects.get(id=build.task_result_id)
    assert new.status == "READY"
    assert new.args_kwargs == {"args": [build.pk], "kwargs": {}}


@pytest.mark.django_db
def test_after_the_last_attempt_it_fails_with_a_message_and_is_not_queued_again(engagement, media):
    build = _abandoned(engagement, attempts=MAX_ATTEMPTS)
    recorded = build.files.get().file.name
    tasks_before = DBTaskResult.objects.count()

    recovered = builds_recover()

    assert recovered.failed == [build.pk]
    build.refresh_from_db()
    assert build.status == "failed"
    assert build.finished_at is not None
    assert build.message == "The worker stopped while writing this build; it was tried 2 times."
    assert DBTaskResult.objects.get(id=build.task_result_id).status == "FAILED"
    assert DBTaskResult.objects.count() == tasks_before
    # The files written before are kept (the page offers them); the one never recorded is removed.
    assert sorted(str(p.relative_to(media)) for p in media.rglob("*.pdf")) == [recorded]
    assert builds_recover().failed == []  # and it stays so


@pytest.mark.django_db
def test_a_build_with_a_recent_heartbeat_or_not_running_is_left_alone(engagement, media):
    alive = _abandoned(engagement, seconds_ago=5)
    done = finished_build(engagement)
    ReportBuild.objects.filter(pk=done.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(days=1))
    queued = finished_build(engagement)
    ReportBuild.objects.filter(pk=queued.pk).update(status="queued")

    assert builds_recover() == builds_recover(now=timezone.now())
    assert builds_recover().restarted == []
    assert ReportBuild.objects.get(pk=alive.pk).status == "running"
    assert ReportBuild.objects.get(pk=done.pk).status == "done"
    assert ReportBuild.objects.get(pk=queued.pk).status == "queued"
    # The limit comes from the settings: the same build is stale under a shorter one.
    assert builds_recover(now=timezone.now() + datetime.timedelta(seconds=LIMIT)).restarted == [alive.pk]


@pytest.mark.django_db
def test_a_build_whose_task_a_stopped_worker_claimed_but_never_began_is_queued_again(
    engagement, owner, sample_parts, media
):
    build = build_request(engagement=engagement, actor=owner, documents=["sample_brief"], languages=["en"], queue=False)
    recent = build_request(
        engagement=engagement, actor=owner, documents=["sample_brief"], languages=["en"], queue=False
    )
    for queued in (build, recent):
        job_enqueue(BUILD, queued)
        queued.refresh_from_db()
        DBTaskResult.objects.get(id=queued.task_result_id).claim("worker-killed")
    DBTaskResult.objects.filter(id=build.task_result_id).update(started_at=timezone.now() - datetime.timedelta(hours=1))
    old_task = build.task_result_id

    assert builds_recover().restarted == [build.pk]

    build.refresh_from_db()
    assert (build.status, build.attempts) == ("queued", 0)
    assert DBTaskResult.objects.get(id=build.task_result_id).status == "READY"
    assert DBTaskResult.objects.get(id=old_task).status == "FAILED"
    # A task claimed a moment ago: its worker is beginning the build.
    assert DBTaskResult.objects.get(id=recent.task_result_id).status == "RUNNING"
    assert builds_recover().restarted == []


@pytest.mark.django_db(transaction=True)
def test_two_recoveries_at_once_queue_the_build_once(engagement, media):
    build = _abandoned(engagement)
    old_task = build.task_result_id
    start = threading.Barrier(2)
    outcomes: list[object] = []

    def recover() -> None:
        try:
            start.wait()
            outcomes.append(builds_recover())
        finally:
            connection.close()

    threads = [threading.Thread(target=recover) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(len(outcome.restarted) for outcome in outcomes) == [0, 1]  # type: ignore[attr-defined]
    ready = DBTaskResult.objects.filter(status="READY", args_kwargs__args=[build.pk])
    assert ready.count() == 1
    build.refresh_from_db()
    assert build.task_result_id == str(ready.get().id) != old_task
    assert build.status == "queued"


@pytest.mark.django_db(transaction=True)
def test_a_worker_whose_build_was_recovered_under_it_stops_and_writes_nothing_beside_the_new_attempt(
    engagement, owner, sample_parts, media, monkeypatch, settings
):
    """A worker taken for stopped (its database too slow to write the heartbeat in time) comes back: its next step
    finds the build no longer its attempt and stops; the retry then writes every file once."""
    real = drawing.renderer
    recovered = []

    def renderer(fmt):
        def drawn(content):
            if not recovered:  # the first file: meanwhile another worker's recovery takes the build
                ReportBuild.objects.filter(pk=build.pk).update(
                    heartbeat_at=timezone.now() - datetime.timedelta(hours=1)
                )
                recovered.append(builds_recover())
            return real(fmt)(content)

        return drawn

    monkeypatch.setattr(drawing, "renderer", renderer)
    build = build_request(engagement=engagement, actor=owner, documents=["sample_brief"], languages=["en"], queue=False)

    assert build_run(build.pk, worker_id="slow-worker") is None
    build.refresh_from_db()
    assert recovered[0].restarted == [build.pk]
    assert (build.status, build.attempts, build.files.count()) == ("queued", 1, 0)

    finished = build_run(build.pk, worker_id="second-worker")
    assert finished is not None
    build.refresh_from_db()
    assert (build.status, build.attempts, build.worker_id, build.message) == ("done", 2, "second-worker", "")
    assert sorted(build.files.values_list("format", flat=True)) == ["docx", "pdf"]
    assert build_run(build.pk, worker_id="late-duplicate") is not None  # a finished build is not run again
    assert ReportBuild.objects.get(pk=build.pk).attempts == 2


@pytest.mark.django_db
def test_the_page_never_shows_a_build_running_whose_worker_stopped(owner_client, engagement, media):
    build = _abandoned(engagement)
    url = reverse("reports:overview", args=[engagement.pk])

    page = owner_client.get(url).content.decode()

    assert 'data-status="queued"' in page
    assert 'data-status="running"' not in page
    assert "The worker stopped while writing this build; it starts again when a worker is free." in page
    assert "Waiting for the background worker to start it." in page
    build.refresh_from_db()
    assert build.status == "queued"
    # Its second attempt stops too: the polled card says it failed, and why, in the reader's language.
    ReportBuild.objects.filter(pk=build.pk).update(
        status="running", attempts=2, heartbeat_at=timezone.now() - datetime.timedelta(hours=1)
    )
    card = owner_client.get(reverse("reports:build", args=[engagement.pk, build.pk])).content.decode()
    assert 'data-status="failed"' in card
    assert "hx-trigger" not in card
    assert "The worker stopped while writing this build; it was tried 2 times." in card
    card_zh = owner_client.get(
        reverse("reports:build", args=[engagement.pk, build.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "后台进程在生成时停止；已尝试 2 次。" in card_zh


@pytest.mark.django_db
def test_a_restarted_build_says_so_while_it_runs_again(owner_client, engagement, media):
    build = _abandoned(engagement, seconds_ago=1)
    ReportBuild.objects.filter(pk=build.pk).update(attempts=2, worker_stopped=True)

    card = owner_client.get(reverse("reports:build", args=[engagement.pk, build.pk])).content.decode()

    assert 'data-status="running"' in card
    assert "Restarted after the worker stopped: attempt 2 of 2." in card


@pytest.mark.django_db(transaction=True)
def test_the_worker_keeps_its_id_and_a_heartbeat_on_the_build(engagement, owner, sample_parts, media):
    build = build_request(engagement=engagement, actor=owner, documents=["sample_brief"], languages=["en"])
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0, worker_id="worker-z")
    build.refresh_from_db()
    assert (build.status, build.worker_id, build.attempts) == ("done", "worker-z", 1)
    assert DBTaskResult.objects.get(id=build.task_result_id).worker_ids == ["worker-z"]
    assert build.heartbeat_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_task_the_build_no_longer_waits_on_does_not_begin_it(engagement, owner, sample_parts, media):
    """A worker slower to begin than the limit: the recovery queued the build again on a new task; the old task,
    when it comes to it, leaves the build to the new one."""
    build = build_request(engagement=engagement, actor=owner, documents=["sample_brief"], languages=["en"], queue=False)
    ReportBuild.objects.filter(pk=build.pk).update(task_result_id="the-new-task")

    assert build_run(build.pk, worker_id="slow", task_id="the-old-task").status == "queued"
    assert ReportBuild.objects.get(pk=build.pk).attempts == 0

    finished = build_run(build.pk, worker_id="next", task_id="the-new-task")
    assert (finished.status, finished.attempts, finished.worker_id) == ("done", 1, "next")


@contextlib.contextmanager
def _row_held(build: ReportBuild) -> Iterator[None]:
    """Another connection holding what a job's transaction holds: SQLite's one write lock, or the build's row on
    PostgreSQL."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        import sqlite3

        holder: Any = sqlite3.connect(settings["NAME"], timeout=1)
        holder.execute("BEGIN IMMEDIATE")
    else:
        import psycopg

        holder = psycopg.connect(
            dbname=settings["NAME"], user=settings["USER"], password=settings["PASSWORD"], host=settings["HOST"],
            port=settings["PORT"] or None,
        )  # fmt: skip
        holder.execute("SELECT id FROM reports_reportbuild WHERE id = %s FOR UPDATE", [build.pk])
    try:
        yield
    finally:
        holder.rollback()
        holder.close()


@pytest.mark.django_db(transaction=True)
def test_a_page_shows_a_stale_build_as_it_is_while_its_lock_is_held_elsewhere(owner_client, engagement, media):
    """On SQLite a long job (a large import) holds the one write lock for its whole transaction, so its heartbeat
    waits and it looks stale; on PostgreSQL a worker's recovery may hold the row. The page must neither wait for the
    lock (20 s on SQLite, for ever on PostgreSQL) nor fail, and the build is recovered once the lock is free."""
    build = _abandoned(engagement)
    url = reverse("reports:overview", args=[engagement.pk])
    with _row_held(build):
        page = owner_client.get(url)
        assert page.status_code == 200
        assert 'data-status="running"' in page.content.decode()  # shown as it is: the workers' recovery takes it
    assert ReportBuild.objects.get(pk=build.pk).status == "running"
    page = owner_client.get(url).content.decode()
    assert 'data-status="queued"' in page
    assert ReportBuild.objects.get(pk=build.pk).status == "queued"
