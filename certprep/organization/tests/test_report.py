"""The organization's report sections: the blocks for an engagement with a team, decisions and approvals (one
changed since), in English and Chinese, and what each says when there is nothing yet."""

from __future__ import annotations

import pytest
from django.utils import translation

from certprep.budget.models import BudgetLine
from certprep.core.documents import Bullets, Heading, Paragraph, Table
from certprep.core.parts import report_sections
from certprep.organization.selectors.approvals import approval_states
from certprep.organization.services.approvals import document_approve
from certprep.organization.tests.world import budget_lines, organization_world

pytestmark = pytest.mark.django_db


def build(key, engagement, language="en"):
    with translation.override(language):
        return list(report_sections()[key].build(engagement))


def test_empty_sections_say_what_is_missing(engagement):
    for key in ("organization.team", "organization.decisions"):
        blocks = build(key, engagement)
        assert [type(b) for b in blocks] == [Paragraph]
        assert blocks[0].tone == "missing"
    approvals = build("organization.approvals", engagement)
    assert isinstance(approvals[0], Bullets)
    assert "Budget: never approved." in approvals[0].items
    assert "Implementation plan: never approved." in approvals[0].items
    assert approvals[-1].tone == "missing"


def test_the_team_section_lists_both_bodies_and_the_meeting_cadence(engagement):
    organization_world(engagement)
    blocks = build("organization.team", engagement)
    tables = [b for b in blocks if isinstance(b, Table)]
    steering, team, meetings = tables
    assert steering.rows[0][:4] == ["Wang Wei", "", "Sponsor (top management)", "5%"]
    assert team.rows[0][2] == "Project manager"
    assert meetings.rows[0][2] == "Every two weeks, Wednesday, 09:30, 90 min"
    assert [b.text for b in blocks if isinstance(b, Heading)] == ["Steering committee", "Project team", "Meetings"]
    zh = build("organization.team", engagement, "zh-hans")
    assert [b.text for b in zh if isinstance(b, Heading)] == ["指导委员会", "项目组", "会议"]


def test_the_approvals_section_shows_what_changed(engagement, owner):
    first, _second = budget_lines(engagement)
    state = next(s for s in approval_states(engagement) if s.key == "budget")
    document_approve(
        engagement=engagement, actor=owner, document="budget", seen_digest=state.digest, approver_title="CEO"
    )
    BudgetLine.objects.filter(pk=first.pk).update(unit_price=1500)
    blocks = build("organization.approvals", engagement)
    summary = next(item for item in blocks[0].items if item.startswith("Budget"))
    assert summary.startswith("Budget: approved by CEO on ")
    assert summary.endswith("(approval 1). Changed since approval.")
    table = next(b for b in blocks if isinstance(b, Table))
    assert [
        "Line: Gap review by the consultancy",
        "Gap review by the consultancy: 2001.00 CNY",
        "Gap review by the consultancy: 3000.00 CNY",
    ] in [list(r) for r in table.rows]
    decisions = build("organization.decisions", engagement)
    assert decisions[0].rows[0][1] == "Budget approved (approval 1)"
    zh = build("organization.approvals", engagement, "zh-hans")
    assert any("预算：" in item and "审批后已变更" in item for item in zh[0].items)
