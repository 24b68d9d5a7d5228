"""The one door to the scheme's ratings, for pages and API alike: the engagement through
engagements.access.engagement_for (404 for non-members, 403 when the role is too low), then the rating by its key;
a key that names no rating is 404."""

from __future__ import annotations

from django.http import Http404

from certprep.engagements.models import Engagement
from certprep.feasibility.choices import RatingKey
from certprep.feasibility.models import Rating
from certprep.feasibility.selectors.scheme import default_rating


def rating_in(engagement: Engagement, key: str) -> Rating:
    """The stored rating, or its unsaved defaults while nobody saved it."""
    if key not in RatingKey.values:
        raise Http404
    return Rating.objects.filter(engagement=engagement, key=key).first() or default_rating(engagement, key)
