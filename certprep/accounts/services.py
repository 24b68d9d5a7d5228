"""Issuing and checking API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from certprep.accounts.models import ApiToken


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_issue(*, user: Any) -> tuple[str, ApiToken]:
    """A new random token for the user; the plain value is returned once and never stored."""
    token = secrets.token_urlsafe(32)
    record = ApiToken.objects.create(
        user=user, token_hash=_hash(token), expires_at=timezone.now() + timedelta(days=settings.CERTPREP_API_TOKEN_DAYS)
    )
    return token, record


def token_user(token: str) -> Any | None:
    """The active user a token belongs to, or None for unknown, expired or inactive."""
    if not token or len(token) > 200:
        return None
    record = ApiToken.objects.select_related("user").filter(token_hash=_hash(token)).first()
    if record is None or not record.is_valid or not record.user.is_active:
        return None
    now = timezone.now()
    if record.last_used_at is None or now - record.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user


def token_revoke(*, token: str) -> bool:
    """End a token at once (signing out of the API); True when it existed."""
    deleted, _ = ApiToken.objects.filter(token_hash=_hash(token)).delete()
    return bool(deleted)
