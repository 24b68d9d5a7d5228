"""The demo engagement's benefits and risks."""

from __future__ import annotations

from certprep.core.actors import Actor
from certprep.engagements.models import Engagement


def load_benefits_demo(*, engagement: Engagement, actor: Actor) -> None:
    """Fill the demo's benefits and risk register; nothing when it has some already."""
