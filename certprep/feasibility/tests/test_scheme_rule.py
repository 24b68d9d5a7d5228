"""The recommendation rule, the weighted score, the suggested basis ratings and the timeline by maturity: pure
functions checked with hand-worked cases and generated inputs (a better input never worsens the outcome; any
inputs, missing ones included, give an outcome with reasons)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from certprep.feasibility import basis_rule, rule
from certprep.feasibility.rule import Inputs, Level, propose, weighted_score
from certprep.feasibility.timeline import maturity_level, propose_timeline

D = Decimal
GOOD = Inputs(
    score=D("4.00"),
    lowest=3,
    net_benefit=D(10),
    payback_years=D("2.5"),
    open_high_risks=0,
    schedule_probability=D("0.9"),
)


def test_strong_inputs_give_a_go_with_no_condition():
    proposal = propose(GOOD)
    assert proposal.outcome == "go"
    assert proposal.conditions == ()


def test_one_rating_of_1_is_a_no_go_and_names_what_it_must_reach():
    proposal = propose(Inputs(**{**GOOD.__dict__, "lowest": 1}))
    assert proposal.outcome == "no_go"
    [condition] = proposal.conditions
    assert (condition.criterion, condition.needed) == ("lowest", "3")


def test_the_thresholds_are_inclusive_at_their_edges():
    assert propose(Inputs(**{**GOOD.__dict__, "score": D("3.50")})).outcome == "go"
    assert propose(Inputs(**{**GOOD.__dict__, "score": D("3.49")})).outcome == "conditional"
    assert propose(Inputs(**{**GOOD.__dict__, "score": D("2.50")})).outcome == "conditional"
    assert propose(Inputs(**{**GOOD.__dict__, "score": D("2.49")})).outcome == "no_go"
    assert propose(Inputs(**{**GOOD.__dict__, "open_high_risks": 2})).outcome == "conditional"
    assert propose(Inputs(**{**GOOD.__dict__, "open_high_risks": 3})).outcome == "no_go"
    assert propose(Inputs(**{**GOOD.__dict__, "schedule_probability": D("0.80")})).outcome == "go"
    assert propose(Inputs(**{**GOOD.__dict__, "schedule_probability": D("0.10")})).outcome == "conditional"


def test_a_negative_net_benefit_or_a_late_payback_is_a_condition_not_a_refusal():
    late = propose(Inputs(**{**GOOD.__dict__, "payback_years": D("3.01")}))
    negative = propose(Inputs(**{**GOOD.__dict__, "net_benefit": D("-1"), "payback_years": None}))
    assert late.outcome == negative.outcome == "conditional"
    assert [f.criterion for f in negative.conditions] == ["economics"]


def test_nothing_known_is_a_go_with_conditions_listing_every_missing_input():
    proposal = propose(Inputs())
    assert proposal.outcome == "conditional"
    assert [(f.criterion, f.missing) for f in proposal.conditions] == [
        ("score", True),
        ("lowest", True),
        ("economics", True),
        ("risks", True),
        ("schedule", True),
    ]


def test_the_weighted_score_is_the_weighted_mean_to_two_places_half_up():
    # (4 x 2 + 3 x 2 + 2 x 1) / (2 + 2 + 1) = 16 / 5 = 3.20; the unrated and the zero-weighted are left out.
    assert weighted_score([(4, D(2)), (3, D(2)), (2, D(1)), (None, D(5)), (1, D(0))]) == D("3.20")
    # (5 x 1 + 4 x 2) / 3 = 13 / 3 = 4.333... -> 4.33; (3 x 1 + 4 x 1 + 4 x 1) / 3... = 3.666... -> 3.67
    assert weighted_score([(5, D(1)), (4, D(2))]) == D("4.33")
    assert weighted_score([(3, D(1)), (4, D(1)), (4, D(1))]) == D("3.67")
    # 2.125 rounds half up to 2.13: (2 x 7 + 3 x 1) / 8 = 17 / 8
    assert weighted_score([(2, D(7)), (3, D(1))]) == D("2.13")
    assert weighted_score([(None, D(1))]) is None


maybe_decimal = st.one_of(st.none(), st.decimals(min_value=-(10**7), max_value=10**7, places=2))
inputs = st.builds(
    Inputs,
    score=st.one_of(st.none(), st.decimals(min_value=1, max_value=5, places=2)),
    lowest=st.one_of(st.none(), st.integers(1, 5)),
    net_benefit=maybe_decimal,
    payback_years=st.one_of(st.none(), st.decimals(min_value=0, max_value=10, places=2)),
    open_high_risks=st.one_of(st.none(), st.integers(0, 50)),
    schedule_probability=st.one_of(st.none(), st.decimals(min_value=0, max_value=1, places=4)),
)


@given(inputs)
def test_the_rule_is_total_and_every_outcome_short_of_go_has_reasons(values):
    proposal = propose(values)
    assert proposal.outcome in {"go", "conditional", "no_go"}
    assert len(proposal.findings) == len(rule.CRITERIA)
    assert proposal.level == min(f.level for f in proposal.findings)
    if proposal.level < Level.GO:
        assert proposal.conditions
        assert all(f.needed for f in proposal.conditions)


@given(inputs, st.decimals(min_value=0, max_value=4, places=2), st.integers(0, 4))
def test_a_better_rating_never_worsens_the_outcome(values, more_score, more_lowest):
    better = Inputs(
        **{
            **values.__dict__,
            "score": None if values.score is None else min(D(5), values.score + more_score),
            "lowest": None if values.lowest is None else min(5, values.lowest + more_lowest),
        }
    )
    assert propose(better).level >= propose(values).level


@given(inputs, st.integers(0, 50), st.decimals(min_value=0, max_value=1, places=4))
def test_lower_risk_never_worsens_the_outcome(values, fewer, more_chance):
    better = Inputs(
        **{
            **values.__dict__,
            "open_high_risks": None if values.open_high_risks is None else max(0, values.open_high_risks - fewer),
            "schedule_probability": None
            if values.schedule_probability is None
            else min(D(1), values.schedule_probability + more_chance),
        }
    )
    assert propose(better).level >= propose(values).level


@given(inputs, st.decimals(min_value=0, max_value=10**6, places=2), st.decimals(min_value=0, max_value=5, places=2))
def test_a_higher_benefit_never_worsens_the_outcome(values, more, sooner):
    # More benefit raises the net benefit and brings the payback sooner (an unknown one stays unknown or appears).
    better = Inputs(
        **{
            **values.__dict__,
            "net_benefit": None if values.net_benefit is None else values.net_benefit + more,
            "payback_years": None if values.payback_years is None else max(D(0), values.payback_years - sooner),
        }
    )
    assert propose(better).level >= propose(values).level


def test_the_basis_suggestion_is_the_rounded_mean_of_the_signals():
    assert basis_rule.suggestion([3, 4, None]) == 4  # 3.5 rounds half up
    assert basis_rule.suggestion([2, 2, 3]) == 2  # 2.33
    assert basis_rule.suggestion([None]) is None
    assert basis_rule.percent_signal(0) == 1
    assert basis_rule.percent_signal(50.5) == 3
    assert basis_rule.percent_signal(100) == 5
    assert basis_rule.matrix_signal(roles=0, errors=0, warnings=0) is None
    assert basis_rule.matrix_signal(roles=4, errors=1, warnings=0) == 2
    assert basis_rule.gaps_share_signal(gaps=32, rated=46) == 3  # 5 - 128 // 46 = 5 - 2


def test_low_maturity_proposes_a_longer_way_to_stage_1_than_high_maturity():
    start = datetime.date(2027, 1, 31)
    low = propose_timeline(maturity=1, start=start, findings_window_days=None, plan_stage1=None, plan_stage2=None)
    high = propose_timeline(maturity=5, start=start, findings_window_days=30, plan_stage1=None, plan_stage2=None)
    # level 1: 9 + 6 months -> 30 Apr 2028 (31 Apr does not exist); stage 2 42 days later
    assert (low.stage1, low.stage2) == (datetime.date(2028, 4, 30), datetime.date(2028, 6, 11))
    # level 5: 2 + 3 months -> 30 Jun 2027; stage 2 after the plan's 30-day window
    assert (high.stage1, high.stage2) == (datetime.date(2027, 6, 30), datetime.date(2027, 7, 30))


def test_the_timeline_compares_with_the_plan_and_says_nothing_without_a_maturity():
    start = datetime.date(2027, 1, 1)
    timeline = propose_timeline(
        maturity=3,
        start=start,
        findings_window_days=None,
        plan_stage1=datetime.date(2027, 8, 1),
        plan_stage2=datetime.date(2027, 9, 1),
    )
    assert timeline.stage1 == datetime.date(2027, 10, 1)  # 5 + 4 months
    assert timeline.stage1_early_days == 61  # the plan's stage 1 is two months early
    unknown = propose_timeline(
        maturity=None, start=start, findings_window_days=None, plan_stage1=None, plan_stage2=None
    )
    assert unknown.stage1 is None
    assert unknown.stage1_early_days is None
    assert maturity_level(50.5, 1) == 3  # the gap analysis wins over the profile
    assert maturity_level(None, 2) == 2
    assert maturity_level(None, None) is None
