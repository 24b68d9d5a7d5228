"""The engagement-file import's background task (the worker's side): a worker (`manage.py worker`) takes the queued
import, reads the stored file and imports it as `transfer.engagement_import` does during a request, all or nothing,
in the language of the page it was asked from. The file is removed once the import is done or failed.

The engagement and the import's end are written in one transaction: a worker whose import was recovered under it
(taken for stopped, then came back) rolls its engagement back instead of leaving one beside the retry's, and a
worker killed in the middle leaves nothing half imported, so the retry starts from nothing."""

from __future__ import annotations

from django.db import transaction
from django.tasks import TaskContext, task
from django.utils import translation

from certprep.core.background import job_done, job_failed, job_run, job_update, task_ids
from certprep.core.errors import ServiceError
from certprep.core.storage import delete_on_commit
from certprep.engagements import transfer
from certprep.engagements.models import Engagement, EngagementImport

# The steps a running import shows (language-neutral; the status page words them).
STEP_READ = "read"
STEP_IMPORT = "import"


def import_run(import_id: int, *, worker_id: str = "", task_id: str = "") -> EngagementImport | None:
    """Run the queued import (core.background.job_run); returns it as it ended. A file the import refuses ends it
    failed with the refusal (where in the file, as the page said before); any other error too, then it is raised."""

    def work(job: EngagementImport) -> None:
        with translation.override(job.language or None):
            _import(job)

    return job_run(
        EngagementImport.objects.select_related("requested_by"),
        import_id,
        work,
        worker_id=worker_id,
        task_id=task_id,
        begin={"current_step": STEP_READ},
        failed={"current_step": ""},
        after_failure=_remove_file,
    )


def _import(job: EngagementImport) -> None:
    with job.file.open("rb") as stored:
        raw = stored.read()
    job_update(job, current_step=STEP_IMPORT)

    def finish(engagement: Engagement, suggested: list[str]) -> None:
        # Inside the import's transaction: the engagement lands only with the job marked done by this attempt.
        job_done(job, engagement=engagement, suggested=suggested, current_step="")

    try:
        transfer.engagement_import(raw=raw, actor=job.requested_by, on_imported=finish)
    except ServiceError as exc:
        job_failed(job, exc.message, current_step="")
        _remove_file(job)
        return
    _remove_file(job)


def _remove_file(job: EngagementImport) -> None:
    """The stored file is no longer needed once the import ended: the row keeps its name, the store drops it."""
    if job.file.name:
        with transaction.atomic():
            EngagementImport.objects.filter(pk=job.pk).update(file="")
            delete_on_commit([job.file.name])


@task(takes_context=True)
def import_engagement_file(context: TaskContext, import_id: int) -> str:
    """Import one uploaded engagement file; the import records its progress, its worker and, on failure, why."""
    job = import_run(import_id, **task_ids(context))
    return job.status if job is not None else "gone"
