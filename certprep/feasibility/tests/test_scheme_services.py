"""The scheme's writes: ratings (created on first save, versioned, audited, checked), weights (the management
basis weighs more than technical feasibility by default) and the decision on the proposal (an override needs a
rationale; versioned; audited)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from certprep.core.errors import ConflictError, ServiceError
from certprep.core.models import AuditEntry
from certprep.feasibility.choices import RatingKey
from certprep.feasibility.models import Rating, Recommendation
from certprep.feasibility.selectors.scheme import DEFAULT_WEIGHTS, proposal_of, ratings_of, score_of
from certprep.feasibility.services.ratings import rating_update, weights_update
from certprep.feasibility.services.recommendation import recommendation_decide

pytestmark = pytest.mark.django_db


def _rate(engagement, owner, key, score, version=1, **more):
    return rating_update(engagement=engagement, actor=owner, key=key, expected_version=version, score=score, **more)


def test_by_default_the_management_basis_weighs_more_than_technical_feasibility(engagement):
    weights = {r.key: r.weight for r in ratings_of(engagement)}
    for key in (RatingKey.ITIL_FOUNDATION, RatingKey.ORGANIZATION_STRUCTURE, RatingKey.MANAGEMENT_RISKS):
        assert weights[key] > weights[RatingKey.TECHNICAL]
    assert DEFAULT_WEIGHTS[RatingKey.ITIL_FOUNDATION] == Decimal(2)
    assert len(weights) == 9


def test_a_first_save_creates_the_rating_and_a_second_editor_on_the_defaults_is_refused(engagement, owner):
    rating = _rate(engagement, owner, RatingKey.TECHNICAL, 4, rationale="Tools adapt easily")
    assert (rating.version, rating.score, rating.weight) == (2, 4, Decimal(1))
    with pytest.raises(ConflictError):
        _rate(engagement, owner, RatingKey.TECHNICAL, 2)  # still holding version 1
    assert Rating.objects.get(engagement=engagement, key=RatingKey.TECHNICAL).score == 4
    changed = _rate(engagement, owner, RatingKey.TECHNICAL, 3, version=2)
    assert changed.version == 3
    entries = AuditEntry.objects.filter(engagement=engagement, object_type__contains="rating").order_by("pk")
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].changes["score"] == [4, 3]


def test_a_rating_outside_1_to_5_or_a_bad_weight_is_refused_naming_the_field(engagement, owner):
    with pytest.raises(ServiceError) as error:
        _rate(engagement, owner, RatingKey.SOCIAL, 6)
    assert error.value.field == "score"
    with pytest.raises(ServiceError) as error:
        rating_update(engagement=engagement, actor=owner, key="social", expected_version=1, weight="100.5")
    assert error.value.field == "weight"
    with pytest.raises(ServiceError):
        rating_update(engagement=engagement, actor=owner, key="nonsense", expected_version=1, score=3)
    assert not Rating.objects.filter(engagement=engagement).exists()


def test_weights_change_the_score_as_worked_by_hand(engagement, owner):
    _rate(engagement, owner, RatingKey.ITIL_FOUNDATION, 2)  # weight 2
    _rate(engagement, owner, RatingKey.TECHNICAL, 5)  # weight 1
    # (2 x 2 + 5 x 1) / 3 = 3.00
    assert score_of(ratings_of(engagement)) == Decimal("3.00")
    weights_update(engagement=engagement, actor=owner, weights={"technical": ("3", 2)})
    # (2 x 2 + 5 x 3) / 5 = 19 / 5 = 3.80
    assert score_of(ratings_of(engagement)) == Decimal("3.80")
    with pytest.raises(ConflictError):
        weights_update(engagement=engagement, actor=owner, weights={"social": ("2", 1), "technical": ("1", 2)})
    # all or none: the social weight written first was rolled back with the refused technical one
    assert not Rating.objects.filter(engagement=engagement, key="social").exists()


def test_confirming_needs_no_rationale_but_an_override_does(engagement, owner):
    proposed = proposal_of(engagement).proposal.outcome
    assert proposed == "conditional"  # nothing known yet
    with pytest.raises(ServiceError) as error:
        recommendation_decide(engagement=engagement, actor=owner, expected_version=0, outcome="go")
    assert error.value.field == "rationale"
    decision = recommendation_decide(
        engagement=engagement, actor=owner, expected_version=0, outcome="conditional", conditions="Rate everything"
    )
    assert (decision.proposed, decision.outcome, decision.overridden, decision.version) == (
        "conditional",
        "conditional",
        False,
        1,
    )
    assert decision.inputs["score"] is None
    override = recommendation_decide(
        engagement=engagement, actor=owner, expected_version=1, outcome="go", rationale="Customers require it"
    )
    assert (override.overridden, override.version, override.decided_by) == (True, 2, owner)
    with pytest.raises(ConflictError):
        recommendation_decide(engagement=engagement, actor=owner, expected_version=1, outcome="no_go", rationale="x")
    with pytest.raises(ConflictError):
        recommendation_decide(engagement=engagement, actor=owner, expected_version=0, outcome="go", rationale="x")
    assert Recommendation.objects.get(engagement=engagement).outcome == "go"
    actions = AuditEntry.objects.filter(engagement=engagement, object_type__contains="recommendation")
    assert sorted(actions.values_list("action", flat=True)) == ["create", "update"]


def test_a_go_with_conditions_must_name_its_conditions(engagement, owner):
    with pytest.raises(ServiceError) as error:
        recommendation_decide(engagement=engagement, actor=owner, expected_version=0, outcome="conditional")
    assert error.value.field == "conditions"
