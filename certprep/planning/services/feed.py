"""The engagement's private calendar feeds: creating one (its address is shown once: only the token's hash is
stored, certprep.core.tokens), revoking one, and reading one by its address.

An address is `/feeds/plan/<token>.ics` with a 256-bit random token and no engagement id: whoever holds it reads
that engagement's milestones, audits and interviews and nothing else, without signing in, until it expires (a
year after it was made by default) or is revoked. An unknown, revoked or expired address is answered like one
that never existed."""

from __future__ import annotations

import datetime
import secrets

from django.db import transaction
from django.utils import timezone

from certprep.core.actors import Actor
from certprep.core.audit import audit_record
from certprep.core.models import AuditEntry
from certprep.core.tokens import token_hash
from certprep.engagements.models import Engagement
from certprep.planning.feed_ics import feed_calendar
from certprep.planning.models import CalendarFeed
from certprep.planning.selectors.feed import feed_events

FEED_LIFETIME = datetime.timedelta(days=365)
TOKEN_BYTES = 32  # 256 bits
MAX_TOKEN_CHARS = 100


@transaction.atomic
def feed_create(*, engagement: Engagement, actor: Actor) -> tuple[CalendarFeed, str]:
    """A new feed and its token (to show once; it cannot be read back)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    feed = CalendarFeed.objects.create(
        engagement=engagement,
        token_hash=token_hash(token),
        created_by=actor,
        expires_at=timezone.now() + FEED_LIFETIME,
    )
    audit_record(
        engagement=engagement,
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=feed,
        values={"expires_at": feed.expires_at.isoformat()},
    )
    return feed, token


@transaction.atomic
def feed_revoke(*, feed: CalendarFeed, actor: Actor) -> CalendarFeed:
    """End the feed now (revoking a revoked feed changes nothing)."""
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        CalendarFeed.objects.filter(pk=feed.pk, revoked_at=None).update(revoked_at=feed.revoked_at)
        audit_record(
            engagement=feed.engagement,
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=feed,
            changes={"revoked_at": [None, feed.revoked_at.isoformat()]},
        )
    return feed


def feed_read(token: str) -> bytes | None:
    """The feed's calendar for a valid token (noting when it was read), None for any other."""
    if not token or len(token) > MAX_TOKEN_CHARS:
        return None
    now = timezone.now()
    feed = (
        CalendarFeed.objects.filter(token_hash=token_hash(token), revoked_at=None, expires_at__gt=now)
        .select_related("engagement")
        .first()
    )
    if feed is None:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=now)
    engagement = feed.engagement
    return feed_calendar(feed_events(engagement), name=engagement.name, time_zone=engagement.time_zone, now=now)
