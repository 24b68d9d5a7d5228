"""A calendar feed of an engagement, as the isolation walk needs one."""

from __future__ import annotations

from typing import Any

from certprep.planning.models import CalendarFeed
from certprep.planning.services.feed import feed_create


def feed_world(engagement: Any) -> CalendarFeed:
    """The engagement's first feed (created once, by its owner)."""
    feed = CalendarFeed.objects.filter(engagement=engagement).first()
    if feed is None:
        feed, _token = feed_create(engagement=engagement, actor=engagement.created_by)
    return feed
