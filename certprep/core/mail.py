"""The one way certprep sends e-mail: `mail_send` writes the message to the outbox (certprep.core.models
.OutboxMessage) and queues its sending in the caller's transaction, so the message exists exactly when the change
that caused it does; a background worker sends it (certprep.core.outbox). A slow or unreachable mail server no
longer holds a request, and a refused send is tried again.

A header line built from user text (a campaign or engagement name in the subject, a person's name in an
address) must not carry a line break: it would end the header and start a new one, and Python's e-mail
library refuses it, so the send would fail. Names typed before the single-line rule existed may still hold
one. Every sender goes through `mail_send`, which turns any control character in the subject and in display
names into a space, drops bidirectional controls and keeps header texts short.
"""

from __future__ import annotations

from collections.abc import Sequence
from email.headerregistry import Address

from django.db import transaction

from certprep.core.background import job_enqueue
from certprep.core.jobs import OUTBOX
from certprep.core.models import OutboxMessage
from certprep.core.text import BIDI_CONTROLS, LINE_CONTROLS

MAX_HEADER_TEXT = 200

Recipient = str | tuple[str, str]


def header_text(text: str, *, limit: int = MAX_HEADER_TEXT) -> str:
    """User text made safe for a header: one line, single spaces, at most `limit` characters."""
    text = " ".join(LINE_CONTROLS.sub(" ", BIDI_CONTROLS.sub("", str(text or ""))).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def mailbox(name: str, address: str) -> str:
    """'Name <address>' with the name quoted and made safe for the header (the bare address without a name)."""
    address = LINE_CONTROLS.sub("", address or "").strip()
    display = header_text(name)
    return str(Address(display_name=display, addr_spec=address)) if display else address


def formatted(recipients: Sequence[Recipient]) -> list[str]:
    """Recipients as header-safe mailboxes."""
    return [mailbox(*r) if isinstance(r, tuple) else mailbox("", r) for r in recipients]


def mail_send(
    *,
    subject: str,
    body: str,
    to: Sequence[Recipient],
    reply_to: Sequence[Recipient] = (),
    engagement_id: int | None = None,
    topic: str = "",
    object_id: int | None = None,
) -> OutboxMessage:
    """Queue a plain-text e-mail from DEFAULT_FROM_EMAIL. A recipient is an address or a (name, address) pair.
    The message and its task land with the caller's transaction or not at all (one of their own when the caller
    has none). `engagement_id`, `topic` and `object_id` say what it is about, for the pages that show its state
    ("survey.respondent" and the respondent's id) and for deleting it with its engagement."""
    with transaction.atomic():
        message = OutboxMessage.objects.create(
            subject=header_text(subject),
            body=body,
            to=formatted(to),
            reply_to=formatted(reply_to),
            engagement_id=engagement_id,
            topic=topic,
            object_id=object_id,
        )
        job_enqueue(OUTBOX, message)
    return message
