"""What the engagement's calendar feed holds: what every part puts in it (`EngagementPart.calendar`): the plan's
milestones as scheduled and the audit bookings (the audit days, and the day to book by while the audit is not
reserved) from here, the survey's interviews, the project's meetings; and the feeds an
engagement has, for the exchange page (a fixed number of queries)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from certprep.core.api_refs import engagement_ref
from certprep.core.feeds import FeedEvent
from certprep.core.languages import translated
from certprep.core.parts import calendar_events
from certprep.engagements.models import Engagement
from certprep.planning.models import AuditBooking, CalendarFeed
from certprep.planning.selectors.plan import plan_of
from certprep.planning.selectors.schedule import scheduled_values


def _milestones(engagement: Engagement) -> list[FeedEvent]:
    plan = plan_of(engagement)
    if plan is None:
        return []
    scheduled = scheduled_values(plan, "translations", "version")
    rows, result = scheduled.tasks, scheduled.result
    by_id = {row["id"]: row for row in rows}
    return [
        FeedEvent(
            uid=f"plan-milestone-{item.key}",
            summary=translated(by_id[item.key]["translations"], "name") or by_id[item.key]["name"],
            description=_("Milestone of the implementation plan."),
            day=item.start.date(),
            category=_("Milestone"),
            sequence=by_id[item.key]["version"],
        )
        for item in result.tasks
        if item.key in by_id and by_id[item.key]["milestone"] and not item.summary
    ]


def _bookings(engagement: Engagement) -> list[FeedEvent]:
    events = []
    for booking in AuditBooking.objects.filter(plan__engagement=engagement).select_related("plan"):
        title = booking.get_kind_display()
        if booking.batch > 1 or booking.scope:
            title = _("%(audit)s, batch %(batch)s") % {"audit": title, "batch": booking.batch}
        body = booking.plan.certification_body
        events.append(
            FeedEvent(
                uid=f"audit-booking-{booking.pk}",
                summary=_("%(audit)s (%(body)s)") % {"audit": title, "body": body} if body else title,
                description=booking.scope or booking.notes,
                day=booking.date,
                days=booking.audit_days,
                category=_("Audit"),
                sequence=booking.version,
            )
        )
        if booking.reserved_on is None:
            events.append(
                FeedEvent(
                    uid=f"audit-booking-{booking.pk}-book-by",
                    summary=_("Book by today: %(audit)s on %(date)s")
                    % {"audit": title, "date": formats.date_format(booking.date, "DATE_FORMAT")},
                    description=_("The certification body needs the reservation %(n)s days before the audit.")
                    % {"n": booking.reservation_lead_days},
                    day=booking.book_by,
                    category=_("Audit"),
                    sequence=booking.version,
                )
            )
    return events


def plan_events(engagement: Engagement) -> list[FeedEvent]:
    """The plan's events in the feed (its calendar source): milestones as scheduled, audits and book-by days."""
    return _milestones(engagement) + _bookings(engagement)


def feed_events(engagement: Engagement) -> list[FeedEvent]:
    """Every event of the feed, from every part that puts events in it, worded in the engagement's report
    language."""
    with override(engagement.report_language):
        return calendar_events(engagement)


@dataclass(frozen=True)
class FeedRow:
    feed: CalendarFeed
    expired: bool


def feeds_of(engagement: Engagement) -> list[FeedRow]:
    """The engagement's feeds, newest first, with who created them (one query)."""
    now = timezone.now()
    return [
        FeedRow(feed, feed.expires_at <= now)
        for feed in CalendarFeed.objects.filter(engagement=engagement).select_related("created_by")
    ]


def feed_in(engagement: Engagement, pk: int) -> CalendarFeed:
    """One of the engagement's feeds; 404 for a feed of another engagement or none."""
    return engagement_ref(CalendarFeed, engagement, pk)
