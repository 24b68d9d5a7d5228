"""The organization's API: members, meetings, decisions and approvals; stale versions and stale digests refused
with 409, a viewer cannot approve, outsiders get 404."""

from __future__ import annotations

import json

import pytest

from certprep.budget.models import BudgetLine
from certprep.engagements.models import Membership
from certprep.engagements.tests.factories import UserFactory
from certprep.organization.models import Approval, ProjectMember
from certprep.organization.tests.world import budget_lines, organization_world, person

pytestmark = pytest.mark.django_db
E = "/api/v1/engagements/{}/organization"


@pytest.fixture
def call(client, owner, api_token):
    def call(method, path, body=None, *, user=None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(user or owner)}"}
        data = json.dumps(body) if body is not None else None
        return getattr(client, method)(path, data=data, content_type="application/json", **headers)

    return call


def test_members_crud_with_a_stale_version_refused(call, engagement):
    someone = person(engagement, "Zhao Lei")
    made = call(
        "post", E.format(engagement.pk) + "/members", {"person_id": someone.pk, "role": "chair", "time_share": 5}
    )
    assert made.status_code == 201
    assert made.json()["body"] == "steering"
    member = made.json()["id"]
    changed = call("patch", E.format(engagement.pk) + f"/members/{member}", {"version": 1, "time_share": 10})
    assert changed.json()["version"] == 2
    stale = call("patch", E.format(engagement.pk) + f"/members/{member}", {"version": 1, "time_share": 20})
    assert stale.status_code == 409
    assert ProjectMember.objects.get().time_share == 10
    assert call("delete", E.format(engagement.pk) + f"/members/{member}?version=2").status_code == 204


def test_a_meeting_series_counts_its_meetings(call, engagement):
    body = {
        "body": "team",
        "title": "Team meeting",
        "cadence": "monthly",
        "weekday": 1,
        "week_of_month": 2,
        "start_time": "14:00",
        "from_date": "2027-01-01",
        "until_date": "2027-03-31",
    }
    made = call("post", E.format(engagement.pk) + "/meetings", body)
    assert made.status_code == 201
    # The second Tuesdays of January, February and March 2027: 12 Jan, 9 Feb, 9 Mar.
    assert made.json()["occurrences"] == 3
    assert made.json()["start_time"] == "14:00"
    wrong = call("post", E.format(engagement.pk) + "/meetings", {**body, "until_date": "2026-12-01"})
    assert wrong.status_code == 400


def test_decisions_refuse_another_engagements_person(call, engagement, outsider):
    foreign = person(outsider.memberships.first().engagement, "Foreign")
    body = {"decided_on": "2027-01-20", "title": "Go ahead", "decided_by": [foreign.pk]}
    assert call("post", E.format(engagement.pk) + "/decisions", body).status_code == 400
    mine = person(engagement, "Wang Wei")
    made = call(
        "post",
        E.format(engagement.pk) + "/decisions",
        {**body, "decided_by": [mine.pk], "concerns": "document", "document": "plan"},
    )
    assert made.status_code == 201
    assert made.json()["decided_by"] == [mine.pk]


def test_approve_through_the_api_then_change_and_see_the_difference(call, engagement):
    first, _second = budget_lines(engagement)
    states = call("get", E.format(engagement.pk) + "/approvals").json()
    budget = next(s for s in states if s["document"] == "budget")
    assert budget["state"] == "never"
    approved = call(
        "post", E.format(engagement.pk) + "/approvals/budget", {"digest": budget["digest"], "approver_title": "CEO"}
    )
    assert approved.status_code == 201
    assert approved.json()["state"] == "approved"
    BudgetLine.objects.filter(pk=first.pk).update(unit_price=1500)
    now = next(s for s in call("get", E.format(engagement.pk) + "/approvals").json() if s["document"] == "budget")
    assert now["state"] == "changed"
    line = next(d for d in now["differences"] if d["key"] == f"line:{first.pk}")
    assert (line["at_approval"], line["now"]) == (
        "Gap review by the consultancy: 2001.00 CNY",
        "Gap review by the consultancy: 3000.00 CNY",
    )
    stale = call(
        "post", E.format(engagement.pk) + "/approvals/budget", {"digest": budget["digest"], "approver_title": "CEO"}
    )
    assert stale.status_code == 409
    assert Approval.objects.count() == 1


def test_a_viewer_cannot_approve_and_an_editor_cannot_revoke(call, engagement):
    budget_lines(engagement)
    viewer, editor = UserFactory(username="vera"), UserFactory(username="eddie")
    Membership.objects.create(engagement=engagement, user=viewer, role="viewer")
    Membership.objects.create(engagement=engagement, user=editor, role="editor")
    budget = next(s for s in call("get", E.format(engagement.pk) + "/approvals").json() if s["document"] == "budget")
    body = {"digest": budget["digest"], "approver_title": "CEO"}
    assert call("post", E.format(engagement.pk) + "/approvals/budget", body, user=viewer).status_code == 403
    assert not Approval.objects.exists()
    assert call("post", E.format(engagement.pk) + "/approvals/budget", body, user=editor).status_code == 201
    approval = Approval.objects.get()
    assert call("delete", E.format(engagement.pk) + f"/approvals/revoke/{approval.pk}", user=editor).status_code == 403
    assert call("delete", E.format(engagement.pk) + f"/approvals/revoke/{approval.pk}").status_code == 204


def test_an_outsider_gets_404_everywhere(call, engagement, outsider):
    world = organization_world(engagement)
    for path in [
        "/members",
        f"/members/{world['sponsor'].pk}",
        "/meetings",
        f"/meetings/{world['series'].pk}",
        "/decisions",
        f"/decisions/{world['decision'].pk}",
        "/approvals",
    ]:
        assert call("get", E.format(engagement.pk) + path, user=outsider).status_code == 404
    assert (
        call(
            "post",
            E.format(engagement.pk) + "/approvals/budget",
            {"digest": "0" * 64, "approver_title": "X"},
            user=outsider,
        ).status_code
        == 404
    )


def test_changing_a_series_time_and_dates_is_audited(call, engagement):
    from certprep.core.models import AuditEntry

    series = organization_world(engagement)["series"]
    body = {"version": series.version, "start_time": "10:15", "until_date": None, "from_date": "2027-01-13"}
    changed = call("patch", E.format(engagement.pk) + f"/meetings/{series.pk}", body)
    assert changed.status_code == 200
    entry = AuditEntry.objects.get(object_type="organization.meetingseries", action="update")
    assert entry.changes["start_time"] == ["09:30:00", "10:15:00"]
    assert entry.changes["until_date"] == ["2027-03-03", None]
