"""The background jobs of core: sending the outbox's e-mail (certprep.core.outbox)."""

from __future__ import annotations

from certprep.core.background import JobKind, register
from certprep.core.models import OutboxMessage
from certprep.core.outbox import MAX_ATTEMPTS, discard_failed
from certprep.core.tasks import send_mail_message

OUTBOX: JobKind[OutboxMessage] = register(
    JobKind(
        key="core.outbox",
        model=OutboxMessage,
        task=send_mail_message,
        max_attempts=MAX_ATTEMPTS,
        discard=discard_failed,
    )
)
