"""The organization pages: both bodies, meetings, the decision log and the approvals, as owner, viewer and
outsider; query counts at two sizes."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certprep.budget.models import BudgetLine
from certprep.engagements.models import Membership
from certprep.engagements.tests.factories import UserFactory
from certprep.organization.models import Approval, Decision, MeetingSeries, ProjectMember
from certprep.organization.selectors.approvals import approval_states
from certprep.organization.tests.world import budget_lines, organization_world, person

pytestmark = pytest.mark.django_db


def url(name, engagement, *args):
    return reverse(f"organization:{name}", args=[engagement.pk, *args])


@pytest.fixture
def viewer_client(client, engagement):
    viewer = UserFactory(username="vera")
    Membership.objects.create(engagement=engagement, user=viewer, role="viewer")
    client.force_login(viewer)
    return client


def test_the_overview_shows_both_bodies_and_the_meetings(owner_client, engagement):
    organization_world(engagement)
    page = owner_client.get(url("overview", engagement)).content.decode()
    steering, team = page.split('id="steering"')[1].split('id="team"')
    assert "Wang Wei" in steering
    assert "Sponsor (top management)" in steering
    assert "Li Na" in team
    assert "Project manager" in team
    # Fortnightly on Wednesdays from 6 January to 3 March 2027: 6, 20 Jan, 3, 17 Feb, 3 Mar.
    assert "5 meetings" in page


def test_adding_a_member_and_the_same_person_in_the_other_body(owner_client, engagement):
    someone = person(engagement, "Zhao Lei")
    for role in ("chair", "internal_auditor"):
        response = owner_client.post(
            url("member_add", engagement),
            {"person": someone.pk, "role": role, "time_share": 10, "responsibilities": ""},
        )
        assert response.status_code == 302
    assert sorted(ProjectMember.objects.filter(person=someone).values_list("body", flat=True)) == ["steering", "team"]
    again = owner_client.post(
        url("member_add", engagement), {"person": someone.pk, "role": "team_member", "time_share": 5}
    )
    assert again.status_code == 200
    assert "already sits in this body" in again.content.decode()


def test_a_member_of_another_engagement_cannot_be_picked(owner_client, engagement, outsider):
    foreign = person(outsider.memberships.first().engagement, "Foreign person")
    response = owner_client.post(
        url("member_add", engagement), {"person": foreign.pk, "role": "chair", "time_share": 0}
    )
    assert response.status_code == 200
    assert not ProjectMember.objects.exists()


def test_a_stale_member_edit_is_refused(owner_client, engagement):
    member = organization_world(engagement)["sponsor"]
    data = {"role": "chair", "time_share": 10, "responsibilities": "", "expected_version": member.version}
    assert owner_client.post(url("member", engagement, member.pk), data).status_code == 302
    stale = owner_client.post(url("member", engagement, member.pk), {**data, "time_share": 20})
    assert "Someone else changed this" in stale.content.decode()
    member.refresh_from_db()
    assert (member.role, member.time_share) == ("chair", 10)


def test_logging_a_decision_about_a_document(owner_client, engagement):
    world = organization_world(engagement)
    response = owner_client.post(
        url("decisions", engagement),
        {
            "decided_on": "2027-01-20",
            "title": "Hire a consultancy",
            "rationale": "No ISO 20000 experience in house",
            "decided_by": [world["ceo"].pk],
            "by_me": "on",
            "concerns": "document",
            "document": "budget",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get(title="Hire a consultancy")
    assert (decision.document, decision.decided_by_user_name) == ("budget", "olivia")
    page = owner_client.get(url("decisions", engagement)).content.decode()
    assert "Hire a consultancy" in page
    assert "Wang Wei" in page


def test_approving_on_the_page_then_a_change_shows_the_difference(owner_client, engagement):
    first, _second = budget_lines(engagement)
    state = next(s for s in approval_states(engagement) if s.key == "budget")
    response = owner_client.post(
        url("approve", engagement, "budget"), {"digest": state.digest, "approver_title": "CEO"}
    )
    assert response.status_code == 302
    first.unit_price = 1500
    first.save()
    page = owner_client.get(url("approvals", engagement)).content.decode()
    budget = page.split('id="approval-budget"')[1].split("</section>")[0]
    assert "changed since approval" in budget
    assert "Gap review by the consultancy: 2001.00 CNY" in budget
    assert "Gap review by the consultancy: 3000.00 CNY" in budget
    # The old digest is refused: 409 and nothing stored.
    stale = owner_client.post(url("approve", engagement, "budget"), {"digest": state.digest, "approver_title": "CEO"})
    assert stale.status_code == 409
    assert Approval.objects.count() == 1
    log = owner_client.get(url("decisions", engagement)).content.decode()
    assert "approved (approval 1)" in log


def test_a_viewer_cannot_approve_nor_revoke(viewer_client, engagement, owner):
    budget_lines(engagement)
    state = next(s for s in approval_states(engagement) if s.key == "budget")
    response = viewer_client.post(
        url("approve", engagement, "budget"), {"digest": state.digest, "approver_title": "CEO"}
    )
    assert response.status_code in (403, 404)
    assert not Approval.objects.exists()
    assert "approve-form" not in viewer_client.get(url("approvals", engagement)).content.decode()


def test_only_an_owner_revokes(client, owner_client, engagement):
    budget_lines(engagement)
    state = next(s for s in approval_states(engagement) if s.key == "budget")
    owner_client.post(url("approve", engagement, "budget"), {"digest": state.digest, "approver_title": "CEO"})
    approval = Approval.objects.get()
    editor = UserFactory(username="eddie")
    Membership.objects.create(engagement=engagement, user=editor, role="editor")
    client.force_login(editor)
    assert client.post(url("revoke", engagement, approval.pk)).status_code == 403
    client.force_login(engagement.memberships.get(role="owner").user)
    assert client.post(url("revoke", engagement, approval.pk)).status_code == 302
    approval.refresh_from_db()
    assert approval.revoked_by_name == "olivia"


def test_outsiders_get_404(outsider_client, engagement):
    world = organization_world(engagement)
    for name, args in [
        ("overview", ()),
        ("decisions", ()),
        ("approvals", ()),
        ("member", (world["sponsor"].pk,)),
        ("meeting", (world["series"].pk,)),
        ("decision", (world["decision"].pk,)),
    ]:
        assert outsider_client.get(url(name, engagement, *args)).status_code == 404


@pytest.mark.parametrize("name", ["overview", "decisions", "approvals"])
def test_pages_take_the_same_queries_at_two_sizes(owner_client, engagement, name):
    organization_world(engagement, size=2)
    budget_lines(engagement)
    MeetingSeries.objects.create(
        engagement=engagement,
        body="team",
        title="Team",
        start_time=datetime.time(10),
        from_date=datetime.date(2027, 1, 4),
    )
    with CaptureQueriesContext(connection) as small:
        assert owner_client.get(url(name, engagement)).status_code == 200
    organization_world(engagement, size=12)
    for n in range(10):
        MeetingSeries.objects.create(
            engagement=engagement,
            body="team",
            title=f"Team {n}",
            start_time=datetime.time(10),
            from_date=datetime.date(2027, 1, 4),
        )
    with CaptureQueriesContext(connection) as large:
        assert owner_client.get(url(name, engagement)).status_code == 200
    assert len(large) == len(small)


def test_the_dashboard_card_and_the_feed_take_the_same_queries_at_two_sizes(engagement):
    from certprep.organization.calendar import meeting_events
    from certprep.organization.parts import part

    organization_world(engagement, size=2)
    budget_lines(engagement)
    assert part.card is not None
    with CaptureQueriesContext(connection) as small:
        status = part.card.status(engagement)
    with CaptureQueriesContext(connection) as small_feed:
        few = meeting_events(engagement)
    organization_world(engagement, size=15)
    for n in range(30):
        BudgetLine.objects.create(
            engagement=engagement, description=f"Line {n}", category="training", unit_price=10, currency="CNY"
        )
    for n in range(5):
        MeetingSeries.objects.create(
            engagement=engagement,
            body="team",
            title=f"Team {n}",
            start_time=datetime.time(10),
            from_date=datetime.date(2027, 1, 4),
            until_date=datetime.date(2027, 2, 1),
        )
    with CaptureQueriesContext(connection) as large:
        bigger = part.card.status(engagement)
    with CaptureQueriesContext(connection) as large_feed:
        many = meeting_events(engagement)
    assert len(large) == len(small)
    assert len(large_feed) == len(small_feed)
    # Wang Wei, Li Na and team members 1..size-1: 3 people, then 16; the budget never approved.
    assert (status["members"], bigger["members"]) == (3, 16)
    assert status["pending"] >= 1
    # Five Mondays from 4 January to 1 February 2027 for each new weekly series.
    assert len(many) == len(few) + 5 * 5
