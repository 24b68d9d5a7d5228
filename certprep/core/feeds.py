"""One event of an engagement's private calendar feed, as plain data: the parts that put events in the feed
(the plan's milestones and audits, the survey's interviews, the project's meetings) give these through
`EngagementPart.calendar`, and the plan's feed writes them as iCalendar (certprep/planning/feed_ics.py)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class FeedEvent:
    """One event of the feed: all-day from `day` for `days` days, or timed from `starts` to `ends`."""

    uid: str
    summary: str
    description: str = ""
    day: datetime.date | None = None
    days: int = 1
    starts: datetime.datetime | None = None
    ends: datetime.datetime | None = None
    location: str = ""
    cancelled: bool = False
    sequence: int = 0
    category: str = ""
