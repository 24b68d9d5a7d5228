"""Real worker processes killed in the middle of an engagement-file import (SIGKILL: nothing is cleaned up, as when
a machine loses power). Each worker is `manage.py worker` in a process of its own on this test's database file; the
import is slowed inside its transaction (after the engagement and its sections are written) so the worker is killed
there; the stale limit is 2 s.

- killed once: the killed attempt left nothing (its transaction never committed); the next worker recovers the job,
  imports the file once and removes it;
- killed on its last attempt too: the import ends failed with the message, nothing imported, the file removed.

The seconds from the kill to the end are printed (pytest -s), never asserted."""

from __future__ import annotations

import contextlib
import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from certprep.core.tests.workers import wait_until, worker_environment, worker_process
from certprep.engagements import services
from certprep.engagements.imports import import_request
from certprep.engagements.models import Engagement, EngagementImport
from certprep.engagements.tests.factories import UserFactory
from certprep.engagements.transfer import engagement_export

pytestmark = pytest.mark.django_db(transaction=True)

STALE_SECONDS = 2

# The worker as `make run` starts it; with SLOW_IMPORT set, the import says where it is (a file) and waits inside
# its transaction, after every section is written and before the suggested invitations and the job's end.
WORKER = """
import os, sys, time
from pathlib import Path
import django
django.setup()
from django.core.management import call_command
from certprep.engagements import transfer
real = transfer._suggest_invitations
def slow(**kwargs):
    if os.environ.get("SLOW_IMPORT"):
        Path(os.environ["SLOW_IMPORT"]).write_text(sys.argv[1])
        time.sleep(600)
    return real(**kwargs)
transfer._suggest_invitations = slow
call_command("worker", "--no-reload", "--no-startup-delay", "--interval", "0.2", "--worker-id", sys.argv[1])
"""


@pytest.fixture
def environment(tmp_path, settings) -> dict[str, str]:
    return worker_environment(tmp_path, settings, stale_seconds=STALE_SECONDS)


@contextlib.contextmanager
def worker(environment: dict[str, str], log_dir: Path, name: str, slow: Path | None) -> Iterator[subprocess.Popen]:
    """A worker process; with `slow`, its import says it is inside (that file) and waits there."""
    env = environment | ({"SLOW_IMPORT": str(slow)} if slow else {})
    with worker_process(WORKER, env, log_dir, name) as process:
        yield process


def kill_inside_the_import(process: subprocess.Popen, marker: Path, job: EngagementImport, attempt: int) -> None:
    wait_until(marker.exists, f"worker inside attempt {attempt}'s import")
    process.kill()
    process.wait(timeout=30)
    marker.unlink()
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("running", attempt)


def copies() -> int:
    return Engagement.objects.filter(name="Client A preparation").count() - 1


@pytest.fixture
def job(engagement, owner, environment) -> EngagementImport:
    services.member_add(
        engagement=engagement, actor=owner, user=UserFactory(username="qm", email="qm@a.example"), role="editor"
    )
    return import_request(raw=json.dumps(engagement_export(engagement)).encode(), name="e.json", actor=owner)


def stored_imports() -> list[Path]:
    return list((Path(django_settings.MEDIA_ROOT) / "imports").glob("*"))


def test_a_worker_killed_inside_the_import_leaves_nothing_and_the_next_imports_it_once(job, environment, tmp_path):
    marker = tmp_path / "inside"
    with worker(environment, tmp_path, "a", slow=marker) as first:
        kill_inside_the_import(first, marker, job, attempt=1)
    killed_at = time.monotonic()
    assert copies() == 0  # the killed attempt's rows never committed
    assert len(stored_imports()) == 1  # the file waits for the retry

    with worker(environment, tmp_path, "b", slow=None):
        wait_until(lambda: EngagementImport.objects.get(pk=job.pk).status == "done", "the retry done")
    print(f"\nkilled -> done by the next worker: {time.monotonic() - killed_at:.1f} s")
    job.refresh_from_db()
    assert (job.attempts, job.worker_id, job.worker_stopped, job.message, job.suggested) == (2, "b", True, "", ["qm"])
    assert copies() == 1
    assert job.engagement is not None
    assert stored_imports() == []


def test_an_import_whose_worker_is_killed_on_each_attempt_ends_failed_with_nothing_imported(job, environment, tmp_path):
    marker = tmp_path / "inside"
    with worker(environment, tmp_path, "a", slow=marker) as first:
        kill_inside_the_import(first, marker, job, attempt=1)
    with worker(environment, tmp_path, "b", slow=marker) as second:
        kill_inside_the_import(second, marker, job, attempt=2)
    with worker(environment, tmp_path, "c", slow=None):
        wait_until(lambda: EngagementImport.objects.get(pk=job.pk).status == "failed", "the import failed", 60)
        time.sleep(1)  # worker c goes on polling: it never takes the import again
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("failed", 2)
    assert job.message == "The worker stopped while running this; it was tried 2 times."
    assert copies() == 0
    assert stored_imports() == []
