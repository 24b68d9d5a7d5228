"""What the organization app contributes to an engagement (see certprep/core/parts.py): the steering committee
and project team, their meetings in the calendar feed, the decision log and the approvals."""

from __future__ import annotations

from certprep.core.parts import EngagementPart
from certprep.engagements.models import Engagement
from certprep.organization.calendar import meeting_events

part = EngagementPart[Engagement](key="organization", calendar=meeting_events)
