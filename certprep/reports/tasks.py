"""The report builds' background task (Django's Tasks framework on the database backend, django-tasks-db):
`manage.py worker` (db_worker's loop, with the recovery of jobs whose worker stopped) picks it up; `make run`
starts that worker next to the web server."""

from __future__ import annotations

from django.tasks import TaskContext, task

from certprep.reports.services.run import build_run


@task(takes_context=True)
def build_reports(context: TaskContext, build_id: int) -> str:
    """Write the files of one report build; the build records its progress, its worker and, on failure, why."""
    result = context.task_result
    build = build_run(build_id, worker_id=result.worker_ids[-1] if result.worker_ids else "", task_id=str(result.id))
    return build.status if build is not None else "deleted"
