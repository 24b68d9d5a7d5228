"""Issuing, checking, listing and revoking API tokens.

A token dies with the password it was issued under: it carries a stamp derived from the account's
password hash (as Django's sessions do), and a token whose stamp no longer matches is refused and
removed. So every way of changing a password ends the tokens, including the admin, `changepassword`
and a plain `set_password` and save.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from certprep.accounts.models import ApiToken
from certprep.core.actors import Actor
from certprep.core.tokens import token_hash

_STAMP_SALT = "certprep.accounts.ApiToken.password_stamp"


def _password_stamp(user: Actor, *, secret: str | bytes | None = None) -> str:
    return salted_hmac(_STAMP_SALT, user.password, secret=secret, algorithm="sha256").hexdigest()


def _stamp_matches(record: ApiToken) -> bool:
    """Whether the token was issued under the account's current password (with the current secret key or
    one of its fallbacks, so rotating the key does not end every token at once)."""
    for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
        if record.password_stamp and constant_time_compare(
            record.password_stamp, _password_stamp(record.user, secret=secret)
        ):
            return True
    return False


def token_issue(*, user: Actor) -> tuple[str, ApiToken]:
    """A new random token for the user; the plain value is returned once and never stored."""
    token = secrets.token_urlsafe(32)
    record = ApiToken.objects.create(
        user=user,
        token_hash=token_hash(token),
        password_stamp=_password_stamp(user),
        expires_at=timezone.now() + timedelta(days=settings.CERTPREP_API_TOKEN_DAYS),
    )
    return token, record


def token_user(token: str) -> Any | None:
    """The active user a token belongs to, or None for unknown, expired, inactive, or issued before the
    password last changed (such a token is removed)."""
    if not token or len(token) > 200:
        return None
    record = ApiToken.objects.select_related("user").filter(token_hash=token_hash(token)).first()
    if record is None or not record.is_valid or not record.user.is_active:
        return None
    if not _stamp_matches(record):
        ApiToken.objects.filter(pk=record.pk).delete()
        return None
    now = timezone.now()
    if record.last_used_at is None or now - record.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user


def tokens_of(user: Actor) -> list[ApiToken]:
    """The user's tokens that still work, newest first (for the account page)."""
    records = (
        ApiToken.objects.select_related("user")
        .filter(user=user, expires_at__gt=timezone.now())
        .order_by("-created_at", "-id")
    )
    return [record for record in records if _stamp_matches(record)]


def token_revoke(*, token: str) -> bool:
    """End a token at once (signing out of the API); True when it existed."""
    deleted, _ = ApiToken.objects.filter(token_hash=token_hash(token)).delete()
    return bool(deleted)


def token_revoke_by_id(*, user: Actor, token_id: int) -> bool:
    """End one of the user's own tokens; another user's token is never found (False)."""
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return bool(deleted)


@transaction.atomic
def tokens_revoke_all(*, user: Actor) -> int:
    """End every token of the user; returns how many still worked."""
    working = len(tokens_of(user))
    ApiToken.objects.filter(user=user).delete()
    return working
