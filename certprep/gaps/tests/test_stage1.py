"""The stage 1 precedence rule (certprep.gaps.stage1): the checklist speaks first, then the latest ratings, then
the survey; hand-worked cases and properties over any mix of sources."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certprep.gaps.stage1 import OPERATING_DAYS, DocumentFact, RatingFact, decide, operating_long_enough

STATUSES = ["", "missing", "draft", "in_review", "uncontrolled", "approved", "not_needed"]
READY = {"approved", "not_needed"}

documents = st.lists(
    st.builds(DocumentFact, name=st.sampled_from(["Policy", "Plan", "Scope"]), status=st.sampled_from(STATUSES)),
    max_size=5,
)
ratings = st.lists(
    st.builds(
        RatingFact,
        ref=st.sampled_from(["5.2.1", "6.3", "9.2"]),
        level=st.one_of(st.none(), st.integers(0, 5)),
        target=st.integers(1, 5),
    ),
    max_size=4,
)
surveys = st.one_of(st.none(), st.booleans())


@pytest.mark.parametrize(
    ("docs", "rated", "survey", "expected"),
    [
        # An approved policy settles it even though the rating of 5.2.1 is below target and the survey says no.
        ([DocumentFact("Policy", "approved")], [RatingFact("5.2.1", 1, 3)], False, (True, "documents")),
        # One draft among approved items: not ready, and only the draft is shown.
        ([DocumentFact("Policy", "approved"), DocumentFact("Plan", "draft")], [], None, (False, "documents")),
        # Items not checked say nothing: the rating decides (level 3 of target 3 meets it).
        ([DocumentFact("Policy", "")], [RatingFact("6.3", 3, 3)], False, (True, "rating")),
        # One clause below its target is enough to be not ready.
        ([], [RatingFact("5.2.1", 3, 3), RatingFact("5.2.2", 2, 3)], True, (False, "rating")),
        # Unrated clauses say nothing: the survey decides.
        ([], [RatingFact("9.2", None, 3)], True, (True, "survey")),
        ([], [], None, (None, "")),
    ],
)
def test_hand_worked_cases(docs, rated, survey, expected):
    decision = decide(docs, rated, survey)
    assert (decision.state, decision.kind) == expected


def test_the_documents_shown_are_the_ones_not_ready():
    draft = DocumentFact("Plan", "draft")
    decision = decide([DocumentFact("Policy", "approved"), draft, DocumentFact("Scope", "")], [], None)
    assert decision.documents == (draft,)
    everything_ready = decide([DocumentFact("Policy", "approved"), DocumentFact("Plan", "not_needed")], [], None)
    assert [d.name for d in everything_ready.documents] == ["Policy", "Plan"]


@given(documents, ratings, surveys)
def test_a_checked_document_always_outranks_ratings_and_the_survey(docs, rated, survey):
    decision = decide(docs, rated, survey)
    checked = [d for d in docs if d.status]
    if checked:
        assert decision.kind == "documents"
        assert decision.state is all(d.status in READY for d in checked)
    else:
        assert decision.kind != "documents"


@given(ratings, surveys)
def test_without_a_checked_document_a_rated_clause_outranks_the_survey(rated, survey):
    decision = decide([DocumentFact("Policy", "")], rated, survey)
    scored = [r for r in rated if r.level is not None]
    if scored:
        assert decision.kind == "rating"
        assert decision.state is not any(r.level < r.target for r in scored)
    elif survey is not None:
        assert (decision.state, decision.kind) == (survey, "survey")
    else:
        assert (decision.state, decision.kind) == (None, "")


@given(documents, ratings, surveys)
def test_the_answer_is_known_exactly_when_some_source_speaks(docs, rated, survey):
    speaks = any(d.status for d in docs) or any(r.level is not None for r in rated) or survey is not None
    assert (decide(docs, rated, survey).state is not None) is speaks


@given(st.integers(-400, 400))
def test_operating_long_enough_means_at_least_the_days_needed(days):
    today = datetime.date(2027, 6, 1)
    since = today - datetime.timedelta(days=days)
    assert operating_long_enough(since, today) is (days >= OPERATING_DAYS)
    assert operating_long_enough(None, today) is None
