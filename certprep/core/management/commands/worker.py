"""`manage.py worker`: the background worker. It is django-tasks-db's `db_worker` (same options, same loop) that also
recovers the jobs whose worker stopped (certprep.core.background): report builds, e-mail, engagement-file imports
and whatever kind an app declares in its `jobs` module. It recovers once at its start, then every quarter of
CERTPREP_TASK_STALE_SECONDS (30 s by default) while it runs, idle or busy.

db_worker offers no hook at its start (Django's task_started/task_finished signals fire only around a task, so an
idle worker would never look), hence this thin command. The recovery runs on a small thread of its own (its own
database connection): one indexed query per kind when nothing is abandoned. At its start and hourly it also
sweeps: each kind clears what it no longer needs (finished imports no longer shown, files no job names)."""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

from django.db import DatabaseError, connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from certprep.core.background import SWEEP_SECONDS, heartbeat_seconds, kinds, recover, sweep

logger = logging.getLogger(__name__)


def _recover() -> None:
    try:
        recover()
    except DatabaseError:  # a busy or unreachable database: the next round tries again
        logger.warning("Recovery of stopped background jobs failed; trying again later.", exc_info=True)


def _sweep() -> None:
    try:
        sweep()
    except DatabaseError:
        logger.warning("Sweeping finished background jobs failed; trying again later.", exc_info=True)


def _watch(stop: threading.Event, every: float) -> None:
    swept = time.monotonic()
    try:
        while not stop.wait(every):
            _recover()
            if time.monotonic() - swept >= SWEEP_SECONDS:
                _sweep()
                swept = time.monotonic()
    finally:
        connection.close()


class Command(DBWorkerCommand):
    help = "Run the background worker (db_worker), recovering the jobs whose worker stopped"

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            # The reloader's parent only watches the files; its child (this command again) works and recovers.
            super().handle(*args, **options)
            return
        # Every kind's task imported now, not when the first task is claimed: the import (the parts, the renderers)
        # takes seconds on a busy machine, and a job whose task was claimed but not begun for longer than the stale
        # limit is queued again.
        kinds()
        _recover()
        _sweep()
        stop = threading.Event()
        watcher = threading.Thread(target=_watch, args=(stop, heartbeat_seconds()), name="job-recovery", daemon=True)
        watcher.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
