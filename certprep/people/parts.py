"""The people's part of an engagement (certprep.core.parts): their API. The people travel in the survey's
section of the engagement file (certprep/people/handovers.py says how the sections share them), the survey's
demo creates them and the survey's step on the dashboard counts them."""

from __future__ import annotations

from certprep.core.parts import EngagementPart
from certprep.engagements.models import Engagement
from certprep.people.api import router

part = EngagementPart[Engagement](key="people", routers=(router,))
