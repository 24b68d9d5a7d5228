"""Approvals: the budget's and the plan's figures (hand-worked), approving what was seen, refusing a stale digest,
showing what changed since the approval, revoking."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certprep.budget.approval import budget_figures
from certprep.budget.models import BudgetLine
from certprep.core.errors import ConflictError, ServiceError
from certprep.core.models import AuditEntry
from certprep.core.parts import ApprovalFigure
from certprep.organization.compare import differences, digest
from certprep.organization.models import Approval
from certprep.organization.selectors.approvals import APPROVED, CHANGED, NEVER, approval_states
from certprep.organization.services.approvals import approval_revoke, document_approve
from certprep.organization.tests.world import budget_lines, small_plan
from certprep.planning.approval import plan_figures
from certprep.planning.models import Task

pytestmark = pytest.mark.django_db


def _state(engagement, key):
    return next(s for s in approval_states(engagement) if s.key == key)


def test_the_budget_figures_are_the_currency_the_cells_the_total_and_each_line(engagement):
    first, second = budget_lines(engagement)
    values = {f.key: f.value for f in budget_figures(engagement)}
    # 2 x 1000.50 = 2001.00 consulting in year 0; 30000.00 certification in year 0; cash total 32001.00.
    assert values["currency"] == "CNY"
    assert values["cell:consulting:0"] == "2001.00 CNY"
    assert values["cell:certification:0"] == "30000.00 CNY"
    assert values["total"] == "32001.00 CNY"
    assert values[f"line:{first.pk}"] == "Gap review by the consultancy: 2001.00 CNY"
    assert values[f"line:{second.pk}"] == "Stage 2 audit: 30000.00 CNY"


def test_the_plan_figures_are_each_task_with_its_wbs_dates_and_duration(engagement):
    plan = small_plan(engagement)
    task = Task.objects.get(plan=plan, name="Write the SMS policy")
    milestone = Task.objects.get(plan=plan, milestone=True)
    values = {f.key: f.value for f in plan_figures(engagement)}
    assert values["start"] == "2027-01-04"
    # Five working days from Monday 4 January 2027: the task runs to Friday the 8th (no calendar: Mon-Fri).
    assert values[f"task:{task.pk}"] == "1 Write the SMS policy: 2027-01-04 - 2027-01-08, 5 d"
    assert values[f"milestone:{milestone.pk}"].startswith("2 Policy approved: 2027-01-0")
    assert plan_figures(type(engagement).objects.create(name="Empty", organization_name="E")) == []


@pytest.mark.parametrize("lines", [2, 40])
def test_the_figures_take_a_fixed_number_of_queries(engagement, lines):
    for n in range(lines):
        BudgetLine.objects.create(
            engagement=engagement, description=f"Line {n}", category="training", unit_price=Decimal(10), currency="CNY"
        )
    plan = small_plan(engagement)
    for n in range(lines):
        Task.objects.create(plan=plan, name=f"Task {n}", duration_days=2, order=10 + n)
    with CaptureQueriesContext(connection) as budget_queries:
        budget_figures(engagement)
    with CaptureQueriesContext(connection) as plan_queries:
        plan_figures(engagement)
    assert len(budget_queries) <= 4
    assert len(plan_queries) <= 5


def test_approve_change_and_see_what_changed(engagement, owner):
    first, _second = budget_lines(engagement)
    state = _state(engagement, "budget")
    assert state.state == NEVER
    approval = document_approve(
        engagement=engagement, actor=owner, document="budget", seen_digest=state.digest, approver_title="CEO", note="ok"
    )
    assert (approval.number, approval.approver_title, approval.approved_by_name) == (1, "CEO", "olivia")
    assert _state(engagement, "budget").state == APPROVED
    assert AuditEntry.objects.filter(object_type="organization.approval", action="create").count() == 1

    BudgetLine.objects.filter(pk=first.pk).update(unit_price=Decimal("1500.00"))
    added = BudgetLine.objects.create(
        engagement=engagement, description="Training", category="training", unit_price=Decimal(800), currency="CNY"
    )
    changed = _state(engagement, "budget")
    assert changed.state == CHANGED
    diffs = {d.key: (d.before, d.after, d.kind) for d in changed.differences}
    assert diffs[f"line:{first.pk}"] == (
        "Gap review by the consultancy: 2001.00 CNY",
        "Gap review by the consultancy: 3000.00 CNY",
        "changed",
    )
    assert diffs["total"] == ("32001.00 CNY", "33800.00 CNY", "changed")
    assert diffs[f"line:{added.pk}"] == (None, "Training: 800.00 CNY", "added")
    assert diffs["cell:training:0"] == (None, "800.00 CNY", "added")

    # The approver saw the old state: refused, nothing stored.
    with pytest.raises(ConflictError):
        document_approve(
            engagement=engagement, actor=owner, document="budget", seen_digest=state.digest, approver_title="CEO"
        )
    assert Approval.objects.count() == 1
    second = document_approve(
        engagement=engagement, actor=owner, document="budget", seen_digest=changed.digest, approver_title="CEO"
    )
    assert second.number == 2
    assert _state(engagement, "budget").state == APPROVED

    approval_revoke(approval=second, actor=owner)
    # The first approval is in force again, and the budget changed since then.
    assert _state(engagement, "budget").state == CHANGED
    with pytest.raises(ServiceError):
        approval_revoke(approval=second, actor=owner)


def test_the_digest_ignores_the_labels_language(engagement):
    budget_lines(engagement)
    figures = budget_figures(engagement)
    relabelled = [{"key": f.key, "label": "其他", "value": f.value} for f in figures]
    assert digest(figures) == digest(relabelled)


def test_an_approval_needs_a_title_and_a_known_document(engagement, owner):
    with pytest.raises(ServiceError):
        document_approve(engagement=engagement, actor=owner, document="budget", seen_digest="x", approver_title=" ")
    with pytest.raises(ServiceError):
        document_approve(engagement=engagement, actor=owner, document="nope", seen_digest="x", approver_title="CEO")


def test_a_summary_task_figure_is_its_span_without_a_duration(engagement):
    plan = small_plan(engagement)
    summary = Task.objects.create(plan=plan, name="Policies", duration_days=0, order=0)
    Task.objects.filter(plan=plan, name="Write the SMS policy").update(parent=summary)
    values = {f.key: f.value for f in plan_figures(engagement)}
    # The summary spans its one task, 4 to 8 January 2027; its child is numbered under it.
    assert values[f"task:{summary.pk}"] == "1 Policies: 2027-01-04 - 2027-01-08"
    child = Task.objects.get(plan=plan, name="Write the SMS policy")
    assert values[f"task:{child.pk}"] == "1.1 Write the SMS policy: 2027-01-04 - 2027-01-08, 5 d"


def test_a_coded_figure_is_compared_by_its_code_and_shown_in_words():
    words = {"go": "go", "no_go": "no-go"}
    then = [{"key": "recommendation", "label": "Recommendation", "value": "go"}]
    now = [ApprovalFigure("recommendation", "Recommendation", "no_go", words)]
    (changed,) = differences(then, now)
    assert (changed.before, changed.after) == ("go", "no_go")  # compared and stored as codes
    assert (changed.before_shown, changed.after_shown) == ("go", "no-go")
    assert now[0].shown == "no-go"
    assert digest(now) == digest([{"key": "recommendation", "value": "no_go"}])  # words never change the digest
