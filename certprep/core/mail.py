"""The one way certprep sends e-mail.

A header line built from user text (a campaign or engagement name in the subject, a person's name in an
address) must not carry a line break: it would end the header and start a new one, and Python's e-mail
library refuses it, so the send would fail. Names typed before the single-line rule existed may still hold
one. Every sender goes through `mail_send`, which turns any control character in the subject and in display
names into a space, drops bidirectional controls and keeps header texts short.
"""

from __future__ import annotations

from collections.abc import Sequence
from email.headerregistry import Address

from django.core.mail import EmailMessage

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


def mail_send(*, subject: str, body: str, to: Sequence[Recipient], reply_to: Sequence[Recipient] = ()) -> None:
    """Send a plain-text e-mail from DEFAULT_FROM_EMAIL. A recipient is an address or a (name, address) pair."""

    def formatted(recipients: Sequence[Recipient]) -> list[str]:
        return [mailbox(*r) if isinstance(r, tuple) else mailbox("", r) for r in recipients]

    EmailMessage(subject=header_text(subject), body=body, to=formatted(to), reply_to=formatted(reply_to)).send()
