"""Tests' ways to run the background worker for real:

- `worker_process`: `manage.py worker` in a process of its own (a script that may patch something first, then calls
  the command), on this test's database and media folder, so a test can SIGKILL it in the middle of a job;
- `worker_thread`: django-tasks-db's own Worker in a thread beside a browser journey's live server, until nothing is
  left to do;
- `in_process_worker`: that Worker, for running claimed tasks one by one inside a test's transaction."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings as django_settings
from django.db import connection
from django_tasks_db.management.commands.db_worker import Worker

ROOT = Path(django_settings.BASE_DIR)


def in_process_worker(worker_id: str, *, queues: tuple[str, ...] = ("default",), interval: float = 0.2) -> Worker:
    """db_worker's own Worker in batch mode (it stops once no task is ready). Not the command: the command installs
    signal handlers, which only the main thread may, and checks its connection between tasks."""
    return Worker(
        queue_names=list(queues),
        interval=interval,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def worker_thread(worker_id: str = "journey") -> threading.Thread:
    """The worker, as `make run` starts it, working the queued tasks in a thread until none is left."""
    worker = in_process_worker(worker_id)

    def work() -> None:
        try:
            worker.run()
        finally:
            connection.close()

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


def database_url() -> str:
    """This test's database (the test database, not the settings' one) as the workers' DATABASE_URL."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def worker_environment(tmp_path: Path, settings: Any, *, stale_seconds: float, **extra: str) -> dict[str, str]:
    """The environment of worker processes sharing this test's database and media folder (also set as this test's
    MEDIA_ROOT), with a short stale limit for this test and them."""
    var = tmp_path / "var"
    settings.MEDIA_ROOT = var / "media"
    settings.CERTPREP_TASK_STALE_SECONDS = stale_seconds
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "DATABASE_URL": database_url(),
            "CERTPREP_VAR_DIR": str(var),
            "CERTPREP_TASK_STALE_SECONDS": str(stale_seconds),
            "PYTHONUNBUFFERED": "1",
            **extra,
        }
    )
    return environment


@contextlib.contextmanager
def worker_process(
    script: str, environment: dict[str, str], log_dir: Path, name: str
) -> Iterator[subprocess.Popen[bytes]]:
    """`python -c script name` (the script ends by calling `manage.py worker`) until the block ends; its log's tail is
    printed after (pytest -s)."""
    log = log_dir / f"worker-{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our own worker, started as make run starts it
            [sys.executable, "-c", script, name], cwd=ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)
    print(f"--- worker {name}:\n{log.read_text(errors='replace')[-3000:]}")


def wait_until(check: Callable[[], bool], what: str, seconds: float = 120) -> float:
    """Seconds until `check` held (polled every 0.1 s)."""
    start = time.monotonic()
    while not check():
        if time.monotonic() - start > seconds:
            raise AssertionError(f"{what}: not within {seconds} s")
        time.sleep(0.1)
    return time.monotonic() - start
