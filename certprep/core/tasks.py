"""core's background task: sending one outbox message (`manage.py worker` runs it)."""

from __future__ import annotations

from django.tasks import TaskContext, task

from certprep.core.outbox import message_send


@task(takes_context=True)
def send_mail_message(context: TaskContext[[int], str], message_id: int) -> str:
    """Send one queued e-mail; the message records its state (sent, queued again, failed) and why."""
    result = context.task_result
    message = message_send(
        message_id, worker_id=result.worker_ids[-1] if result.worker_ids else "", task_id=str(result.id)
    )
    return message.status if message is not None else "deleted"
