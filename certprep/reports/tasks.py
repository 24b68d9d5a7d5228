"""The report builds' background task (Django's Tasks framework on the database backend, django-tasks-db):
`manage.py worker` (db_worker's loop, with the recovery of jobs whose worker stopped) picks it up; `make run`
starts that worker next to the web server."""

from __future__ import annotations

from django.tasks import TaskContext, task

from certprep.core.background import task_ids
from certprep.reports.services.run import build_run


@task(takes_context=True)
def build_reports(context: TaskContext, build_id: int) -> str:
    """Write the files of one report build; the build records its progress, its worker and, on failure, why."""
    build = build_run(build_id, **task_ids(context))
    return build.status if build is not None else "deleted"
