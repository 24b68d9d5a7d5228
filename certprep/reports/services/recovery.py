"""Report builds whose worker stopped (killed, out of memory, its machine gone): a running build carries a heartbeat
(services/run.py); one whose heartbeat is older than CERTPREP_TASK_STALE_SECONDS (default 120) was abandoned. It is
tried again once (back to queued, the files it had made removed, a new task queued) and, when its last attempt is
abandoned too, marked failed with a message people can read; the task row django-tasks-db left "running" is marked
failed with it.

Who recovers: every worker at its start and every quarter of the limit while it runs (`manage.py report_worker`),
and the reports page when it would show a build whose heartbeat is old, so a build never shows "running" for ever,
even with no worker up. With the default limit and a worker up, a killed worker's build is queued again 120 to 150 s
after the kill. Several may recover at once: each abandoned build is taken by one conditional UPDATE (status
still running, heartbeat still the old one), so only one of them queues it again."""

from __future__ import annotations

import datetime
import logging
import posixpath
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from certprep.core.storage import delete_files, stored_under
from certprep.reports.choices import BuildStatus
from certprep.reports.models import ReportBuild, ReportFile, report_upload_to

logger = logging.getLogger(__name__)

# A build is begun at most this many times: the first attempt and one retry after its worker stopped.
MAX_ATTEMPTS = 2


class WorkerStopped(Exception):
    """What the task rows of abandoned builds name as their error (django-tasks-db's exception_class_path)."""


def stale_seconds() -> float:
    """How old a heartbeat may be before its build counts as abandoned (CERTPREP_TASK_STALE_SECONDS)."""
    return float(settings.CERTPREP_TASK_STALE_SECONDS)


def heartbeat_seconds() -> float:
    """How often a running build's worker writes its heartbeat: four times within the limit, so a worker busy with
    a database that answers slowly is not taken as stopped."""
    return stale_seconds() / 4


def is_stale(heartbeat_at: datetime.datetime | None, *, now: datetime.datetime, limit: float) -> bool:
    """A heartbeat older than `limit` seconds (or none at all) is stale."""
    return heartbeat_at is None or (now - heartbeat_at).total_seconds() > limit


def build_is_stale(build: ReportBuild, *, now: datetime.datetime | None = None) -> bool:
    """Whether a build shows "running" although its worker stopped."""
    if build.status != BuildStatus.RUNNING:
        return False
    return is_stale(build.heartbeat_at, now=now or timezone.now(), limit=stale_seconds())


@dataclass(frozen=True)
class Recovered:
    """What one recovery did: the builds queued again and the builds marked failed."""

    restarted: list[int]
    failed: list[int]


def restart_message(attempt: int) -> str:
    return _("The worker stopped while writing this build; it was restarted (attempt %(n)s of %(max)s).") % {
        "n": attempt,
        "max": MAX_ATTEMPTS,
    }


def failure_message(attempts: int) -> str:
    return _("The worker stopped while writing this build; it was tried %(n)s times.") % {"n": attempts}


def _fail_task(task_result_id: str, text: str, now: datetime.datetime) -> None:
    """The task row the stopped worker left running, failed as django-tasks-db fails one."""
    if not task_result_id:
        return
    DBTaskResult.objects.filter(id=task_result_id, status="RUNNING").update(
        status="FAILED",
        finished_at=now,
        return_value=None,
        exception_class_path=f"{WorkerStopped.__module__}.{WorkerStopped.__qualname__}",
        traceback=text,
    )


def _remove_unrecorded(build: ReportBuild, *, keep: set[str]) -> None:
    """Remove the stored files in the build's folder but `keep`: the attempt's files on a restart, and what the
    stopped worker stored without recording it (a file is stored before its row commits, and the worker may have
    been killed in between)."""
    folder = posixpath.dirname(report_upload_to(ReportFile(build=build), "report"))
    delete_files(name for name in stored_under(folder) if name not in keep)


