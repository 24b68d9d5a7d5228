"""The exchange page's calendar feeds, read where the feed partial is included (the page's view stays as it is)."""

from __future__ import annotations

from django import template

from certprep.engagements.models import Engagement
from certprep.planning.selectors.feed import FeedRow, feeds_of

register = template.Library()


@register.simple_tag
def calendar_feeds(engagement: Engagement) -> list[FeedRow]:
    return feeds_of(engagement)
