"""Tests' way to send the queued e-mail: `mail_drain()` runs every outbox task that is due through the worker's own
code (django-tasks-db's Worker claims the task and runs it, as `manage.py worker` does), so `mail.outbox` then
holds what a worker would have sent. It works inside a test's transaction: the worker command itself checks its
database connection between tasks, which would close that transaction."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django_tasks_db.models import DBTaskResult

from certprep.core.jobs import OUTBOX
from certprep.core.tests.workers import in_process_worker

WORKER_ID = "test-mail-worker"


def mail_drain() -> int:
    """Send every queued e-mail whose time has come; how many tasks ran. A message queued again for later (a
    refused send) waits for its time, as with a real worker."""
    worker = in_process_worker(WORKER_ID, queues=("*",), interval=0)
    ran = 0
    while True:
        result = DBTaskResult.objects.ready().filter(task_path=OUTBOX.task.module_path).order_by("enqueued_at").first()
        if result is None:
            return ran
        result.claim(WORKER_ID)
        worker.run_task(result)
        ran += 1


class RefusingMailServer(BaseEmailBackend):
    """A mail server that refuses every message (MAILERS' backend in the tests of retries)."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise smtplib.SMTPRecipientsRefused({"ann@client-a.example": (550, b"Mailbox unavailable")})


REFUSING = {"default": {"BACKEND": f"{__name__}.RefusingMailServer"}}
