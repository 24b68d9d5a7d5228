"""Real worker processes killed in the middle of a report build (SIGKILL: nothing is cleaned up, as when a machine
loses power). Each worker is `manage.py worker` in a process of its own on this test's database file, its
drawing slowed down so that it is killed with some files written and others not; the stale limit is 2 s.

- killed once: the page's selector sees the build stale once the limit has passed, the next worker's recovery
  queues it again and it ends done with every file;
- killed on its last attempt too: it ends failed with the message, its task rows failed, never "running".

The seconds from the kill to the recovery and to the end are printed (pytest -s), never asserted."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from certprep.core.background import job_is_stale
from certprep.core.tests.workers import wait_until, worker_environment, worker_process
from certprep.reports.models import ReportBuild
from certprep.reports.services.builds import build_request
from certprep.reports.tests.readers import docx_text, pdf_text

pytestmark = pytest.mark.django_db(transaction=True)

STALE_SECONDS = 2
SLOW_DRAWING_SECONDS = 1.5

# The worker as `make run` starts it, with the reports tests' sample part declared and each file's drawing slowed.
WORKER = """
import os, sys, time
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
from certprep.reports.services import drawing
settings.CERTPREP_ENGAGEMENT_PARTS = [*settings.CERTPREP_ENGAGEMENT_PARTS, "certprep.reports.tests.sample_part"]
real = drawing.renderer
def slow(fmt):
    draw = real(fmt)
    def drawn(content):
        time.sleep(float(os.environ["SLOW_DRAWING_SECONDS"]))
        return draw(content)
    return drawn
drawing.renderer = slow
call_command("worker", "--no-reload", "--no-startup-delay", "--interval", "0.2", "--worker-id", sys.argv[1])
"""


@pytest.fixture
def environment(tmp_path, settings) -> dict[str, str]:
    """The workers' environment: this test's database file and media folder, the short stale limit."""
    return worker_environment(
        tmp_path,
        settings,
        stale_seconds=STALE_SECONDS,
        CERTPREP_REPORT_PROCESSES="0",
        SLOW_DRAWING_SECONDS=str(SLOW_DRAWING_SECONDS),
    )


def fresh(build: ReportBuild) -> ReportBuild:
    return ReportBuild.objects.get(pk=build.pk)


def kill_mid_build(process: subprocess.Popen[bytes], build: ReportBuild, attempt: int) -> ReportBuild:
    """SIGKILL the worker once it has stored a file of the build's `attempt` (and not all of them)."""
    wait_until(
        lambda: (now := fresh(build)).attempts == attempt and now.steps_done >= 1,
        f"worker writing attempt {attempt}",
    )
    process.kill()
    process.wait(timeout=30)
    killed = fresh(build)
    assert killed.status == "running"
    assert 1 <= killed.steps_done < killed.steps_total
    return killed


def test_a_worker_killed_mid_build_leaves_it_to_the_next_worker_which_writes_every_file(
    engagement, owner, sample_parts, environment, tmp_path
):
    build = build_request(engagement=engagement, actor=owner, documents=["sample_brief"], languages=["en", "zh-hans"])

    with worker_process(WORKER, environment, tmp_path, "a") as first:
        killed = kill_mid_build(first, build, attempt=1)
    killed_at = time.monotonic()
    first_task = DBTaskResult.objects.get(id=killed.task_result_id)
    assert first_task.status == "RUNNING"  # as the killed worker left it
    assert killed.worker_id == "a"

    # The reports page's selector takes it for stopped once its heartbeat is older than the limit.
    stale_after = wait_until(lambda: job_is_stale(fresh(build)), "the build seen stale", seconds=30)
    with worker_process(WORKER, environment, tmp_path, "b"):
        wait_until(lambda: fresh(build).status == "done", "the retry done")
    done_after = time.monotonic() - killed_at

    build.refresh_from_db()
    assert (build.attempts, build.worker_id, build.worker_stopped, build.message) == (2, "b", True, "")
    assert (build.steps_done, build.steps_total) == (4, 4)
    files = {(f.language, f.format): f for f in build.files.all()}
    assert sorted(files) == [("en", "docx"), ("en", "pdf"), ("zh-hans", "docx"), ("zh-hans", "pdf")]
    assert "Client A Ltd" in pdf_text(files["en", "pdf"].file.read())
    assert "预算" in docx_text(files["zh-hans", "docx"].file.read())
    stored = sorted(p.name for p in (Path(django_settings.MEDIA_ROOT) / "reports").rglob("*.*"))
    assert len(stored) == 4  # the killed attempt's files removed, none written twice
    first_task.refresh_from_db()
    assert first_task.status == "FAILED"
    assert first_task.exception_class_path.endswith("WorkerStopped")
    assert DBTaskResult.objects.get(id=build.task_result_id).status == "SUCCESSFUL"
    print(f"\nkilled -> seen stale: {stale_after:.1f} s; killed -> done by the next worker: {done_after:.1f} s")


def test_a_build_whose_worker_is_killed_on_each_attempt_ends_failed_with_the_message(
    engagement, owner, sample_parts, environment, tmp_path, owner_client
):
    build = build_request(engagement=engagement, actor=owner, documents=["sample_brief"], languages=["en", "zh-hans"])
    card = reverse("reports:build", args=[engagement.pk, build.pk])

    with worker_process(WORKER, environment, tmp_path, "a") as first:
        kill_mid_build(first, build, attempt=1)
    # No worker up: the page recovers the build itself once it is stale, and says it waits for a worker.
    wait_until(lambda: job_is_stale(fresh(build)), "the build seen stale", seconds=30)
    page = owner_client.get(card).content.decode()
    assert 'data-status="queued"' in page
    assert "Waiting for the background worker to start it." in page
    assert "The worker stopped while writing this build; it starts again when a worker is free." in page

    with worker_process(WORKER, environment, tmp_path, "b") as second:
        kill_mid_build(second, build, attempt=2)
    killed_at = time.monotonic()
    with worker_process(WORKER, environment, tmp_path, "c"):
        failed_after = wait_until(lambda: fresh(build).status == "failed", "the build failed", seconds=60)
        time.sleep(1)  # worker c goes on polling: it never takes the build again
        assert fresh(build).status == "failed"

    build.refresh_from_db()
    assert build.message == "The worker stopped while writing this build; it was tried 2 times."
    assert (build.attempts, build.finished_at is not None) == (2, True)
    tasks = DBTaskResult.objects.filter(args_kwargs__args=[build.pk]).order_by("started_at")
    # The two attempts' tasks failed; none is left waiting or running (one more may have ended at once, when a
    # worker started slower than the 2 s limit and its build was queued again before it began: then it found the
    # build waiting on the other task and left it).
    assert [task.worker_ids for task in tasks if task.status == "FAILED"][-2:] == [["a"], ["b"]]
    assert not tasks.filter(status__in=["READY", "RUNNING"]).exists()
    page = owner_client.get(card).content.decode()
    assert 'data-status="failed"' in page
    assert "hx-trigger" not in page
    assert "The worker stopped while writing this build; it was tried 2 times." in page
    print(f"\nkilled on the last attempt -> failed (next worker's start): {time.monotonic() - killed_at:.1f} s")
    print(f"worker c found it within {failed_after:.1f} s of starting")
