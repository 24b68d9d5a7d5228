"""Background jobs that survive their worker: the one way certprep runs work a person waits for outside the request
(report builds, e-mail, engagement-file imports) on Django's Tasks framework over the database (django-tasks-db).

A job is a row of a model that inherits `TrackedJob`: its state (queued, running, done, failed), how often a worker
began it, a message people can read, and while it runs a heartbeat. The page that shows the job reads that row;
django-tasks-db's own task row only carries the work to a worker. Each app declares its kinds of job in its `jobs`
module (`register(JobKind(...))`); `manage.py worker` imports them all.

- **Once**: a worker takes a queued job with one conditional UPDATE (`job_begin`): still queued and still waiting on
  the task this worker claimed. Two workers never run the same attempt.
- **Alive**: while it runs, `Heartbeat` writes `heartbeat_at` every quarter of CERTPREP_TASK_STALE_SECONDS from a
  thread of its own; it dies with its process.
- **Recovered**: a running job whose heartbeat is older than the limit was abandoned (its worker was killed, ran out
  of memory, lost its machine). `recover` queues it again, or marks it failed with a message after its last attempt,
  and fails the task row the stopped worker left "running". Each abandoned job is taken by one compare-and-write
  (status still running, heartbeat still the one read), so several recoveries at once act once. A job whose task a
  worker claimed but never began is queued again too. Workers recover at their start and every quarter of the
  limit; a page about to show a stale job recovers it first (`shown_recover`), so nothing shows "running" for ever.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, models, transaction
from django.db.models import F, Q, QuerySet
from django.tasks import Task, TaskContext
from django.utils import timezone, translation
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)
MAX_MESSAGE = 2000


class JobStatus(models.TextChoices):
    QUEUED = "queued", gettext_lazy("Queued")
    RUNNING = "running", gettext_lazy("Running")
    DONE = "done", gettext_lazy("Done")
    FAILED = "failed", gettext_lazy("Failed")


FINISHED = frozenset({JobStatus.DONE, JobStatus.FAILED})


class TrackedJob(models.Model):
    """What every background job records about its run (see the module's text)."""

    status = models.CharField(
        gettext_lazy("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    message = models.TextField(
        gettext_lazy("message"), blank=True, help_text=gettext_lazy("Why it failed, in words for people.")
    )
    started_at = models.DateTimeField(gettext_lazy("started"), null=True, blank=True)
    finished_at = models.DateTimeField(gettext_lazy("finished"), null=True, blank=True)
    task_result_id = models.CharField(gettext_lazy("background task"), max_length=64, blank=True)
    heartbeat_at = models.DateTimeField(gettext_lazy("last sign of life"), null=True, blank=True)
    worker_id = models.CharField(gettext_lazy("worker"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(
        gettext_lazy("attempts"), default=0, help_text=gettext_lazy("How many times a worker began it.")
    )
    worker_stopped = models.BooleanField(
        gettext_lazy("worker stopped"),
        default=False,
        help_text=gettext_lazy("A worker stopped while running it (killed, out of memory)."),
    )

    class Meta:
        abstract = True


class WorkerStopped(Exception):
    """What the task rows of abandoned jobs name as their error (django-tasks-db's exception_class_path)."""


class JobGone(Exception):
    """The job was deleted while a worker ran it, or recovered under it (its heartbeat was taken for a stopped
    worker's): stop, and leave nothing behind."""


def _default_restart(attempt: int, most: int) -> str:
    return _("The worker stopped while running this; it was restarted (attempt %(n)s of %(max)s).") % {
        "n": attempt,
        "max": most,
    }


def _default_failure(attempts: int) -> str:
    return _("The worker stopped while running this; it was tried %(n)s times.") % {"n": attempts}


@dataclass(frozen=True, kw_only=True)
class JobKind[J: TrackedJob]:
    """One kind of background job: its model, the task a worker runs (its only argument the job's id), how many
    times it is begun at most, what a restart resets besides the run's own fields, what a stopped attempt leaves
    behind to remove (`discard(job, last)`: files stored but not recorded; `last` when it is failed) and what to
    clear away now and then (`sweep`)."""

    key: str
    model: type[J]
    task: Task[Any, Any]
    max_attempts: int = 2
    restart_values: dict[str, object] = field(default_factory=dict)
    restart_message: Callable[[int, int], str] = _default_restart
    failure_message: Callable[[int], str] = _default_failure
    discard: Callable[[J, bool], None] | None = None
    # What the kind clears away now and then (the workers call it at their start and every SWEEP_SECONDS): jobs no
    # longer shown, files nobody's job names. Given the moment; answers how many things it removed.
    sweep: Callable[[datetime.datetime], int] | None = None


_KINDS: dict[str, JobKind[Any]] = {}
_discovered = False


def register[J: TrackedJob](kind: JobKind[J]) -> JobKind[J]:
    _KINDS[kind.key] = kind
    return kind


def kinds() -> list[JobKind[Any]]:
    """Every kind the installed apps declare in their `jobs` modules (imported once)."""
    global _discovered
    if not _discovered:
        autodiscover_modules("jobs")
        _discovered = True
    return list(_KINDS.values())


def stale_seconds() -> float:
    """How old a heartbeat may be before its job counts as abandoned (CERTPREP_TASK_STALE_SECONDS)."""
    return float(settings.CERTPREP_TASK_STALE_SECONDS)


def heartbeat_seconds() -> float:
    """How often a running job's worker writes its heartbeat: four times within the limit, so a worker held up by a
    database that answers slowly is not taken as stopped."""
    return stale_seconds() / 4


def is_stale(heartbeat_at: datetime.datetime | None, *, now: datetime.datetime, limit: float) -> bool:
    """A heartbeat older than `limit` seconds (or none at all) is stale."""
    return heartbeat_at is None or (now - heartbeat_at).total_seconds() > limit


def job_is_stale(job: TrackedJob, *, now: datetime.datetime | None = None) -> bool:
    """Whether a job shows "running" although its worker stopped."""
    if job.status != JobStatus.RUNNING:
        return False
    return is_stale(job.heartbeat_at, now=now or timezone.now(), limit=stale_seconds())


def job_enqueue(kind: JobKind[Any], job: TrackedJob, **options: Any) -> None:
    """Queue the job's task and record it on the job. Call it inside the transaction that created or changed the
    job: on the database queue, both land or neither does. `options` go to the task (run_after=...)."""
    task = kind.task.using(**options) if options else kind.task
    result = task.enqueue(job.pk)
    kind.model._default_manager.filter(pk=job.pk).update(task_result_id=str(result.id))
    job.task_result_id = str(result.id)


def this_attempt[J: TrackedJob](job: J) -> QuerySet[J]:
    """The job's row while it is still this worker's: running, at the attempt this worker began."""
    return type(job)._default_manager.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts)


def job_update(job: TrackedJob, **values: object) -> None:
    """Write the running job's progress (and its heartbeat), or raise JobGone when it is no longer this attempt's."""
    values.setdefault("heartbeat_at", timezone.now())
    if not this_attempt(job).update(**values):
        raise JobGone
    for name, value in values.items():
        setattr(job, name, value)


def job_begin(job: TrackedJob, *, worker_id: str, task_id: str, **values: object) -> bool:
    """Take the queued job for this worker (one attempt more); False when it is not queued any more (another worker
    runs it, it finished, or it was deleted) or waits on another task (the recovery queued it again, taking this
    task's worker for stopped). `values` are written with it (a progress reset)."""
    now = timezone.now()
    queued = type(job)._default_manager.filter(pk=job.pk, status=JobStatus.QUEUED)
    if task_id:  # "": the task's id is written on the job just after it is queued, and may not be there yet
        queued = queued.filter(Q(task_result_id=task_id) | Q(task_result_id=""))
    taken = queued.update(
        status=JobStatus.RUNNING,
        attempts=F("attempts") + 1,
        worker_id=worker_id[:64],
        heartbeat_at=now,
        started_at=now,
        **values,
    )
    if taken:
        job.refresh_from_db(fields=["status", "attempts", "worker_id", "heartbeat_at", "started_at", *values])
    return bool(taken)


def job_done(job: TrackedJob, **values: object) -> None:
    job_update(job, status=JobStatus.DONE, message="", finished_at=timezone.now(), **values)


def failure_text(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return text[:MAX_MESSAGE]


def job_failed(job: TrackedJob, message: str, **values: object) -> None:
    """Mark this attempt failed with `message` (words people read); nothing when it is no longer this attempt's."""
    this_attempt(job).update(
        status=JobStatus.FAILED, message=message[:MAX_MESSAGE], finished_at=timezone.now(), **values
    )
    job.status = JobStatus.FAILED
    job.message = message[:MAX_MESSAGE]


def task_ids(context: TaskContext[..., Any]) -> dict[str, str]:
    """The worker and the task a task's context names, as `job_run` takes them."""
    result = context.task_result
    return {"worker_id": result.worker_ids[-1] if result.worker_ids else "", "task_id": str(result.id)}


def job_run[J: TrackedJob](
    jobs: QuerySet[J],
    job_id: int,
    work: Callable[[J], None],
    *,
    worker_id: str = "",
    task_id: str = "",
    begin: dict[str, object] | None = None,
    failed: dict[str, object] | None = None,
    after_failure: Callable[[J], None] | None = None,
) -> J | None:
    """The worker's side of every kind: take the queued job (`job_begin`, with `begin` written too), do `work` under a
    heartbeat, and answer the job as it ended. None when it no longer exists, or was deleted or recovered under this
    worker (JobGone); a job not queued any more is answered as it is, not run again. Any other error marks it failed
    (with `failed` written too, then `after_failure`) and is raised, so the task row records it as well. `work`
    ends the job itself (`job_done`, or `job_failed` for a refusal it expects)."""
    job = jobs.filter(pk=job_id).first()
    if job is None:
        return None
    if not job_begin(job, worker_id=worker_id, task_id=task_id, **(begin or {})):
        # Finished, run by another worker, queued again on another task, or deleted meanwhile: as it is now.
        return type(job)._default_manager.filter(pk=job_id).first()
    label = type(job)._meta.label_lower
    try:
        with Heartbeat(job):
            work(job)
    except JobGone:
        logger.info("%s %s was deleted or recovered while it ran; stopped.", label, job_id)
        return None
    except Exception as exc:
        logger.exception("%s %s failed", label, job_id)
        job_failed(job, failure_text(exc), **(failed or {}))
        if after_failure is not None:
            after_failure(job)
        raise
    return job


class Heartbeat:
    """Writes the job's heartbeat every quarter of the stale limit from a thread of its own (its own database
    connection) until the block ends: the worker's process is alive even while one long step runs."""

    def __init__(self, job: TrackedJob, every: float | None = None) -> None:
        self._job, self._every = job, heartbeat_seconds() if every is None else every
        self._stop = threading.Event()
        name = f"heartbeat-{type(job)._meta.label_lower}-{job.pk}"
        self._thread = threading.Thread(target=self._beat, name=name, daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _beat(self) -> None:
        try:
            while not self._stop.wait(self._every):
                try:
                    if not this_attempt(self._job).update(heartbeat_at=timezone.now()):
                        return  # finished, deleted or recovered: the main thread finds out at its next step
                except DatabaseError:  # a busy database: the next beat tries again
                    logger.warning("%s: heartbeat not written", self._job, exc_info=True)
        finally:
            connection.close()


@dataclass(frozen=True)
class Recovered:
    """What one recovery did: the jobs queued again and the jobs marked failed, by their kind's key."""

    restarted: list[tuple[str, int]]
    failed: list[tuple[str, int]]

    def __bool__(self) -> bool:
        return bool(self.restarted or self.failed)


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


def _recover_one(
    kind: JobKind[Any], job_id: int, heartbeat_at: datetime.datetime | None, now: datetime.datetime
) -> str | None:
    """Take one abandoned job: "restarted", "failed", or None when someone else took it first (or it came back to
    life)."""
    model = kind.model
    with transaction.atomic():
        still = model._default_manager.filter(pk=job_id, status=JobStatus.RUNNING, heartbeat_at=heartbeat_at)
        job = still.first()
        if job is None:
            return None
        last = job.attempts >= kind.max_attempts
        with translation.override(settings.LANGUAGE_CODE):
            text = (
                kind.failure_message(job.attempts)
                if last
                else kind.restart_message(job.attempts + 1, kind.max_attempts)
            )
        values: dict[str, object] = {"worker_stopped": True, "message": text, "heartbeat_at": None}
        if last:
            values |= {"status": JobStatus.FAILED, "finished_at": now}
        else:
            values |= {"status": JobStatus.QUEUED, "started_at": None, **kind.restart_values}
        # The compare-and-write that makes one recovery win: the row still running with the heartbeat we read.
        if not still.update(**values):
            return None
        _fail_task(job.task_result_id, text, now)
        if kind.discard is not None:
            # Before the new task is queued (it cannot start before this commits): nothing the new attempt stores is
            # among what is removed.
            kind.discard(job, last)
        if last:
            return "failed"
        # Queued in the same transaction as the job's change: both land or neither does.
        job_enqueue(kind, job)
        return "restarted"


def _requeue_unbegun(kind: JobKind[Any], cutoff: datetime.datetime, now: datetime.datetime) -> list[int]:
    """Jobs still queued whose task a worker claimed before `cutoff`: that worker stopped between claiming the task
    and beginning the job (which writes the first heartbeat). Queued again with a new task; no attempt counted."""
    claimed = DBTaskResult.objects.filter(status="RUNNING", started_at__lt=cutoff, task_path=kind.task.module_path)
    task_ids = [str(value) for value in claimed.order_by().values_list("id", flat=True)]
    if not task_ids:
        return []
    requeued = []
    waiting = kind.model._default_manager.filter(status=JobStatus.QUEUED, task_result_id__in=task_ids)
    for job_id, task_id in waiting.order_by().values_list("pk", "task_result_id"):
        with transaction.atomic():
            result = kind.task.enqueue(job_id)
            # The compare-and-write: the job still waits on the task that was claimed.
            if not kind.model._default_manager.filter(
                pk=job_id, status=JobStatus.QUEUED, task_result_id=task_id
            ).update(task_result_id=str(result.id)):
                transaction.set_rollback(True)
                continue
            _fail_task(task_id, "The worker stopped before it began this job; the job was queued again.", now)
            requeued.append(job_id)
    return requeued


def recover(
    selected: Sequence[JobKind[Any]] | None = None,
    *,
    now: datetime.datetime | None = None,
    only: Iterable[int] | None = None,
) -> Recovered:
    """Queue again (or fail, after the last attempt) every job whose heartbeat is older than the limit (or that has
    none). A cheap indexed query per kind when there is none. `only`: these jobs' ids (a page's own, of one kind);
    without it, the workers' round also queues again the jobs whose task a stopped worker claimed but never began."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=stale_seconds())
    restarted: list[tuple[str, int]] = []
    failed: list[tuple[str, int]] = []
    for kind in kinds() if selected is None else selected:
        abandoned = kind.model._default_manager.filter(
            Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True), status=JobStatus.RUNNING
        )
        if only is not None:
            abandoned = abandoned.filter(pk__in=list(only))
        for job_id, heartbeat_at in abandoned.order_by().values_list("pk", "heartbeat_at"):
            outcome = _recover_one(kind, job_id, heartbeat_at, now)
            if outcome == "restarted":
                restarted.append((kind.key, job_id))
                logger.warning("%s %s: its worker stopped; queued again.", kind.key, job_id)
            elif outcome == "failed":
                failed.append((kind.key, job_id))
                logger.warning("%s %s: its worker stopped on the last attempt; marked failed.", kind.key, job_id)
        if only is None:
            for job_id in _requeue_unbegun(kind, cutoff, now):
                restarted.append((kind.key, job_id))
                logger.warning("%s %s: its worker stopped before beginning it; queued again.", kind.key, job_id)
    return Recovered(restarted=restarted, failed=failed)


# How often a worker sweeps (each kind's `sweep`): hourly is soon enough for what waits days to be cleared.
SWEEP_SECONDS = 3600


def sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Every kind's sweep, one after another; one that fails is logged and the others still run. How many things
    each removed, by the kind's key."""
    now = now or timezone.now()
    removed: dict[str, int] = {}
    for kind in kinds():
        if kind.sweep is None:
            continue
        try:
            removed[kind.key] = kind.sweep(now)
        except Exception:  # a store or database error: the next sweep tries again
            logger.warning("%s: sweep failed; trying again later.", kind.key, exc_info=True)
    return removed


@contextlib.contextmanager
def _brief_wait_for_locks() -> Iterator[None]:
    """Wait at most a moment for a lock another connection holds, instead of the connection's usual wait (20 s on
    SQLite, for ever on PostgreSQL). On SQLite a long job (a large import) holds the database's one write lock for its
    whole transaction, so its heartbeat cannot be written meanwhile and it looks stale to a page; on PostgreSQL a row
    may be held by a worker's recovery. The page then shows the job as it is; the workers' own recovery waits its
    turn and finds it done, or really abandoned."""
    if connection.in_atomic_block or connection.vendor not in ("sqlite", "postgresql"):
        yield
        return
    sqlite = connection.vendor == "sqlite"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout" if sqlite else "SHOW lock_timeout")
        (before,) = cursor.fetchone()
        cursor.execute("PRAGMA busy_timeout = 200" if sqlite else "SET lock_timeout = '200ms'")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if sqlite:
                cursor.execute(f"PRAGMA busy_timeout = {int(before)}")
            else:
                cursor.execute("SELECT set_config('lock_timeout', %s, false)", [before])


def shown_recover(kind: JobKind[Any], jobs: Iterable[TrackedJob]) -> bool:
    """A page's part: recover the abandoned jobs among those it is about to show (and only those); True when it
    changed any, so the page reads them again. A database too busy to answer at once leaves them to the workers'
    recovery: the page shows them as they are."""
    now = timezone.now()
    stale = [job.pk for job in jobs if job_is_stale(job, now=now)]
    if not stale:
        return False
    try:
        with _brief_wait_for_locks():
            return bool(recover([kind], now=now, only=stale))
    except DatabaseError:
        logger.warning("%s: stale jobs %s not recovered by the page (database busy)", kind.key, stale, exc_info=True)
        return False
