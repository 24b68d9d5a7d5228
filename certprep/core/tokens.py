"""Secrets handed to people (API tokens, personal survey links, invitation links, calendar feeds) are stored
only as a hash: whoever reads the database cannot use them. The secrets are long and random (at least 256
bits), so one SHA-256 is enough; no salt or slow hash is needed as for passwords."""

from __future__ import annotations

import hashlib


def token_hash(token: str) -> str:
    """The stored form of a secret: its SHA-256, in hex (64 characters)."""
    return hashlib.sha256(token.encode()).hexdigest()
