"""core's background task: sending one outbox message (`manage.py worker` runs it)."""

from __future__ import annotations

from django.tasks import TaskContext, task

from certprep.core.background import task_ids
from certprep.core.outbox import message_send


@task(takes_context=True)
def send_mail_message(context: TaskContext[[int], str], message_id: int) -> str:
    """Send one queued e-mail; the message records its state (sent, queued again, failed) and why."""
    message = message_send(message_id, **task_ids(context))
    return message.status if message is not None else "deleted"
