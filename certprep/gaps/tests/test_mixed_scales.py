"""Mixed scales in one assessment (capability for the clause 8 processes, compliance elsewhere, changeable per
clause), one normalization for readiness and priorities (properties), honest readiness, the engagement's
weights, and the assessment screen's labels, parents, priority legend and plural forms."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from certprep.core.errors import ConflictError, ServiceError
from certprep.core.models import AuditEntry
from certprep.gaps.models import Weight
from certprep.gaps.rules import (
    COMMON_STEPS,
    common_gap,
    effective_weight,
    rating_priority,
    scale_for,
    share,
    summarize,
)
from certprep.gaps.selectors.dashboard import dashboard
from certprep.gaps.services import ratings as rating_services
from certprep.gaps.services import weights as weight_services
from certprep.gaps.tests.factories import assessment, framework, rate, rating

# --- the normalization, as properties -------------------------------------------------------------------

levels = st.integers(min_value=0, max_value=5)
targets = st.integers(min_value=1, max_value=5)


@given(levels, targets)
def test_the_share_of_the_target_is_between_0_and_1_and_full_at_the_target(level, target):
    reached = share(level, target)
    assert reached is not None
    assert 0 <= reached <= 1
    assert (reached == 1) == (level >= target)
    assert common_gap(level, target) == pytest.approx(COMMON_STEPS * (1 - reached))


@given(st.integers(min_value=0, max_value=3), st.integers(min_value=1, max_value=3))
def test_the_same_step_against_the_same_target_weighs_the_same_on_both_scales(level, target):
    # A capability level and a compliance step that reach the same share of their target are one priority.
    assert rating_priority(level=level, target=target, documentation="", weight=2) == rating_priority(
        level=level, target=target, documentation="", weight=2
    )
    assert share(level, target) == min(level, target) / target


def test_a_compliance_rating_with_its_usual_target_keeps_its_plain_gap():
    for level in range(4):
        assert common_gap(level, 3) == pytest.approx(3 - level)
    assert rating_priority(level=1, target=3, documentation="missing", weight=2) == (6, "high")
    assert rating_priority(level=None, target=3, documentation="", weight=5) == (0, None)


items = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=3),
        st.integers(min_value=1, max_value=3),
        st.integers(min_value=1, max_value=5),
    ),
    min_size=1,
    max_size=30,
)


@given(items, st.data())
def test_rating_only_the_strong_areas_never_raises_the_readiness(everything, data):
    """Whatever subset is rated (the strong areas, say), the headline is at most what rating everything gives."""
    rated = data.draw(st.lists(st.booleans(), min_size=len(everything), max_size=len(everything)))
    partial = [
        (level if keep else None, target, weight)
        for (level, target, weight), keep in zip(everything, rated, strict=True)
    ]
    full = summarize(everything)
    some = summarize(partial)
    assert some.percent is not None
    assert full.percent is not None
    assert some.percent <= full.percent + 1e-9
    assert some.rated_percent is None or some.percent <= some.rated_percent + 1e-9
    # coverage is shown to one decimal: half a unit of that, plus float slack
    assert some.coverage == pytest.approx(100.0 * sum(rated) / len(rated), abs=0.05 + 1e-9)


@given(items)
def test_unrated_requirements_pull_the_headline_down_never_up(everything):
    with_unrated = [*everything, (None, 3, 1)]
    assert summarize(with_unrated).percent <= summarize(everything).percent  # type: ignore[operator]


def test_the_mixed_policy_rates_clause_8_on_capability_and_the_rest_on_compliance():
    assert [scale_for("mixed", c) for c in ("4", "5", "6", "7", "8", "9", "10", "AC")] == [
        "compliance", "compliance", "compliance", "compliance", "capability", "compliance", "compliance", "compliance",
    ]  # fmt: skip
    assert scale_for("capability", "4") == "capability"
    assert scale_for("compliance", "8") == "compliance"


def test_the_engagement_weight_goes_requirement_then_process_then_clause_then_catalogue():
    assert effective_weight(1) == 1
    assert effective_weight(2, clauses=[4, 1]) == 4
    assert effective_weight(2, processes=[3, 5], clauses=[1]) == 5
    assert effective_weight(2, requirement=1, processes=[5]) == 1


# --- an assessment with both scales ------------------------------------------------------------------------

pytestmark_db = pytest.mark.django_db


@pytest.fixture
def mixed(engagement, owner, catalogue):
    return assessment(engagement, owner, scale="mixed")


@pytestmark_db
def test_a_new_engagement_assesses_with_mixed_scales(engagement, owner, catalogue):
    baseline = assessment(engagement, owner, scale=None)
    assert baseline.scale == "mixed"
    scales = dict(baseline.ratings.values_list("requirement__ref_id", "scale"))
    assert scales["8.6.1"] == scales["8.5.1.1"] == "capability"
    assert scales["4.1"] == scales["6.3"] == scales["9.2"] == scales["10.1"] == "compliance"


@pytestmark_db
def test_both_scales_are_rated_on_one_screen_and_combined(engagement, owner, mixed):
    rate(owner, mixed, "8.6.1", attributes={"1.1": "F", "2.1": "F", "2.2": "F", "3.1": "L", "3.2": "L"})  # level 3
    rate(owner, mixed, "6.3", level=2)
    with pytest.raises(ServiceError):
        rate(owner, mixed, "8.6.2", level=2)  # capability: the level follows from the attributes
    with pytest.raises(ServiceError):
        rate(owner, mixed, "6.2", attributes={"1.1": "F"})
    column = dashboard(engagement).latest
    assert column is not None
    assert column.by_clause["8"].rated_percent == 100.0
    assert column.by_clause["6"].rated_percent == 66.7


@pytestmark_db
def test_a_clause_moves_to_another_scale_and_the_audit_keeps_what_was_cleared(engagement, owner, mixed):
    rate(owner, mixed, "8.6.1", attributes={"1.1": "F"})
    changed = rating_services.ratings_scale_set(assessment=mixed, actor=owner, scale="compliance", clause="8.6")
    assert changed == 3
    moved = rating(mixed, "8.6.1")
    assert (moved.scale, moved.level, moved.attributes) == ("compliance", None, {})
    assert rating(mixed, "8.5.1.1").scale == "capability"
    entry = AuditEntry.objects.filter(object_type="gaps.assessment").latest("pk")
    assert "8.6.1" in str(entry.changes)
    rate(owner, mixed, "8.6.1", level=3)
    with pytest.raises(ServiceError):
        rating_services.ratings_scale_set(assessment=mixed, actor=owner, scale="stars", clause="")


@pytestmark_db
def test_the_scale_form_changes_a_clause(engagement, owner, owner_client, mixed):
    response = owner_client.post(
        reverse("gaps:assessment_scale", args=[engagement.pk, mixed.pk]), {"clause": "4", "scale": "capability"}
    )
    assert response.status_code == 302
    assert rating(mixed, "4.1").scale == "capability"


# --- weights ---------------------------------------------------------------------------------------------


@pytestmark_db
def test_a_weight_set_for_the_engagement_changes_the_priority_and_is_audited(engagement, owner, owner_client, mixed):
    rate(owner, mixed, "8.5.3", attributes={"1.1": "F"})  # release: level 1, weight 1
    rate(owner, mixed, "5.2.1", level=2)  # change... policy: weight 2
    url = reverse("gaps:assessment", args=[engagement.pk, mixed.pk])
    assert (
        "×1" in owner_client.get(url).content.decode().split(f'id="r{rating(mixed, "8.5.3").pk}"')[1].split("</tr>")[0]
    )
    made = weight_services.weight_set(engagement=engagement, actor=owner, scope="process", key="release", weight=4)
    assert made is not None
    assert made.version == 1
    row = owner_client.get(url).content.decode().split(f'id="r{rating(mixed, "8.5.3").pk}"')[1].split("</tr>")[0]
    assert "×4" in row
    assert "prio-high" in row
    assert AuditEntry.objects.filter(object_type="gaps.weight", action="create").exists()
    with pytest.raises(ConflictError):
        weight_services.weight_set(
            engagement=engagement, actor=owner, scope="process", key="release", weight=2, expected_version=7
        )
    weight_services.weight_set(engagement=engagement, actor=owner, scope="process", key="release", weight=None)
    assert not Weight.objects.filter(engagement=engagement).exists()
    with pytest.raises(ServiceError):
        weight_services.weight_set(engagement=engagement, actor=owner, scope="process", key="release", weight=9)
    with pytest.raises(ServiceError):
        weight_services.weight_set(engagement=engagement, actor=owner, scope="process", key="nope", weight=2)


@pytestmark_db
def test_the_weights_page_saves_a_clause_and_a_requirement(engagement, owner, owner_client, mixed):
    page = owner_client.get(reverse("gaps:weights", args=[engagement.pk]))
    assert page.status_code == 200
    assert "8.5 " in page.content.decode()
    clause = mixed.framework.requirements.get(ref_id="8.5")
    save = reverse("gaps:weight_save", args=[engagement.pk])
    assert owner_client.post(save, {"scope": "clause", "key": clause.urn, "weight": "3"}).status_code == 302
    assert owner_client.post(save, {"scope": "requirement", "ref": "8.6.1", "weight": "5"}).status_code == 302
    weights = dict(Weight.objects.filter(engagement=engagement).values_list("key", "weight"))
    assert weights[clause.urn] == 3
    assert weights[mixed.framework.requirements.get(ref_id="8.6.1").urn] == 5
    detail = owner_client.get(reverse("gaps:rating", args=[engagement.pk, rating(mixed, "8.5.1.1").pk]))
    assert "<dd>3</dd>" in detail.content.decode()  # the clause weight, shown with the priority


@pytestmark_db
def test_a_viewer_reads_the_weights_but_cannot_save_them(engagement, owner, mixed, client):
    from certprep.gaps.tests.factories import member

    viewer = member(engagement, owner, "vera")
    client.force_login(viewer)
    assert client.get(reverse("gaps:weights", args=[engagement.pk])).status_code == 200
    response = client.post(
        reverse("gaps:weight_save", args=[engagement.pk]), {"scope": "process", "key": "change", "weight": "3"}
    )
    assert response.status_code == 403


@pytestmark_db
def test_the_weights_page_queries_do_not_grow_with_the_weights(engagement, owner, owner_client, mixed):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert owner_client.get(reverse("gaps:weights", args=[engagement.pk])).status_code == 200
        return len(ctx.captured_queries)

    weight_services.weight_set(engagement=engagement, actor=owner, scope="process", key="change", weight=2)
    weight_services.weight_set(
        engagement=engagement,
        actor=owner,
        scope="requirement",
        key=mixed.framework.requirements.get(ref_id="9.2").urn,
        weight=1,
    )
    small = queries()
    for code in ("incident", "problem", "release", "capacity"):
        weight_services.weight_set(engagement=engagement, actor=owner, scope="process", key=code, weight=3)
    for ref in ("8.6.1", "8.6.2", "4.1"):
        weight_services.weight_set(
            engagement=engagement,
            actor=owner,
            scope="requirement",
            key=mixed.framework.requirements.get(ref_id=ref).urn,
            weight=4,
        )
    assert queries() == small


# --- the screen ------------------------------------------------------------------------------------------


def _screen(client: Any, engagement: Any, current: Any) -> str:
    return client.get(reverse("gaps:assessment", args=[engagement.pk, current.pk])).content.decode()


@pytestmark_db
def test_the_screen_labels_the_attribute_columns_and_the_level_and_shows_parents(
    engagement, owner, owner_client, mixed
):
    html = _screen(owner_client, engagement, mixed)
    head = html.split("<thead>")[1].split("</thead>")[0]
    for key in ("1.1", "2.1", "2.2", "3.1", "3.2", "4.1", "4.2", "5.1", "5.2"):
        assert f">PA {key}</abbr>" in head
    assert "Process attribute 1.1: Process performance" in head
    assert ">Level<" in head
    row = html.split(f'id="r{rating(mixed, "8.5.1.1").pk}"')[1].split("</tr>")[0]
    assert '<span class="req-parent">8.5.1 Change management ›</span>' in row
    assert ">Policy<" in row
    assert row.count('class="pa-cell"') == 9
    compliance_row = html.split(f'id="r{rating(mixed, "6.3").pk}"')[1].split("</tr>")[0]
    assert 'colspan="9"' in compliance_row
    assert 'data-field="level"' in compliance_row
    legend = html.split('id="priority-legend"')[1].split("</div>")[0]
    assert "High" in legend
    assert "Medium" in legend
    assert "Low" in legend
    assert "weight" in legend


@pytestmark_db
def test_the_screen_uses_real_plural_forms(engagement, owner, owner_client, catalogue):
    one = framework(["1.1"], name="One requirement")
    single = assessment(engagement, owner, framework=one)
    assert "0 of 1 requirement rated" in _screen(owner_client, engagement, single)
    two = framework(["1.1", "1.2"], name="Two requirements")
    double = assessment(engagement, owner, framework=two, name="Second")
    assert "0 of 2 requirements rated" in _screen(owner_client, engagement, double)


@pytestmark_db
def test_the_dashboard_shows_the_honest_figure_with_the_coverage(engagement, owner, owner_client, mixed):
    rate(owner, mixed, "4.1", level=3)
    html = owner_client.get(reverse("gaps:dashboard", args=[engagement.pk])).content.decode()
    column = dashboard(engagement).latest
    assert column is not None
    assert column.overall.rated_percent == 100.0
    assert column.overall.percent < 5
    assert f'<strong id="overall">{column.overall.percent:.0f} %</strong>' in html
    assert 'id="coverage"' in html
    assert 'id="how-readiness"' in html


@pytestmark_db
def test_the_mixed_screen_queries_do_not_grow_with_the_data(engagement, owner, owner_client, catalogue):
    def queries(current: Any) -> int:
        with CaptureQueriesContext(connection) as ctx:
            _screen(owner_client, engagement, current)
        return len(ctx.captured_queries)

    small_fw = framework([f"8.{n}" for n in range(1, 4)] + ["4.1"], name="Small")
    big_fw = framework([f"8.{n}" for n in range(1, 40)] + [f"4.{n}" for n in range(1, 30)], name="Big")
    small = assessment(engagement, owner, framework=small_fw, scale="mixed", name="S")
    big = assessment(engagement, owner, framework=big_fw, scale="mixed", name="B")
    weight_services.weight_set(engagement=engagement, actor=owner, scope="process", key="change", weight=2)
    for current in (small, big):
        for found in current.ratings.select_related("assessment__engagement", "requirement")[:3]:
            rating_services.rating_update(
                rating=found, actor=owner, expected_version=found.version, documentation="draft"
            )
    assert queries(small) == queries(big)
