"""The engagement's private calendar feed as iCalendar text (no database): the events are plain data, written
with the icalendar package.

Dated events (milestones, audits, book-by days) are all-day events: a date, the same wherever the reader is.
Timed events (interviews) carry the engagement's time zone (TZID with its VTIMEZONE), so calendars show the
organization's clock and convert it for anyone elsewhere. Every event has a UID that stays the same from one
read to the next, so a calendar updates an event instead of adding it twice; an interview keeps the UID of
its invitation (.ics) so the two become one event."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from icalendar import Calendar, Event

from certprep.core.feeds import FeedEvent
from certprep.core.text import without_control_characters
from certprep.core.timezones import zone

PRODID = "-//certprep//Implementation plan feed//EN"
UID_DOMAIN = "certprep"
REFRESH = datetime.timedelta(hours=1)  # how often a calendar should read the feed again


def _text(value: str) -> str:
    return without_control_characters(value)


def feed_calendar(events: Sequence[FeedEvent], *, name: str, time_zone: str, now: datetime.datetime) -> bytes:
    """The feed: one VEVENT per event, in the engagement's zone."""
    local = zone(time_zone)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _text(name))
    calendar.add("x-wr-timezone", time_zone)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")  # Outlook's older name for the refresh interval
    stamp = now.astimezone(datetime.UTC)
    years: list[int] = []
    for item in events:
        event = Event()
        event.add("uid", f"{item.uid}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("summary", _text(item.summary))
        if item.starts is not None and item.ends is not None:
            event.add("dtstart", item.starts.astimezone(local))
            event.add("dtend", item.ends.astimezone(local))
            years.append(item.starts.year)
        elif item.day is not None:
            event.add("dtstart", item.day)
            event.add("dtend", item.day + datetime.timedelta(days=max(item.days, 1)))
            event.add("transp", "TRANSPARENT")
        else:
            continue
        if item.description:
            event.add("description", _text(item.description))
        if item.location:
            event.add("location", _text(item.location))
        if item.category:
            event.add("categories", [_text(item.category)])
        event.add("sequence", item.sequence)
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        calendar.add_component(event)
    if years:
        calendar.add_missing_timezones(
            first_date=datetime.date(max(min(years) - 1, 1970), 1, 1), last_date=datetime.date(max(years) + 2, 1, 1)
        )
    return calendar.to_ical()
