"""What the feasibility app contributes to an engagement (see certprep/core/parts.py)."""

from __future__ import annotations

from certprep.core.parts import EngagementPart
from certprep.engagements.models import Engagement

part = EngagementPart[Engagement](key="feasibility")
