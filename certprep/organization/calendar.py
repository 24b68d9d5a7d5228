"""The project's meetings in the engagement's calendar feed: each occurrence of each body's meeting series, timed
in the engagement's time zone, with a UID stable per series and day (a calendar that subscribed keeps its events
when the series is edited, and an occurrence's SEQUENCE follows the series' version)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from certprep.core.feeds import FeedEvent
from certprep.core.timezones import zone
from certprep.engagements.models import Engagement
from certprep.organization.choices import Body
from certprep.organization.models import MeetingSeries
from certprep.organization.selectors.team import plan_finish, series_days


def meeting_events(engagement: Engagement) -> list[FeedEvent]:
    """Every occurrence of the engagement's meeting series (one query, plus the plan's finish when a series has
    no last day of its own)."""
    series = list(MeetingSeries.objects.filter(engagement=engagement))
    finish = plan_finish(engagement) if any(s.until_date is None for s in series) else None
    where = zone(engagement.time_zone or "UTC")
    events = []
    for one in series:
        steering = one.body == Body.STEERING
        category = _("Steering committee") if steering else _("Project team")
        about = (
            _("Regular meeting of the steering committee.") if steering else _("Regular meeting of the project team.")
        )
        for day in series_days(one, finish):
            starts = datetime.datetime.combine(day, one.start_time, tzinfo=where)
            events.append(
                FeedEvent(
                    uid=f"organization-meeting-{one.pk}-{day.isoformat()}",
                    summary=one.title,
                    description=about,
                    starts=starts,
                    ends=starts + datetime.timedelta(minutes=one.duration_minutes),
                    location=one.location,
                    category=category,
                    sequence=one.version,
                )
            )
    return events
