"""The survey's events in the engagement's calendar feed: its interviews, timed, with the UID of their
invitation so a calendar that has both shows one event."""

from __future__ import annotations

from django.utils.translation import gettext as _

from certprep.core.feeds import FeedEvent
from certprep.engagements.models import Engagement
from certprep.survey.choices import InterviewStatus
from certprep.survey.models import Interview


def interview_events(engagement: Engagement) -> list[FeedEvent]:
    """The engagement's interviews (one query)."""
    return [
        FeedEvent(
            uid=interview.uid,
            summary=interview.title,
            starts=interview.starts_at,
            ends=interview.ends_at,
            location=interview.location or interview.call_link,
            cancelled=interview.status == InterviewStatus.CANCELLED,
            category=_("Interview"),
            sequence=interview.version,
        )
        for interview in Interview.objects.filter(engagement=engagement)
    ]