def _recover_one(build_id: int, heartbeat_at: datetime.datetime | None, now: datetime.datetime) -> str | None:
    """Take one abandoned build: "restarted", "failed", or None when someone else took it first (or it came back
    to life)."""
    from certprep.reports.tasks import build_reports

    with transaction.atomic():
        build = ReportBuild.objects.filter(pk=build_id, status=BuildStatus.RUNNING, heartbeat_at=heartbeat_at).first()
        if build is None:
            return None
        with translation.override(settings.LANGUAGE_CODE):
            last = build.attempts >= MAX_ATTEMPTS
            text = failure_message(build.attempts) if last else restart_message(build.attempts + 1)
        values: dict[str, object] = {"worker_stopped": True, "message": text, "heartbeat_at": None}
        if last:
            values |= {"status": BuildStatus.FAILED, "finished_at": now}
        else:
            values |= {"status": BuildStatus.QUEUED, "steps_done": 0, "current_step": "", "started_at": None}
        # The compare-and-write that makes one recovery win: the row still running with the heartbeat we read.
        taken = ReportBuild.objects.filter(pk=build_id, status=BuildStatus.RUNNING, heartbeat_at=heartbeat_at).update(
            **values
        )
        if not taken:
            return None
        _fail_task(build.task_result_id, text, now)
        files = ReportFile.objects.filter(build_id=build_id)
        if last:
            _remove_unrecorded(build, keep={name for name in files.values_list("file", flat=True) if name})
            return "failed"
        files.delete()
        # Before the new task is queued (it cannot start before this commits): the new attempt's files are never
        # among those removed.
        _remove_unrecorded(build, keep=set())
        # Queued in the same transaction as the build's change: both land or neither does.
        task_result = build_reports.enqueue(build_id)
        ReportBuild.objects.filter(pk=build_id).update(task_result_id=str(task_result.id))
        return "restarted"


def _requeue_unbegun(cutoff: datetime.datetime, now: datetime.datetime) -> list[int]:
    """Builds still queued whose task a worker claimed before `cutoff`: that worker stopped between claiming the task
    and beginning the build (which writes the first heartbeat). Queued again with a new task; no attempt counted."""
    from certprep.reports.tasks import build_reports

    claimed = DBTaskResult.objects.filter(status="RUNNING", started_at__lt=cutoff, task_path=build_reports.module_path)
    task_ids = [str(value) for value in claimed.order_by().values_list("id", flat=True)]
    if not task_ids:
        return []
    requeued = []
    waiting = ReportBuild.objects.filter(status=BuildStatus.QUEUED, task_result_id__in=task_ids)
    for build_id, task_id in waiting.order_by().values_list("pk", "task_result_id"):
        with transaction.atomic():
            task_result = build_reports.enqueue(build_id)
            # The compare-and-write: the build still waits on the task that was claimed.
            if not ReportBuild.objects.filter(pk=build_id, status=BuildStatus.QUEUED, task_result_id=task_id).update(
                task_result_id=str(task_result.id)
            ):
                transaction.set_rollback(True)
                continue
            _fail_task(task_id, "The worker stopped before it began this build; the build was queued again.", now)
            requeued.append(build_id)
    return requeued


def builds_recover(*, now: datetime.datetime | None = None, engagement_id: int | None = None) -> Recovered:
    """Queue again (or fail, after the last attempt) every build whose heartbeat is older than the limit (or that has
    none: begun by a worker of a version before heartbeats). A cheap indexed query when there is none (status,
    heartbeat_at). The workers' recovery (no `engagement_id`) also queues again the builds whose task a stopped worker
    claimed but never began."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=stale_seconds())
    abandoned = ReportBuild.objects.filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True), status=BuildStatus.RUNNING
    )
    if engagement_id is not None:
        abandoned = abandoned.filter(engagement_id=engagement_id)
    restarted: list[int] = []
    failed: list[int] = []
    for build_id, heartbeat_at in abandoned.order_by().values_list("pk", "heartbeat_at"):
        outcome = _recover_one(build_id, heartbeat_at, now)
        if outcome == "restarted":
            restarted.append(build_id)
            logger.warning("Report build %s: its worker stopped; queued again.", build_id)
        elif outcome == "failed":
            failed.append(build_id)
            logger.warning("Report build %s: its worker stopped on the last attempt; marked failed.", build_id)
    if engagement_id is None:
        for build_id in _requeue_unbegun(cutoff, now):
            restarted.append(build_id)
            logger.warning("Report build %s: its worker stopped before beginning it; queued again.", build_id)
    return Recovered(restarted=restarted, failed=failed)


def worker_note(build: ReportBuild) -> str:
    """What the reports page says of a build whose worker stopped, in the reader's language ("" for the others)."""
    if not build.worker_stopped:
        return ""
    if build.status == BuildStatus.FAILED:
        return failure_message(build.attempts)
    if build.status == BuildStatus.QUEUED:
        return _("The worker stopped while writing this build; it starts again when a worker is free.")
    if build.status == BuildStatus.RUNNING:
        return _("Restarted after the worker stopped: attempt %(n)s of %(max)s.") % {
            "n": build.attempts,
            "max": MAX_ATTEMPTS,
        }
    return _("Done after a restart: the worker stopped during an earlier attempt.")


def shown_builds_recover(builds: list[ReportBuild]) -> bool:
    """The reports page's part: recover the abandoned builds among those it is about to show (their engagement's
    only); True when it changed any, so the page reads them again."""
    now = timezone.now()
    stale = [build for build in builds if build_is_stale(build, now=now)]
    if not stale:
        return False
    recovered = builds_recover(now=now, engagement_id=stale[0].engagement_id)
    return bool(recovered.restarted or recovered.failed)
