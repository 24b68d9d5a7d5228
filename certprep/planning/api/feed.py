"""The engagement's private calendar feeds: list, create (the address is in the answer once), revoke."""

import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema, Status

from certprep.core.actors import SignedInRequest
from certprep.core.api_errors import READ, WRITE
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.planning.api.common import BASE
from certprep.planning.models import CalendarFeed
from certprep.planning.selectors.feed import feed_in, feeds_of
from certprep.planning.services.feed import feed_create, feed_revoke

router = Router()


class FeedOut(Schema):
    id: int
    created_at: datetime.datetime
    created_by: str | None
    expires_at: datetime.datetime
    revoked_at: datetime.datetime | None
    last_read_at: datetime.datetime | None = Field(description="When a calendar last read the feed.")
    active: bool = Field(description="Neither revoked nor expired.")


class FeedCreatedOut(FeedOut):
    url: str = Field(description="The feed's private address: given only in this answer, never again.")


def _feed(feed: CalendarFeed, *, expired: bool) -> dict[str, Any]:
    return {
        "id": feed.pk,
        "created_at": feed.created_at,
        "created_by": feed.created_by.get_username() if feed.created_by else None,
        "expires_at": feed.expires_at,
        "revoked_at": feed.revoked_at,
        "last_read_at": feed.last_read_at,
        "active": feed.revoked_at is None and not expired,
    }


@router.get(BASE + "/feeds", response={200: list[FeedOut], **READ}, summary="The engagement's calendar feeds")
def feeds_list(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return [_feed(row.feed, expired=row.expired) for row in feeds_of(engagement)]


@router.post(
    BASE + "/feeds",
    response={201: FeedCreatedOut, **WRITE},
    summary="Create a private calendar feed (editors); its address is in this answer only",
)
def feed_post(request: SignedInRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    feed, token = feed_create(engagement=engagement, actor=request.user)
    url = request.build_absolute_uri(reverse("planning:feed", args=[token]))
    return Status(201, {**_feed(feed, expired=False), "url": url})


@router.delete(
    BASE + "/feeds/{feed_id}",
    response={200: FeedOut, **WRITE},
    summary="Revoke a calendar feed (editors): its address stops working",
)
def feed_delete(request: SignedInRequest, engagement_id: int, feed_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    feed = feed_revoke(feed=feed_in(engagement, feed_id), actor=request.user)
    return _feed(feed, expired=False)
