"""Look-ups of an object a path names: 404 outside the engagement or for an id no database holds, and the
engagement already read handed to the object (no second query)."""

from __future__ import annotations

import pytest
from django.http import Http404

from certprep.budget.models import BudgetLine
from certprep.core.api_refs import MAX_ID, engagement_ref
from certprep.engagements.tests.factories import EngagementFactory

pytestmark = pytest.mark.django_db


def _line(engagement):
    return BudgetLine.objects.create(
        engagement=engagement, category="training", description="Awareness", unit_price=10, currency="CNY"
    )


def test_the_engagements_object_comes_with_the_engagement_already_read(django_assert_num_queries):
    engagement = EngagementFactory()
    line = _line(engagement)
    with django_assert_num_queries(1):
        found = engagement_ref(BudgetLine, engagement, line.pk)
        assert found.engagement is engagement
    with django_assert_num_queries(1):
        assert engagement_ref(BudgetLine.objects.only("description"), engagement, line.pk).pk == line.pk


@pytest.mark.parametrize("other", ["engagement", "zero", "too large"])
def test_another_engagements_object_or_an_impossible_id_is_404(other):
    mine, theirs = EngagementFactory(), EngagementFactory()
    line = _line(theirs)
    pk = {"engagement": line.pk, "zero": 0, "too large": MAX_ID + 1}[other]
    with pytest.raises(Http404):
        engagement_ref(BudgetLine, mine, pk)
