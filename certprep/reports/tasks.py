"""The report builds' background task (Django's Tasks framework on the database backend, django-tasks-db):
`manage.py db_worker` picks it up; `make run` starts that worker next to the web server."""

from __future__ import annotations

from django.tasks import task

from certprep.reports.services.run import build_run


@task()
def build_reports(build_id: int) -> str:
    """Write the files of one report build; the build records its progress and, on failure, why."""
    build = build_run(build_id)
    return build.status if build is not None else "deleted"
