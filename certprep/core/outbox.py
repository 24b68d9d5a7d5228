"""Sending the outbox (the worker's side of certprep.core.mail) and reading its state for the pages.

`mail_send` writes an OutboxMessage and queues its task in the transaction of the change that caused it. A worker
(`manage.py worker`) takes the message (`job_begin`: once), sends it through Django's configured mailer, and marks
it sent. The body holds personal links (survey and invitation links), so it is cleared as soon as the message is
sent, or given up after its last attempt: the database keeps who was written to, about what and when, not the
link.

- A mail server that refuses or does not answer (an SMTP error or any OSError: refused connection, time-out) is
  tried again: back to "queued" with a message people can read, its task queued again to run after 1 minute, then
  after 5; the third failure marks it failed (body cleared, the reason kept).
- A worker killed while sending is found by `background.recover` (its heartbeat stops): the message is queued
  again, or failed after its third attempt. The message may then reach its recipient twice: delivery is at least
  once, never silently lost. The mail server may have accepted it just before the worker died; nothing can tell.
- Any other error (a message the mail library refuses to build) is not worth trying again: failed at once.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from certprep.core.background import (
    JobStatus,
    failure_text,
    job_done,
    job_enqueue,
    job_failed,
    job_run,
    shown_recover,
    this_attempt,
)
from certprep.core.models import OutboxMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# How long a refused message waits before its next attempt: after the first failure, after the second.
RETRY_AFTER = (datetime.timedelta(minutes=1), datetime.timedelta(minutes=5))


def discard_failed(message: OutboxMessage, last: bool) -> None:
    """The recovery's part (JobKind.discard): a message given up after its worker stopped loses its body too."""
    if last:
        OutboxMessage.objects.filter(pk=message.pk).update(body="")


def _email(message: OutboxMessage) -> EmailMessage:
    return EmailMessage(subject=message.subject, body=message.body, to=message.to, reply_to=message.reply_to)


def _retry_or_fail(message: OutboxMessage, exc: BaseException) -> None:
    """The mail server refused or did not answer: queue the message again for later, or fail it after the last
    attempt. Words in the installation's language (the worker has no reader)."""
    from certprep.core.jobs import OUTBOX  # the kind names this module's function: imported when it runs

    reason = failure_text(exc)
    with translation.override(settings.LANGUAGE_CODE):
        if message.attempts >= MAX_ATTEMPTS:
            text = _("The mail server refused or did not answer %(n)s times; the e-mail was not sent: %(reason)s") % {
                "n": message.attempts,
                "reason": reason,
            }
            job_failed(message, text, body="")
            return
        when = timezone.now() + RETRY_AFTER[min(message.attempts, len(RETRY_AFTER)) - 1]
        text = _("The mail server refused or did not answer: %(reason)s; trying again at %(when)s.") % {
            "reason": reason,
            "when": when.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        }
    with transaction.atomic():
        # Back in the queue only while it is still this attempt's (not deleted with its engagement meanwhile).
        if not this_attempt(message).update(status=JobStatus.QUEUED, message=text, started_at=None, heartbeat_at=None):
            return
        message.status, message.message = JobStatus.QUEUED, text
        job_enqueue(OUTBOX, message, run_after=when)


def message_send(message_id: int, *, worker_id: str = "", task_id: str = "") -> OutboxMessage | None:
    """Send the queued message (job_run); returns it as it ended (None when it no longer exists, or was deleted or
    recovered while it was sent: it may then go twice, at least once). A message not queued any more is returned as
    it is, not sent again."""

    def work(message: OutboxMessage) -> None:
        try:
            _email(message).send()
        except (smtplib.SMTPException, OSError) as exc:  # SMTPException is an OSError; both named for the reader
            logger.warning("E-mail %s not sent (attempt %s): %s", message_id, message.attempts, exc)
            _retry_or_fail(message, exc)
            return
        job_done(message, sent_at=timezone.now(), body="")

    return job_run(
        OutboxMessage.objects.all(), message_id, work, worker_id=worker_id, task_id=task_id, failed={"body": ""}
    )


def mail_states(topic: str, object_ids: Iterable[int]) -> dict[int, OutboxMessage]:
    """The newest message about each of these objects (a page's rows), in one query (two when one of them showed a
    stopped worker's "running" and was recovered first). The body is not read."""
    from certprep.core.jobs import OUTBOX

    ids = list(object_ids)
    if not ids:
        return {}

    def read() -> dict[int, OutboxMessage]:
        newest: dict[int, OutboxMessage] = {}
        rows = OutboxMessage.objects.filter(topic=topic, object_id__in=ids).defer("body").order_by("object_id", "-pk")
        for row in rows:
            if row.object_id is not None:
                newest.setdefault(row.object_id, row)
        return newest

    states = read()
    return read() if shown_recover(OUTBOX, states.values()) else states
